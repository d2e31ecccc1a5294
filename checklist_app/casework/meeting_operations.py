"""Meetings: scheduling with notice (R11, R12), attendees in full (R25), the outcome and the record
against the pinned meeting definition (R25–R27)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from checklist_app.casework.models import (
    Attendee,
    AttendeeKind,
    Case,
    Contract,
    Meeting,
    MeetingKind,
    MeetingOutcome,
)
from checklist_app.casework.operations import CaseworkError, refresh_stage, refuse_closed
from checklist_app.casework.process import dates
from checklist_app.casework.settings import settings
from checklist_app.checklist_engine.pinning import definition_of, pin
from checklist_app.checklist_engine.registry import registry
from checklist_app.checklist_engine.schema import Definition
from checklist_app.concurrency import check_version
from checklist_app.extensions import db
from checklist_app.formatting import long_date

RECORD_KEYS = {MeetingKind.CONTRACT: "attendance-meeting",
               MeetingKind.PROFESSIONALS: "attendance-meeting",
               MeetingKind.REVIEW: "attendance-review-meeting"}


def schedule_meeting(case: Case, kind: MeetingKind, on: date, at: time | None, location: str,
                     alternative: str, parent_ids: list[int], scheduled_on: date,
                     lead_name: str = "", lead_user_id: int | None = None) -> Meeting:
    """Arrange a meeting and list who is invited; ``scheduled_on`` is today, when it is arranged.

    R11/R12: a contract meeting gives at least one week's notice; R6: it is with a parent or
    carer, never the pupil alone, so at least one parent is invited.
    """
    refuse_closed(case)
    s = settings()
    if kind is MeetingKind.CONTRACT:
        earliest = dates.add_days(scheduled_on, s.notice_days)
        if scheduled_on <= on < earliest:  # a meeting already held may be recorded later
            raise CaseworkError(f"Give at least {s.notice_days} days' notice of a contract meeting: "
                                f"choose {long_date(earliest)} or later.")
        if not parent_ids:
            raise CaseworkError("Invite at least one parent or carer: a contract is never made with "
                                "the pupil alone.")
    snapshot_def = registry().newest_published(RECORD_KEYS[kind])
    meeting = Meeting(school_id=case.school_id, case_id=case.id, kind=kind, meeting_date=on,
                      start_time=at, location=location.strip(), alternative_offered=alternative.strip(),
                      scheduled_on=scheduled_on,
                      record_snapshot=pin(snapshot_def) if snapshot_def else None, record_answers={})
    parents = {p.id: p for p in case.pupil.parents}
    for parent_id in parent_ids:
        parent = parents.get(parent_id)
        if parent is None:
            raise CaseworkError("Choose parents or carers of this pupil.")
        meeting.attendees.append(Attendee(
            school_id=case.school_id, case_id=case.id, name=parent.full_name, kind=AttendeeKind.PARENT,
            role=parent.relationship_to_pupil or "Parent or carer", parent_id=parent.id))
    if lead_name:
        meeting.attendees.append(Attendee(school_id=case.school_id, case_id=case.id, name=lead_name,
                                          role="Attendance lead (lead professional)",
                                          kind=AttendeeKind.STAFF, user_id=lead_user_id))
    db.session.add(meeting)
    refresh_stage(case)
    return meeting


def add_attendee(meeting: Meeting, name: str, role: str, kind: AttendeeKind,
                 parent_id: int | None = None, user_id: int | None = None) -> Attendee:
    """Add someone to a meeting, with name and role written in full (R25)."""
    refuse_closed(meeting.case)
    if len(name.strip().split()) < 2 or not role.strip():
        raise CaseworkError("Write the attendee's full name (first name and surname) and their role "
                            "in full.")
    if kind is AttendeeKind.PARENT:
        parent = next((p for p in meeting.case.pupil.parents if p.id == parent_id), None)
        if parent is None:
            raise CaseworkError("Choose which parent or carer this is.")
    attendee = Attendee(school_id=meeting.school_id, case_id=meeting.case_id, name=name.strip(),
                        role=role.strip(), kind=kind, parent_id=parent_id if kind is AttendeeKind.PARENT
                        else None, user_id=user_id)
    meeting.attendees.append(attendee)
    db.session.flush()
    return attendee


def record_definition(meeting: Meeting) -> Definition | None:
    """The pinned record definition of the meeting (attendance-meeting or the review one)."""
    return definition_of(meeting.record_snapshot) if meeting.record_snapshot else None


def _value(answers: dict[str, Any], item_id: str) -> Any:
    return (answers.get(item_id) or {}).get("value")


def check_record(meeting: Meeting, answers: dict[str, Any], parents_present: bool) -> dict[str, str]:
    """Problems with a held meeting's record, by item id (R25, R26, R27)."""
    s = settings()
    problems: dict[str, str] = {}
    if not _value(answers, "school-agrees-to"):
        problems["school-agrees-to"] = "Record what the school agrees to: the plan has actions for " \
                                       "everyone."
    if parents_present and not _value(answers, "parents-agree-to"):
        problems["parents-agree-to"] = "Record what the parents or carers agree to."
    review = _value(answers, "review-date")
    review_on = date.fromisoformat(review) if review else None
    if meeting.kind is MeetingKind.REVIEW:
        if not _value(answers, "target-met"):
            problems["target-met"] = "Say whether the target was met."
        decision = _value(answers, "decision")
        if not decision:
            problems["decision"] = "Record the decision: a new plan or escalation."
        latest = dates.latest_next_review(meeting.meeting_date, s)
        if decision == "new-plan" and (review_on is None or not
                                       meeting.meeting_date < review_on <= latest):
            problems["review-date"] = (f"Set the next review no more than {s.review_within_weeks} "
                                       f"weeks later: by {long_date(latest)}.")
    else:
        earliest, latest, _ = dates.meeting_review_window(meeting.meeting_date, s)
        if review_on is None or not earliest <= review_on <= latest:
            problems["review-date"] = (f"Set a review date {s.meeting_review_min_weeks}–"
                                       f"{s.meeting_review_max_weeks} weeks after the meeting: between "
                                       f"{long_date(earliest)} and {long_date(latest)}.")
    return problems


def record_meeting(meeting: Meeting, outcome: MeetingOutcome, present_ids: set[int],
                   answers: dict[str, Any], notes: str, version: Any) -> dict[str, str]:
    """Save the outcome, who was there and the record; returns field problems (nothing saved then).

    R6: a contract meeting with no parent present is recorded as "parents did not attend".
    """
    refuse_closed(meeting.case)
    check_version(meeting, version)
    parents_present = any(a.id in present_ids and a.kind is AttendeeKind.PARENT
                          for a in meeting.attendees)
    if outcome is MeetingOutcome.HELD and meeting.kind is MeetingKind.CONTRACT and not parents_present:
        raise CaseworkError("No parent or carer was there: record the meeting as 'Parents did not "
                            "attend'. A contract cannot be made without a parent, nor with the pupil "
                            "alone; hold a professionals meeting instead.")
    if outcome is MeetingOutcome.NOT_ATTENDED and parents_present:
        raise CaseworkError("A parent or carer is marked as present: record the meeting as held.")
    has_contract = db.session.query(Contract.id).filter(Contract.meeting_id == meeting.id).first()
    if has_contract and (outcome is not MeetingOutcome.HELD or not parents_present):
        raise CaseworkError("A contract was made at this meeting, so the parents' attendance cannot "
                            "be changed.")
    if outcome is MeetingOutcome.HELD:
        problems = check_record(meeting, answers, parents_present)
        if problems:
            return problems
    meeting.outcome = outcome
    meeting.notes = (notes or "").strip()
    for attendee in meeting.attendees:
        attendee.present = attendee.id in present_ids
    if outcome is MeetingOutcome.HELD:
        meeting.record_answers = answers
    refresh_stage(meeting.case)
    return {}
