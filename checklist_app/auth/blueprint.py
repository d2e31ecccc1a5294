"""The auth blueprints, created here with their route modules imported at the bottom: ``bp``
(log in, log out, switch school) and ``staff`` (school administrators manage their users)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
staff = Blueprint("staff", __name__, url_prefix="/admin/users", template_folder="templates")

from checklist_app.auth import staff as staff_routes  # noqa: E402,F401  (routes register)
from checklist_app.auth import views  # noqa: E402,F401
