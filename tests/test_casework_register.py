"""Casework reads the register: the case page's weekly chart, and the figures the rules read
(attendance now, R13 review-period sessions, the R29 threshold, R21 improvement) from the marks
when the pupil has marks, from the typed figures otherwise."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from checklist_app.auth.models import Role
from checklist_app.casework.facts import facts_for_cases, facts_of, view_of
from checklist_app.casework.models import AttendanceFigure, Case, Pupil
from checklist_app.casework.process.figures import penalty_threshold_window, review_trigger_date
from checklist_app.extensions import db
from checklist_app.register import generator
from tests.factories import CaseFactory, UserFactory, login
from tests.register_helpers import import_text, load_roll

TODAY = date(2026, 3, 2)
OPENED = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY):
        yield


def _marks(upn: str, days: list[date], code) -> str:
    return "UPN,Date,Session,Mark\n" + "".join(
        f"{upn},{d:%d/%m/%Y},{s},{code(d, s)}\n" for d in days for s in ("AM", "PM"))


@pytest.fixture
def case_with_marks(app, school, tmp_path):
    """A case opened 5 January 2026 (baseline 80%) whose pupil missed 12 sessions without
    authority in January and February, attending every other session."""
    upn = load_roll(school, tmp_path, count=1, today=TODAY)[0]["UPN"]
    days = generator.school_days(date(2026, 1, 5), date(2026, 2, 27))
    bad = set(days[10:16])  # six days, twelve sessions

    assert import_text(school, _marks(upn, days, lambda d, s: "O" if d in bad else "/"),
                       today=TODAY).ok
    pupil = db.session.scalar(select(Pupil).where(Pupil.school_id == school.id))
    case = CaseFactory(pupil=pupil, opened_on=OPENED, baseline_attendance=80.0)
    # A typed figure that the register's marks replace.
    db.session.add(AttendanceFigure(case_id=case.id, school_id=school.id, period_start=OPENED,
                                    period_end=date(2026, 1, 30), attendance_percent=40.0,
                                    unauthorised_sessions=0, recorded_on=date(2026, 2, 2)))
    db.session.commit()
    return case, len(days)


def test_rules_read_the_register_when_the_pupil_has_marks(case_with_marks):
    case, school_days = case_with_marks
    found = facts_of(db.session.get(Case, case.id))
    expected = round(100 * (2 * school_days - 12) / (2 * school_days), 1)
    assert found.current_attendance() == expected  # attendance since opening, not the typed 40%
    assert len(found.figures) == school_days // 5 and all(f.period_end.weekday() == 4
                                                          for f in found.figures)
    assert sum(f.unauthorised for f in found.figures) == 12
    assert review_trigger_date(found.figures, OPENED) is not None  # R13: 6 reached
    assert penalty_threshold_window(found.figures)[2] >= 10  # R29: 10 in 10 weeks
    flags = {f.code for f in view_of(db.session.get(Case, case.id), TODAY).flags}
    assert {"improved", "penalty-threshold"} <= flags and "severe" not in flags  # R21 vs 80%
    # The dashboard's column reader agrees with the loaded case.
    assert facts_for_cases(select(Case.id))[case.id] == found


def test_typed_figures_stand_without_marks(app, school):
    case = CaseFactory(pupil__school=school, opened_on=OPENED,
                       baseline_attendance=80.0)
    db.session.add(AttendanceFigure(case_id=case.id, school_id=case.school_id, period_start=OPENED,
                                    period_end=date(2026, 1, 30), attendance_percent=40.0,
                                    unauthorised_sessions=7, recorded_on=date(2026, 2, 2)))
    db.session.commit()
    found = facts_of(db.session.get(Case, case.id))
    assert found.current_attendance() == 40.0 and found.attendance_now is None
    assert [f.unauthorised for f in found.figures] == [7]
    assert {f.code for f in view_of(db.session.get(Case, case.id), TODAY).flags} >= {
        "severe", "not-improved"}
    assert facts_for_cases(select(Case.id))[case.id] == found


def test_case_page_shows_the_register_chart_and_its_table(client, school, case_with_marks):
    case, _days = case_with_marks
    login(client, UserFactory(school=school, role=Role.ATTENDANCE_LEAD))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="case-chart-title"' in page and "<svg" in page
    assert "Baseline when the case opened" in page and "90%: persistent absence" in page
    assert "50%: severe absence" in page and "5 Jan" in page  # the table's first week


def test_case_page_without_marks_has_no_chart(client, school):
    case = CaseFactory(pupil__school=school, opened_on=OPENED)
    login(client, UserFactory(school=school, role=Role.ATTENDANCE_LEAD))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Week by week from the register" not in page and "<svg" not in page


def test_letters_merge_attendance_from_the_register_when_the_pupil_has_marks(case_with_marks):
    from checklist_app.casework.letters import letter_context
    from checklist_app.casework.models import LetterStep

    case, school_days = case_with_marks
    loaded = db.session.get(Case, case.id)
    values = letter_context(loaded, None, step=LetterStep.INVITE)["attendance"]
    expected = round(100 * (2 * school_days - 12) / (2 * school_days), 1)
    assert values == {"baseline": "80.0%", "current": f"{expected:.1f}%",
                      "period": "5 January 2026 to 27 February 2026"}  # not the typed 40%


def test_letters_merge_the_typed_figure_without_marks(app, school):
    from checklist_app.casework.letters import letter_context
    from checklist_app.casework.models import LetterStep

    case = CaseFactory(pupil__school=school, opened_on=OPENED, baseline_attendance=80.0)
    db.session.add(AttendanceFigure(case_id=case.id, school_id=case.school_id, period_start=OPENED,
                                    period_end=date(2026, 1, 30), attendance_percent=40.0,
                                    unauthorised_sessions=7, recorded_on=date(2026, 2, 2)))
    db.session.commit()
    values = letter_context(db.session.get(Case, case.id), None, step=LetterStep.INVITE)
    assert values["attendance"] == {"baseline": "80.0%", "current": "40.0%",
                                    "period": "5 January 2026 to 30 January 2026"}
