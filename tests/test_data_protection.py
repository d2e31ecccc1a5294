"""Erasing a pupil and everything about them; the retention review list; no personal data in logs."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import Role
from checklist_app.casework import letter_operations, operations
from checklist_app.casework.enums import CaseStatus
from checklist_app.casework.models import Case, Letter, Parent, Pupil
from checklist_app.data_protection.services import ErasureError, erase_pupil, retention_due
from checklist_app.extensions import db
from tests.casework_factories import family_case, held_meeting, make_parent, make_pupil, signed_contract
from tests.factories import SchoolFactory, UserFactory, login


@pytest.fixture
def school_name():
    return "Oakfield"


def _family(school):
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    case, parents = family_case(school, lead, parents=2,
                                opened_on=date.today() - timedelta(days=60))
    meeting = held_meeting(case, parents, date.today() - timedelta(days=3))
    signed_contract(meeting, parents)
    letter = letter_operations.draft_letter(case, "contract-outcome", parents[0], None, date.today())
    del letter
    operations.add_figure(case, {"period_start": date.today() - timedelta(days=20),
                               "period_end": date.today() - timedelta(days=10),
                               "attendance_percent": 71.5, "unauthorised_sessions": 4},
                             date.today())
    db.session.commit()
    return case


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_erasing_a_pupil_removes_everything_about_them(school):
    case = _family(school)
    other = _family(school)
    pupil = case.pupil
    name, pupil_id, last_name, case_id = pupil.full_name, pupil.id, pupil.last_name, case.id
    counts = erase_pupil(school, None, date.today(), pupil.id, name.upper(),
                         "Subject access ref 2026/17")
    db.session.commit()
    assert counts["cases"] == 1 and counts["parents or carers"] == 2
    db.session.expire_all()
    assert db.session.get(Pupil, pupil_id) is None
    assert _count(Case) == 1 and db.session.get(Case, other.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Parent)
                             .where(Parent.pupil_id == pupil_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Letter)
                             .where(Letter.case_id == case_id)) == 0
    trail = json.dumps([e.changes for e in db.session.scalars(select(AuditEvent))])
    assert last_name not in trail  # the erased family's name is gone from the trail
    assert other.pupil.last_name in trail  # another family's history is untouched
    erasure = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase"))
    assert erasure.reason.startswith("Subject access ref 2026/17") and erasure.record_id == str(pupil_id)


def test_erasure_needs_the_name_and_a_reason(school):
    case = _family(school)
    with pytest.raises(ErasureError, match="full name"):
        erase_pupil(school, None, date.today(), case.pupil_id, "someone else", "Because")
    with pytest.raises(ErasureError, match="reason"):
        erase_pupil(school, None, date.today(), case.pupil_id, case.pupil.full_name, "")
    with pytest.raises(ErasureError, match="no such pupil"):
        erase_pupil(SchoolFactory(name="Elsewhere"), None, date.today(), case.pupil_id,
                    case.pupil.full_name, "Valid reason")
    assert db.session.get(Pupil, case.pupil_id) is not None


def test_erase_page_for_admins_only(school, client):
    case = _family(school)
    admin = UserFactory(school=school, role=Role.ADMIN)
    lead = UserFactory(school=school, role=Role.SENIOR_LEADER)
    db.session.commit()
    login(client, lead)
    assert client.get(f"/data-protection/pupils/{case.pupil_id}/erase").status_code == 403
    client.post("/logout")
    login(client, admin)
    page = client.get(f"/cases/pupils/{case.pupil_id}").get_data(as_text=True)
    assert "Erase all records about this pupil" in page
    response = client.post(f"/data-protection/pupils/{case.pupil_id}/erase",
                           data={"confirmation": "wrong name", "reason": "Request 17"})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert "Request 17" in response.get_data(as_text=True)  # what was typed is kept
    pupil_id, name = case.pupil_id, case.pupil.full_name
    response = client.post(f"/data-protection/pupils/{pupil_id}/erase",
                           data={"confirmation": name, "reason": "Request 17"},
                           follow_redirects=True)
    assert "have been erased" in response.get_data(as_text=True)
    assert db.session.get(Pupil, pupil_id) is None


def test_retention_lists_closed_cases_older_than_the_setting(school, client, app):
    with time_machine.travel(datetime(2019, 3, 4, 10, tzinfo=UTC)):
        old = _family(school)
        old.status, old.closed_on = CaseStatus.CLOSED, date(2019, 3, 4)
        db.session.commit()
    recent, still_open = _family(school), _family(school)
    recent.status, recent.closed_on = CaseStatus.CLOSED, date.today() - timedelta(days=300)
    db.session.commit()
    due = retention_due(school.id, date.today())
    assert [e.pupil.id for e in due] == [old.pupil_id]
    assert due[0].basis == "Last case closed on 4 March 2019"
    assert [p.full_name for p in due[0].parents] == [p.full_name for p in old.pupil.parents]
    app.config["RETENTION_YEARS"] = 0
    assert {e.pupil.id for e in retention_due(school.id, date.today() + timedelta(days=1))} \
        == {old.pupil_id, recent.pupil_id, still_open.pupil_id}
    app.config["RETENTION_YEARS"] = 6
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    login(client, admin)
    page = client.get("/data-protection/retention").get_data(as_text=True)
    assert old.pupil.full_name in page and still_open.pupil.full_name not in page
    assert old.pupil.parents[1].full_name in page and "4 March 2019" in page


def test_retention_covers_pupils_whatever_their_cases(school, client):
    with time_machine.travel(datetime(2018, 5, 1, 10, tzinfo=UTC)):
        no_case = make_pupil(school, first="Nadia", last="Nocase")
        make_parent(no_case, first="Paula", last="Nocase")
        untouched = _family(school)  # an open case nobody touched since
        undated = _family(school)
        undated.status, undated.closed_on = CaseStatus.CLOSED, None  # closed, no closing date
        db.session.commit()
    make_pupil(school, first="Recent", last="Pupil")
    db.session.commit()
    due = {e.pupil.id: e.basis for e in retention_due(school.id, date.today())}
    assert due == {
        no_case.id: "No case; last activity on 1 May 2018",
        untouched.pupil_id: "Open case, no activity since 1 May 2018",
        undated.pupil_id: "Closed case without a closing date; last activity on 1 May 2018",
    }
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    login(client, admin)
    page = client.get("/data-protection/retention").get_data(as_text=True)
    assert "Paula Nocase" in page and "Nadia Nocase" in page and " 1 January 1" not in page
    assert "Recent Pupil" not in page


def _erase_a_pupil_with_printed_letters(school, client, app, tmp_path):
    """Two families with an issued letter each, both printed (so cached); erase the first
    through the page. Returns the erased family's texts and the other family's last name."""
    app.config["REPORT_CACHE_DIR"] = str(tmp_path / "cache")
    case, other = _family(school), _family(school)
    case.pupil.parents[1].first_name = "Xanthippe"
    admin = UserFactory(school=school, role=Role.ADMIN)
    letters = []
    for found in (case, other):
        letter = letter_operations.draft_letter(found, "contract-outcome", found.pupil.parents[0],
                                                None, date.today())
        letter.body_markdown += "\n\nQuokkasecretphrase for " + found.pupil.last_name
        letter_operations.issue_letter(letter, admin, on=date.today())
        letters.append((found.id, letter.id))
    db.session.commit()
    login(client, admin)
    for case_id, letter_id in letters:
        assert client.get(f"/reports/cases/{case_id}/letters/{letter_id}.pdf").status_code == 200
    cache = tmp_path / "cache"
    assert {p.name.split("-v")[0] for p in cache.glob("*.pdf")} == {
        f"letter-{letter_id}" for _case, letter_id in letters}
    name, last_name = case.pupil.full_name, case.pupil.last_name
    parent = case.pupil.parents[1].full_name
    other_name = other.pupil.last_name
    response = client.post(f"/data-protection/pupils/{case.pupil_id}/erase",
                           data={"confirmation": name, "reason": "Request 17"})
    assert response.status_code == 302
    assert [p.name.split("-v")[0] for p in cache.glob("*.pdf")] == [f"letter-{letters[1][1]}"]
    return (last_name, f"Quokkasecretphrase for {last_name}", parent), other_name


def test_erasure_removes_the_pupils_cached_pdfs(school, client, app, tmp_path):
    _erase_a_pupil_with_printed_letters(school, client, app, tmp_path)


@pytest.mark.sqlite_only
def test_erasure_leaves_no_text_in_the_sqlite_file(school, client, app, tmp_path):
    erased, other_name = _erase_a_pupil_with_printed_letters(school, client, app, tmp_path)
    db.session.remove()
    db.engine.dispose()
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("test.sqlite3*"))
    assert f"Quokkasecretphrase for {other_name}".encode() in raw  # the test can see
    for text in erased:
        assert text.encode() not in raw, text
    assert database.endswith("test.sqlite3")


def test_cache_clear_command(app, tmp_path):
    app.config["REPORT_CACHE_DIR"] = str(tmp_path)
    (tmp_path / "letter-1-v1-abc-def.pdf").write_bytes(b"%PDF")
    result = app.test_cli_runner().invoke(args=["cache", "clear"])
    assert result.exit_code == 0 and "Removed 1 cached PDF(s)" in result.output
    assert not list(tmp_path.glob("*.pdf"))


def test_no_personal_data_in_logs(school, client, caplog):
    case = _family(school)
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    db.session.commit()
    caplog.set_level(logging.DEBUG)
    login(client, lead)
    client.get(f"/cases/{case.id}")
    client.post(f"/cases/{case.id}/contacts/new", data={"method": "phone"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert case.pupil.last_name not in logged and case.pupil.first_name not in logged


@pytest.mark.sqlite_only
def test_sqlite_connections_zero_deleted_content(app, tmp_path):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    # The control: without secure_delete, the raw-bytes check above would find deleted text.
    path = tmp_path / "control.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA secure_delete=OFF")
    raw.execute("CREATE TABLE t (x TEXT)")
    raw.execute("INSERT INTO t VALUES ('Quokkasurvivor')")
    raw.commit()
    raw.execute("DELETE FROM t")
    raw.commit()
    raw.close()
    assert b"Quokkasurvivor" in path.read_bytes()
