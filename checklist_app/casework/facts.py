"""Reads cases from the database into the facts of :mod:`casework.process`, and works out views.

:func:`facts_for_cases` reads many cases at once from the few columns the rules read (the
dashboard): no records are built, and no letter bodies, meeting records or contract agreements are
read; it gives the same :class:`CaseFacts` as :func:`facts_of` of each loaded case. Both read the
figures from the register when the pupil has register data (one fact a school week, attendance
since the case opened), and the typed figures otherwise (:mod:`casework.register_figures`).
:func:`view_of` works out a loaded case's next step, flags and timeline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from checklist_app import clock
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
from checklist_app.casework.process import facts as process_facts
from checklist_app.casework.process.facts import (
    PLAN_SHARED_ANSWER,
    RECORD_FACTS,
    CaseFacts,
    FigureFact,
    LetterFact,
    contact_fact,
    contract_fact,
    meeting_fact,
)
from checklist_app.casework.process.flags import Flag, flags
from checklist_app.casework.process.next_step import NextStep, next_step
from checklist_app.casework.process.progress import TimelineStep, timeline
from checklist_app.casework.register_figures import RegisterFigures, for_cases
from checklist_app.casework.settings import CaseworkSettings, settings
from checklist_app.extensions import db

__all__ = ["CASE_COLUMNS", "CaseView", "StepView", "case_facts", "facts_for_cases", "facts_of",
           "previous_missed_meeting", "record_facts", "view_of", "with_register"]


#: The columns of a case (joined with its pupil) that :func:`case_facts` takes, in order.
CASE_COLUMNS = (Case.opened_on, Case.baseline_attendance, Case.status, Pupil.has_social_worker)
RecordFacts = dict[str, defaultdict[int, list[Any]]]


def record_facts(case_ids: Select[Any], *, contacts: bool = True) -> RecordFacts:
    """The facts of the records of every case ``case_ids`` selects: kind -> case id -> facts.

    Reads only the columns the rules use, one statement per kind of record however many cases:
    the meeting-record answers are picked out in SQL, not loaded whole. Who each meeting and
    contract was made with (separated parents) is left out: the dashboard judges whole cases, and
    :func:`process.scope.whole_case` gives the loaded facts the same shape. Contacts are only read by
    the flags, so a list that shows just the next step may leave them out (``contacts=False``).
    """
    chosen = case_ids.scalar_subquery()
    found: RecordFacts = {kind: defaultdict(list) for kind in
                          ("meetings", "letters", "contracts", "figures", "contacts")}
    answers = [Meeting.record_answers[(answer, "value")].as_string()
               for answer in RECORD_FACTS.values()]
    answers.append(Meeting.record_answers[(PLAN_SHARED_ANSWER, "status")].as_string())
    for case_id, *row in db.session.execute(
            select(Meeting.case_id, Meeting.id, Meeting.kind, Meeting.meeting_date, Meeting.outcome,
                   Meeting.parents_attended, *answers)
            .where(Meeting.case_id.in_(chosen), Meeting.outcome != MeetingOutcome.CANCELLED)
            .order_by(Meeting.meeting_date, Meeting.id)):
        found["meetings"][case_id].append(meeting_fact(*row))
    for case_id, *row in db.session.execute(  # the SQL form of counts_as_issued
            select(Letter.case_id, Letter.step, Letter.issued_on, Letter.meeting_id,
                   Letter.recipient_parent_id)
            .where(Letter.case_id.in_(chosen), Letter.status == LetterStatus.ISSUED,
                   Letter.issued_on.is_not(None)).order_by(Letter.id)):
        found["letters"][case_id].append(LetterFact(*row))
    for case_id, *row in db.session.execute(
            select(Contract.case_id, Contract.id, Contract.status, Meeting.meeting_date,
                   Contract.signed_on, Contract.review_date, Contract.duration_value,
                   Contract.duration_unit, Contract.ended_on)
            .join(Meeting, Contract.meeting_id == Meeting.id)
            .where(Contract.case_id.in_(chosen)).order_by(Contract.id)):
        found["contracts"][case_id].append(contract_fact(*row))
    for case_id, *row in db.session.execute(
            select(AttendanceFigure.case_id, AttendanceFigure.period_start,
                   AttendanceFigure.period_end, AttendanceFigure.attendance_percent,
                   AttendanceFigure.unauthorised_sessions, AttendanceFigure.recorded_on)
            .where(AttendanceFigure.case_id.in_(chosen))
            .order_by(AttendanceFigure.period_end, AttendanceFigure.id)):
        found["figures"][case_id].append(FigureFact(*row))
    if contacts:
        for case_id, *row in db.session.execute(
                select(Contact.case_id, Contact.occurred_at, Contact.method, Contact.made,
                       Contact.with_social_worker, Contact.with_attendance_officer,
                       Contact.parent_id)
                .where(Contact.case_id.in_(chosen)).order_by(Contact.occurred_at, Contact.id)):
            found["contacts"][case_id].append(contact_fact(*row))
    return found


def case_facts(records: RecordFacts, case_id: int, opened_on: date, baseline: float,
               status: CaseStatus, has_social_worker: bool) -> CaseFacts:
    """A case's facts from its :data:`CASE_COLUMNS` and the facts of its records."""
    return process_facts.case_facts(
        opened_on, baseline, status, has_social_worker,
        **{kind: tuple(by_case.get(case_id, ())) for kind, by_case in records.items()})


def with_register(found: CaseFacts, register: RegisterFigures | None) -> CaseFacts:
    """``found`` with the register's figures in place of the typed ones, when there are any."""
    if register is None:
        return found
    return replace(found, figures=register.figures, attendance_now=register.attendance_now)


def facts_of(case: Case) -> CaseFacts:
    """The rules' view of a loaded case, its figures from the register when the pupil has marks."""
    register = for_cases(case.school_id, [(case.id, case.pupil_id, case.opened_on)], clock.today())
    return with_register(process_facts.facts_of(case), register.get(case.id))


def facts_for_cases(case_ids: Select[Any], *, contacts: bool = True) -> dict[int, CaseFacts]:
    """The rules' view of every case ``case_ids`` selects, by case id, from columns only
    (eight statements however many cases of one school; equal to :func:`facts_of` of each)."""
    records = record_facts(case_ids, contacts=contacts)
    rows = db.session.execute(select(Case.id, Case.school_id, Case.pupil_id, *CASE_COLUMNS)
                              .join(Pupil, Case.pupil_id == Pupil.id)
                              .where(Case.id.in_(case_ids.scalar_subquery()))).all()
    by_school: defaultdict[int, list[tuple[int, int, date]]] = defaultdict(list)
    for case_id, school_id, pupil_id, opened_on, *_rest in rows:
        by_school[school_id].append((case_id, pupil_id, opened_on))
    register: dict[int, RegisterFigures] = {}
    for school_id, cases in by_school.items():
        register.update(for_cases(school_id, cases, clock.today()))
    return {case_id: with_register(case_facts(records, case_id, *row), register.get(case_id))
            for case_id, _school, _pupil, *row in rows}


@dataclass
class StepView:
    """A case's facts with its next step worked out as of ``today``."""

    facts: CaseFacts
    next: NextStep | None
    today: date

    @property
    def overdue(self) -> bool:
        return bool(self.next and self.next.overdue(self.today))

    @property
    def latest_percent(self) -> float | None:
        return self.facts.current_attendance()

    @property
    def change(self) -> float | None:
        latest = self.latest_percent
        return None if latest is None else round(latest - self.facts.baseline, 1)


@dataclass
class CaseView(StepView):
    """A case with its next step, flags and timeline worked out (for the case page and letters)."""

    case: Case
    flags: list[Flag]

    def timeline(self) -> list[TimelineStep]:
        """Steps 1–9 with their dates, the next one marked."""
        return timeline(self.facts, self.next)


def view_of(case: Case, today: date, s: CaseworkSettings | None = None) -> CaseView:
    """Work out a case's next step and flags as of ``today``."""
    s = s or settings()
    found = facts_of(case)
    return CaseView(facts=found, next=next_step(found, today, s), today=today, case=case,
                    flags=flags(found, today, s))


def previous_missed_meeting(case: Case, before: Meeting | None) -> Meeting | None:
    """The latest contract meeting the parents missed, before ``before`` if given."""
    missed = [m for m in case.meetings if m.kind is MeetingKind.CONTRACT
              and m.outcome is MeetingOutcome.NOT_ATTENDED
              and (before is None or m.meeting_date < before.meeting_date)]
    return missed[-1] if missed else None
