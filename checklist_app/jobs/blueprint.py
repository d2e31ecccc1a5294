"""The jobs blueprint (start, follow and download background work), created here with its route
module imported at the bottom."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates")

from checklist_app.jobs import views  # noqa: E402,F401  (routes register)
