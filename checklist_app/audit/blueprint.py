"""The audit blueprint: created here, its route module imported at the bottom (routes import
``bp`` from here, never the other way round)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")

from checklist_app.audit import views  # noqa: E402,F401  (routes register on bp)
