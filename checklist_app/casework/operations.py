"""Casework operations: pupils and parents, opening / editing / closing cases, the contract
checklist, attendance figures and contacts.

Operations take what they act on (the school, the acting user, today's date) as arguments, change
the session and flush; they never commit, never read the request and never abort. The caller (a
view through :mod:`checklist_app.editing`, a CLI command or a job) commits once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from checklist_app import errors
from checklist_app.audit.services import labelled
from checklist_app.auth.models import School
from checklist_app.casework.facts import facts_of
from checklist_app.casework.models import (
    AttendanceFigure,
    Case,
    CaseStatus,
    ClosureReason,
    Contact,
    ContractStatus,
    LetterStatus,
    Parent,
    Pupil,
    Stage,
)
from checklist_app.casework.process.issuing import termination_letter_refusal
from checklist_app.casework.process.stage import current_stage
from checklist_app.checklist_engine.pinning import pin
from checklist_app.checklist_engine.registry import registry
from checklist_app.concurrency import check_version
from checklist_app.extensions import db
from checklist_app.formatting import long_date

CHECKLIST_KEY = "attendance-contract-checklist"


class CaseworkError(errors.Refused):
    """A casework rule refused the change; the message says why in plain words."""


class Locked(CaseworkError, errors.Locked):
    """The case, contract or letter is closed, signed or issued: never changed in place."""


def refuse_closed(case: Case) -> None:
    """Refuse any change to a closed case (its records can be read, never changed)."""
    if case.status is CaseStatus.CLOSED:
        raise Locked("This case is closed: its records can be read but not changed.")


def refresh_stage(case: Case) -> None:
    """Store the stage the rules give, so the dashboard can filter by it."""
    db.session.flush()
    db.session.expire(case, ["meetings", "letters", "contracts", "figures", "contacts"])
    case.stage = current_stage(facts_of(case))


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


def create_pupil(school: School, data: dict[str, Any]) -> Pupil:
    """Add a pupil to ``school``."""
    pupil = Pupil(school_id=school.id)
    _assign(pupil, data, PUPIL_FIELDS)
    db.session.add(pupil)
    db.session.flush()
    return pupil


def update_pupil(pupil: Pupil, data: dict[str, Any], version: Any) -> None:
    """Save a pupil's details (Conflict if someone saved them first)."""
    check_version(pupil, version)
    _assign(pupil, data, PUPIL_FIELDS)
    db.session.flush()


def add_parent(pupil: Pupil, data: dict[str, Any]) -> Parent:
    """Add a parent or carer (who may not live with the pupil)."""
    parent = Parent(school_id=pupil.school_id, pupil_id=pupil.id)
    _assign(parent, data, PARENT_FIELDS)
    db.session.add(parent)
    db.session.flush()
    return parent


def update_parent(parent: Parent, data: dict[str, Any], version: Any) -> None:
    """Save a parent's details."""
    check_version(parent, version)
    _assign(parent, data, PARENT_FIELDS)
    db.session.flush()


# --- cases -----------------------------------------------------------------------------------

def open_case(pupil: Pupil, data: dict[str, Any], today: date) -> Case:
    """Open a case for a pupil with the lead professional, chair, baseline and reason."""
    if any(c.status is CaseStatus.OPEN for c in pupil.cases):
        raise CaseworkError(f"{pupil.full_name} already has an open case.")
    definition = registry().newest_published(CHECKLIST_KEY)
    case = Case(school_id=pupil.school_id, pupil=pupil, lead_user_id=data.get("lead_user_id"),
                chair_name=(data.get("chair_name") or "").strip(),
                baseline_attendance=float(data["baseline_attendance"]),
                reason_for_concern=data["reason_for_concern"].strip(),
                opened_on=data.get("opened_on") or today,
                checklist_snapshot=pin(definition) if definition else None, checklist_answers={})
    db.session.add(case)
    db.session.flush()
    return case


def update_case(case: Case, data: dict[str, Any], version: Any) -> None:
    """Change the lead, chair, baseline or reason for concern."""
    refuse_closed(case)
    check_version(case, version)
    case.lead_user_id = data.get("lead_user_id")
    case.chair_name = (data.get("chair_name") or "").strip()
    case.baseline_attendance = float(data["baseline_attendance"])
    case.reason_for_concern = data["reason_for_concern"].strip()
    db.session.flush()


def save_checklist(case: Case, answers: dict[str, Any], version: Any) -> None:
    """Save the contract checklist answers (R5)."""
    refuse_closed(case)
    check_version(case, version)
    case.checklist_answers = answers
    db.session.flush()


def close_case(case: Case, reason: ClosureReason, rationale: str, closed_on: date,
               letter_ids: list[int]) -> None:
    """Close a case with a reason; each contract in force ends with it, in writing, with the
    letter to its own parent(s) (R10): separated parents each get their own letter."""
    refuse_closed(case)
    if not rationale.strip():
        raise CaseworkError("Give the reason in words: it is put to the parents in writing.")
    if closed_on < case.opened_on:
        raise CaseworkError(f"A case cannot close before it opened ({long_date(case.opened_on)}).")
    chosen = [x for x in case.letters if x.id in set(letter_ids)]
    active = [c for c in case.contracts if c.status is ContractStatus.SIGNED]
    endings = [(contract, closing_letter(contract, reason, chosen)) for contract in active]
    with labelled(db.session, "close", f"{reason.label}: {rationale.strip()}"):
        for contract, letter in endings:
            contract.status = ContractStatus.ENDED
            contract.ended_on = closed_on
            contract.end_reason = reason.value
            contract.end_rationale = rationale.strip()
            contract.end_letter_id = letter.id
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case.closure_reason = reason
        case.closure_rationale = rationale.strip()
        case.stage = Stage.CLOSED
    db.session.flush()


def closing_letter(contract: Any, reason: ClosureReason, chosen: list[Any]) -> Any:
    """R10: the chosen issued letter telling this contract's parent(s) that it has ended."""
    party = {p.id for p in contract.parents}
    names = " and ".join(p.full_name for p in contract.parents) or "the parents"
    mine = [x for x in chosen if not party or x.recipient_parent_id in party]
    if not mine:
        raise CaseworkError(f"A contract with {names} is in force: choose the issued letter to "
                            f"{names} that tells them it has ended and why.")
    refusals = [termination_letter_refusal(reason.value, x.step, x.status is LetterStatus.ISSUED)
                for x in mine]
    if all(refusals):
        raise CaseworkError(refusals[0])
    return mine[refusals.index(None)]


# --- figures and contacts --------------------------------------------------------------------

def add_figure(case: Case, data: dict[str, Any], today: date) -> AttendanceFigure:
    """Record attendance over a period; periods may not overlap, so sessions count once."""
    refuse_closed(case)
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
                              period_end=end, recorded_on=data.get("recorded_on") or today,
                              attendance_percent=round(float(data["attendance_percent"]), 1),
                              unauthorised_sessions=int(data["unauthorised_sessions"] or 0),
                              notes=(data.get("notes") or "").strip())
    db.session.add(figure)
    refresh_stage(case)
    return figure


def add_contact(case: Case, data: dict[str, Any], recorded_by: str,
                today: date | None = None) -> Contact:
    """Record a contact or attempted contact (R23); one entered after its day is "recorded later"
    (``today`` kept as the day it was entered)."""
    refuse_closed(case)
    occurred = data["occurred_at"]
    if isinstance(occurred, date) and not isinstance(occurred, datetime):
        occurred = datetime.combine(occurred, datetime.min.time())
    contact = Contact(school_id=case.school_id, case_id=case.id, occurred_at=occurred,
                      method=data["method"], with_whom=data["with_whom"].strip(),
                      parent_id=data.get("parent_id") or None,
                      with_social_worker=bool(data.get("with_social_worker")),
                      with_attendance_officer=bool(data.get("with_attendance_officer")),
                      recorded_on=today if today and occurred.date() < today else None,
                      made=bool(data.get("made")), outcome=(data.get("outcome") or "").strip(),
                      recorded_by=recorded_by)
    db.session.add(contact)
    db.session.flush()
    return contact


