"""Demo register for ``checklist-app quickstart``: a generated roll and marks from the start of last
school year to today, so a newcomer sees charts and pupils at risk at once. Runs once per school
(it does nothing when the school already has marks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select

from checklist_app.auth.models import School
from checklist_app.extensions import db
from checklist_app.register import generator, importing, operations
from checklist_app.register.atrisk import at_risk_ids
from checklist_app.register.models import SessionMark
from checklist_app.register.parsing import MarksResult, RollRow, parse_date

DEMO_PUPILS = 150


def load_demo(school: School, today: date, report: Callable[[str], None]) -> None:
    """Import a generated roll and register into ``school`` unless it already has marks."""
    if db.session.scalar(select(SessionMark.pupil_id).where(SessionMark.school_id == school.id)
                         .limit(1)) is not None:
        report("Register already has marks: demo register not added again.")
        return
    roll = generator.generate_roll(DEMO_PUPILS, seed=school.id)
    rows = [RollRow(n, r["UPN"], r["Legal Surname"], r["Legal Forename"], parse_date(r["DOB"]),
                    r["Year"], {"send": r["SEN"] == "Y", "free_school_meals": r["FSM"] == "Y",
                                "looked_after": r["Looked After"] == "Y",
                                "medical_needs": r["Medical"] == "Y"})
            for n, r in enumerate(roll, start=2)]
    operations.import_roll(school, None, today, "demo-roll.csv", rows)
    earliest, _latest = importing.importable_dates(today)
    result = MarksResult()
    for upn, day, session, code in generator.generate_marks(
            [r.upn for r in rows], earliest, today - timedelta(days=1), seed=school.id):
        result.marks.setdefault(upn, {})[(day, session)] = code
        result.rows_read += 1
    run = operations.import_marks(school, None, today, "demo-marks.csv", result)
    run.at_risk_pupil_ids = sorted(at_risk_ids(school.id, today))
    db.session.flush()
    report(f"Demo register: {DEMO_PUPILS:,} pupils and {run.marks_written:,} session marks; "
           f"{len(run.at_risk_pupil_ids):,} pupils at risk.")
