"""Action-plan pages: a term's plan, the school's filtered action list, add, edit and close."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from checklist_app import clock
from checklist_app.checklist_engine.pinning import with_local_items
from checklist_app.concurrency import Conflict
from checklist_app.editing import run
from checklist_app.formatting import summary
from checklist_app.security import LEADERS, READERS, STAFF, allow, can, current_school
from checklist_app.self_evaluation import actions, services
from checklist_app.self_evaluation.blueprint import bp
from checklist_app.self_evaluation.forms import VersionForm, action_filter_form, action_form_class
from checklist_app.self_evaluation.models import Action, ActionStatus, SelfEvaluation
from checklist_app.self_evaluation.pages import evaluation_for, locked_page
from checklist_app.self_evaluation.services import Locked


def _checkpoint_choices(evaluation: SelfEvaluation | None, keep: list[str] = ()) -> list[tuple[str, str]]:
    """Checkpoints an action can address: those of the self-evaluation (or the newest edition)."""
    definition = services.definition_for(evaluation) if evaluation else \
        with_local_items(services.newest_edition(), current_school().id)
    choices = [(i.id, f"{i.number}. {summary(i.text, 90)}") for i in definition.items()]
    known = {value for value, _ in choices}
    return choices + [(item_id, f"{item_id} (no longer in the checklist)")
                      for item_id in keep if item_id not in known]


def _numbers(evaluation: SelfEvaluation | None) -> dict[str, str]:
    definition = services.definition_for(evaluation) if evaluation else \
        with_local_items(services.newest_edition(), current_school().id)
    return {i.id: i.number for i in definition.items(include_withdrawn=True)}


def _form_values(form) -> dict:
    return {name: form[name].data for name in ("action_point", "checkpoint_ids", "owner_user_id",
                                               "owner_name", "review_date", "status", "comments",
                                               "completed_on")}


@bp.get("/<int:evaluation_id>/action-plan")
@allow(READERS)
def action_plan(evaluation_id: int):
    """A term's action plan: live while a draft, as it was finalised afterwards."""
    evaluation = evaluation_for(evaluation_id)
    return render_template(
        "self_evaluation/action_plan.html", evaluation=evaluation,
        rows=actions.plan_rows(evaluation, clock.today()), numbers=_numbers(evaluation),
        editable=can(LEADERS) and not evaluation.is_finalised and evaluation.is_current)


@bp.get("/actions")
@allow(STAFF)
def school_actions():
    """Every action of the school, filtered by owner, status and overdue."""
    school = current_school()
    form = action_filter_form(request.args, actions.owner_filter_choices(school.id))
    filters = actions.ActionFilters(owner=form.owner.data or "", status=form.status.data or "",
                                    overdue=bool(form.overdue.data))
    latest = services.latest_current(school.id)
    return render_template(
        "self_evaluation/actions.html", filters=filters, form=form,
        rows=[actions.as_row(a, clock.today())
              for a in actions.school_actions(school.id, filters, clock.today())],
        numbers=_numbers(latest),
        draft=latest if latest and not latest.is_finalised else None)


@bp.route("/<int:evaluation_id>/actions/new", methods=["GET", "POST"])
@allow(LEADERS)
def new_action(evaluation_id: int):
    """Add an action to the school's plan from this term's self-evaluation."""
    evaluation = evaluation_for(evaluation_id)
    try:
        services.ensure_editable(evaluation)
    except Locked as error:
        return locked_page(error)
    form = action_form_class(_checkpoint_choices(evaluation),
                             actions.owner_choices(evaluation.school_id))()
    if form.validate_on_submit():
        action = run(lambda: actions.create_action(evaluation, _form_values(form), clock.today()))
        flash(f"Action {action.number} added.", "success")
        return redirect(url_for(".action_plan", evaluation_id=evaluation.id))
    return render_template("self_evaluation/action_form.html", form=form, evaluation=evaluation,
                           action=None), 400 if form.errors else 200


def _return_to(action: Action) -> str:
    evaluation_id = request.args.get("from", type=int)
    if evaluation_id:
        return url_for(".action_plan", evaluation_id=evaluation_for(evaluation_id).id)
    return url_for(".school_actions")


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@allow(LEADERS)
def edit_action(action_id: int):
    """Change an action (status, review date, owner, comments…)."""
    action = actions.get_action(action_id, current_school())
    latest = services.latest_current(action.school_id)
    form_class = action_form_class(_checkpoint_choices(latest, action.checkpoint_ids),
                                   actions.owner_choices(action.school_id))
    if request.method == "GET":
        form = form_class(obj=action, data={"version": str(action.version),
                                            "status": action.status.value,
                                            "owner_user_id": action.owner_user_id or 0})
    else:
        form = form_class()
    conflict, status = None, 200
    if form.validate_on_submit():
        try:
            run(lambda: actions.update_action(action, form.version.data, _form_values(form),
                                              clock.today()), action)
        except Conflict as error:
            conflict, status = error, 409
            form.version.data = str(action.version)
        else:
            flash(f"Action {action.number} saved.", "success")
            return redirect(_return_to(action))
    elif form.errors:
        status = 400
    return render_template("self_evaluation/action_form.html", form=form, action=action,
                           evaluation=None, conflict=conflict, saved=actions.as_row(action, clock.today()),
                           numbers=_numbers(latest)), status


@bp.post("/actions/<int:action_id>/close")
@allow(LEADERS)
def close_action(action_id: int):
    """Mark an action done or dropped today; it stays listed, struck through."""
    action = actions.get_action(action_id, current_school())
    form = VersionForm()
    try:
        status = ActionStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    try:
        run(lambda: actions.close_action(action, form.version.data, status, clock.today()), action)
    except Conflict:
        flash(f"Action {action.number} was changed by someone else while you were looking. It has "
              "not been closed: check it below and try again.", "error")
    except ValueError:
        abort(400)
    else:
        flash(f"Action {action.number} marked {status.label.lower()}.", "success")
    return redirect(_return_to(action))
