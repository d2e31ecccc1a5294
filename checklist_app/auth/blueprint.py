"""The auth blueprints, created here with their route modules imported at the bottom: ``bp``
(log in, log out, switch school), ``staff`` (school administrators manage their users) and
``password_reset`` (a new password by a signed e-mailed link)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
staff = Blueprint("staff", __name__, url_prefix="/admin/users", template_folder="templates")
password_reset = Blueprint("password_reset", __name__, template_folder="templates")

from checklist_app.auth import password_reset as password_reset_routes  # noqa: E402,F401
from checklist_app.auth import staff as staff_routes  # noqa: E402,F401  (routes register)
from checklist_app.auth import views  # noqa: E402,F401
