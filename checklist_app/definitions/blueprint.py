"""The definitions blueprint: created here, its route module imported at the bottom (routes import
``bp`` from here, never the other way round)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("definitions", __name__, url_prefix="/checklists", template_folder="templates")

from checklist_app.definitions import views  # noqa: E402,F401  (routes register on bp)
