"""Casework pages: the dashboard, the case page, opening / editing / closing a case and the contract
checklist. Pupils, meetings, contracts and records have their own view modules on the same ``bp``.

Every page is for school staff only (governors see no pupil data at all: 403)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from wtforms import HiddenField

from checklist_app.auth.models import Membership, User
from checklist_app.casework import services
from checklist_app.casework.dashboard import dashboard_page
from checklist_app.casework.facts import view_of
from checklist_app.casework.forms import CaseForm, CloseCaseForm
from checklist_app.casework.letters import letter_templates
from checklist_app.casework.models import (
    ClosureReason,
    ContractStatus,
    LetterStatus,
    Pupil,
    Stage,
)
from checklist_app.checklist_engine.forms import (
    answers_from_form,
    build_form_class,
    choice_list,
    field_name,
    form_data_from_answers,
)
from checklist_app.concurrency import Conflict
from checklist_app.extensions import db
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow, current_school

bp = Blueprint("casework", __name__, url_prefix="/cases", template_folder="templates")


def staff_choices() -> list[tuple[int, str]]:
    """The school's staff (anyone but governors), for choosing a lead professional."""
    from checklist_app.auth.models import Role

    users = db.session.scalars(select(User).join(Membership).where(
        Membership.school_id == current_school().id, Membership.role != Role.GOVERNOR,
        Membership.accepted.is_(True), User.active.is_(True)).order_by(User.name))
    return [(u.id, u.name) for u in users]


def whole_number_arg(name: str) -> int | None:
    """A positive whole-number query argument (an id or a page), or None if missing or unusable."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value < 2**63 else None


def refused(error: services.CaseworkError) -> int:
    """The status of a refusal: 409 for locked records, 400 for a rule not met."""
    return 409 if isinstance(error, services.Locked) else 400


def form_page(form: Any, title: str, back: str, status: int = 200, **extra: Any):
    """Render the shared form page (bound form, error summary, conflict panel)."""
    return render_template("casework/form.html", form=form, title=title, back=back,
                           **extra), status


def edit_page(form: Any, record: Any, title: str, back: str, save: Callable[[], Any],
              done: str):
    """An edit form's whole round trip: save when valid, else show the form again.

    A stale version shows the saved record beside what was typed (409); a casework rule that
    refuses the change says why; success flashes ``done`` and goes ``back``.
    """
    if not form.validate_on_submit():
        return form_page(form, title, back, 400 if form.errors else 200)
    try:
        save()
    except Conflict as conflict:
        form.version.data = record.version
        return form_page(form, title, back, 409, problem=str(conflict),
                         saved=saved_values(record, form))
    except services.CaseworkError as error:
        return form_page(form, title, back, refused(error), problem=str(error))
    flash(done, "success")
    return redirect(back)


def saved_values(record: Any, form: Any) -> list[tuple[str, str]]:
    """The saved version of a record, field by field, shown beside a conflicting edit."""
    rows = []
    for field in form:
        if field.type in ("HiddenField", "CSRFTokenField") or not hasattr(record, field.name):
            continue
        value = getattr(record, field.name)
        rows.append((field.label.text, "" if value is None else str(getattr(value, "label", value))))
    return rows


@bp.route("/")
@allow(CASEWORKERS)
def dashboard():
    """Open cases: overdue first, then by due date; filters by lead and stage; 50 to a page."""
    lead_id = whole_number_arg("lead")
    stage = request.args.get("stage") or None
    stage_value = Stage(stage) if stage in {s.value for s in Stage} else None
    today = date.today()
    board = dashboard_page(lead_id, stage_value, whole_number_arg("page"), today)
    return render_template("casework/dashboard.html", rows=board.rows, pager=board.pager,
                           leads=staff_choices(), lead_id=lead_id, stage=stage_value,
                           stages=[s for s in Stage if s is not Stage.CLOSED], today=today)


@bp.route("/<int:case_id>")
@allow(CASEWORKERS)
def case_page(case_id: int):
    """Everything about one case: summary, flags, next step, timeline, records and chronology."""
    case = services.case_with_records(case_id)
    today = date.today()
    return render_template(
        "casework/case.html", case=case, view=view_of(case, today), today=today,
        completion=services.checklist_completion(case), chronology=services.chronology(case),
        templates=letter_templates(), ContractStatus=ContractStatus, LetterStatus=LetterStatus)


@bp.route("/pupils/<int:pupil_id>/open", methods=["GET", "POST"])
@allow(CASEWORKERS)
def open_case(pupil_id: int):
    """Open a case for a pupil."""
    pupil = services.scoped(Pupil, pupil_id)
    form = CaseForm(data=None if request.method == "POST" else {"opened_on": date.today()})
    form.lead_user_id.choices = choice_list(staff_choices())
    if form.validate_on_submit():
        try:
            case = services.open_case(pupil, form.data)
        except services.CaseworkError as error:
            return form_page(form, f"Open a case for {pupil.full_name}", _pupil_url(pupil),
                             refused(error), problem=str(error))
        flash(f"Case opened for {pupil.full_name}.", "success")
        return redirect(url_for("casework.case_page", case_id=case.id))
    return form_page(form, f"Open a case for {pupil.full_name}", _pupil_url(pupil),
                     400 if form.errors else 200, submit="Open the case")


def _pupil_url(pupil: Pupil) -> str:
    return url_for("casework.pupil_page", pupil_id=pupil.id)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@allow(CASEWORKERS)
def edit_case(case_id: int):
    """Change the lead, chair, baseline or reason for concern."""
    case = services.case_with_records(case_id)
    form = CaseForm(obj=case if request.method == "GET" else None)
    form.lead_user_id.choices = choice_list(staff_choices())
    back = url_for("casework.case_page", case_id=case.id)
    return edit_page(form, case, "Edit the case", back, lambda: services.update_case(
        case, form.data, form.version.data), "Case saved.")


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
@allow(CASEWORKERS)
def close_case(case_id: int):
    """Close a case with a reason; a contract in force ends with it, in writing (R10)."""
    case = services.case_with_records(case_id)
    form = CloseCaseForm(data=None if request.method == "POST" else {"closed_on": date.today()})
    form.letter_id.choices = choice_list([(None, "No letter")] + [
        (x.id, f"Letter {x.step}: {x.title} ({long_date(x.issued_on)})") for x in case.letters
        if x.status is LetterStatus.ISSUED])
    back = url_for("casework.case_page", case_id=case.id)
    if form.validate_on_submit():
        try:
            services.close_case(case, ClosureReason(form.reason.data), form.rationale.data,
                                form.closed_on.data, form.letter_id.data)
        except services.CaseworkError as error:
            return form_page(form, "Close the case", back, refused(error), problem=str(error))
        flash("Case closed.", "success")
        return redirect(back)
    return form_page(form, "Close the case", back, 400 if form.errors else 200,
                     submit="Close the case")


@bp.route("/<int:case_id>/checklist", methods=["GET", "POST"])
@allow(CASEWORKERS)
def checklist(case_id: int):
    """The attendance-contract checklist: planning, delivery and review (R5)."""
    case = services.case_with_records(case_id)
    definition = services.checklist_definition(case)
    items = definition.items()
    form_class = build_form_class(definition, items, extra={"version": HiddenField()})
    if request.method == "POST":
        form = form_class()
    else:
        form = form_class(data={**form_data_from_answers(case.checklist_answers or {}, definition,
                                                         items), "version": case.version})
    status, problem, saved = 200, None, None
    if form.validate_on_submit():
        try:
            services.save_checklist(case, answers_from_form(form, definition, items),
                                    form.version.data)
            flash("Checklist saved.", "success")
            return redirect(url_for("casework.case_page", case_id=case.id))
        except Conflict as conflict:
            status, problem, saved = 409, str(conflict), case.checklist_answers or {}
            form.version.data = case.version
        except services.CaseworkError as error:
            status, problem = refused(error), str(error)
    elif form.errors:
        status = 400
    return render_template("casework/checklist.html", case=case, definition=definition, form=form,
                           problem=problem, saved=saved, field_name=field_name,
                           completion=services.checklist_completion(case)), status


from checklist_app.casework import (  # noqa: E402,F401  (routes on the same blueprint)
    views_contracts,
    views_meetings,
    views_people,
    views_records,
)
