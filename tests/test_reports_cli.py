"""``checklist-app report ...``: PDFs written to files, clear errors (never a traceback)."""

from __future__ import annotations

import pytest

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.factories import SchoolFactory, UserFactory
from tests.reporting_factories import casework_story, filled_evaluation, flat, pdf_text, people_and_plan


@pytest.fixture
def app_config(tmp_path):
    return {"REPORT_CACHE_DIR": str(tmp_path / "report-cache")}


@pytest.fixture
def school(app):
    school = SchoolFactory(name="St Siân's Primary School", urn="123456")
    evaluation = filled_evaluation(school, "2026-27-autumn", words=3)
    people_and_plan(school, evaluation)
    return school


def run(app, *args):
    return app.test_cli_runner().invoke(args=["report", *args])


@pytest.mark.parametrize(("kind", "heading"), [
    ("self-evaluation", "Self-evaluation and action plan – Autumn term 2026/27"),
    ("board-pack", "Governing board pack – Autumn term 2026/27"),
])
def test_self_evaluation_reports_to_a_file(app, school, tmp_path, kind, heading):
    out = tmp_path / f"{kind}.pdf"
    result = run(app, kind, "123456", "2026-27-autumn", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    text = flat(pdf_text(out.read_bytes()))
    assert heading in text and "Łukasz Nowak" in text and "cp25impa0003" in text


def test_case_evidence_pack_to_a_file(app, tmp_path):
    school = SchoolFactory(name="Oakfield")
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Łukasz Nowak")
    db.session.commit()
    case = casework_story(school, lead)["case"]
    out = tmp_path / "case.pdf"
    result = run(app, "case", str(case.id), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Case evidence pack – Zoë Ó Briain" in flat(pdf_text(out.read_bytes()))


@pytest.mark.parametrize(("args", "message"), [
    (["self-evaluation", "000000", "2026-27-autumn"], "No school has URN 000000."),
    (["board-pack", "123456", "autumn-2026"], "'autumn-2026' is not a term such as 2026-27-autumn."),
    (["self-evaluation", "123456", "2025-26-spring"],
     "St Siân's Primary School has no self-evaluation for Spring term 2025/26."),
    (["case", "999"], "There is no case 999."),
    (["case", "abc"], "'abc' is not a case number."),
])
def test_clear_errors_without_a_traceback(app, school, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    result = run(app, *args, "-o", str(out))
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_unwritable_output_is_a_clear_error(app, school, tmp_path):
    result = run(app, "self-evaluation", "123456", "2026-27-autumn", "-o",
                 str(tmp_path / "missing-folder" / "x.pdf"))
    assert result.exit_code == 1 and "Error: Could not write" in result.output
