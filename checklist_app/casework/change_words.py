"""The words of a case's change log: each casework record's field labels (the form labels) and the
few values written in a casework way (percentages, the contact's own clock time, the reason a
contract ended). Used by :mod:`casework.change_log`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checklist_app.audit.readable import NOTHING, text_change
from checklist_app.casework.contract_operations import END_REASONS
from checklist_app.formatting import long_date

LABELS: dict[str, dict[str, str]] = {
    "Pupil": {"first_name": "First name", "last_name": "Last name", "date_of_birth": "Date of birth",
              "year_group": "Year group", "upn": "Unique pupil number (UPN)",
              "has_social_worker": "Has a social worker",
              "social_worker_name": "Social worker's name",
              "social_worker_contact": "Social worker's telephone or e-mail"},
    "Parent": {"title": "Title", "first_name": "First name", "last_name": "Last name",
               "relationship_to_pupil": "Relationship to the pupil", "address": "Address",
               "postcode": "Postcode", "lives_with_pupil": "Lives with the pupil",
               "parental_responsibility": "Has parental responsibility", "phone": "Telephone",
               "email": "E-mail address", "reasonable_adjustments": "Reasonable adjustments"},
    "Case": {"lead_user_id": "Attendance lead (lead professional)",
             "chair_name": "Chair of the contract meeting",
             "baseline_attendance": "Attendance at the start", "reason_for_concern":
             "Reason for concern", "opened_on": "Opened on", "status": "Status", "stage": "Stage",
             "closed_on": "Closed on", "closure_reason": "Reason for closing",
             "closure_rationale": "Rationale"},
    "Meeting": {"kind": "Kind of meeting", "meeting_date": "Date", "start_time": "Time",
                "location": "Location", "alternative_offered": "Alternative offered",
                "scheduled_on": "Arranged on", "outcome": "Outcome", "notes": "Notes",
                "cancel_reason": "Reason for cancelling"},
    "Attendee": {"name": "Full name", "role": "Role", "kind": "Attending as",
                 "present": "Was there"},
    "Contract": {"meeting_id": "Made at", "revision": "Revision", "status": "Status",
                 "duration_value": "Expected duration", "duration_unit": "Unit",
                 "review_date": "Review date", "signed_on": "Signed on", "ended_on": "Ended on",
                 "end_reason": "Reason for ending", "end_rationale": "Rationale",
                 "end_letter_id": "Letter telling the parents"},
    "Agreement": {"party": "Party", "text": "Agreement", "owner": "Owner",
                  "due_on": "Due or review date", "status": "Status"},
    "Signature": {"signer_name": "Signed by", "role": "Role",
                  "on_behalf_of_board": "On behalf of the governing board",
                  "signed_on": "Signed on", "date_reason": "Why not signed at the meeting"},
    "AttendanceFigure": {"period_start": "Period from", "period_end": "Period to",
                         "attendance_percent": "Attendance", "unauthorised_sessions":
                         "Unauthorised sessions in the period", "recorded_on": "Recorded on",
                         "notes": "Notes", "corrected_from": "Before the correction",
                         "correction_reason": "Reason for the correction"},
    "Contact": {"occurred_at": "When", "method": "How", "with_whom": "With whom",
                "made": "Contact made", "with_social_worker": "Told the pupil's social worker",
                "with_attendance_officer": "With the local authority's attendance officer",
                "outcome": "Outcome", "recorded_by": "Recorded by",
                "recorded_on": "Recorded later, on"},
    "Letter": {"title": "Letter", "recipient_parent_id": "To", "meeting_id": "About the meeting",
               "letter_date": "Date on the letter", "body_markdown": "Letter text",
               "status": "Status", "issued_on": "Issued on", "issued_by_name": "Issued by",
               "withdrawn_on": "Withdrawn on", "withdrawn_reason": "Reason for withdrawing"},
}

#: Fields the case's change log leaves out: said in the sentence already, or kept for the app.
SKIP = {"Letter": ("step", "key", "issued_at"), "Contract": ("previous_id",),
        "Case": ("checklist_answers",), "Meeting": ("record_answers",)}


def percent(value: Any) -> str:
    """A stored percentage: 86.5%."""
    try:
        return f"{float(value):.1f}%"
    except (TypeError, ValueError):
        return NOTHING


def both(write: Any) -> Any:
    """A format that writes the value before and after the same way (nothing stays a dash)."""
    return lambda old, new: tuple(NOTHING if v in (None, "") else write(v) for v in (old, new))


def clock_time(value: Any) -> str:
    """A contact's moment as typed: on the school's clock already, so never converted."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.hour or moment.minute:
        return f"{long_date(moment.date())} at {moment:%H:%M}"
    return long_date(moment.date())


def end_reason(value: Any) -> str:
    """Why a contract ended, as the form offers it."""
    return END_REASONS.get(value) or str(value).replace("-", " ").capitalize()


def letter_text(old: Any, new: Any) -> tuple[Any, Any]:
    """A letter's text: its length when drafted (the letter itself is on the case), the passages
    changed when staff edit it."""
    if not old and new:
        return NOTHING, f"Drafted from the letter template ({len(str(new).split())} words)"
    return text_change(old, new)


FORMATS: dict[str, dict[str, Any]] = {
    "Case": {"baseline_attendance": both(percent)},
    "AttendanceFigure": {"attendance_percent": both(percent)},
    "Contact": {"occurred_at": both(clock_time)},
    "Contract": {"end_reason": both(end_reason)},
    "Letter": {"body_markdown": letter_text},
}
