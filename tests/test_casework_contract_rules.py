"""Casework services for contracts: who may make and sign them, locking, ending them (R6–R10)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from checklist_app.audit.models import AuditEvent
from checklist_app.casework import contract_operations, letter_operations, meeting_operations, operations
from checklist_app.casework.models import (
    AgreementStatus,
    AttendeeKind,
    ClosureReason,
    ContractStatus,
    DurationUnit,
    MeetingKind,
    MeetingOutcome,
    Party,
    Stage,
)
from checklist_app.extensions import db
from tests.casework_factories import (
    ON,
    draft_contract,
    family_case,
    held_meeting,
    improved_figure,
    issue,
    signed_contract,
)
from tests.factories import UserFactory


@pytest.fixture
def school_name():
    return "Oakfield Primary"


@pytest.fixture
def lead(school):
    return UserFactory(school=school, role="attendance_lead", name="Alex Morgan")


# --- R6: no contract without a parent ---------------------------------------------------------

def test_r6_no_contract_when_no_parent_attended(school, lead):
    """R6: if no parent attends, no contract; the meeting is 'parents did not attend'."""
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum], present_parents=False)
    assert meeting.outcome is MeetingOutcome.NOT_ATTENDED and not meeting.parents_attended
    with pytest.raises(operations.CaseworkError, match="No parent or carer attended"):
        contract_operations.create_contract(meeting, [mum.id], 3, DurationUnit.MONTHS, None)
    assert case.contracts == []


def test_r6_contract_meeting_cannot_be_recorded_held_without_a_parent(school, lead):
    """R6: a contract meeting with only staff and the pupil present is not 'held' with parents."""
    case, (mum,) = family_case(school, lead)
    meeting = meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, ON, time(9), "Room 1", "",
                                                [mum.id], scheduled_on=ON - timedelta(days=14),
                                                lead_name="Alex Morgan")
    pupil = meeting_operations.add_attendee(meeting, "Zoë Adeyemi", "Pupil", AttendeeKind.PUPIL)
    staff = next(a for a in meeting.attendees if a.kind is AttendeeKind.STAFF)
    with pytest.raises(operations.CaseworkError, match="pupil alone"):
        meeting_operations.record_meeting(meeting, MeetingOutcome.HELD, {pupil.id, staff.id},
                                        {}, "", meeting.version)
    with pytest.raises(operations.CaseworkError, match="never made with the pupil alone"):
        meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, ON, None, "Room 1", "", [],
                                          scheduled_on=ON - timedelta(days=14))


def test_r6_only_a_professionals_meeting_record_after_parents_did_not_attend(school, lead):
    """R6/R12: after no-shows, a professionals meeting is recorded without contract paperwork."""
    case, (mum,) = family_case(school, lead)
    held_meeting(case, [mum], ON, present_parents=False)
    held_meeting(case, [mum], ON + timedelta(weeks=2), present_parents=False)
    professionals = held_meeting(case, [], ON + timedelta(weeks=3), kind=MeetingKind.PROFESSIONALS,
                                 answers={"school-agrees-to": {"value": "Support plan"},
                                          "review-date": {"value": (ON + timedelta(weeks=6))
                                                          .isoformat()}})
    assert professionals.outcome is MeetingOutcome.HELD
    with pytest.raises(operations.CaseworkError):
        contract_operations.create_contract(professionals, [mum.id], 3, DurationUnit.MONTHS, None)
    assert case.stage is Stage.FURTHER_SUPPORT


# --- R7: signatures ----------------------------------------------------------------------------

def test_r7_every_parent_present_and_a_member_of_staff_sign_then_locked(school, lead):
    """R7: all parents present and at least one member of staff sign; then the contract locks."""
    case, (mum, dad) = family_case(school, lead, parents=2)
    meeting = held_meeting(case, [mum, dad])
    contract = draft_contract(meeting, [mum, dad])
    mum_attendee = next(a for a in meeting.attendees if a.parent_id == mum.id)
    contract_operations.sign_contract(contract, mum_attendee.id, ON)
    staff = next(a for a in meeting.attendees if a.kind is AttendeeKind.STAFF)
    assert contract_operations.sign_contract(contract, staff.id, ON) is False
    assert contract.status is ContractStatus.DRAFT
    assert contract_operations.missing_signatures(contract) == [f"{dad.full_name} (parent or carer)"]
    dad_attendee = next(a for a in meeting.attendees if a.parent_id == dad.id)
    assert contract_operations.sign_contract(contract, dad_attendee.id, ON) is True
    assert contract.status is ContractStatus.SIGNED and contract.locked
    assert contract.signed_on == ON
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id)))
    assert {"sign", "lock"} <= actions


def test_r7_only_people_present_may_sign(school, lead):
    """R7: nobody who did not witness the contract being made signs it."""
    case, (mum, dad) = family_case(school, lead, parents=2)
    meeting = meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, ON, None, "Room", "",
                                                [mum.id, dad.id], scheduled_on=ON - timedelta(days=14),
                                                lead_name="Alex Morgan")
    absent_head = meeting_operations.add_attendee(meeting, "Helen Carter", "Headteacher",
                                                AttendeeKind.STAFF)
    pupil = meeting_operations.add_attendee(meeting, "Zoë Family", "Pupil", AttendeeKind.PUPIL)
    mum_a = next(a for a in meeting.attendees if a.parent_id == mum.id)
    dad_a = next(a for a in meeting.attendees if a.parent_id == dad.id)
    staff = next(a for a in meeting.attendees if a.name == "Alex Morgan")
    answers = {"school-agrees-to": {"value": "x"}, "parents-agree-to": {"value": "y"},
               "review-date": {"value": (ON + timedelta(weeks=3)).isoformat()}}
    assert meeting_operations.record_meeting(meeting, MeetingOutcome.HELD, {mum_a.id, staff.id, pupil.id},
                                           answers, "", meeting.version) == {}
    with pytest.raises(operations.CaseworkError, match="present at the meeting can be parties"):
        draft_contract(meeting, [mum, dad])
    contract = draft_contract(meeting, [mum])
    for attendee in (absent_head, dad_a):
        with pytest.raises(operations.CaseworkError, match="present"):
            contract_operations.sign_contract(contract, attendee.id, ON)
    with pytest.raises(operations.CaseworkError, match="school staff on behalf"):
        contract_operations.sign_contract(contract, pupil.id, ON)  # the pupil does not sign
    assert contract_operations.sign_contract(contract, mum_a.id, ON) is False
    assert contract_operations.sign_contract(contract, staff.id, ON) is True
    assert [s.signer_name for s in contract.signatures] == [mum.full_name, "Alex Morgan"]
    assert contract.signatures[1].on_behalf_of_board


def test_r7_locked_contract_refuses_changes_and_revision_at_review(school, lead):
    """R7: a signed contract is locked; changes at a review make a new revision."""
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum])
    contract = signed_contract(meeting, [mum])
    with pytest.raises(operations.Locked):
        contract_operations.add_agreement(contract, Party.SCHOOL, "More", "", None)
    with pytest.raises(operations.Locked):
        contract_operations.update_agreement(contract.agreements[0], {
            "text": "changed", "status": "done"}, contract.agreements[0].version)
    review = held_meeting(case, [mum], ON + timedelta(weeks=5), kind=MeetingKind.REVIEW)
    revision = contract_operations.revise_contract(contract, review)
    assert (revision.revision, revision.previous_id, revision.status) == (2, contract.id,
                                                                          ContractStatus.DRAFT)
    assert contract.status is ContractStatus.SIGNED  # in force until the revision is signed
    assert [a.text for a in revision.agreements] == [a.text for a in contract.agreements]
    contract_operations.update_agreement(revision.agreements[0], {
        "text": revision.agreements[0].text, "status": "done"}, revision.agreements[0].version)
    for attendee in review.attendees:
        contract_operations.sign_contract(revision, attendee.id, review.meeting_date)
    assert revision.status is ContractStatus.SIGNED
    assert contract.status is ContractStatus.SUPERSEDED
    with pytest.raises(operations.CaseworkError, match="in force"):
        contract_operations.revise_contract(contract, review)


# --- R8, R9 ----------------------------------------------------------------------------------

def test_r8_duration_is_stated_before_signing(school, lead):
    """R8: each contract states its expected timescale."""
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum])
    contract = draft_contract(meeting, [mum], months=None)
    with pytest.raises(operations.CaseworkError, match="how long the contract"):
        contract_operations.sign_contract(contract, meeting.attendees[0].id, ON)
    assert contract.duration_text == "Not stated"
    contract_operations.update_contract(contract, [mum.id], 1, DurationUnit.MONTHS, None,
                                      contract.version)
    assert contract.duration_text == "1 month"


def test_r9_complete_and_not_applicable_agreements_stay_listed(school, lead):
    """R9: completed or no-longer-relevant actions are struck through, never deleted."""
    case, (mum,) = family_case(school, lead)
    contract = draft_contract(held_meeting(case, [mum]), [mum])
    first, second = contract.agreements[:2]
    contract_operations.update_agreement(first, {"text": first.text, "status": "done"}, first.version)
    contract_operations.update_agreement(second, {"text": second.text, "status": "not-applicable"},
                                       second.version)
    assert len(contract.agreements) == len(Party)
    assert first.struck and second.struck and not contract.agreements[2].struck
    assert first.status is AgreementStatus.DONE
    assert not hasattr(contract_operations, "delete_agreement")


# --- R10 -------------------------------------------------------------------------------------

def test_r10_ending_a_contract_needs_the_rationale_in_writing(school, lead):
    """R10: termination is put to parents in writing with the rationale."""
    case, (mum,) = family_case(school, lead)
    contract = signed_contract(held_meeting(case, [mum]), [mum])
    with pytest.raises(operations.CaseworkError, match="rationale"):
        contract_operations.end_contract(contract, "changed-school", " ", None, ON)
    with pytest.raises(operations.CaseworkError, match="in writing"):
        contract_operations.end_contract(contract, "changed-school", "Moved away", None, ON)
    improved_figure(case)
    improved = issue(case, "attendance-improved", mum, on=ON + timedelta(weeks=6))
    with pytest.raises(operations.CaseworkError, match=r"letter 8 \(Notice to Improve\)"):
        contract_operations.end_contract(contract, "non-compliance", "Not working", improved.id, ON)
    contract_operations.end_contract(contract, "attendance-improved", "Attendance is now 96%",
                                   improved.id, ON + timedelta(weeks=6))
    assert contract.status is ContractStatus.ENDED and contract.end_letter_id == improved.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "end contract"))
    assert "Attendance is now 96%" in event.reason


def test_r10_r19_notice_to_improve_ends_the_contract(school, lead):
    """R19 (and R10): issuing a Notice to Improve ends the contract, the letter being the writing."""
    case, (mum,) = family_case(school, lead)
    contract = signed_contract(held_meeting(case, [mum]), [mum])
    with pytest.raises(operations.CaseworkError, match="termination warning"):
        issue(case, "notice-to-improve", mum, on=ON + timedelta(weeks=6))
    issue(case, "termination-warning", mum, on=ON + timedelta(weeks=6))
    notice = issue(case, "notice-to-improve", mum, on=ON + timedelta(weeks=8))
    assert contract.status is ContractStatus.ENDED and contract.end_reason == "non-compliance"
    assert contract.end_letter_id == notice.id
    assert case.stage is Stage.NOTICE_TO_IMPROVE
    assert "three weeks" in notice.body_markdown


def test_r10_closing_a_case_with_a_contract_in_force(school, lead):
    """R10: closure reasons; a contract in force ends with the case, in writing."""
    case, (mum,) = family_case(school, lead)
    contract = signed_contract(held_meeting(case, [mum]), [mum])
    with pytest.raises(operations.CaseworkError, match="choose the issued letter to"):
        operations.close_case(case, ClosureReason.CHANGED_SCHOOL, "Moved to Leeds", ON, [])
    improved_figure(case)
    wrong = issue(case, "attendance-improved", mum, on=ON)
    with pytest.raises(operations.CaseworkError, match="does not tell the parents"):
        operations.close_case(case, ClosureReason.CHANGED_SCHOOL, "Moved to Leeds", ON, [wrong.id])
    ended = letter_operations.draft_letter(case, "contract-ended", mum, None, ON)
    with pytest.raises(operations.CaseworkError, match="double square brackets"):
        letter_operations.issue_letter(ended, None, ON)
    letter_operations.update_letter(ended, ended.body_markdown.replace(
        "[[Write here why, in a few sentences the family will understand.]]",
        "Zoë has moved to a school in Leeds."), ended.version)
    letter_operations.issue_letter(ended, None, ON)
    operations.close_case(case, ClosureReason.CHANGED_SCHOOL, "Moved to Leeds", ON, [ended.id])
    assert case.stage is Stage.CLOSED and contract.status is ContractStatus.ENDED
    assert contract.end_reason == "changed-school"
    with pytest.raises(operations.Locked):
        operations.add_figure(case, {"period_start": ON, "period_end": ON, "attendance_percent": 90,
                                   "unauthorised_sessions": 0}, ON)
    assert {r.value for r in ClosureReason} == {
        "attendance-improved", "changed-school", "elective-home-education", "alternative-plan",
        "exceptional-circumstances", "legal-intervention"}
