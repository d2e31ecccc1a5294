"""Helpers shared by the self-evaluation route modules: loading the self-evaluation the address
names (for the current school and role) and the page that answers a change to a locked one."""

from __future__ import annotations

from flask import render_template

from checklist_app.auth.models import Role
from checklist_app.security import current_role, current_school
from checklist_app.self_evaluation import services
from checklist_app.self_evaluation.models import SelfEvaluation
from checklist_app.self_evaluation.services import Locked

GOVERNORS = frozenset({Role.GOVERNOR})


def evaluation_for(evaluation_id: int) -> SelfEvaluation:
    """The current school's self-evaluation ``evaluation_id`` as the user's role may see it (404)."""
    return services.get_self_evaluation(evaluation_id, current_school(), current_role())


def locked_page(error: Locked):
    """The answer to any change sent to a finalised self-evaluation."""
    return render_template("self_evaluation/locked.html", evaluation=error.evaluation,
                           message=str(error)), 409
