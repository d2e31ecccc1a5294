"""The facts the process rules look at, and how a loaded case (or rows of columns) becomes them.

:class:`CaseFacts` is everything the rules read about one case. :func:`facts_of` builds it from a
case whose records are loaded; the ``*_fact`` builders take the plain column values, so the
database reader (``casework.facts``) and :func:`facts_of` give equal facts. Nothing here opens a
session: reading from the database is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from checklist_app.casework.enums import (
    CaseStatus,
    ContactMethod,
    ContractStatus,
    DurationUnit,
    LetterStatus,
    LetterStep,
    MeetingKind,
    MeetingOutcome,
)

if TYPE_CHECKING:  # pragma: no cover
    from checklist_app.casework.models import Case

#: The meeting-record answers the rules read: fact -> answer id (the value is answers[id]["value"]).
RECORD_FACTS = {"review_date": "review-date", "target_met": "target-met", "decision": "decision"}
#: The meeting-record answer whose completion status says the plan was shared (R26).
PLAN_SHARED_ANSWER = "copy-of-plan-shared"
#: Completion statuses that count as done.
DONE = frozenset({"complete", "yes", "na"})
#: The review-meeting decision (an answer of the review-meeting record) that escalates (R27).
DECISION_ESCALATE = "escalate"


@dataclass(frozen=True)
class MeetingFact:
    """What the rules need of a meeting."""

    id: int
    kind: MeetingKind
    on: date
    outcome: MeetingOutcome
    parents_attended: bool = False
    review_date: date | None = None
    target_met: str | None = None
    decision: str | None = None
    #: The parents the meeting was for; empty when it was for every parent (joint).
    parent_ids: frozenset[int] = frozenset()
    #: R26: whether the record says a copy of the meeting's plan was given to the parents.
    plan_shared: bool = False


@dataclass(frozen=True)
class LetterFact:
    """An issued letter (``issued_on`` is the date on the letter)."""

    step: LetterStep
    issued_on: date
    meeting_id: int | None = None
    #: The parent the letter was addressed to (None: not addressed to one parent).
    parent_id: int | None = None


@dataclass(frozen=True)
class ContractFact:
    """A contract and its status (draft, signed, superseded or ended)."""

    id: int
    status: ContractStatus
    meeting_on: date
    signed_on: date | None = None
    review_date: date | None = None
    duration_value: int | None = None
    duration_unit: DurationUnit = DurationUnit.MONTHS
    #: The parents who made the contract (empty: not known, treated as every parent).
    parent_ids: frozenset[int] = frozenset()
    ended_on: date | None = None


@dataclass(frozen=True)
class FigureFact:
    """Attendance over one period."""

    period_start: date
    period_end: date
    percent: float
    unauthorised: int
    recorded_on: date | None = None


@dataclass(frozen=True)
class ContactFact:
    """A contact or attempted contact."""

    on: date
    method: ContactMethod
    made: bool
    with_social_worker: bool = False
    #: R20: a discussion with the local authority's attendance officer.
    with_attendance_officer: bool = False
    parent_id: int | None = None


@dataclass(frozen=True)
class CaseFacts:
    """Everything the rules look at for one case."""

    opened_on: date
    baseline: float
    closed: bool = False
    has_social_worker: bool = False
    meetings: tuple[MeetingFact, ...] = ()
    letters: tuple[LetterFact, ...] = ()
    contracts: tuple[ContractFact, ...] = ()
    figures: tuple[FigureFact, ...] = ()
    contacts: tuple[ContactFact, ...] = ()
    #: Attendance since the case opened when the register supplies it (else the latest figure's).
    attendance_now: float | None = None

    def last_issued(self, step: LetterStep, since: date | None = None) -> date | None:
        """The latest issue date of a letter of this step (on or after ``since``)."""
        dates = [x.issued_on for x in self.letters
                 if x.step == step and (since is None or x.issued_on >= since)]
        return max(dates) if dates else None

    def invited_to(self, step: LetterStep, meeting: MeetingFact) -> bool:
        """Whether a letter of this step was issued for this meeting."""
        return any(x.step == step and x.meeting_id == meeting.id for x in self.letters)

    def contracts_in(self, status: ContractStatus) -> list[ContractFact]:
        """The contracts of one status, in the order given."""
        return [c for c in self.contracts if c.status is status]

    def active_contract(self) -> ContractFact | None:
        """The signed contract in force, if any."""
        signed = self.contracts_in(ContractStatus.SIGNED)
        return max(signed, key=lambda c: (c.signed_on or c.meeting_on, c.id)) if signed else None

    def meetings_of(self, kind: MeetingKind, since: date | None = None) -> list[MeetingFact]:
        """Meetings of one kind in date order (on or after ``since``)."""
        return sorted((m for m in self.meetings if m.kind is kind
                       and (since is None or m.on >= since)), key=lambda m: (m.on, m.id))

    def held_reviews(self, since: date | None = None) -> list[MeetingFact]:
        """Review meetings held (on or after ``since``), in date order."""
        return [m for m in self.meetings_of(MeetingKind.REVIEW, since)
                if m.outcome is MeetingOutcome.HELD]

    def contract_no_shows(self) -> list[MeetingFact]:
        """Contract meetings the parents did not attend (R11, R12)."""
        return [m for m in self.meetings_of(MeetingKind.CONTRACT)
                if m.outcome is MeetingOutcome.NOT_ATTENDED]

    def latest_figure(self) -> FigureFact | None:
        """The figure whose period ends last, if any."""
        return max(self.figures, key=lambda f: f.period_end) if self.figures else None

    def current_attendance(self) -> float | None:
        """Attendance now (R21, R28): from the register since the case opened when given, else
        the latest figure's."""
        if self.attendance_now is not None:
            return self.attendance_now
        latest = self.latest_figure()
        return latest.percent if latest else None


# --- building facts from column values ----------------------------------------------------------

def meeting_fact(meeting_id: int, kind: MeetingKind, on: date, outcome: MeetingOutcome,
                 parents_attended: bool, review: str | None, target_met: Any,
                 decision: Any, plan_status: Any = None) -> MeetingFact:
    """A meeting's fact from its columns, the record answers of :data:`RECORD_FACTS` and the
    completion status of :data:`PLAN_SHARED_ANSWER`."""
    return MeetingFact(
        id=meeting_id, kind=kind, on=on, outcome=outcome, parents_attended=bool(parents_attended),
        review_date=date.fromisoformat(review) if review else None, target_met=target_met,
        decision=decision, plan_shared=plan_status in DONE)


def record_value(answers: dict[str, Any], fact: str) -> Any:
    """The value of the record answer behind one of :data:`RECORD_FACTS`."""
    return (answers.get(RECORD_FACTS[fact]) or {}).get("value")


def contract_fact(contract_id: int, status: ContractStatus, meeting_on: date,
                  signed_on: date | None, review_date: date | None, duration_value: int | None,
                  duration_unit: DurationUnit, ended_on: date | None = None) -> ContractFact:
    """A contract's fact from its columns (and its meeting's date)."""
    return ContractFact(
        id=contract_id, status=status, meeting_on=meeting_on, signed_on=signed_on,
        review_date=review_date, duration_value=duration_value, duration_unit=duration_unit,
        ended_on=ended_on)


def contact_fact(occurred_at: datetime, method: ContactMethod, made: bool,
                 with_social_worker: bool, with_attendance_officer: bool = False,
                 parent_id: int | None = None) -> ContactFact:
    """A contact's fact from its columns."""
    return ContactFact(occurred_at.date(), method, made, with_social_worker,
                       bool(with_attendance_officer), parent_id)


def counts_as_issued(status: LetterStatus, issued_on: date | None) -> bool:
    """Whether a letter counts for the rules: issued, with its issue date."""
    return status is LetterStatus.ISSUED and issued_on is not None


def case_facts(opened_on: date, baseline: float, status: CaseStatus, has_social_worker: bool,
               **records: tuple[Any, ...]) -> CaseFacts:
    """A case's facts from its own columns and the facts of its records (meetings=..., ...)."""
    return CaseFacts(opened_on=opened_on, baseline=baseline, closed=status is CaseStatus.CLOSED,
                     has_social_worker=has_social_worker, **records)


def facts_of(case: Case) -> CaseFacts:
    """The rules' view of a case (its meetings, letters, contracts, figures and contacts loaded).

    Cancelled meetings are left out. A meeting belongs to the parents among its attendees (none
    named: joint); a contract to the
    parents who made it; a letter to its recipient; a contact to the parent it was with.
    """
    return case_facts(
        case.opened_on, case.baseline_attendance, case.status, case.pupil.has_social_worker,
        meetings=tuple(replace(meeting_fact(
            m.id, m.kind, m.meeting_date, m.outcome, m.parents_attended,
            *(record_value(m.record_answers or {}, fact) for fact in RECORD_FACTS),
            ((m.record_answers or {}).get(PLAN_SHARED_ANSWER) or {}).get("status")),
            parent_ids=frozenset(a.parent_id for a in m.attendees if a.parent_id))
            for m in case.meetings if m.outcome is not MeetingOutcome.CANCELLED),
        letters=tuple(LetterFact(x.step, x.issued_on, x.meeting_id, x.recipient_parent_id)
                      for x in case.letters if counts_as_issued(x.status, x.issued_on)),
        contracts=tuple(replace(contract_fact(
            c.id, c.status, c.meeting.meeting_date, c.signed_on, c.review_date, c.duration_value,
            c.duration_unit, c.ended_on), parent_ids=frozenset(p.id for p in c.parents))
            for c in case.contracts),
        figures=tuple(FigureFact(x.period_start, x.period_end, x.attendance_percent,
                                 x.unauthorised_sessions, x.recorded_on) for x in case.figures),
        contacts=tuple(contact_fact(c.occurred_at, c.method, c.made, c.with_social_worker,
                                    c.with_attendance_officer, c.parent_id)
                       for c in case.contacts),
    )
