"""Attendance contracts: made only with a parent present (R6), signed by every parent present and a
member of staff (R7), duration stated (R8), agreements struck through never deleted (R9), ended in
writing with the rationale (R10), and revised at a review as a new revision."""

from __future__ import annotations

from datetime import date
from typing import Any

from checklist_app.audit.services import labelled
from checklist_app.casework.models import (
    Agreement,
    AgreementStatus,
    AttendeeKind,
    Contract,
    ContractStatus,
    DurationUnit,
    Letter,
    LetterStatus,
    Meeting,
    MeetingKind,
    Party,
)
from checklist_app.casework.operations import CaseworkError, Locked, refresh_stage, refuse_closed
from checklist_app.casework.process.issuing import termination_letter_refusal
from checklist_app.casework.process.plan import plan_agreements
from checklist_app.casework.process.signatures import signature_date_refusal, signature_note
from checklist_app.concurrency import check_version
from checklist_app.extensions import db
from checklist_app.formatting import long_date

END_REASONS = {
    "non-compliance": "Not working: parents not engaging (Notice to Improve)",
    "attendance-improved": "Attendance improved",
    "changed-school": "Changed school",
    "elective-home-education": "Elective home education",
    "alternative-plan": "Another plan now addresses the barriers",
    "exceptional-circumstances": "Exceptional circumstances",
}


def present_parents(meeting: Meeting) -> dict[int, Any]:
    """Parents or carers recorded as present at the meeting, by parent id."""
    return {a.parent_id: a for a in meeting.attendees
            if a.present and a.kind is AttendeeKind.PARENT and a.parent_id}


def _check_parties(meeting: Meeting, parent_ids: list[int]) -> list[Any]:
    """R6: parties are parents present at the meeting, and there is at least one."""
    if not meeting.parents_attended:
        raise CaseworkError("No parent or carer attended this meeting, so a contract cannot be made. "
                            "Record a professionals meeting instead.")
    present = present_parents(meeting)
    if not parent_ids:
        raise CaseworkError("Choose the parent or carer (or both, jointly) the contract is with: a "
                            "contract is never made with the pupil alone.")
    if any(pid not in present for pid in parent_ids):
        raise CaseworkError("Only parents or carers present at the meeting can be parties.")
    by_id = {p.id: p for p in meeting.case.pupil.parents}
    return [by_id[pid] for pid in parent_ids]


def _check_review_date(meeting: Meeting, review_date: date | None) -> None:
    if review_date is not None and review_date < meeting.meeting_date:
        raise CaseworkError("The review date must be on or after the meeting "
                            f"({long_date(meeting.meeting_date)}).")


def create_contract(meeting: Meeting, parent_ids: list[int], duration_value: int | None,
                    duration_unit: DurationUnit, review_date: date | None, *,
                    carry_plan: bool = False) -> Contract:
    """A draft contract from a contract meeting a parent attended (R6); with ``carry_plan`` the
    meeting's action plan becomes its agreements (still editable before anyone signs)."""
    refuse_closed(meeting.case)
    if meeting.kind is not MeetingKind.CONTRACT:
        raise CaseworkError("A contract is made at a contract meeting; a review makes a new revision.")
    parents = _check_parties(meeting, parent_ids)
    _check_review_date(meeting, review_date)
    for other in meeting.case.contracts:
        if other.meeting_id == meeting.id and {p.id for p in other.parents} & set(parent_ids):
            raise CaseworkError("A contract from this meeting already includes that parent or carer.")
    contract = Contract(school_id=meeting.school_id, case_id=meeting.case_id, meeting=meeting,
                        duration_value=duration_value, duration_unit=duration_unit,
                        review_date=review_date, parents=parents)
    if carry_plan:
        for party, text in plan_agreements(meeting.record_answers or {}):
            contract.agreements.append(Agreement(school_id=meeting.school_id,
                                                 case_id=meeting.case_id, party=party, text=text))
    db.session.add(contract)
    refresh_stage(meeting.case)
    return contract


def _refuse_locked(contract: Contract) -> None:
    refuse_closed(contract.case)
    if contract.locked:
        raise Locked("This contract has been signed and is locked. Changes are made at a "
                            "review, as a new revision.")


def update_contract(contract: Contract, parent_ids: list[int], duration_value: int | None,
                    duration_unit: DurationUnit, review_date: date | None, version: Any) -> None:
    """Change a draft's parties, duration or review date."""
    _refuse_locked(contract)
    check_version(contract, version)
    contract.parents = _check_parties(contract.meeting, parent_ids)
    _check_review_date(contract.meeting, review_date)
    contract.duration_value = duration_value
    contract.duration_unit = duration_unit
    contract.review_date = review_date
    db.session.flush()


def add_agreement(contract: Contract, party: Party, text: str, owner: str,
                  due_on: date | None) -> Agreement:
    """Add what a party agrees to, with an owner and a due or review date."""
    _refuse_locked(contract)
    if not text.strip():
        raise CaseworkError("Write what is agreed.")
    agreement = Agreement(school_id=contract.school_id, case_id=contract.case_id, party=party,
                          text=text.strip(), owner=owner.strip(), due_on=due_on)
    contract.agreements.append(agreement)
    db.session.flush()
    return agreement


def update_agreement(agreement: Agreement, data: dict[str, Any], version: Any) -> None:
    """Change an agreement of a draft; complete / not applicable ones stay listed, struck (R9)."""
    _refuse_locked(agreement.contract)
    check_version(agreement, version)
    agreement.text = data["text"].strip()
    agreement.owner = (data.get("owner") or "").strip()
    agreement.due_on = data.get("due_on")
    agreement.status = AgreementStatus(data["status"])
    db.session.flush()


def missing_signatures(contract: Contract) -> list[str]:
    """R7: who still has to sign: every parent party present, and at least one member of staff."""
    signed_parents = {s.parent_id for s in contract.signatures if s.parent_id}
    missing = [f"{p.full_name} (parent or carer)" for p in contract.parents
               if p.id not in signed_parents]
    if not any(s.on_behalf_of_board for s in contract.signatures):
        missing.append("a member of school staff, on behalf of the governing board")
    return missing


def signable_attendees(contract: Contract) -> list[Any]:
    """People present at the contract's meeting who may sign it and have not yet (R7)."""
    signed = {s.attendee_id for s in contract.signatures}
    party_ids = {p.id for p in contract.parents}
    return [a for a in contract.meeting.attendees if a.present and a.id not in signed and (
        a.kind is AttendeeKind.STAFF or (a.kind is AttendeeKind.PARENT and a.parent_id in party_ids))]


def sign_contract(contract: Contract, attendee_id: int, signed_on: date | None, *,
                  today: date | None = None, reason: str = "") -> bool:
    """Record a signature (R7); the contract locks once everyone required has signed.

    The signature is dated the meeting's date (``signed_on`` None) unless a reason is given for
    another date, which is never before the meeting nor after ``today``. Returns True when this
    signature completed the contract.
    """
    refuse_closed(contract.case)
    if contract.status is not ContractStatus.DRAFT:
        raise Locked("This contract is already signed and locked.")
    if not contract.duration_value:
        raise CaseworkError("State how long the contract is expected to run before it is signed.")
    if not contract.agreements:
        raise CaseworkError("Add what each party agrees to before the contract is signed.")
    attendee = next((a for a in contract.meeting.attendees if a.id == attendee_id), None)
    if attendee is None or not attendee.present:
        raise CaseworkError("Only people recorded as present at the meeting may sign: nobody who did "
                            "not witness the contract being made signs it.")
    if attendee not in signable_attendees(contract):
        raise CaseworkError("Only the parents or carers the contract is with, and school staff on "
                            "behalf of the governing board, sign the contract.")
    held = contract.meeting.meeting_date
    refusal = signature_date_refusal(signed_on, held, today or max(signed_on or held, held), reason)
    if refusal:
        raise CaseworkError(refusal)
    signed_on = signed_on or held
    staff = attendee.kind is AttendeeKind.STAFF
    with labelled(db.session, "sign", f"Signed by {attendee.name} ({attendee.role}): "
                  f"{signature_note(signed_on, held, reason)}"):
        signature = _signature(contract, attendee, signed_on, staff)
        signature.date_reason = reason.strip() if signed_on != held else ""
        contract.signatures.append(signature)
    complete = not missing_signatures(contract)
    if complete:
        with labelled(db.session, "lock", "Every parent present and a member of staff have signed"):
            contract.status = ContractStatus.SIGNED
            contract.signed_on = signed_on
            if contract.previous_id:
                previous = db.session.get(Contract, contract.previous_id)
                previous.status = ContractStatus.SUPERSEDED
        refresh_stage(contract.case)
    db.session.flush()
    return complete


def _signature(contract: Contract, attendee: Any, signed_on: date, staff: bool) -> Any:
    from checklist_app.casework.models import Signature

    return Signature(school_id=contract.school_id, case_id=contract.case_id, attendee_id=attendee.id,
                     signer_name=attendee.name, role=attendee.role, parent_id=attendee.parent_id,
                     user_id=attendee.user_id, on_behalf_of_board=staff, signed_on=signed_on)


def revise_contract(contract: Contract, review: Meeting) -> Contract:
    """A new draft revision made at a review meeting the parents attended; the old one stays in
    force until the revision is signed, then is superseded. Agreements carry over, statuses too."""
    refuse_closed(contract.case)
    if contract.status is not ContractStatus.SIGNED:
        raise CaseworkError("Only the signed contract in force can be revised.")
    if review.kind is not MeetingKind.REVIEW or review.case_id != contract.case_id:
        raise CaseworkError("Choose a review meeting of this case.")
    if any(c.previous_id == contract.id for c in contract.case.contracts):
        raise CaseworkError("A revision of this contract has already been started.")
    present = present_parents(review)
    parent_ids = [p.id for p in contract.parents if p.id in present]
    parents = _check_parties(review, parent_ids)
    revision = Contract(school_id=contract.school_id, case_id=contract.case_id, meeting=review,
                        revision=contract.revision + 1, previous_id=contract.id, parents=parents,
                        duration_value=contract.duration_value, duration_unit=contract.duration_unit)
    for old in contract.agreements:
        revision.agreements.append(Agreement(
            school_id=old.school_id, case_id=old.case_id, party=old.party, text=old.text,
            owner=old.owner, due_on=old.due_on, status=old.status))
    db.session.add(revision)
    db.session.flush()
    return revision


def end_contract(contract: Contract, reason: str, rationale: str, letter_id: int | None,
                 ended_on: date) -> None:
    """End a contract; the parents are told in writing with the rationale (R10)."""
    refuse_closed(contract.case)
    if contract.status is not ContractStatus.SIGNED:
        raise CaseworkError("Only a signed contract in force can be ended.")
    if reason not in END_REASONS:
        raise CaseworkError("Choose a reason for ending the contract.")
    if not rationale.strip():
        raise CaseworkError("Write the rationale: it is put to the parents in writing.")
    letter = next((x for x in contract.case.letters if x.id == letter_id), None)
    check_termination_letter(contract, reason, letter)
    _end(contract, reason, rationale.strip(), letter, ended_on)
    db.session.flush()


def _end(contract: Contract, reason: str, rationale: str, letter: Letter, ended_on: date) -> None:
    with labelled(db.session, "end contract", f"{END_REASONS[reason]}: {rationale}"):
        contract.status = ContractStatus.ENDED
        contract.ended_on = ended_on
        contract.end_reason = reason
        contract.end_rationale = rationale
        contract.end_letter_id = letter.id
    refresh_stage(contract.case)


def check_termination_letter(contract: Contract, reason: str, letter: Letter | None) -> None:
    """R10: the letter telling a parent of the contract that it ended, of the right kind."""
    if letter is None:
        raise CaseworkError("Choose the issued letter that tells the parents, in writing, that the "
                            "contract has ended and why.")
    refusal = termination_letter_refusal(reason, letter.step, letter.status is LetterStatus.ISSUED)
    if refusal:
        raise CaseworkError(refusal)
    party_ids = {p.id for p in contract.parents}
    if party_ids and letter.recipient_parent_id not in party_ids:
        names = " and ".join(p.full_name for p in contract.parents)
        raise CaseworkError(f"That letter went to someone the contract is not with: choose the "
                            f"letter to {names}.")


def end_with_notice_to_improve(letter: Letter) -> None:
    """R19/R10: a Notice to Improve ends the contract in force with its recipient (a separated
    parent's own contract is untouched), with the letter as notice."""
    for contract in letter.case.contracts:
        party_ids = {p.id for p in contract.parents}
        if contract.status is ContractStatus.SIGNED and (
                not party_ids or letter.recipient_parent_id in party_ids):
            _end(contract, "non-compliance", "A Notice to Improve was issued: the contract has not "
                 "secured the improvement needed.", letter, letter.issued_on)
