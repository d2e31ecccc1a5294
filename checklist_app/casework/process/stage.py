"""The stage machine: where a case is in the process, from its letters, meetings and contracts."""

from __future__ import annotations

from checklist_app.casework.enums import (
    ContractStatus,
    LetterStep,
    MeetingKind,
    Stage,
)
from checklist_app.casework.process.facts import CaseFacts


def current_stage(f: CaseFacts) -> Stage:
    """Where the case is (the dashboard filter); later steps win over earlier ones."""
    if f.closed:
        return Stage.CLOSED
    if f.last_issued(LetterStep.LEGAL_REFERRAL):
        return Stage.LEGAL
    if f.last_issued(LetterStep.NOTICE_TO_IMPROVE):
        return Stage.NOTICE_TO_IMPROVE
    active = f.active_contract()
    since = active.signed_on if active else None
    warned = f.last_issued(LetterStep.TERMINATION_WARNING, since)
    if warned and not f.held_reviews(warned):
        return Stage.TERMINATION_WARNING
    if active:
        if f.last_issued(LetterStep.IMPROVED, since):
            return Stage.IMPROVED
        if f.last_issued(LetterStep.REVIEW_INVITE, since) or f.meetings_of(MeetingKind.REVIEW, since):
            return Stage.REVIEW
        return Stage.CONTRACT
    if f.contracts_in(ContractStatus.ENDED):
        return Stage.IMPROVED if f.last_issued(LetterStep.IMPROVED) else Stage.REVIEW
    if f.last_issued(LetterStep.IMPROVED):
        return Stage.IMPROVED
    if f.contracts_in(ContractStatus.DRAFT) or any(
            m.parents_attended for m in f.meetings_of(MeetingKind.CONTRACT)):
        return Stage.CONTRACT_MEETING
    no_shows = f.contract_no_shows()
    if (len(no_shows) >= 2 or f.last_issued(LetterStep.FAILED_TO_ATTEND)
            or f.meetings_of(MeetingKind.PROFESSIONALS)):
        return Stage.FURTHER_SUPPORT
    if no_shows:
        return Stage.SECOND_INVITE
    if f.meetings_of(MeetingKind.CONTRACT) or f.last_issued(LetterStep.INVITE):
        return Stage.INVITED
    return Stage.OPENED
