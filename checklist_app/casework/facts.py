"""Reads cases into the plain facts the rules work on, and answers questions about them.

Two readers give the same :class:`rules.CaseFacts`: :func:`facts_of` from one case whose records are
loaded (the case page, letters, saving), and :func:`facts_for_cases` for many cases at once from the
few columns the rules read (the dashboard): no records are built, and no letter bodies, meeting
records or contract agreements are read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select

from checklist_app.casework import rules
from checklist_app.casework.models import (
    AttendanceFigure,
    Case,
    CaseStatus,
    Contact,
    Contract,
    Letter,
    LetterStatus,
    Meeting,
    MeetingKind,
    MeetingOutcome,
    Pupil,
)
from checklist_app.casework.settings import CaseworkSettings, settings
from checklist_app.extensions import db

#: The meeting-record answers the rules read: fact -> answer id (the value is answers[id]["value"]).
RECORD_FACTS = {"review_date": "review-date", "target_met": "target-met", "decision": "decision"}


def _meeting_fact(meeting_id: int, kind: MeetingKind, on: date, outcome: MeetingOutcome,
                  parents_attended: bool, review: str | None, target_met: Any,
                  decision: Any) -> rules.MeetingFact:
    return rules.MeetingFact(
        id=meeting_id, kind=kind, on=on, outcome=outcome, parents_attended=bool(parents_attended),
        review_date=date.fromisoformat(review) if review else None, target_met=target_met,
        decision=decision)


def _record_value(answers: dict[str, Any], fact: str) -> Any:
    return (answers.get(RECORD_FACTS[fact]) or {}).get("value")


def _contract_fact(contract_id: int, status: Any, meeting_on: date, signed_on: date | None,
                   review_date: date | None, duration_value: int | None,
                   duration_unit: Any) -> rules.ContractFact:
    return rules.ContractFact(
        id=contract_id, status=status.value, meeting_on=meeting_on, signed_on=signed_on,
        review_date=review_date, duration_value=duration_value, duration_unit=duration_unit.value)


def _contact_fact(occurred_at: datetime, method: Any, made: bool,
                  with_social_worker: bool) -> rules.ContactFact:
    return rules.ContactFact(occurred_at.date(), method.value, made, with_social_worker)


def _counts_as_issued(status: LetterStatus, issued_on: date | None) -> bool:
    return status is LetterStatus.ISSUED and issued_on is not None


def facts_of(case: Case) -> rules.CaseFacts:
    """The rules' view of a case (its meetings, letters, contracts, figures and contacts loaded)."""
    return rules.CaseFacts(
        opened_on=case.opened_on, baseline=case.baseline_attendance,
        closed=case.status is CaseStatus.CLOSED,
        has_social_worker=case.pupil.has_social_worker,
        meetings=tuple(_meeting_fact(
            m.id, m.kind, m.meeting_date, m.outcome, m.parents_attended,
            *(_record_value(m.record_answers or {}, fact) for fact in RECORD_FACTS))
            for m in case.meetings),
        letters=tuple(rules.LetterFact(x.step, x.issued_on, x.meeting_id) for x in case.letters
                      if _counts_as_issued(x.status, x.issued_on)),
        contracts=tuple(_contract_fact(
            c.id, c.status, c.meeting.meeting_date, c.signed_on, c.review_date, c.duration_value,
            c.duration_unit) for c in case.contracts),
        figures=tuple(rules.FigureFact(x.period_start, x.period_end, x.attendance_percent,
                                       x.unauthorised_sessions, x.recorded_on) for x in case.figures),
        contacts=tuple(_contact_fact(c.occurred_at, c.method, c.made, c.with_social_worker)
                       for c in case.contacts),
    )


#: The columns of a case (joined with its pupil) that :func:`case_facts` takes, in order.
CASE_COLUMNS = (Case.opened_on, Case.baseline_attendance, Case.status, Pupil.has_social_worker)
RecordFacts = dict[str, defaultdict[int, list[Any]]]


def record_facts(case_ids: Select[Any], *, contacts: bool = True) -> RecordFacts:
    """The facts of the records of every case ``case_ids`` selects: kind -> case id -> facts.

    Reads only the columns the rules use, one statement per kind of record however many cases:
    the meeting-record answers are picked out in SQL, not loaded whole. Contacts are only read by
    the flags, so a list that shows just the next step may leave them out (``contacts=False``).
    """
    chosen = case_ids.scalar_subquery()
    found: RecordFacts = {kind: defaultdict(list) for kind in
                          ("meetings", "letters", "contracts", "figures", "contacts")}
    answers = [Meeting.record_answers[(answer, "value")].as_string()
               for answer in RECORD_FACTS.values()]
    for case_id, *row in db.session.execute(
            select(Meeting.case_id, Meeting.id, Meeting.kind, Meeting.meeting_date, Meeting.outcome,
                   Meeting.parents_attended, *answers)
            .where(Meeting.case_id.in_(chosen)).order_by(Meeting.meeting_date, Meeting.id)):
        found["meetings"][case_id].append(_meeting_fact(*row))
    for case_id, *row in db.session.execute(  # the SQL form of _counts_as_issued
            select(Letter.case_id, Letter.step, Letter.issued_on, Letter.meeting_id)
            .where(Letter.case_id.in_(chosen), Letter.status == LetterStatus.ISSUED,
                   Letter.issued_on.is_not(None)).order_by(Letter.id)):
        found["letters"][case_id].append(rules.LetterFact(*row))
    for case_id, *row in db.session.execute(
            select(Contract.case_id, Contract.id, Contract.status, Meeting.meeting_date,
                   Contract.signed_on, Contract.review_date, Contract.duration_value,
                   Contract.duration_unit)
            .join(Meeting, Contract.meeting_id == Meeting.id)
            .where(Contract.case_id.in_(chosen)).order_by(Contract.id)):
        found["contracts"][case_id].append(_contract_fact(*row))
    for case_id, *row in db.session.execute(
            select(AttendanceFigure.case_id, AttendanceFigure.period_start,
                   AttendanceFigure.period_end, AttendanceFigure.attendance_percent,
                   AttendanceFigure.unauthorised_sessions, AttendanceFigure.recorded_on)
            .where(AttendanceFigure.case_id.in_(chosen))
            .order_by(AttendanceFigure.period_end, AttendanceFigure.id)):
        found["figures"][case_id].append(rules.FigureFact(*row))
    if contacts:
        for case_id, *row in db.session.execute(
                select(Contact.case_id, Contact.occurred_at, Contact.method, Contact.made,
                       Contact.with_social_worker)
                .where(Contact.case_id.in_(chosen)).order_by(Contact.occurred_at, Contact.id)):
            found["contacts"][case_id].append(_contact_fact(*row))
    return found


def case_facts(records: RecordFacts, case_id: int, opened_on: date, baseline: float,
               status: CaseStatus, has_social_worker: bool) -> rules.CaseFacts:
    """A case's facts from its :data:`CASE_COLUMNS` and the facts of its records."""
    return rules.CaseFacts(
        opened_on=opened_on, baseline=baseline, closed=status is CaseStatus.CLOSED,
        has_social_worker=has_social_worker,
        **{kind: tuple(by_case.get(case_id, ())) for kind, by_case in records.items()})


def facts_for_cases(case_ids: Select[Any], *, contacts: bool = True) -> dict[int, rules.CaseFacts]:
    """The rules' view of every case ``case_ids`` selects, by case id, from columns only
    (six statements, however many cases; equal to :func:`facts_of` of each case)."""
    records = record_facts(case_ids, contacts=contacts)
    rows = db.session.execute(select(Case.id, *CASE_COLUMNS).join(Pupil, Case.pupil_id == Pupil.id)
                              .where(Case.id.in_(case_ids.scalar_subquery())))
    return {case_id: case_facts(records, case_id, *row) for case_id, *row in rows}


@dataclass
class StepView:
    """A case's facts with its next step worked out as of ``today``."""

    facts: rules.CaseFacts
    next: rules.NextStep | None
    today: date

    @property
    def overdue(self) -> bool:
        return bool(self.next and self.next.overdue(self.today))

    @property
    def latest_percent(self) -> float | None:
        latest = self.facts.latest_figure()
        return latest.percent if latest else None

    @property
    def change(self) -> float | None:
        latest = self.latest_percent
        return None if latest is None else round(latest - self.facts.baseline, 1)


@dataclass
class CaseView(StepView):
    """A case with its next step, flags and timeline worked out (for the case page and letters)."""

    case: Case
    flags: list[rules.Flag]

    def timeline(self) -> list[rules.TimelineStep]:
        return rules.timeline(self.facts, self.next)


def view_of(case: Case, today: date, s: CaseworkSettings | None = None) -> CaseView:
    """Work out a case's next step and flags as of ``today``."""
    s = s or settings()
    found = facts_of(case)
    return CaseView(facts=found, next=rules.next_step(found, today, s), today=today, case=case,
                    flags=rules.flags(found, today, s))


def previous_missed_meeting(case: Case, before: Meeting | None) -> Meeting | None:
    """The latest contract meeting the parents missed, before ``before`` if given."""
    missed = [m for m in case.meetings if m.kind is MeetingKind.CONTRACT
              and m.outcome is MeetingOutcome.NOT_ATTENDED
              and (before is None or m.meeting_date < before.meeting_date)]
    return missed[-1] if missed else None
