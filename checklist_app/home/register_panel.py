"""The attendance lead's "new pupils at risk" panel: pupils who crossed a threshold since the
last register import, from what the register's at-risk page computes, in a fixed number of
statements (the school's weekly figures, the roll, the last two imports, open cases)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from checklist_app.auth.models import School
from checklist_app.casework.enums import CaseStatus
from checklist_app.casework.models import Case
from checklist_app.extensions import db
from checklist_app.register.atrisk import at_risk
from checklist_app.register.importing import last_marks_import

LIST_LIMIT = 10


def new_at_risk_panel(school: School, today: date) -> dict[str, Any] | None:
    """The new pupils at risk (up to 10, lowest attendance first), how many there are, how many
    are at risk in all, and each listed pupil's open case; ``None`` before any marks import."""
    last_import = last_marks_import(school.id)
    if last_import is None:
        return None
    rows = at_risk(school.id, today)
    new = [row for row in rows if row.new]
    shown = new[:LIST_LIMIT]
    open_cases: dict[int, int] = {}
    if shown:
        open_cases = dict(db.session.execute(select(Case.pupil_id, Case.id).where(
            Case.school_id == school.id, Case.status == CaseStatus.OPEN,
            Case.pupil_id.in_([row.entry.pupil.id for row in shown]))).all())
    return {"last_import": last_import.at, "new": shown, "new_total": len(new),
            "at_risk_total": len(rows), "open_cases": open_cases}
