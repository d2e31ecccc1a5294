"""Casework reads: the school's pupils, a case with its records, the contract checklist and its
completion, and the chronology. Nothing here writes or reads the request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from checklist_app.auth.models import School
from checklist_app.casework.models import Case, Contract, LetterStatus, Parent, Pupil
from checklist_app.casework.operations import CaseworkError
from checklist_app.casework.paging import Pager
from checklist_app.casework.process.progress import completion_by_section
from checklist_app.checklist_engine.models import DefinitionSnapshot
from checklist_app.checklist_engine.pinning import definition_of, with_local_items
from checklist_app.checklist_engine.schema import Definition
from checklist_app.extensions import db


def case_query():
    """A select of cases with everything the case page shows, loaded in a few queries."""
    from checklist_app.casework.models import Meeting

    return select(Case).options(
        joinedload(Case.pupil).selectinload(Pupil.parents), joinedload(Case.lead),
        joinedload(Case.school), selectinload(Case.checklist_snapshot),
        selectinload(Case.meetings).selectinload(Meeting.attendees),
        selectinload(Case.letters),
        selectinload(Case.contracts).selectinload(Contract.agreements),
        selectinload(Case.contracts).selectinload(Contract.signatures),
        selectinload(Case.contracts).selectinload(Contract.parents),
        selectinload(Case.figures), selectinload(Case.contacts))


PUPILS_PER_PAGE = 50


def school_pupils(school: School, search: str = "",
                  page: int | None = None) -> tuple[list[Pupil], Pager]:
    """One page of the school's pupils by last name, with their parents' names and cases.

    ``search`` keeps the pupils whose first name, last name or UPN contains every word of it.
    """
    query = select(Pupil).where(Pupil.school_id == school.id)
    for word in search.split():
        query = query.where(or_(*(column.icontains(word, autoescape=True) for column in (
            Pupil.first_name, Pupil.last_name, Pupil.upn))))
    pager = Pager.of(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0,
                     page, PUPILS_PER_PAGE)
    pupils = db.session.scalars(query.options(
        selectinload(Pupil.parents).load_only(Parent.first_name, Parent.last_name),
        selectinload(Pupil.cases).load_only(Case.status))
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
        .offset(pager.offset).limit(pager.per_page))
    return list(pupils), pager


def checklist_definition(case: Case) -> Definition:
    """The pinned contract checklist of the case, with the school's local checkpoints (R4, R5)."""
    if case.checklist_snapshot is None:
        raise CaseworkError("This case has no contract checklist.")
    return with_local_items(definition_of(case.checklist_snapshot), case.school_id)


def checklist_completion(case: Case) -> list[tuple[str, str, int, int]]:
    """R5: done / total per stage of the case's contract checklist."""
    return completion_of(case.checklist_snapshot, case.checklist_answers)


def completion_of(snapshot: DefinitionSnapshot | None,
                  answers: dict[str, Any] | None) -> list[tuple[str, str, int, int]]:
    """R5: done / total per stage of a pinned checklist with these answers.

    Only the snapshot's id and hash are needed once its sections are known, so a list may load the
    snapshot without its content (it is then read once, the first time).
    """
    if snapshot is None:
        return []
    key = (snapshot.id, snapshot.content_hash)
    if key not in _SECTIONS:  # snapshots never change, so their sections are parsed once
        _SECTIONS[key] = [(s.id, s.title, [i.id for i in s.items if not i.withdrawn])
                          for s in definition_of(snapshot).sections]
    return completion_by_section(_SECTIONS[key], answers or {})


_SECTIONS: dict[tuple[int, str], list[tuple[str, str, list[str]]]] = {}


def chronology(case: Case) -> list[tuple[datetime | date, str, str]]:
    """One list, newest first, of contacts, meetings, letters, figures and audit events (R23, R30)."""
    from checklist_app.audit.models import AuditEvent
    from checklist_app.formatting import long_date, to_uk

    def moment(value: datetime | date) -> datetime:
        if isinstance(value, datetime):
            return to_uk(value).replace(tzinfo=None)
        return datetime.combine(value, datetime.min.time())

    rows: list[tuple[datetime | date, str, str]] = []
    for c in case.contacts:
        rows.append((c.occurred_at, "Contact", f"{c.method.label} {'with' if c.made else 'attempted: '} "
                     f"{c.with_whom}{' (social worker)' if c.with_social_worker else ''}. {c.outcome}"))
    for m in case.meetings:
        rows.append((m.meeting_date, "Meeting", f"{m.kind.label}: {m.outcome.label}"))
    for x in case.letters:
        if x.status is LetterStatus.ISSUED and x.issued_at:
            rows.append((x.issued_at, "Letter", f"Letter {x.step} issued: {x.title}"))
    for f in case.figures:
        rows.append((f.recorded_on, "Attendance", f"{f.attendance_percent:.1f}% for "
                     f"{long_date(f.period_start)} to {long_date(f.period_end)}, "
                     f"{f.unauthorised_sessions} unauthorised sessions"))
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id,
        AuditEvent.school_id == case.school_id).order_by(AuditEvent.at))
    for e in events:
        changed = ", ".join(sorted(e.changes)) if e.changes else ""
        rows.append((e.at, "Change", f"{e.user_name}: {e.action} {_words(e.record_type)}"
                     + (f" ({changed})" if changed and e.action == "update" else "")
                     + (f" – {e.reason}" if e.reason else "")))
    rows.sort(key=lambda r: moment(r[0]), reverse=True)
    return rows


def _words(record_type: str) -> str:
    names = {"AttendanceFigure": "attendance figure", "Case": "case"}
    return names.get(record_type, record_type.lower())

