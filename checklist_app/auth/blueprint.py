"""The auth blueprints, created here with their route modules imported at the bottom: ``bp``
(log in, two-factor step, log out, switch school), ``staff`` (school administrators manage their
users), ``account`` (your password, two-factor log-in and the schools that added you) and
``password_reset`` (a new password by a signed e-mailed link)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
staff = Blueprint("staff", __name__, url_prefix="/admin/users", template_folder="templates")
account = Blueprint("account", __name__, url_prefix="/account")
password_reset = Blueprint("password_reset", __name__, template_folder="templates")

from checklist_app.auth import account as account_routes  # noqa: E402,F401  (routes register)
from checklist_app.auth import password_reset as password_reset_routes  # noqa: E402,F401
from checklist_app.auth import staff as staff_routes  # noqa: E402,F401
from checklist_app.auth import views  # noqa: E402,F401
