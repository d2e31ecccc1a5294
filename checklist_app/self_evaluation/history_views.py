"""The history of a self-evaluation: every change from the audit trail (rule R30)."""

from __future__ import annotations

from flask import render_template

from checklist_app.security import READERS, allow
from checklist_app.self_evaluation.blueprint import bp
from checklist_app.self_evaluation.history import readable_history
from checklist_app.self_evaluation.pages import evaluation_for


@bp.get("/<int:evaluation_id>/history")
@allow(READERS)
def history(evaluation_id: int):
    """Who changed what and when, including finalising, reopening and board comments."""
    evaluation = evaluation_for(evaluation_id)
    return render_template("self_evaluation/history.html", evaluation=evaluation,
                           entries=readable_history(evaluation))
