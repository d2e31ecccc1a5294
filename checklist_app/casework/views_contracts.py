"""Contract pages: create from a meeting a parent attended (R6), agreements (R9), signatures and
lock (R7), new revision at a review, and ending in writing (R10)."""

from __future__ import annotations

from flask import render_template, request, url_for

from checklist_app import clock
from checklist_app.casework import contract_operations
from checklist_app.casework.blueprint import bp
from checklist_app.casework.forms import (
    AgreementForm,
    ContractForm,
    EndContractForm,
    ReviseForm,
    SignForm,
)
from checklist_app.casework.loading import case_with_records, child_of
from checklist_app.casework.models import (
    Agreement,
    Contract,
    DurationUnit,
    LetterStatus,
    Meeting,
    MeetingKind,
    Party,
)
from checklist_app.casework.pages import edit_page, form_round_trip
from checklist_app.casework.process import dates
from checklist_app.casework.settings import settings
from checklist_app.checklist_engine.forms import choice_list
from checklist_app.editing import round_trip
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow, current_school


def _contract_url(contract: Contract) -> str:
    return url_for("casework.contract_page", case_id=contract.case_id, contract_id=contract.id)


def _party_choices(meeting: Meeting) -> list[tuple[int, str]]:
    present = contract_operations.present_parents(meeting)
    return [(p.id, f"{p.full_name} ({p.relationship_to_pupil})") for p in meeting.case.pupil.parents
            if p.id in present]


@bp.route("/<int:case_id>/meetings/<int:meeting_id>/contract", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_contract(case_id: int, meeting_id: int):
    """Make a draft contract at a contract meeting a parent attended (R6)."""
    case = case_with_records(current_school(), case_id)
    meeting = child_of(case, Meeting, meeting_id)
    suggested = dates.add_weeks(meeting.meeting_date,
                                dates.review_period_weeks(case.baseline_attendance, settings()))
    form = ContractForm(data=None if request.method == "POST" else {
        "parent_ids": list(contract_operations.present_parents(meeting)), "review_date": suggested,
        "duration_unit": "months"})
    form.parent_ids.choices = choice_list(_party_choices(meeting))
    back = url_for("casework.meeting_page", case_id=case.id, meeting_id=meeting.id)
    title = f"Attendance contract for {case.pupil.full_name}"
    intro = (f"Suggested review date: {long_date(suggested)}, a review period of "
             f"{dates.review_period_weeks(case.baseline_attendance, settings())} weeks for attendance "
             f"of {case.baseline_attendance:.1f}% at the start. The meeting's action plan becomes "
             "the contract's agreements, which you can change before anyone signs.")
    return form_round_trip(
        form, title, back, lambda: contract_operations.create_contract(
            meeting, form.parent_ids.data or [], form.duration_value.data,
            DurationUnit(form.duration_unit.data), form.review_date.data, carry_plan=True),
        "Draft contract made with the meeting's action plan as its agreements. Check and change "
        "them, then collect signatures.",
        to=_contract_url, intro=intro, submit="Make the contract")


def _page(contract: Contract, status: int = 200, **forms):
    case = contract.case
    sign = forms.get("sign_form") or SignForm(data={"signed_on": contract.meeting.meeting_date})
    sign.attendee_id.choices = choice_list([(a.id, f"{a.name} ({a.role})")
                                for a in contract_operations.signable_attendees(contract)])
    revise = ReviseForm()
    revise.meeting_id.choices = choice_list([(m.id, f"{m.kind.label} on {long_date(m.meeting_date)}")
                                 for m in case.meetings if m.kind is MeetingKind.REVIEW
                                 and m.parents_attended])
    end = forms.get("end_form") or EndContractForm(data={"ended_on": clock.today()})
    party = {p.id for p in contract.parents}
    end.letter_id.choices = choice_list([
        (x.id, f"Letter {x.step} to {x.recipient.full_name if x.recipient else 'the parents'}: "
               f"{x.title} ({long_date(x.issued_on)})")
        for x in case.letters if x.status is LetterStatus.ISSUED
        and (not party or x.recipient_parent_id in party)])
    return render_template(
        "casework/contract.html", case=case, contract=contract,
        agreement_form=forms.get("agreement_form") or AgreementForm(),
        sign_form=sign, revise_form=revise, end_form=end, problem=forms.get("problem"),
        missing=contract_operations.missing_signatures(contract), Party=Party,
        end_reasons=contract_operations.END_REASONS), status


@bp.route("/<int:case_id>/contracts/<int:contract_id>")
@allow(CASEWORKERS)
def contract_page(case_id: int, contract_id: int):
    """A contract: parties, duration, agreements (struck through when done), signatures."""
    case = case_with_records(current_school(), case_id)
    return _page(child_of(case, Contract, contract_id))


@bp.route("/<int:case_id>/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@allow(CASEWORKERS)
def edit_contract(case_id: int, contract_id: int):
    """Change a draft's parties, duration or review date (refused once signed)."""
    case = case_with_records(current_school(), case_id)
    contract = child_of(case, Contract, contract_id)
    form = ContractForm(data=None if request.method == "POST" else {
        "parent_ids": [p.id for p in contract.parents], "duration_value": contract.duration_value,
        "duration_unit": contract.duration_unit.value, "review_date": contract.review_date,
        "version": contract.version})
    form.parent_ids.choices = choice_list(_party_choices(contract.meeting))
    return edit_page(form, contract, "Edit the contract", _contract_url(contract),
                     lambda: contract_operations.update_contract(
                         contract, form.parent_ids.data or [], form.duration_value.data,
                         DurationUnit(form.duration_unit.data), form.review_date.data,
                         form.version.data), "Contract saved.")


@bp.route("/<int:case_id>/contracts/<int:contract_id>/agreements", methods=["POST"])
@allow(CASEWORKERS)
def add_agreement(case_id: int, contract_id: int):
    """Add what a party agrees to."""
    case = case_with_records(current_school(), case_id)
    contract = child_of(case, Contract, contract_id)
    form = AgreementForm()
    return round_trip(
        form, lambda: contract_operations.add_agreement(contract, Party(form.party.data),
                                                        form.text.data, form.owner.data,
                                                        form.due_on.data),
        render=lambda status, **extra: _page(contract, 400 if status == 200 else status,
                                             agreement_form=form, problem=extra.get("problem")),
        done="Agreement added.", to=_contract_url(contract))


@bp.route("/<int:case_id>/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@allow(CASEWORKERS)
def edit_agreement(case_id: int, agreement_id: int):
    """Change an agreement or mark it complete / not applicable (struck through, never deleted)."""
    case = case_with_records(current_school(), case_id)
    agreement = child_of(case, Agreement, agreement_id)
    form = AgreementForm(obj=agreement if request.method == "GET" else None)
    if request.method == "GET":
        form.party.data, form.status.data = agreement.party.value, agreement.status.value
    return edit_page(form, agreement, "Edit the agreement", _contract_url(agreement.contract),
                     lambda: contract_operations.update_agreement(agreement, form.data,
                                                                form.version.data),
                     "Agreement saved.")


@bp.route("/<int:case_id>/contracts/<int:contract_id>/sign", methods=["POST"])
@allow(CASEWORKERS)
def sign_contract(case_id: int, contract_id: int):
    """Record a signature by someone present (R7); the contract locks when complete."""
    case = case_with_records(current_school(), case_id)
    contract = child_of(case, Contract, contract_id)
    form = SignForm()
    form.attendee_id.choices = choice_list([(a.id, a.name) for a in contract.meeting.attendees])
    return round_trip(
        form, lambda: contract_operations.sign_contract(contract, form.attendee_id.data,
                                                        form.signed_on.data, today=clock.today(),
                                                        reason=form.date_reason.data or ""),
        render=lambda status, **extra: _page(contract, 400 if status == 200 else status,
                                             sign_form=form, problem=extra.get("problem")),
        done=lambda complete: "Signed. Everyone required has signed: the contract is now locked."
        if complete else "Signature recorded.", to=_contract_url(contract))


@bp.route("/<int:case_id>/contracts/<int:contract_id>/revise", methods=["POST"])
@allow(CASEWORKERS)
def revise_contract(case_id: int, contract_id: int):
    """Start a new revision at a review meeting the parents attended."""
    case = case_with_records(current_school(), case_id)
    contract = child_of(case, Contract, contract_id)
    form = ReviseForm()
    form.meeting_id.choices = choice_list([(m.id, str(m.id)) for m in case.meetings])
    meeting = child_of(case, Meeting, form.meeting_id.data) if form.validate_on_submit() else None
    return round_trip(
        form, lambda: contract_operations.revise_contract(contract, meeting),
        render=lambda status, **extra: _page(contract, 400 if status == 200 else status,
                                             problem=extra.get("problem")
                                             or "Choose the review meeting."),
        done=lambda revision: f"Revision {revision.revision} started: change it, then collect "
        "signatures.", to=_contract_url)


@bp.route("/<int:case_id>/contracts/<int:contract_id>/end", methods=["POST"])
@allow(CASEWORKERS)
def end_contract(case_id: int, contract_id: int):
    """End the contract, in writing with the rationale (R10)."""
    case = case_with_records(current_school(), case_id)
    contract = child_of(case, Contract, contract_id)
    form = EndContractForm()
    form.letter_id.choices = choice_list([(x.id, x.title) for x in case.letters])
    return round_trip(
        form, lambda: contract_operations.end_contract(contract, form.reason.data,
                                                       form.rationale.data, form.letter_id.data,
                                                       form.ended_on.data),
        render=lambda status, **extra: _page(contract, 400 if status == 200 else status,
                                             end_form=form, problem=extra.get("problem")),
        done="Contract ended.", to=_contract_url(contract))
