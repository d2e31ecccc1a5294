"""Reading across terms and schools, and the school's own checkpoints (rule R4)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from checklist_app import clock
from checklist_app.concurrency import Conflict
from checklist_app.editing import run
from checklist_app.home import panels
from checklist_app.security import (
    LEADERS,
    READ_ONLY,
    READERS,
    TRUST_VIEWERS,
    allow,
    current_role,
    current_school,
    schools_in_view,
)
from checklist_app.self_evaluation import insights, local, services
from checklist_app.self_evaluation.blueprint import bp
from checklist_app.self_evaluation.forms import LocalCheckpointForm, VersionForm, term_filter_form
from checklist_app.self_evaluation.terms import Term, TermError


@bp.get("/compare")
@allow(READERS)
def compare():
    """Each checkpoint's rating term by term, and actions opened and closed each term."""
    school = current_school()
    data = insights.comparison(school.id, finalised_only=current_role() in READ_ONLY)
    return render_template("self_evaluation/compare.html", school=school, data=data)


@bp.get("/trust")
@allow(TRUST_VIEWERS)
def trust():
    """Across an administrator's schools (or those sharing with a local-authority officer)."""
    day = clock.today()
    try:
        term = Term.parse(request.args.get("term", ""))
    except TermError:
        term = Term.for_date(day)
    schools = schools_in_view(current_user)
    overview = insights.trust_overview(current_user, term, services.newest_edition(), day, schools)
    now = Term.for_date(day)
    choices = [now.next(), now]
    while len(choices) < 6:
        choices.append(choices[-1].previous())
    return render_template("self_evaluation/trust.html", overview=overview,
                           term_form=term_filter_form(choices, term),
                           school_rows=panels.school_rows(schools, day))


@bp.route("/local-checkpoints", methods=["GET", "POST"])
@allow(LEADERS)
def local_checkpoints():
    """Add a checkpoint of the school's own, after the official ones (R4)."""
    school = current_school()
    form = LocalCheckpointForm()
    if form.validate_on_submit():
        row = run(lambda: local.add_local_checkpoint(school, form.text.data, form.guidance.data))
        flash(f"Local checkpoint {row.number} added. It appears after the official checkpoints in "
              "self-evaluations that are still drafts.", "success")
        return redirect(url_for(".local_checkpoints"))
    return render_template("self_evaluation/local_checkpoints.html", form=form,
                           rows=local.local_checkpoints(school)), \
        400 if form.errors else 200


@bp.post("/local-checkpoints/<int:checkpoint_id>/withdraw")
@allow(LEADERS)
def withdraw_local_checkpoint(checkpoint_id: int):
    """Stop asking a local checkpoint (answers already given are kept)."""
    row = local.get_local_checkpoint(checkpoint_id, current_school())
    try:
        run(lambda: local.withdraw_local_checkpoint(row, VersionForm().version.data), row)
    except Conflict as error:
        flash(str(error), "error")
    else:
        flash(f"Local checkpoint {row.number} withdrawn.", "success")
    return redirect(url_for(".local_checkpoints"))
