"""Casework pages: the dashboard, the case page, opening / editing / closing a case and the contract
checklist. Pupils, meetings, contracts and records have their own route modules on the same ``bp``.

Every page is for school staff only (governors see no pupil data at all: 403)."""

from __future__ import annotations

from decimal import Decimal

from flask import render_template, request, url_for
from wtforms import HiddenField

from checklist_app import clock
from checklist_app.casework import operations, queries
from checklist_app.casework.blueprint import bp
from checklist_app.casework.dashboard import dashboard_page
from checklist_app.casework.facts import view_of
from checklist_app.casework.forms import CaseForm, CloseCaseForm, case_filter_form
from checklist_app.casework.letters import letter_templates
from checklist_app.casework.loading import case_with_records, scoped
from checklist_app.casework.models import (
    ClosureReason,
    ContractStatus,
    LetterStatus,
    Pupil,
    Stage,
)
from checklist_app.casework.pages import edit_page, form_round_trip, staff_choices, whole_number_arg
from checklist_app.casework.register_figures import case_chart
from checklist_app.checklist_engine.forms import (
    answers_from_form,
    build_form_class,
    choice_list,
    field_name,
    form_data_from_answers,
)
from checklist_app.editing import round_trip
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow, current_school


@bp.route("/")
@allow(CASEWORKERS)
def dashboard():
    """Open cases: overdue first, then by due date; filters by lead and stage; 50 to a page."""
    lead_id = whole_number_arg("lead")
    stage = request.args.get("stage") or None
    stage_value = Stage(stage) if stage in {s.value for s in Stage} else None
    today = clock.today()
    board = dashboard_page(current_school().id, lead_id, stage_value, whole_number_arg("page"), today)
    form = case_filter_form(request.args, staff_choices(current_school()),
                            [s for s in Stage if s is not Stage.CLOSED])
    return render_template("casework/dashboard.html", rows=board.rows, pager=board.pager,
                           form=form, lead_id=lead_id, stage=stage_value, today=today)


@bp.route("/<int:case_id>")
@allow(CASEWORKERS)
def case_page(case_id: int):
    """Everything about one case: summary, flags, next step, timeline, records and chronology."""
    case = case_with_records(current_school(), case_id)
    today = clock.today()
    return render_template(
        "casework/case.html", case=case, view=view_of(case, today), today=today,
        register=case_chart(case, today),
        completion=queries.checklist_completion(case), chronology=queries.chronology(case),
        changes=queries.change_log(case),
        templates=letter_templates(), ContractStatus=ContractStatus, LetterStatus=LetterStatus)


@bp.route("/pupils/<int:pupil_id>/open", methods=["GET", "POST"])
@allow(CASEWORKERS)
def open_case(pupil_id: int):
    """Open a case for a pupil."""
    pupil = scoped(current_school(), Pupil, pupil_id)
    form = CaseForm(data=None if request.method == "POST" else {
        "opened_on": clock.today(), "baseline_attendance": baseline_from_register()})
    form.lead_user_id.choices = choice_list(staff_choices(current_school()))
    return form_round_trip(
        form, f"Open a case for {pupil.full_name}", _pupil_url(pupil),
        lambda: operations.open_case(pupil, form.data, clock.today()),
        f"Case opened for {pupil.full_name}.",
        to=lambda case: url_for("casework.case_page", case_id=case.id), submit="Open the case")


def baseline_from_register() -> Decimal | None:
    """The baseline the register page passes as ``?baseline=87.5`` (computed from the marks)."""
    try:
        value = Decimal(request.args.get("baseline", ""))
    except ArithmeticError:
        return None
    return value if value.is_finite() and 0 <= value <= 100 else None


def _pupil_url(pupil: Pupil) -> str:
    return url_for("casework.pupil_page", pupil_id=pupil.id)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@allow(CASEWORKERS)
def edit_case(case_id: int):
    """Change the lead, chair, baseline or reason for concern."""
    case = case_with_records(current_school(), case_id)
    form = CaseForm(obj=case if request.method == "GET" else None)
    form.lead_user_id.choices = choice_list(staff_choices(current_school()))
    back = url_for("casework.case_page", case_id=case.id)
    return edit_page(form, case, "Edit the case", back, lambda: operations.update_case(
        case, form.data, form.version.data), "Case saved.")


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
@allow(CASEWORKERS)
def close_case(case_id: int):
    """Close a case with a reason; a contract in force ends with it, in writing (R10)."""
    case = case_with_records(current_school(), case_id)
    form = CloseCaseForm(data=None if request.method == "POST" else {"closed_on": clock.today()})
    form.letter_ids.choices = [
        (x.id, f"Letter {x.step} to {x.recipient.full_name if x.recipient else 'the parents'}: "
               f"{x.title} ({long_date(x.issued_on)})") for x in case.letters
        if x.status is LetterStatus.ISSUED]
    back = url_for("casework.case_page", case_id=case.id)
    return form_round_trip(
        form, "Close the case", back,
        lambda: operations.close_case(case, ClosureReason(form.reason.data), form.rationale.data,
                                      form.closed_on.data, form.letter_ids.data or []),
        "Case closed.", submit="Close the case")


@bp.route("/<int:case_id>/checklist", methods=["GET", "POST"])
@allow(CASEWORKERS)
def checklist(case_id: int):
    """The attendance-contract checklist: planning, delivery and review (R5)."""
    case = case_with_records(current_school(), case_id)
    definition = queries.checklist_definition(case)
    items = definition.items()
    form_class = build_form_class(definition, items, extra={"version": HiddenField()})
    if request.method == "POST":
        form = form_class()
    else:
        form = form_class(data={**form_data_from_answers(case.checklist_answers or {}, definition,
                                                         items), "version": case.version})

    def render(status: int, problem: str | None = None, conflict: object = None):
        return render_template(
            "casework/checklist.html", case=case, definition=definition, form=form,
            problem=problem, saved=(case.checklist_answers or {}) if conflict else None,
            field_name=field_name, completion=queries.checklist_completion(case)), status

    return round_trip(form, lambda: operations.save_checklist(
        case, answers_from_form(form, definition, items), form.version.data),
        render=render, done="Checklist saved.", record=case,
        to=url_for("casework.case_page", case_id=case.id))
