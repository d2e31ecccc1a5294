"""The rules of issuing each letter of the process, as pure functions with plain-English refusals.

:func:`issue_refusals` is asked before a letter is issued, with the case's facts narrowed to the
parent the letter is for (:func:`~checklist_app.casework.process.scope.for_parent`), the date on
the letter and the meeting it is about. Each refusal says what is wrong and what to do, in the
school's words: no rule codes (the rule behind each check is named in the comments, for developers).
"""

from __future__ import annotations

import re
from datetime import date

from checklist_app.casework.enums import ClosureReason, LetterStep, MeetingKind, MeetingOutcome
from checklist_app.casework.process.dates import add_days
from checklist_app.casework.process.facts import DECISION_ESCALATE, CaseFacts, MeetingFact
from checklist_app.casework.process.figures import is_improvement
from checklist_app.casework.settings import CaseworkSettings
from checklist_app.formatting import long_date

S = LetterStep
#: The letters that invite to a meeting, and the kind of meeting each invites to.
INVITE_KINDS = {S.INVITE: MeetingKind.CONTRACT, S.SECOND_INVITE: MeetingKind.CONTRACT,
                S.REVIEW_INVITE: MeetingKind.REVIEW}
#: Words staff must replace before a letter can go out: ``[[like this]]``.
PLACEHOLDER = re.compile(r"\[\[(.+?)\]\]", re.S)


def default_invite_step(f: CaseFacts) -> LetterStep:
    """The invite to offer for the next contract meeting: letter 2 once a meeting was missed (R12)."""
    return S.SECOND_INVITE if f.contract_no_shows() else S.INVITE


def notice_days_given(letter_date: date, meeting_on: date) -> int:
    """Days' notice a letter dated ``letter_date`` gives of a meeting on ``meeting_on``."""
    return (meeting_on - letter_date).days


def latest_invite_date(meeting_on: date, s: CaseworkSettings) -> date:
    """R11/R12: the latest date an invite may carry to give a week's notice of the meeting."""
    return add_days(meeting_on, -s.notice_days)


def _notice(step: LetterStep, letter_date: date, meeting: MeetingFact | None,
            s: CaseworkSettings) -> list[str]:
    wanted = INVITE_KINDS.get(step)
    if wanted is None:
        return []
    if meeting is None or meeting.kind is not wanted:
        return [f"Choose the {wanted.label.lower()} this letter invites the parents to."]
    if meeting.outcome is not MeetingOutcome.SCHEDULED:
        return [f"The {meeting.kind.label.lower()} on {long_date(meeting.on)} is no longer "
                "planned: invite the parents to a meeting that is still to take place."]
    if meeting.on <= letter_date:
        return [f"The letter is dated {long_date(letter_date)}, not before the meeting on "
                f"{long_date(meeting.on)}: an invitation must reach the parents before the meeting."]
    days = notice_days_given(letter_date, meeting.on)
    if step in (S.INVITE, S.SECOND_INVITE) and days < s.notice_days:  # R11, R12
        return [f"The letter is dated {long_date(letter_date)}, which gives {days} days' notice "
                f"of the meeting on {long_date(meeting.on)}. Parents must have at least "
                f"{s.notice_days} days' notice: send it by {long_date(latest_invite_date(meeting.on, s))}"
                " or move the meeting to a later date."]
    return []


def _before_contract(step: LetterStep, f: CaseFacts) -> list[str]:
    missed = f.contract_no_shows()
    if step is S.INVITE and missed:  # R12
        return ["A contract meeting has already been missed: invite the parents with the second "
                "invite (letter 2), which mentions the missed meeting."]
    if step in (S.INVITE, S.SECOND_INVITE) and len(missed) >= 2:  # R12, R15
        return ["The parents have missed two contract meetings: rather than a third contract "
                "meeting, hold a professionals meeting and tell the parents (letter 5)."]
    if step is S.SECOND_INVITE and not missed:  # R12
        return ["The second invite is for parents who missed a contract meeting, and none has been "
                "recorded as missed: use the initial invite (letter 1)."]
    if step is S.FAILED_TO_ATTEND and len(missed) < 2 and not f.meetings_of(
            MeetingKind.PROFESSIONALS):  # R15
        return ["The failed-to-attend letter is for parents who missed both contract meetings: "
                "record the missed meetings first."]
    return []


def _with_contract(step: LetterStep, f: CaseFacts) -> list[str]:
    active = f.active_contract()
    if step is S.OUTCOME and active is None:  # R14
        return ["The outcome letter goes with the signed contract: collect the signatures of the "
                "parents present and a member of staff first."]
    if step in (S.REVIEW_INVITE, S.TERMINATION_WARNING) and active is None:  # R17, R18
        return ["This letter is about an attendance contract in force, and this parent has none."]
    if step is S.IMPROVED:  # R16, R21
        latest = f.latest_figure()
        if latest is None:
            return ["Record the latest attendance figure first: the letter says how attendance has "
                    "improved."]
        if not is_improvement(f.baseline, latest.percent):
            return [f"Attendance is {latest.percent:.1f}% now against {f.baseline:.1f}% at the "
                    "start: that is not an improvement, so this letter would not be true."]
    return []


def notice_to_improve_refusals(f: CaseFacts) -> list[str]:
    """R18, R22, R27: a Notice to Improve follows a warning, an escalation, or letter 5 (no contract)."""
    active = f.active_contract()
    if active is not None:
        signed = active.signed_on or active.meeting_on
        warned = f.last_issued(S.TERMINATION_WARNING, signed)
        escalated = any(m.decision == DECISION_ESCALATE for m in f.held_reviews(signed))
        if warned or escalated:
            return []
        return ["While a contract is in force, a Notice to Improve follows a termination warning "
                "(letter 7b) or a review meeting that decided to escalate: send the warning or hold "
                "the review first."]
    if f.last_issued(S.FAILED_TO_ATTEND) or f.last_issued(S.TERMINATION_WARNING):
        return []
    return ["A Notice to Improve comes after the parents have been warned: with a contract, the "
            "termination warning (letter 7b); without one, the failed-to-attend letter (letter 5) "
            "and the further support period."]


def referral_refusals(f: CaseFacts, letter_date: date) -> list[str]:
    """R20: a referral only after a Notice to Improve and a talk with the LA's attendance officer."""
    notice = f.last_issued(S.NOTICE_TO_IMPROVE)
    if notice is None:
        return ["A referral for legal intervention comes after a Notice to Improve (letter 8) to "
                "this parent: issue the notice and hold its review first."]
    talked = [c.on for c in f.contacts if c.with_attendance_officer and c.made
              and notice <= c.on <= letter_date]
    if not talked:
        return [f"Record your discussion with the local authority's attendance officer (a contact "
                f"after the Notice to Improve of {long_date(notice)}) before referring for legal "
                "intervention."]
    return []


def issue_refusals(step: LetterStep, f: CaseFacts, letter_date: date, today: date,
                   s: CaseworkSettings, meeting: MeetingFact | None = None,
                   body: str = "") -> list[str]:
    """Why this letter may not be issued now (empty when it may); ``f`` is narrowed to its parent."""
    found: list[str] = []
    if f.closed:
        found.append("This case is closed: its letters can be read but no new letter is issued.")
    if letter_date > today:
        found.append(f"The letter is dated {long_date(letter_date)}, after today: issue it on the "
                     "day it is sent.")
    placeholders = PLACEHOLDER.findall(body)
    if placeholders:
        found.append("Replace the words in double square brackets before issuing: "
                     + "; ".join(p.strip() for p in placeholders) + ".")
    found += _notice(step, letter_date, meeting, s)
    found += _before_contract(step, f)
    found += _with_contract(step, f)
    if step is S.NOTICE_TO_IMPROVE:
        found += notice_to_improve_refusals(f)
    if step is S.LEGAL_REFERRAL:
        found += referral_refusals(f, letter_date)
    return found


#: R10: the letters that can tell parents in writing that a contract ends, by the reason it ends.
TERMINATION_LETTERS: dict[str, frozenset[LetterStep]] = {
    "non-compliance": frozenset({S.NOTICE_TO_IMPROVE}),
    ClosureReason.ATTENDANCE_IMPROVED.value: frozenset({S.IMPROVED, S.CONTRACT_ENDED}),
    ClosureReason.LEGAL_INTERVENTION.value: frozenset({S.NOTICE_TO_IMPROVE, S.LEGAL_REFERRAL}),
}
#: Any other reason (changed school, home education, another plan, exceptional circumstances).
OTHER_TERMINATION_LETTERS = frozenset({S.CONTRACT_ENDED})


def _short(step: LetterStep) -> str:
    return step.label.split(" (")[0]


def termination_letter_refusal(reason: str, step: LetterStep, issued: bool) -> str | None:
    """R10: whether a letter can be the written notice that a contract ends for ``reason``."""
    allowed = TERMINATION_LETTERS.get(reason, OTHER_TERMINATION_LETTERS)
    names = " or ".join(f"letter {x} ({_short(x)})" for x in sorted(allowed, key=list(S).index))
    if not issued:
        return f"Issue the letter first: the parents are told in writing, with {names}."
    if step not in allowed:
        return (f"Letter {step} ({_short(step)}) does not tell the parents that the contract "
                f"has ended: use {names}.")
    return None
