"""The history of a self-evaluation: every change from the audit trail (rule R30)."""

from __future__ import annotations

from flask import render_template, request

from checklist_app.security import READERS, allow
from checklist_app.self_evaluation import history_page
from checklist_app.self_evaluation.blueprint import bp
from checklist_app.self_evaluation.forms import history_filter_form
from checklist_app.self_evaluation.history import readable_history
from checklist_app.self_evaluation.pages import evaluation_for


@bp.get("/<int:evaluation_id>/history")
@allow(READERS)
def history(evaluation_id: int):
    """Who changed what and when, including finalising, reopening and board comments, by day;
    ``?show=`` narrows it to one checkpoint or one kind of change."""
    evaluation = evaluation_for(evaluation_id)
    entries = readable_history(evaluation)
    form = history_filter_form(request.args, history_page.topics(entries))
    shown = history_page.narrowed(entries, form.show.data or "")
    return render_template("self_evaluation/history.html", evaluation=evaluation, form=form,
                           entries=shown, total=len(entries),
                           days=history_page.days_of(shown))
