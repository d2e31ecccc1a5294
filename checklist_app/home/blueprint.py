"""The home blueprint: created here, its route module imported at the bottom (routes import
``bp`` from here, never the other way round)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("home", __name__)

from checklist_app.home import views  # noqa: E402,F401  (routes register on bp)
