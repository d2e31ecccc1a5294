"""Figures from the marks: attendance % (R33), persistent and severe (R28), the 10-school-week
window across the summer holiday (R29, R34), unauthorised sessions in a period (R13), improvement
on the baseline (R21), typed weeks for schools without an export."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.register import calc, figures, generator, operations
from checklist_app.register.calc import Week
from tests.register_helpers import import_text, load_roll

TODAY = date(2025, 10, 10)


def test_pure_percent_thresholds_and_windows():
    weeks = [Week(date(2025, 9, 1) + timedelta(weeks=i), 10, 9, 1) for i in range(12)]
    assert calc.percent(weeks) == 90.0
    assert calc.is_persistent(90.0) and not calc.is_persistent(90.1)
    assert calc.is_severe(50.0) and not calc.is_severe(50.1)
    assert len(calc.windows(weeks)) == 3
    assert calc.worst_window(weeks).unauthorised == 10 and calc.worst_window(weeks).reaches_threshold
    holiday = Week(date(2025, 8, 11), 0, 0, 0)  # no possible session: not a school week
    assert calc.school_weeks([holiday, *weeks])[0] == weeks[0]
    assert calc.improvement(80.0, 86.5) == 6.5 and calc.improvement(None, 80) is None
    assert calc.terms(date(2025, 9, 1))[1] == ("Spring term", date(2026, 1, 1), date(2026, 4, 5))


def _marks_text(upn: str, days: list[date], code_for) -> str:
    return "UPN,Date,Session,Mark\n" + "".join(
        f"{upn},{d.strftime('%d/%m/%Y')},{s},{code_for(d, s)}\n" for d in days for s in ("AM", "PM"))


@pytest.fixture
def pupil_upn(app, school, tmp_path):
    return load_roll(school, tmp_path, count=1, today=TODAY)[0]["UPN"]


def test_ten_unauthorised_in_six_school_weeks_across_the_summer(app, school, pupil_upn):
    july = generator.school_days(date(2025, 6, 30), date(2025, 7, 21))    # 3 school weeks + a day
    autumn = generator.school_days(date(2025, 9, 4), date(2025, 9, 26))   # 3+ school weeks
    bad = {date(2025, 7, 14), date(2025, 7, 15), date(2025, 9, 15), date(2025, 9, 16), date(2025, 9, 17)}

    def code(day, session):
        return "G" if day in bad else ("/" if session == "AM" else "\\")

    assert import_text(school, _marks_text(pupil_upn, july + autumn, code), today=TODAY).ok
    pupil = db.session.scalar(db.select(Pupil))
    summary = figures.pupil_summary(school.id, pupil.id, date(2025, 9, 1), TODAY, baseline=70.0)
    assert summary.worst_unauthorised == 10 and summary.penalty_threshold
    assert summary.worst.first <= date(2025, 7, 14) and summary.worst.last >= date(2025, 9, 17)
    assert len(summary.worst.weeks) <= 10
    # Year to date: 4 school days (8 sessions) in September week 1, then 3 full weeks; 6 missed.
    possible = 2 * len(autumn)
    assert summary.possible == possible
    assert summary.attendance == round(100 * (possible - 6) / possible, 1)
    assert summary.improvement == round(summary.attendance - 70.0, 1)
    assert figures.unauthorised_sessions(school.id, pupil.id, date(2025, 9, 1), TODAY) == 6
    listed = figures.unauthorised_marks(school.id, pupil.id, summary.worst.first, summary.worst.last)
    assert len(listed) == 10 and listed[0] == (date(2025, 7, 14), "AM", "G")


def test_not_possible_sessions_do_not_count_and_persistent_is_90_or_below(app, school, pupil_upn):
    days = generator.school_days(date(2025, 9, 8), date(2025, 9, 19))  # 10 days, 20 sessions

    def code(day, session):
        if day == days[0]:
            return "#"  # planned closure: not a possible session
        if day in days[1:3]:
            return "I"
        return "/" if session == "AM" else "\\"

    assert import_text(school, _marks_text(pupil_upn, days, code), today=TODAY).ok
    pupil = db.session.scalar(db.select(Pupil))
    summary = figures.pupil_summary(school.id, pupil.id, date(2025, 9, 1), TODAY)
    assert summary.possible == 18 and summary.attendance == round(100 * 14 / 18, 1)
    assert summary.persistent and not summary.severe and not summary.penalty_threshold


def test_typed_weeks_count_where_there_are_no_marks_and_can_be_withdrawn(app, school, pupil_upn):
    pupil = db.session.scalar(db.select(Pupil))
    record = operations.type_week(school, None, TODAY, pupil, date(2025, 9, 10), 10, 4, 6)
    db.session.commit()
    summary = figures.pupil_summary(school.id, pupil.id, date(2025, 9, 1), TODAY)
    assert summary.attendance == 40.0 and summary.severe and summary.worst_unauthorised == 6
    with pytest.raises(operations.RegisterError, match="more than the possible"):
        operations.correct_week(school, None, TODAY, record, 10, 11, 0, "typo")
    with pytest.raises(operations.RegisterError, match="Say why"):
        operations.withdraw_week(school, None, TODAY, record, " ")
    operations.correct_week(school, None, TODAY, record, 10, 8, 2, "typed the wrong week")
    db.session.commit()
    assert figures.pupil_summary(school.id, pupil.id, date(2025, 9, 1), TODAY).attendance == 80.0
    operations.withdraw_week(school, None, TODAY, record, "entered for the wrong pupil")
    db.session.commit()
    assert figures.pupil_summary(school.id, pupil.id, date(2025, 9, 1), TODAY).attendance is None
    from checklist_app.audit.models import AuditEvent

    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.record_type == "TypedWeek").order_by(AuditEvent.id))]
    assert actions == ["create", "correct", "withdraw"]
