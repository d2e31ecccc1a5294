"""The data protection blueprint: created here, its route module imported at the bottom (routes import
``bp`` from here, never the other way round)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("data_protection", __name__, url_prefix="/data-protection",
               template_folder="templates")

from checklist_app.data_protection import views  # noqa: E402,F401  (routes register on bp)
