"""Letters on a case: a draft generated from the template and dated, edited by staff (R24), then
issued and frozen, or withdrawn with a reason. Issuing checks the rules of the letter's step for its
parent (:mod:`casework.process.issuing`); a Notice to Improve ends that parent's contract (R10, R19)."""

from __future__ import annotations

from datetime import date
from typing import Any

from checklist_app.audit.services import labelled
from checklist_app.casework.contract_operations import end_with_notice_to_improve
from checklist_app.casework.letters import letter_context, letter_templates, render_letter
from checklist_app.casework.models import (
    Case,
    Letter,
    LetterStatus,
    LetterStep,
    Meeting,
    MeetingKind,
    Parent,
)
from checklist_app.casework.operations import CaseworkError, Locked, refresh_stage, refuse_closed
from checklist_app.casework.process.facts import MeetingFact, facts_of
from checklist_app.casework.process.issuing import issue_refusals
from checklist_app.casework.process.scope import for_parent
from checklist_app.casework.settings import settings
from checklist_app.concurrency import check_version
from checklist_app.extensions import db, utcnow

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
                    title=template.title, recipient_parent_id=parent.id, letter_date=letter_date,
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
    if letter.withdrawn_on:
        raise Locked("This draft was withdrawn: write a new letter instead.")
    check_version(letter, version)
    if not body.strip():
        raise CaseworkError("The letter cannot be empty.")
    letter.body_markdown = body
    db.session.flush()


def issue_refusals_for(letter: Letter, today: date) -> list[str]:
    """Why this letter may not be issued today (empty when it may), from the rules of its step.

    The rules look at the case as the letter's parent sees it (their own and joint records), the
    date on the letter (notice is counted from it) and the meeting it is about.
    """
    found = ["This draft was withdrawn: write a new letter instead."] if letter.withdrawn_on else []
    mine = for_parent(facts_of(letter.case), letter.recipient_parent_id)
    m = letter.meeting
    meeting = MeetingFact(m.id, m.kind, m.meeting_date, m.outcome) if m is not None else None
    return found + issue_refusals(letter.step, mine, letter.letter_date or today, today, settings(),
                                  meeting, letter.body_markdown)


def issue_letter(letter: Letter, user: Any, on: date) -> None:
    """Issue a draft on ``on`` (today) as ``user``: from now on it never changes and shows on the
    case with its date."""
    refuse_closed(letter.case)
    _refuse_issued(letter)
    refusals = issue_refusals_for(letter, on)
    if refusals:
        raise CaseworkError(" ".join(refusals))
    user_id, user_name = getattr(user, "id", None), getattr(user, "name", "")
    with labelled(db.session, "issue", f"Letter {letter.step} issued: {letter.title}"), \
            db.session.no_autoflush:
        letter.status = LetterStatus.ISSUED
        letter.issued_on = letter.letter_date or on
        letter.issued_at = utcnow()
        letter.issued_by_id = user_id
        letter.issued_by_name = user_name
    if letter.step is LetterStep.NOTICE_TO_IMPROVE:
        end_with_notice_to_improve(letter)
    refresh_stage(letter.case)
