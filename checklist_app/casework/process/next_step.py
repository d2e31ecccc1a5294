"""The next step of the process on a case, its due date and the rule behind it.

:func:`next_step` asks five deciders in order, from the most escalated situation down to a case
with no meeting yet; the first that answers wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checklist_app.casework.enums import ContractStatus, LetterStep, MeetingKind, MeetingOutcome
from checklist_app.casework.process.dates import (
    add_days,
    add_months,
    add_weeks,
    latest_next_review,
    needs_monthly_reviews,
    review_period_weeks,
)
from checklist_app.casework.process.facts import DECISION_ESCALATE, CaseFacts
from checklist_app.casework.process.figures import review_trigger_date
from checklist_app.casework.settings import CaseworkSettings

S = LetterStep


@dataclass(frozen=True)
class NextStep:
    """What to do next on a case, by when, and the rule behind it."""

    step: LetterStep
    text: str
    due: date | None
    rule: str

    def overdue(self, today: date) -> bool:
        """Whether the step was due before ``today``."""
        return self.due is not None and self.due < today


def next_step(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    """The next step of the process and its due date (None once the case is closed)."""
    if f.closed:
        return None
    for decide in (_after_escalation, _with_contract, _after_contract_meeting, _after_no_shows,
                   _before_contract_meeting):
        step = decide(f, today, s)
        if step is not None:
            return step
    return None  # pragma: no cover - _before_contract_meeting always answers


def _after_escalation(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    if f.last_issued(S.LEGAL_REFERRAL):
        return NextStep(S.LEGAL_REFERRAL, "Referral made: keep offering support, record every "
                        "contact and follow the local authority's decision", None, "R20")
    notice = f.last_issued(S.NOTICE_TO_IMPROVE)
    if notice:
        reviewed = f.held_reviews(notice)
        if reviewed:
            return NextStep(S.LEGAL_REFERRAL, "Notice to Improve reviewed: send letter 6 if "
                            "attendance has improved against the start; otherwise, after talking "
                            "to the local authority's attendance officer, consider a referral for "
                            "legal intervention (letter 9)", reviewed[-1].on, "R20")
        return NextStep(S.NOTICE_TO_IMPROVE, "Hold the 3-week Notice to Improve review",
                        add_weeks(notice, s.notice_to_improve_review_weeks), "R19")
    active = f.active_contract()
    warned = f.last_issued(S.TERMINATION_WARNING, active.signed_on if active else None)
    if warned and not f.held_reviews(warned):
        return NextStep(S.NOTICE_TO_IMPROVE, "End of the short review after the termination "
                        "warning: if nothing has changed, issue a Notice to Improve (letter 8)",
                        add_days(warned, s.termination_warning_review_days), "R18")
    return None


def _with_contract(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    active = f.active_contract()
    if active is None:
        return None
    signed = active.signed_on or active.meeting_on
    if not f.last_issued(S.OUTCOME, active.meeting_on):
        return NextStep(S.OUTCOME, "Give the contract outcome letter (letter 4) with the signed "
                        "contract", signed, "R14")
    reviews = f.meetings_of(MeetingKind.REVIEW, signed)
    scheduled = [m for m in reviews if m.outcome is MeetingOutcome.SCHEDULED]
    if scheduled:
        meeting = scheduled[0]
        if not f.invited_to(S.REVIEW_INVITE, meeting):
            return NextStep(S.REVIEW_INVITE, "Send the review meeting invite (letter 7a)",
                            add_days(meeting.on, -s.notice_days), "R17")
        return NextStep(S.REVIEW_INVITE, "Hold the review meeting", meeting.on, "R17")
    held = [m for m in reviews if m.outcome is MeetingOutcome.HELD]
    period_start = held[-1].on if held else signed
    trigger = review_trigger_date(f.figures, period_start)
    if trigger is not None:
        return NextStep(S.REVIEW_INVITE, "6 unauthorised sessions in the review period: arrange a "
                        "review meeting and send letter 7a", trigger, "R13")
    if held:
        last = held[-1]
        if last.decision == DECISION_ESCALATE:
            return NextStep(S.NOTICE_TO_IMPROVE, "The review meeting decided to escalate: consider "
                            "a Notice to Improve (letter 8), keeping an action plan in place",
                            latest_next_review(last.on, s), "R27")
        if last.review_date:
            due = last.review_date
        elif needs_monthly_reviews(active.duration_value, active.duration_unit, s):
            due = add_months(last.on, 1)
        else:
            due = latest_next_review(last.on, s)
        return NextStep(S.REVIEW_INVITE, "Next contract review: compare attendance with the start, "
                        "then letter 6 (improved), 7a (review meeting) or 7b (termination "
                        "warning)", due, "R27")
    due = active.review_date or add_weeks(signed, review_period_weeks(f.baseline, s))
    return NextStep(S.REVIEW_INVITE, "End of the review period: compare attendance with the "
                    "start, then letter 6 (improved), 7a (review meeting) or 7b (termination "
                    "warning)", due, "R13")


def _after_contract_meeting(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    if f.contracts_in(ContractStatus.ENDED) or f.last_issued(S.IMPROVED):
        since = f.last_issued(S.IMPROVED)
        if since:
            return NextStep(S.IMPROVED, "Attendance improved: keep monitoring, and close the case "
                            "when appropriate", add_weeks(since, s.improved_monitoring_weeks), "R16")
        return NextStep(S.IMPROVED, "The contract has ended: decide what happens next or close "
                        "the case", None, "R10")
    drafts = f.contracts_in(ContractStatus.DRAFT)
    attended = [m for m in f.meetings_of(MeetingKind.CONTRACT) if m.parents_attended]
    if drafts or attended:
        on = drafts[-1].meeting_on if drafts else attended[-1].on
        return NextStep(S.CONTRACT, "Complete the contract and collect the signatures of every "
                        "parent present and a member of staff", on, "R7")
    return None


def _after_no_shows(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    no_shows = f.contract_no_shows()
    professionals = f.meetings_of(MeetingKind.PROFESSIONALS)
    if len(no_shows) < 2 and not professionals and not f.last_issued(S.FAILED_TO_ATTEND):
        return None
    start = no_shows[-1].on if no_shows else professionals[0].on
    told = f.last_issued(S.FAILED_TO_ATTEND, start)
    if not told:
        return NextStep(S.FAILED_TO_ATTEND, "Within one week: hold a professionals meeting or make "
                        "an internal support plan, and tell the parents (letter 5)",
                        add_days(start, s.failed_to_attend_action_days), "R15")
    return NextStep(S.NOTICE_TO_IMPROVE, "End of the further 6-week support period: letter 6 if "
                    "attendance has improved; otherwise consider a Notice to Improve (letter 8)",
                    add_weeks(told, s.no_show_support_weeks), "R22")


def _before_contract_meeting(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep:
    no_shows = f.contract_no_shows()
    step, rule = (S.SECOND_INVITE, "R12") if no_shows else (S.INVITE, "R11")
    upcoming = [m for m in f.meetings_of(MeetingKind.CONTRACT)
                if m.outcome is MeetingOutcome.SCHEDULED]
    if upcoming:
        meeting = upcoming[0]
        if not f.invited_to(step, meeting):
            return NextStep(step, f"Send the invite (letter {step}) at least one week before the "
                            "meeting", add_days(meeting.on, -s.notice_days), rule)
        if meeting.on >= today:
            return NextStep(S.CONTRACT, "Hold the contract meeting", meeting.on, rule)
        return NextStep(S.CONTRACT, "Record the outcome of the contract meeting", meeting.on, rule)
    if no_shows:
        return NextStep(S.SECOND_INVITE, "Try to telephone the parents, then arrange a second "
                        "contract meeting and send letter 2",
                        add_days(no_shows[-1].on, s.arrange_meeting_days), "R12")
    return NextStep(S.INVITE, "Arrange a contract meeting and send the invite (letter 1)",
                    add_days(f.opened_on, s.arrange_meeting_days), "R11")
