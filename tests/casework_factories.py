"""Casework test data built on the shared factories: families, cases and a contract meeting the
parents attended, a draft or signed contract."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from typing import Any

from checklist_app.casework import contract_operations, letter_operations, meeting_operations, operations
from checklist_app.casework.models import (
    AttendeeKind,
    Case,
    DurationUnit,
    MeetingKind,
    MeetingOutcome,
    Parent,
    Party,
    Pupil,
)
from checklist_app.extensions import db
from tests.factories import CaseFactory, ParentFactory, PupilFactory

#: The day the casework service tests run on.
ON = date(2027, 1, 15)

_n = itertools.count(1)


def make_pupil(school, first: str = "Zoë", last: str = "Adeyemi", **extra: Any) -> Pupil:
    """:class:`PupilFactory` for ``school`` with the names given positionally."""
    return PupilFactory(school=school, first_name=first, last_name=last, **extra)


def make_parent(pupil: Pupil, first: str = "Funmi", last: str = "Adeyemi", **extra: Any) -> Parent:
    """:class:`ParentFactory` for ``pupil`` with the names given positionally."""
    return ParentFactory(pupil=pupil, first_name=first, last_name=last, **extra)


def make_case(pupil: Pupil, lead=None, baseline: float = 80.0,
              opened_on: date = date(2027, 1, 4)) -> Case:
    """:class:`CaseFactory`: an open case with the contract checklist pinned (committed)."""
    case = CaseFactory(pupil=pupil, lead=lead, baseline_attendance=baseline, opened_on=opened_on)
    db.session.commit()
    return case


def family_case(school, lead=None, parents: int = 1, **case_args: Any) -> tuple[Case, list[Parent]]:
    """A case for a new pupil with ``parents`` parents or carers."""
    pupil = make_pupil(school, last=f"Family{next(_n)}")
    found = [make_parent(pupil, first=name, relationship_to_pupil=role)
             for name, role in (("Funmi", "Mother"), ("Daniel", "Father"))[:parents]]
    if parents > 1:
        found[1].lives_with_pupil = False
    return make_case(pupil, lead, **case_args), found


RECORD = {"school-agrees-to": {"value": "Daily check-in."},
          "parents-agree-to": {"value": "Phone by 8:30 on any absence."}}


def held_meeting(case: Case, parents: list[Parent], on: date = date(2027, 1, 15),
                 kind: MeetingKind = MeetingKind.CONTRACT, present_parents: bool = True,
                 staff: str = "Alex Morgan", answers: dict | None = None):
    """A meeting scheduled a fortnight ahead and recorded as held (or not attended)."""
    meeting = meeting_operations.schedule_meeting(
        case, kind, on, time(9, 0), "Room 2", "By telephone", [p.id for p in parents],
        scheduled_on=on - timedelta(days=14), lead_name=staff)
    present = {a.id for a in meeting.attendees if present_parents or a.kind is not AttendeeKind.PARENT}
    outcome = MeetingOutcome.HELD if present_parents or kind is MeetingKind.PROFESSIONALS \
        else MeetingOutcome.NOT_ATTENDED
    record = {**RECORD, "review-date": {"value": (on + timedelta(weeks=3)).isoformat()}}
    if kind is MeetingKind.REVIEW:
        record.update({"target-met": {"value": "some-improvement"}, "decision": {"value": "new-plan"}})
    problems = meeting_operations.record_meeting(meeting, outcome, present,
                                               answers if answers is not None else record, "",
                                               meeting.version)
    assert problems == {}
    db.session.commit()  # the test is the caller: it commits once, as a view would
    return meeting


def draft_contract(meeting, parents: list[Parent], months: int | None = 3):
    """A draft contract with one agreement per party."""
    contract = contract_operations.create_contract(meeting, [p.id for p in parents], months,
                                                 DurationUnit.MONTHS, None)
    for party in Party:
        contract_operations.add_agreement(contract, party, f"{party.value} agrees", "Owner", None)
    db.session.commit()
    return contract


def signed_contract(meeting, parents: list[Parent]):
    """A contract signed by every parent present and the member of staff."""
    contract = draft_contract(meeting, parents)
    for attendee in meeting.attendees:
        if attendee.kind in (AttendeeKind.PARENT, AttendeeKind.STAFF) and attendee.present:
            contract_operations.sign_contract(contract, attendee.id, meeting.meeting_date)
    db.session.commit()
    return contract


def improved_figure(case, percent=92.0, on=ON):
    """An attendance figure above the case's start, so letter 6 may truthfully be sent."""
    operations.add_figure(case, {"period_start": on - timedelta(days=13),
                                 "period_end": on - timedelta(days=9),
                                 "attendance_percent": percent, "unauthorised_sessions": 0}, on)
    db.session.commit()


def issue(case, key, parent, meeting=None, on=ON):
    """Draft and issue a letter on ``on``."""
    letter = letter_operations.draft_letter(case, key, parent, meeting, on)
    letter_operations.issue_letter(letter, None, on)
    return letter
