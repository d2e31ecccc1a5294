"""Letters on a case: a draft generated from the template, edited by staff (R24), then issued and
frozen. Issuing checks the process rules: notice of meetings (R11, R12), a signed contract for the
outcome letter (R14), and a Notice to Improve ends the contract in force (R10, R19)."""

from __future__ import annotations

from datetime import date
from typing import Any

from checklist_app.audit.services import labelled
from checklist_app.casework.contract_operations import end_with_notice_to_improve
from checklist_app.casework.letters import letter_context, letter_templates, render_letter
from checklist_app.casework.models import (
    Case,
    ContractStatus,
    Letter,
    LetterStatus,
    LetterStep,
    Meeting,
    MeetingKind,
    MeetingOutcome,
    Parent,
)
from checklist_app.casework.operations import CaseworkError, Locked, refresh_stage, refuse_closed
from checklist_app.casework.process import dates
from checklist_app.casework.settings import settings
from checklist_app.concurrency import check_version
from checklist_app.extensions import db, utcnow
from checklist_app.formatting import long_date

#: The letters that invite to a meeting, and the kind of meeting each invites to.
INVITE_KINDS = {LetterStep.INVITE: MeetingKind.CONTRACT, LetterStep.SECOND_INVITE: MeetingKind.CONTRACT,
                LetterStep.REVIEW_INVITE: MeetingKind.REVIEW}


def draft_letter(case: Case, key: str, parent: Parent | None, meeting: Meeting | None,
                 letter_date: date) -> Letter:
    """A draft of a process letter for one parent or carer, filled in from the case and dated
    ``letter_date`` (today, unless staff chose another date)."""
    refuse_closed(case)
    template = letter_templates().get(key)
    if template is None:
        raise CaseworkError("Choose a letter.")
    if parent is None:
        raise CaseworkError("Choose the parent or carer the letter is for.")
    if template.needs_meeting:
        wanted = INVITE_KINDS.get(template.step)
        if meeting is None or (wanted and meeting.kind is not wanted):
            kind = wanted.label.lower() if wanted else "meeting"
            raise CaseworkError(f"This letter is about a meeting: choose the {kind} it invites to.")
    body = render_letter(template, letter_context(case, parent, meeting, letter_date=letter_date,
                                                  step=template.step))
    letter = Letter(school_id=case.school_id, case_id=case.id, step=template.step, key=template.key,
                    title=template.title, recipient_parent_id=parent.id,
                    meeting_id=meeting.id if meeting else None, body_markdown=body)
    db.session.add(letter)
    db.session.flush()
    return letter


def _refuse_issued(letter: Letter) -> None:
    if letter.status is LetterStatus.ISSUED:
        raise Locked("This letter has been issued and can no longer be changed. Write a new "
                            "letter if something needs correcting.")


def update_letter(letter: Letter, body: str, version: Any) -> None:
    """Save staff's changes to a draft (R24: letters may be amended for the family's circumstances)."""
    refuse_closed(letter.case)
    _refuse_issued(letter)
    check_version(letter, version)
    if not body.strip():
        raise CaseworkError("The letter cannot be empty.")
    letter.body_markdown = body
    db.session.flush()


def check_can_issue(letter: Letter, on: date) -> None:
    """The process rules for issuing this letter today."""
    case, s = letter.case, settings()
    meeting = letter.meeting
    if letter.step in (LetterStep.INVITE, LetterStep.SECOND_INVITE) and meeting is not None:
        latest = dates.add_days(meeting.meeting_date, -s.notice_days)
        if on > latest:
            raise CaseworkError(f"This invite gives less than {s.notice_days} days' notice of the "
                                f"meeting on {long_date(meeting.meeting_date)}: rearrange the meeting "
                                f"and write a new invite ({letter.step.rule}).")
    missed = [m for m in case.meetings if m.kind is MeetingKind.CONTRACT
              and m.outcome is MeetingOutcome.NOT_ATTENDED]
    if letter.step is LetterStep.SECOND_INVITE and not missed:
        raise CaseworkError("The second invite is sent after a missed contract meeting (R12).")
    if letter.step is LetterStep.FAILED_TO_ATTEND and not missed:
        raise CaseworkError("The failed-to-attend letter is for parents who missed the contract "
                            "meetings (R15).")
    if letter.step is LetterStep.OUTCOME and not any(c.status is ContractStatus.SIGNED
                                                     for c in case.contracts):
        raise CaseworkError("The outcome letter goes with the signed contract: collect the signatures "
                            "first (R14).")


def issue_letter(letter: Letter, user: Any, on: date) -> None:
    """Issue a draft on ``on`` (today) as ``user``: from now on it never changes and shows on the
    case with its date."""
    refuse_closed(letter.case)
    _refuse_issued(letter)
    check_can_issue(letter, on)
    user_id, user_name = getattr(user, "id", None), getattr(user, "name", "")
    with labelled(db.session, "issue", f"Letter {letter.step} issued: {letter.title}"), \
            db.session.no_autoflush:
        letter.status = LetterStatus.ISSUED
        letter.issued_on = on
        letter.issued_at = utcnow()
        letter.issued_by_id = user_id
        letter.issued_by_name = user_name
    if letter.step is LetterStep.NOTICE_TO_IMPROVE:
        end_with_notice_to_improve(letter)
    refresh_stage(letter.case)
