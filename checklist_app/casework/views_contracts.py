"""Contract pages: create from a meeting a parent attended (R6), agreements (R9), signatures and
lock (R7), new revision at a review, and ending in writing (R10)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for

from checklist_app.casework import contract_services, services
from checklist_app.casework.forms import (
    AgreementForm,
    ContractForm,
    EndContractForm,
    ReviseForm,
    SignForm,
)
from checklist_app.casework.models import (
    Agreement,
    Contract,
    DurationUnit,
    LetterStatus,
    Meeting,
    MeetingKind,
    Party,
)
from checklist_app.casework.process import dates
from checklist_app.casework.settings import settings
from checklist_app.casework.views import bp, edit_page, form_page, refused
from checklist_app.checklist_engine.forms import choice_list
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow


def _contract_url(contract: Contract) -> str:
    return url_for("casework.contract_page", case_id=contract.case_id, contract_id=contract.id)


def _party_choices(meeting: Meeting) -> list[tuple[int, str]]:
    present = contract_services.present_parents(meeting)
    return [(p.id, f"{p.full_name} ({p.relationship_to_pupil})") for p in meeting.case.pupil.parents
            if p.id in present]


@bp.route("/<int:case_id>/meetings/<int:meeting_id>/contract", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_contract(case_id: int, meeting_id: int):
    """Make a draft contract at a contract meeting a parent attended (R6)."""
    case = services.case_with_records(case_id)
    meeting = services.child_of(case, Meeting, meeting_id)
    suggested = dates.add_weeks(meeting.meeting_date,
                                dates.review_period_weeks(case.baseline_attendance, settings()))
    form = ContractForm(data=None if request.method == "POST" else {
        "parent_ids": list(contract_services.present_parents(meeting)), "review_date": suggested,
        "duration_unit": "months"})
    form.parent_ids.choices = choice_list(_party_choices(meeting))
    back = url_for("casework.meeting_page", case_id=case.id, meeting_id=meeting.id)
    title = f"Attendance contract for {case.pupil.full_name}"
    intro = (f"Suggested review date: {long_date(suggested)}, a review period of "
             f"{dates.review_period_weeks(case.baseline_attendance, settings())} weeks for attendance "
             f"of {case.baseline_attendance:.1f}% at the start (R13).")
    if form.validate_on_submit():
        try:
            contract = contract_services.create_contract(
                meeting, form.parent_ids.data or [], form.duration_value.data,
                DurationUnit(form.duration_unit.data), form.review_date.data)
        except services.CaseworkError as error:
            return form_page(form, title, back, refused(error), problem=str(error), intro=intro)
        flash("Draft contract made. Add what each party agrees to, then collect signatures.",
              "success")
        return redirect(_contract_url(contract))
    return form_page(form, title, back, 400 if form.errors else 200, intro=intro,
                     submit="Make the contract")


def _page(contract: Contract, status: int = 200, **forms):
    case = contract.case
    sign = forms.get("sign_form") or SignForm(data={"signed_on": contract.meeting.meeting_date})
    sign.attendee_id.choices = choice_list([(a.id, f"{a.name} ({a.role})")
                                for a in contract_services.signable_attendees(contract)])
    revise = ReviseForm()
    revise.meeting_id.choices = choice_list([(m.id, f"{m.kind.label} on {long_date(m.meeting_date)}")
                                 for m in case.meetings if m.kind is MeetingKind.REVIEW
                                 and m.parents_attended])
    end = forms.get("end_form") or EndContractForm(data={"ended_on": date.today()})
    end.letter_id.choices = choice_list([(x.id, f"Letter {x.step}: {x.title} ({long_date(x.issued_on)})")
                             for x in case.letters if x.status is LetterStatus.ISSUED])
    return render_template(
        "casework/contract.html", case=case, contract=contract,
        agreement_form=forms.get("agreement_form") or AgreementForm(),
        sign_form=sign, revise_form=revise, end_form=end, problem=forms.get("problem"),
        missing=contract_services.missing_signatures(contract), Party=Party,
        end_reasons=contract_services.END_REASONS), status


@bp.route("/<int:case_id>/contracts/<int:contract_id>")
@allow(CASEWORKERS)
def contract_page(case_id: int, contract_id: int):
    """A contract: parties, duration, agreements (struck through when done), signatures."""
    case = services.case_with_records(case_id)
    return _page(services.child_of(case, Contract, contract_id))


@bp.route("/<int:case_id>/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@allow(CASEWORKERS)
def edit_contract(case_id: int, contract_id: int):
    """Change a draft's parties, duration or review date (refused once signed)."""
    case = services.case_with_records(case_id)
    contract = services.child_of(case, Contract, contract_id)
    form = ContractForm(data=None if request.method == "POST" else {
        "parent_ids": [p.id for p in contract.parents], "duration_value": contract.duration_value,
        "duration_unit": contract.duration_unit.value, "review_date": contract.review_date,
        "version": contract.version})
    form.parent_ids.choices = choice_list(_party_choices(contract.meeting))
    return edit_page(form, contract, "Edit the contract", _contract_url(contract),
                     lambda: contract_services.update_contract(
                         contract, form.parent_ids.data or [], form.duration_value.data,
                         DurationUnit(form.duration_unit.data), form.review_date.data,
                         form.version.data), "Contract saved.")


@bp.route("/<int:case_id>/contracts/<int:contract_id>/agreements", methods=["POST"])
@allow(CASEWORKERS)
def add_agreement(case_id: int, contract_id: int):
    """Add what a party agrees to."""
    case = services.case_with_records(case_id)
    contract = services.child_of(case, Contract, contract_id)
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            contract_services.add_agreement(contract, Party(form.party.data), form.text.data,
                                            form.owner.data, form.due_on.data)
            flash("Agreement added.", "success")
            return redirect(_contract_url(contract))
        except services.CaseworkError as error:
            return _page(contract, refused(error), agreement_form=form, problem=str(error))
    return _page(contract, 400, agreement_form=form)


@bp.route("/<int:case_id>/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@allow(CASEWORKERS)
def edit_agreement(case_id: int, agreement_id: int):
    """Change an agreement or mark it complete / not applicable (struck through, never deleted)."""
    case = services.case_with_records(case_id)
    agreement = services.child_of(case, Agreement, agreement_id)
    form = AgreementForm(obj=agreement if request.method == "GET" else None)
    if request.method == "GET":
        form.party.data, form.status.data = agreement.party.value, agreement.status.value
    return edit_page(form, agreement, "Edit the agreement", _contract_url(agreement.contract),
                     lambda: contract_services.update_agreement(agreement, form.data,
                                                                form.version.data),
                     "Agreement saved.")


@bp.route("/<int:case_id>/contracts/<int:contract_id>/sign", methods=["POST"])
@allow(CASEWORKERS)
def sign_contract(case_id: int, contract_id: int):
    """Record a signature by someone present (R7); the contract locks when complete."""
    case = services.case_with_records(case_id)
    contract = services.child_of(case, Contract, contract_id)
    form = SignForm()
    form.attendee_id.choices = choice_list([(a.id, a.name) for a in contract.meeting.attendees])
    if form.validate_on_submit():
        try:
            complete = contract_services.sign_contract(contract, form.attendee_id.data,
                                                       form.signed_on.data)
        except services.CaseworkError as error:
            return _page(contract, refused(error), sign_form=form, problem=str(error))
        flash("Signed. Everyone required has signed: the contract is now locked." if complete
              else "Signature recorded.", "success")
        return redirect(_contract_url(contract))
    return _page(contract, 400, sign_form=form)


@bp.route("/<int:case_id>/contracts/<int:contract_id>/revise", methods=["POST"])
@allow(CASEWORKERS)
def revise_contract(case_id: int, contract_id: int):
    """Start a new revision at a review meeting the parents attended."""
    case = services.case_with_records(case_id)
    contract = services.child_of(case, Contract, contract_id)
    form = ReviseForm()
    form.meeting_id.choices = choice_list([(m.id, str(m.id)) for m in case.meetings])
    if form.validate_on_submit():
        meeting = services.child_of(case, Meeting, form.meeting_id.data)
        try:
            revision = contract_services.revise_contract(contract, meeting)
        except services.CaseworkError as error:
            return _page(contract, refused(error), problem=str(error))
        flash(f"Revision {revision.revision} started: change it, then collect signatures.", "success")
        return redirect(_contract_url(revision))
    return _page(contract, 400, problem="Choose the review meeting.")


@bp.route("/<int:case_id>/contracts/<int:contract_id>/end", methods=["POST"])
@allow(CASEWORKERS)
def end_contract(case_id: int, contract_id: int):
    """End the contract, in writing with the rationale (R10)."""
    case = services.case_with_records(case_id)
    contract = services.child_of(case, Contract, contract_id)
    form = EndContractForm()
    form.letter_id.choices = choice_list([(x.id, x.title) for x in case.letters])
    if form.validate_on_submit():
        try:
            contract_services.end_contract(contract, form.reason.data, form.rationale.data,
                                           form.letter_id.data, form.ended_on.data)
        except services.CaseworkError as error:
            return _page(contract, refused(error), end_form=form, problem=str(error))
        flash("Contract ended.", "success")
        return redirect(_contract_url(contract))
    return _page(contract, 400, end_form=form)
