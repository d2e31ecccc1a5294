"""The register in the printed reports: the evidence pack leads with the chronology and then the
pupil's weekly attendance from the marks with the case's events beside each week (no chart when
the pupil has no marks); the governing-board pack carries the school's weekly trend."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from checklist_app.auth.models import Role
from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.register import generator
from tests.casework_factories import held_meeting, make_case, make_parent, make_pupil
from tests.factories import UserFactory, login
from tests.register_helpers import import_text, load_roll
from tests.reporting_factories import filled_evaluation, flat, pdf_text, school_with_leader

TODAY = date(2026, 3, 2)
OPENED = date(2026, 1, 5)
CHART = "Attendance week by week from the register"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def marked_case(app, school, tmp_path):
    """A case opened 5 January 2026 whose pupil missed the week of 19 January without authority,
    with a contract meeting held on 21 January."""
    upn = load_roll(school, tmp_path, count=1, today=TODAY)[0]["UPN"]
    days = generator.school_days(date(2026, 1, 5), date(2026, 2, 27))
    away = {d for d in days if date(2026, 1, 19) <= d <= date(2026, 1, 23)}
    text = "UPN,Date,Session,Mark\n" + "".join(
        f"{upn},{d:%d/%m/%Y},{s},{'O' if d in away else '/'}\n" for d in days for s in ("AM", "PM"))
    assert import_text(school, text, today=TODAY).ok
    pupil = db.session.scalar(select(Pupil).where(Pupil.school_id == school.id))
    parent = make_parent(pupil, first="Siân", relationship_to_pupil="Mother")
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    case = make_case(pupil, lead, baseline=80.0, opened_on=OPENED)
    held_meeting(case, [parent], on=date(2026, 1, 21))
    db.session.commit()
    return case, lead


def evidence_text(client, case, lead) -> str:
    login(client, lead)
    response = client.get(f"/reports/cases/{case.id}/evidence-pack.pdf")
    assert response.status_code == 200
    return flat(pdf_text(response.data))


def test_evidence_pack_leads_with_chronology_then_the_register_chart_with_events(
        client, marked_case):
    case, lead = marked_case
    text = evidence_text(client, case, lead)
    chronology, chart, family = (text.index("Chronology"), text.index(CHART),
                                 text.index("The pupil and family"))
    assert chronology < chart < family
    table = text[chart:family]
    assert "Weekly attendance of" in table and "Case events" in table
    assert "5 Jan 100.0%" in table and "19 Jan 0.0%" in table  # the week away, from the marks
    assert "Baseline when the case opened" in table and "80.0%" in table
    # The meeting sits beside the week it was held in, not beside another.
    week = table[table.index("19 Jan 0.0%"):table.index("26 Jan")]
    assert "21 January 2026: Attendance contract meeting (held)" in week


def test_evidence_pack_without_marks_has_no_chart(client, school):
    pupil = make_pupil(school, first="Zoë", last="Hart")
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    case = make_case(pupil, lead, opened_on=OPENED)
    text = evidence_text(client, case, lead)
    assert "Chronology" in text and "The pupil and family" in text
    assert CHART not in text and "Case events" not in text


def board_pack_text(client, school, leader, term: str) -> str:
    evaluation = filled_evaluation(school, term, words=2)
    login(client, leader)
    response = client.get(f"/reports/self-evaluation/{evaluation.id}/board-pack.pdf")
    assert response.status_code == 200
    return flat(pdf_text(response.data))


def test_board_pack_shows_the_schools_weekly_trend_from_the_register(app, client, tmp_path):
    school, leader = school_with_leader()
    upns = [row["UPN"] for row in load_roll(school, tmp_path, count=2, today=TODAY)]
    days = generator.school_days(date(2026, 1, 5), date(2026, 2, 27))
    # The second pupil is away every Friday: 80% attendance, persistently absent.
    text = "UPN,Date,Session,Mark\n" + "".join(
        f"{upn},{d:%d/%m/%Y},{s},{'O' if n == 1 and d.weekday() == 4 else '/'}\n"
        for n, upn in enumerate(upns) for d in days for s in ("AM", "PM"))
    assert import_text(school, text, today=TODAY).ok
    summary = board_pack_text(client, school, leader, "2025-26-spring")
    assert "Attendance from the register" in summary
    assert "From 1 September 2025 to 2 March 2026 (7 school weeks)" in summary
    assert "In the week of 23 February 2026 attendance was 90.0%" in summary
    assert "50.0% of pupils were persistently absent" in summary
    assert "School attendance each week" in summary
    assert "5 Jan 90.0% 50.0%" in summary and "23 Feb 90.0% 50.0%" in summary
    assert "16 Feb" not in summary  # half term: no school week


def test_board_pack_without_marks_has_no_trend(app, client):
    school, leader = school_with_leader()
    summary = board_pack_text(client, school, leader, "2025-26-spring")
    assert "Governing board pack" in summary and "Attendance from the register" not in summary
