"""The sharing blueprint: created here, its route module imported at the bottom (routes import
``bp`` from here, never the other way round)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sharing", __name__, url_prefix="/sharing", template_folder="templates")

from checklist_app.sharing import views  # noqa: E402,F401  (routes register on bp)
