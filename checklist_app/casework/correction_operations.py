"""Corrections with kept reasons: correct an attendance figure, cancel a meeting, withdraw a draft
letter. Nothing is deleted: each record keeps what it was and why it changed, and the chronology
and the change log show both.

Operations take the record, the acting user's name where it is kept, today's date and the reason;
they change the session and flush, and the caller commits once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checklist_app.audit.services import labelled
from checklist_app.casework.models import (
    AttendanceFigure,
    Letter,
    LetterStatus,
    Meeting,
    MeetingOutcome,
)
from checklist_app.casework.operations import CaseworkError, Locked, refresh_stage, refuse_closed
from checklist_app.concurrency import check_version
from checklist_app.extensions import db
from checklist_app.formatting import long_date

#: The longest reason kept (characters); a longer one is refused with a count, never cut.
REASON_MAX = 1000


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise CaseworkError(f"Give the reason for {what}: it is kept with the record and shown.")
    if len(text) > REASON_MAX:
        raise CaseworkError(f"The reason is {len(text)} characters long: the most is {REASON_MAX}.")
    return text


def correct_figure(figure: AttendanceFigure, percent: float, unauthorised: int, reason: str,
                   version: Any) -> None:
    """Correct a wrongly entered figure; the old values and the reason are kept and shown."""
    refuse_closed(figure.case)
    check_version(figure, version)
    why = _reason(reason, "the correction")
    if not 0 <= percent <= 100:
        raise CaseworkError("Attendance is a percentage between 0 and 100.")
    if unauthorised < 0:
        raise CaseworkError("Unauthorised sessions cannot be fewer than none.")
    was = f"{figure.attendance_percent:.1f}%, {figure.unauthorised_sessions} unauthorised sessions"
    with labelled(db.session, "correct", f"Figure corrected (was {was}): {why}"):
        figure.corrected_from = was[:200]
        figure.correction_reason = why
        figure.attendance_percent = round(float(percent), 1)
        figure.unauthorised_sessions = int(unauthorised)
    refresh_stage(figure.case)


def cancel_meeting(meeting: Meeting, reason: str, version: Any) -> None:
    """Cancel a meeting arranged by mistake or no longer needed; it stays listed with the reason."""
    refuse_closed(meeting.case)
    check_version(meeting, version)
    if meeting.outcome is not MeetingOutcome.SCHEDULED:
        raise CaseworkError(f"The meeting on {long_date(meeting.meeting_date)} has been recorded as "
                            f"{meeting.outcome.label.lower()}: only a meeting still to take place "
                            "can be cancelled.")
    why = _reason(reason, "cancelling the meeting")
    with labelled(db.session, "cancel", f"Meeting cancelled: {why}"):
        meeting.outcome = MeetingOutcome.CANCELLED
        meeting.cancel_reason = why
    refresh_stage(meeting.case)


def withdraw_letter(letter: Letter, reason: str, today: date, version: Any) -> None:
    """Withdraw a draft letter that will not be sent; an issued letter is never withdrawn."""
    refuse_closed(letter.case)
    if letter.status is LetterStatus.ISSUED:
        raise Locked("This letter has been issued: it stays on the case as sent. Write a new letter "
                     "if something needs correcting.")
    check_version(letter, version)
    if letter.withdrawn_on:
        raise CaseworkError("This draft has already been withdrawn.")
    why = _reason(reason, "withdrawing the draft")
    with labelled(db.session, "withdraw", f"Draft letter {letter.step} withdrawn: {why}"):
        letter.withdrawn_on = today
        letter.withdrawn_reason = why
    db.session.flush()
