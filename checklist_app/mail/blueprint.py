"""The mail blueprint (e-mail an issued letter from its page), created here with its route module
imported at the bottom."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/cases", template_folder="templates")

from checklist_app.mail import views  # noqa: E402,F401  (routes register)
