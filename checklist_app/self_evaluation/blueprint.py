"""The self-evaluation blueprint: created here, its route modules imported at the bottom.

Route modules (views, action_views, history_views, review_views) import only downwards (this
module, ``pages``, forms, services / operations, models), never each other.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("self_evaluation", __name__, url_prefix="/self-evaluation",
               template_folder="templates")

from checklist_app.self_evaluation import (  # noqa: E402,F401  (route modules register on bp)
    action_views,
    history_views,
    review_views,
    views,
)
