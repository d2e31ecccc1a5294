"""The reporting blueprints, created here, with their route modules imported at the bottom:
``bp`` (report downloads and calendar settings, for logged-in users) and ``feeds`` (the public,
token-protected calendar feeds). Route modules import only downwards, never each other."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reporting", __name__, url_prefix="/reports", template_folder="templates")
feeds = Blueprint("calendar_feed", __name__, url_prefix="/calendar")

from checklist_app.reporting import calendar_views, views  # noqa: E402,F401  (routes register)
