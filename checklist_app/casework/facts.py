"""Reads a loaded case into the plain facts the rules work on, and answers questions about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checklist_app.casework import rules
from checklist_app.casework.models import (
    Case,
    CaseStatus,
    LetterStatus,
    Meeting,
    MeetingKind,
    MeetingOutcome,
)
from checklist_app.casework.settings import CaseworkSettings, settings


def _meeting_fact(meeting: Meeting) -> rules.MeetingFact:
    answers = meeting.record_answers or {}
    review = (answers.get("review-date") or {}).get("value")
    return rules.MeetingFact(
        id=meeting.id, kind=meeting.kind, on=meeting.meeting_date, outcome=meeting.outcome,
        parents_attended=meeting.parents_attended,
        review_date=date.fromisoformat(review) if review else None,
        target_met=(answers.get("target-met") or {}).get("value"),
        decision=(answers.get("decision") or {}).get("value"))


def facts_of(case: Case) -> rules.CaseFacts:
    """The rules' view of a case (its meetings, letters, contracts, figures and contacts loaded)."""
    return rules.CaseFacts(
        opened_on=case.opened_on, baseline=case.baseline_attendance,
        closed=case.status is CaseStatus.CLOSED,
        has_social_worker=case.pupil.has_social_worker,
        meetings=tuple(_meeting_fact(m) for m in case.meetings),
        letters=tuple(rules.LetterFact(x.step, x.issued_on, x.meeting_id) for x in case.letters
                      if x.status is LetterStatus.ISSUED and x.issued_on),
        contracts=tuple(rules.ContractFact(
            id=c.id, status=c.status.value, meeting_on=c.meeting.meeting_date, signed_on=c.signed_on,
            review_date=c.review_date, duration_value=c.duration_value,
            duration_unit=c.duration_unit.value) for c in case.contracts),
        figures=tuple(rules.FigureFact(x.period_start, x.period_end, x.attendance_percent,
                                       x.unauthorised_sessions, x.recorded_on) for x in case.figures),
        contacts=tuple(rules.ContactFact(c.occurred_at.date(), c.method.value, c.made,
                                         c.with_social_worker) for c in case.contacts),
    )


@dataclass
class CaseView:
    """A case with its next step, flags and timeline worked out (for the case page and dashboard)."""

    case: Case
    facts: rules.CaseFacts
    next: rules.NextStep | None
    flags: list[rules.Flag]
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

    def timeline(self) -> list[rules.TimelineStep]:
        return rules.timeline(self.facts, self.next)


def view_of(case: Case, today: date, s: CaseworkSettings | None = None) -> CaseView:
    """Work out a case's next step and flags as of ``today``."""
    s = s or settings()
    found = facts_of(case)
    return CaseView(case, found, rules.next_step(found, today, s), rules.flags(found, today, s), today)


def previous_missed_meeting(case: Case, before: Meeting | None) -> Meeting | None:
    """The latest contract meeting the parents missed, before ``before`` if given."""
    missed = [m for m in case.meetings if m.kind is MeetingKind.CONTRACT
              and m.outcome is MeetingOutcome.NOT_ATTENDED
              and (before is None or m.meeting_date < before.meeting_date)]
    return missed[-1] if missed else None
