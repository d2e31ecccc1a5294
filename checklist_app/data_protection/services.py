"""Erasure of a pupil's data and the list of closed cases due for a retention review.

Erasure is the one change that reaches into the audit trail: the events about the pupil keep who
did what and when, but their recorded values are removed, and one "erase" event records the
erasure itself without any personal data.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import joinedload

from checklist_app.audit.models import AuditEvent
from checklist_app.audit.services import current_actor
from checklist_app.casework.enums import CaseStatus
from checklist_app.casework.models import Case, Parent, Pupil
from checklist_app.extensions import db, utcnow

DEFAULT_RETENTION_YEARS = 6  # R30: attendance registers are kept for six years


class ErasureError(ValueError):
    """The erasure was not carried out; the message says why."""


def _case_tables():
    """Tables holding case records, dependants first (safe deletion order)."""
    return [t for t in reversed(db.metadata.sorted_tables)
            if "case_id" in t.columns and t.name not in ("audit_event",)]


def erase_pupil(school_id: int, pupil_id: int, confirmation: str, reason: str) -> dict[str, int]:
    """Delete the pupil, their parents or carers and every case record; scrub their audit values."""
    pupil = db.session.scalar(select(Pupil).where(Pupil.id == pupil_id,
                                                  Pupil.school_id == school_id))
    if pupil is None:
        raise ErasureError("There is no such pupil in this school.")
    if " ".join(confirmation.split()).casefold() != pupil.full_name.casefold():
        raise ErasureError("Type the pupil's full name exactly as shown to confirm the erasure.")
    if len(reason.strip()) < 5:
        raise ErasureError("Give the reason for the erasure (for example the request reference).")
    case_ids = list(db.session.scalars(select(Case.id).where(Case.pupil_id == pupil.id)))
    parent_ids = list(db.session.scalars(select(Parent.id).where(Parent.pupil_id == pupil.id)))
    counts = {"cases": len(case_ids), "parents or carers": len(parent_ids)}
    for table in _case_tables():
        if case_ids:
            result = db.session.execute(delete(table).where(table.c.case_id.in_(case_ids)))
            counts[table.name] = result.rowcount
    db.session.execute(delete(Case.__table__).where(Case.id.in_(case_ids or [-1])))
    db.session.execute(delete(Parent.__table__).where(Parent.pupil_id == pupil.id))
    db.session.execute(delete(Pupil.__table__).where(Pupil.id == pupil.id))
    db.session.execute(update(AuditEvent).where(AuditEvent.school_id == school_id, or_(
        (AuditEvent.subject_type == "case") & AuditEvent.subject_id.in_(case_ids or [-1]),
        (AuditEvent.subject_type == "pupil") & (AuditEvent.subject_id == pupil.id),
    )).values(changes={"erased": True}, reason=""))
    user_id, user_name = current_actor()
    db.session.execute(insert(AuditEvent), [{
        "at": utcnow(), "school_id": school_id, "user_id": user_id, "user_name": user_name,
        "action": "erase", "record_type": "Pupil", "record_id": str(pupil_id),
        "subject_type": None, "subject_id": None, "reason": reason.strip()[:500],
        "changes": {"erased": {k: [v, 0] for k, v in counts.items() if v}},
    }])
    db.session.flush()
    return counts


def retention_years() -> int:
    """How long closed cases are kept before they are listed for review (a setting)."""
    return int(current_app.config.get("RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


def retention_due(school_id: int, today: date) -> list[Case]:
    """Closed cases whose closing date is older than the retention period on ``today``, oldest
    first."""
    years = retention_years()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    return list(db.session.scalars(
        select(Case).options(joinedload(Case.pupil)).where(Case.school_id == school_id,
                                            Case.status == CaseStatus.CLOSED,
                                            Case.closed_on < cutoff)
        .order_by(Case.closed_on)))
