"""Casework writes: pupils and parents, opening / editing / closing cases, the contract checklist,
attendance figures and contacts. Every fetch is scoped to the current school."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from checklist_app.audit.services import labelled
from checklist_app.casework import rules
from checklist_app.casework.facts import facts_of
from checklist_app.casework.models import (
    AttendanceFigure,
    Case,
    CaseStatus,
    ClosureReason,
    Contact,
    Contract,
    ContractStatus,
    LetterStatus,
    Parent,
    Pupil,
    Stage,
)
from checklist_app.casework.paging import Pager
from checklist_app.checklist_engine.models import DefinitionSnapshot
from checklist_app.checklist_engine.pinning import definition_of, pin, with_local_items
from checklist_app.checklist_engine.registry import registry
from checklist_app.checklist_engine.schema import Definition
from checklist_app.concurrency import check_version
from checklist_app.extensions import db
from checklist_app.formatting import long_date
from checklist_app.security import current_school

CHECKLIST_KEY = "attendance-contract-checklist"
M = TypeVar("M")


class CaseworkError(ValueError):
    """A rule refused the change; the message says why in plain words (and cites the rule)."""


class Locked(CaseworkError):
    """The record is closed, signed or issued: it is never changed in place."""


# --- scoped fetching -------------------------------------------------------------------------

def scoped(model: type[M], record_id: int) -> M:
    """A record of the current school, or 404 (another school's id looks like a missing one)."""
    record = db.session.scalar(select(model).where(
        model.id == record_id, model.school_id == current_school().id))  # type: ignore[attr-defined]
    if record is None:
        abort(404)
    return record


def case_with_records(case_id: int) -> Case:
    """A case of the current school with everything the case page shows, loaded in a few queries."""
    case = db.session.scalar(_case_query().where(Case.id == case_id,
                                                 Case.school_id == current_school().id))
    if case is None:
        abort(404)
    return case


def child_of(case: Case, model: type[M], record_id: int) -> M:
    """A record that must belong to ``case`` (404 otherwise)."""
    record = scoped(model, record_id)
    if record.case_id != case.id:  # type: ignore[attr-defined]
        abort(404)
    return record


def child_of_pupil(case: Case, model: type[M], record_id: int | None) -> M:
    """A parent (or other pupil record) that must belong to the case's pupil (404 otherwise)."""
    record = scoped(model, record_id or 0)
    if record.pupil_id != case.pupil_id:  # type: ignore[attr-defined]
        abort(404)
    return record


def _case_query():
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


def refresh_stage(case: Case) -> None:
    """Store the stage the rules give, so the dashboard can filter by it."""
    db.session.flush()
    db.session.expire(case, ["meetings", "letters", "contracts", "figures", "contacts"])
    case.stage = rules.current_stage(facts_of(case))


# --- pupils and parents ----------------------------------------------------------------------

PUPIL_FIELDS = ("first_name", "last_name", "date_of_birth", "year_group", "upn",
                "has_social_worker", "social_worker_name", "social_worker_contact")
PARENT_FIELDS = ("title", "first_name", "last_name", "address", "postcode", "relationship_to_pupil",
                 "lives_with_pupil", "parental_responsibility", "phone", "email",
                 "reasonable_adjustments")


def _assign(record: Any, data: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in data:
            value = data[name]
            if value is None and name != "date_of_birth":
                value = ""  # an optional text field left out of the form
            setattr(record, name, value.strip() if isinstance(value, str) else value)


def create_pupil(data: dict[str, Any]) -> Pupil:
    """Add a pupil to the current school."""
    pupil = Pupil(school_id=current_school().id)
    _assign(pupil, data, PUPIL_FIELDS)
    db.session.add(pupil)
    db.session.commit()
    return pupil


def update_pupil(pupil: Pupil, data: dict[str, Any], version: Any) -> None:
    """Save a pupil's details (Conflict if someone saved them first)."""
    check_version(pupil, version)
    _assign(pupil, data, PUPIL_FIELDS)
    db.session.commit()


def add_parent(pupil: Pupil, data: dict[str, Any]) -> Parent:
    """Add a parent or carer (who may not live with the pupil)."""
    parent = Parent(school_id=pupil.school_id, pupil_id=pupil.id)
    _assign(parent, data, PARENT_FIELDS)
    db.session.add(parent)
    db.session.commit()
    return parent


def update_parent(parent: Parent, data: dict[str, Any], version: Any) -> None:
    """Save a parent's details."""
    check_version(parent, version)
    _assign(parent, data, PARENT_FIELDS)
    db.session.commit()


PUPILS_PER_PAGE = 50


def school_pupils(search: str = "", page: int | None = None) -> tuple[list[Pupil], Pager]:
    """One page of the current school's pupils by last name, with their parents' names and cases.

    ``search`` keeps the pupils whose first name, last name or UPN contains every word of it.
    """
    query = select(Pupil).where(Pupil.school_id == current_school().id)
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


# --- cases -----------------------------------------------------------------------------------

def checklist_definition(case: Case) -> Definition:
    """The pinned contract checklist of the case, with the school's local checkpoints (R4, R5)."""
    if case.checklist_snapshot is None:
        raise CaseworkError("This case has no contract checklist.")
    return with_local_items(definition_of(case.checklist_snapshot), case.school_id)


def open_case(pupil: Pupil, data: dict[str, Any]) -> Case:
    """Open a case for a pupil with the lead professional, chair, baseline and reason."""
    if any(c.status is CaseStatus.OPEN for c in pupil.cases):
        raise CaseworkError(f"{pupil.full_name} already has an open case.")
    definition = registry().newest_published(CHECKLIST_KEY)
    case = Case(school_id=pupil.school_id, pupil=pupil, lead_user_id=data.get("lead_user_id"),
                chair_name=(data.get("chair_name") or "").strip(),
                baseline_attendance=float(data["baseline_attendance"]),
                reason_for_concern=data["reason_for_concern"].strip(),
                opened_on=data.get("opened_on") or date.today(),
                checklist_snapshot=pin(definition) if definition else None, checklist_answers={})
    db.session.add(case)
    db.session.commit()
    return case


def update_case(case: Case, data: dict[str, Any], version: Any) -> None:
    """Change the lead, chair, baseline or reason for concern."""
    _refuse_closed(case)
    check_version(case, version)
    case.lead_user_id = data.get("lead_user_id")
    case.chair_name = (data.get("chair_name") or "").strip()
    case.baseline_attendance = float(data["baseline_attendance"])
    case.reason_for_concern = data["reason_for_concern"].strip()
    db.session.commit()


def save_checklist(case: Case, answers: dict[str, Any], version: Any) -> None:
    """Save the contract checklist answers (R5)."""
    _refuse_closed(case)
    check_version(case, version)
    case.checklist_answers = answers
    db.session.commit()


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
    return rules.completion_by_section(_SECTIONS[key], answers or {})


_SECTIONS: dict[tuple[int, str], list[tuple[str, str, list[str]]]] = {}


def close_case(case: Case, reason: ClosureReason, rationale: str, closed_on: date,
               letter_id: int | None) -> None:
    """Close a case with a reason; a contract in force ends with it, in writing (R10)."""
    _refuse_closed(case)
    if not rationale.strip():
        raise CaseworkError("Give the reason in words: it is put to the parents in writing (R10).")
    if closed_on < case.opened_on:
        raise CaseworkError(f"A case cannot close before it opened ({long_date(case.opened_on)}).")
    active = [c for c in case.contracts if c.status is ContractStatus.SIGNED]
    letter = None
    if active:
        letter = next((x for x in case.letters if x.id == letter_id
                       and x.status is LetterStatus.ISSUED), None)
        if letter is None:
            raise CaseworkError("A contract is in force: choose the issued letter that tells the "
                                "parents it has ended and why (R10).")
    with labelled(db.session, "close", f"{reason.label}: {rationale.strip()}"):
        for contract in active:
            contract.status = ContractStatus.ENDED
            contract.ended_on = closed_on
            contract.end_reason = reason.value
            contract.end_rationale = rationale.strip()
            contract.end_letter_id = letter.id if letter else None
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case.closure_reason = reason
        case.closure_rationale = rationale.strip()
        case.stage = Stage.CLOSED
    db.session.commit()


def _refuse_closed(case: Case) -> None:
    if case.status is CaseStatus.CLOSED:
        raise Locked("This case is closed: its records can be read but not changed.")


# --- figures and contacts --------------------------------------------------------------------

def add_figure(case: Case, data: dict[str, Any]) -> AttendanceFigure:
    """Record attendance over a period; periods may not overlap, so sessions count once."""
    _refuse_closed(case)
    start, end = data["period_start"], data["period_end"]
    if end < start:
        raise CaseworkError("The period must end on or after the day it starts.")
    for other in case.figures:
        if other.period_start <= end and start <= other.period_end:
            raise CaseworkError(
                f"This period overlaps the figure for {long_date(other.period_start)} to "
                f"{long_date(other.period_end)}: enter figures for separate periods so unauthorised "
                "sessions are not counted twice.")
    figure = AttendanceFigure(school_id=case.school_id, case_id=case.id, period_start=start,
                              period_end=end, recorded_on=data.get("recorded_on") or date.today(),
                              attendance_percent=round(float(data["attendance_percent"]), 1),
                              unauthorised_sessions=int(data["unauthorised_sessions"] or 0),
                              notes=(data.get("notes") or "").strip())
    db.session.add(figure)
    refresh_stage(case)
    db.session.commit()
    return figure


def add_contact(case: Case, data: dict[str, Any], recorded_by: str) -> Contact:
    """Record a contact or attempted contact (R23)."""
    _refuse_closed(case)
    occurred = data["occurred_at"]
    if isinstance(occurred, date) and not isinstance(occurred, datetime):
        occurred = datetime.combine(occurred, datetime.min.time())
    contact = Contact(school_id=case.school_id, case_id=case.id, occurred_at=occurred,
                      method=data["method"], with_whom=data["with_whom"].strip(),
                      parent_id=data.get("parent_id") or None,
                      with_social_worker=bool(data.get("with_social_worker")),
                      made=bool(data.get("made")), outcome=(data.get("outcome") or "").strip(),
                      recorded_by=recorded_by)
    db.session.add(contact)
    db.session.commit()
    return contact


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

