"""The checklist pages: list, one version in full, and what changed between versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.factories import SchoolFactory, UserFactory, login

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "definitions"


@pytest.fixture
def signed_in(app, client):
    user = UserFactory(school=SchoolFactory(), role=Role.GOVERNOR)
    db.session.commit()
    login(client, user)
    return client


def test_list_shows_every_definition(signed_in):
    page = signed_in.get("/checklists/").get_data(as_text=True)
    assert "School Attendance Guidance Checklist for Schools" in page
    assert "Attendance Contracts – Checklist for schools" in page
    assert "25 items" in page


def test_one_version_in_full(signed_in):
    page = signed_in.get("/checklists/school-attendance-self-evaluation/2022.1").get_data(
        as_text=True)
    assert "Our school has signed up to the DfE" in page
    assert "WTTISA [16;17;37;56]" in page
    assert signed_in.get("/checklists/school-attendance-self-evaluation/9.9").status_code == 404


def test_compare_and_refused_files(app, signed_in, tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "defs", ignore=shutil.ignore_patterns("*.md"))
    (tmp_path / "defs" / "broken").mkdir()
    (tmp_path / "defs" / "broken" / "1.0.yaml").write_text("key: broken\n")
    app.config["CHECKLISTS_DIR"] = str(tmp_path / "defs")
    page = signed_in.get("/checklists/demo-checklist/compare?old=1.0&new=1.1").get_data(
        as_text=True)
    assert "Replaced (replaced by foxtrot)" in page
    assert "Alpha checkpoint text, now with statutory wording." in page
    index = signed_in.get("/checklists/").get_data(as_text=True)
    assert "Files that could not be used" in index and "broken/1.0.yaml" in index
