"""Erasure of a pupil's data and the retention review of pupils and their parents or carers.

Erasure is the one change that reaches into the audit trail: the events about the pupil keep who
did what and when, but their recorded values are removed, and one "erase" event records the
erasure itself without any personal data. Cached PDFs of the pupil's letters and contracts are
deleted too, and on SQLite the freed pages are zeroed (``secure_delete``) and the write-ahead log
is folded into the file and emptied (:func:`wipe_freed_space`), so the text is gone from disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import selectinload

from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import School, User
from checklist_app.casework.enums import CaseStatus
from checklist_app.casework.models import Case, Contract, Letter, Parent, Pupil
from checklist_app.errors import Refused
from checklist_app.extensions import db, utcnow
from checklist_app.formatting import long_date, to_uk
from checklist_app.reporting.cache import remove_cached

DEFAULT_RETENTION_YEARS = 6  # R30: attendance registers are kept for six years


class ErasureError(Refused):
    """The erasure was not carried out; the message says why."""


def _case_tables():
    """Tables holding case records, dependants first (safe deletion order)."""
    return [t for t in reversed(db.metadata.sorted_tables)
            if "case_id" in t.columns and t.name not in ("audit_event",)]


def erase_pupil(school: School, actor: User | None, today: date, pupil_id: int,
                confirmation: str, reason: str) -> dict[str, int]:
    """Delete the pupil, their parents or carers, every case record and cached PDF about them;
    scrub their audit values. Flushes; the caller commits (then calls :func:`wipe_freed_space`)."""
    pupil = db.session.scalar(select(Pupil).where(Pupil.id == pupil_id,
                                                  Pupil.school_id == school.id))
    if pupil is None:
        raise ErasureError("There is no such pupil in this school.")
    if " ".join(confirmation.split()).casefold() != pupil.full_name.casefold():
        raise ErasureError("Type the pupil's full name exactly as shown to confirm the erasure.")
    if len(reason.strip()) < 5:
        raise ErasureError("Give the reason for the erasure (for example the request reference).")
    case_ids = list(db.session.scalars(select(Case.id).where(Case.pupil_id == pupil.id)))
    parent_ids = list(db.session.scalars(select(Parent.id).where(Parent.pupil_id == pupil.id)))
    letter_ids = list(db.session.scalars(select(Letter.id).where(Letter.case_id.in_(case_ids))))
    contract_ids = list(db.session.scalars(select(Contract.id)
                                           .where(Contract.case_id.in_(case_ids))))
    counts = {"cases": len(case_ids), "parents or carers": len(parent_ids)}
    for table in _case_tables():
        if case_ids:
            result = db.session.execute(delete(table).where(table.c.case_id.in_(case_ids)))
            counts[table.name] = result.rowcount
    db.session.execute(delete(Case.__table__).where(Case.id.in_(case_ids or [-1])))
    db.session.execute(delete(Parent.__table__).where(Parent.pupil_id == pupil.id))
    db.session.execute(delete(Pupil.__table__).where(Pupil.id == pupil.id))
    db.session.execute(update(AuditEvent).where(AuditEvent.school_id == school.id, or_(
        (AuditEvent.subject_type == "case") & AuditEvent.subject_id.in_(case_ids or [-1]),
        (AuditEvent.subject_type == "pupil") & (AuditEvent.subject_id == pupil.id),
    )).values(changes={"erased": True}, reason=""))
    # A cached file is only a copy: removing it before the commit loses nothing if it fails.
    counts["cached PDFs"] = remove_cached("letter", letter_ids) + remove_cached("contract",
                                                                                contract_ids)
    db.session.execute(insert(AuditEvent), [{
        "at": utcnow(), "school_id": school.id, "user_id": actor.id if actor else None,
        "user_name": actor.name if actor else "command line",
        "action": "erase", "record_type": "Pupil", "record_id": str(pupil_id),
        "subject_type": None, "subject_id": None,
        "reason": f"{reason.strip()[:480]} ({long_date(today)})",
        "changes": {"erased": {k: [v, 0] for k, v in counts.items() if v}},
    }])
    db.session.flush()
    db.session.expunge(pupil)
    return counts


def wipe_freed_space() -> None:
    """SQLite, after an erasure commits: copy the write-ahead log into the file and empty it.

    With ``secure_delete`` on (see ``checklist_app/__init__.py``) the deleted rows' pages are
    zeroed; this makes the file itself hold the zeroed pages and leaves no old copy in the log.
    PostgreSQL reclaims deleted rows with its own (auto)vacuum.
    """
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            # Straight to the driver: a checkpoint cannot run inside the transaction
            # SQLAlchemy would begin.
            connection.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def retention_years() -> int:
    """How long records are kept after the last activity before they are listed for review."""
    return int(current_app.config.get("RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


@dataclass(frozen=True)
class RetentionEntry:
    """A pupil (with their parents or carers) whose records are past the retention period."""

    pupil: Pupil
    parents: list[Parent]
    basis: str  # why they are listed, in words: "Last case closed 3 March 2019"
    since: date  # the date the period is counted from


def _cutoff(today: date) -> date:
    years = retention_years()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _latest_activity(school_id: int) -> dict[int, date]:
    """Each pupil's latest recorded change (to them, their parents or any of their cases)."""
    latest: dict[int, date] = {}
    about_pupil = (select(AuditEvent.subject_id, func.max(AuditEvent.at))
                   .where(AuditEvent.school_id == school_id, AuditEvent.subject_type == "pupil")
                   .group_by(AuditEvent.subject_id))
    about_case = (select(Case.pupil_id, func.max(AuditEvent.at))
                  .join(Case, (AuditEvent.subject_type == "case")
                        & (AuditEvent.subject_id == Case.id))
                  .where(AuditEvent.school_id == school_id).group_by(Case.pupil_id))
    for query in (about_pupil, about_case):
        for pupil_id, moment in db.session.execute(query):
            if pupil_id is not None and moment is not None:
                day = to_uk(moment).date()
                latest[pupil_id] = max(latest.get(pupil_id, day), day)
    return latest


def retention_due(school_id: int, today: date) -> list[RetentionEntry]:
    """Pupils and their parents or carers with nothing recorded within the retention period,
    oldest first: by the last case's closing date when every case is closed, otherwise by the
    last activity (an open case left untouched, or a pupil who never had a case)."""
    cutoff = _cutoff(today)
    pupils = db.session.scalars(select(Pupil).options(selectinload(Pupil.parents),
                                                      selectinload(Pupil.cases))
                                .where(Pupil.school_id == school_id)).all()
    activity = _latest_activity(school_id)
    entries = []
    for pupil in pupils:
        created = to_uk(pupil.created_at).date() if pupil.created_at else None
        dates = [d for d in (activity.get(pupil.id), created) if d]
        for case in pupil.cases:
            dates += [d for d in (case.opened_on, case.closed_on) if d]
        last = max(dates) if dates else None
        closed = [c.closed_on for c in pupil.cases if c.status is CaseStatus.CLOSED]
        if pupil.cases and all(closed) and len(closed) == len(pupil.cases):
            since = max(max(closed), last or max(closed))
            basis = f"Last case closed on {long_date(max(closed))}"
            if since > max(closed):
                basis += f"; last activity on {long_date(since)}"
        elif any(c.status is CaseStatus.OPEN for c in pupil.cases):
            since, basis = last, "Open case, no activity since"
        elif pupil.cases:
            since, basis = last, "Closed case without a closing date; last activity on"
        else:
            since, basis = last, "No case; last activity on"
        if since is not None and since < cutoff:
            if not basis.startswith("Last case"):
                basis = f"{basis} {long_date(since)}"
            entries.append(RetentionEntry(pupil, list(pupil.parents), basis, since))
    return sorted(entries, key=lambda e: (e.since, e.pupil.last_name, e.pupil.id))
