"""Sessions that end: on log-out, password change and deactivation, after idling, and at a limit.

The session cookie holds ``"<user id>:<session token>"`` (:meth:`User.get_id`); the user loader
accepts it only while the token matches the one stored on the user, so changing the token ends every
session of that user on the server side. Each session also records when it began and when it was
last used: after ``IDLE_TIMEOUT_MINUTES`` without a request, or ``SESSION_LIFETIME_HOURS`` after
log-in, the next request finds it logged out.

Log-in with two factors passes through a *pending* state (password checked, code not yet given)
kept in the session under ``pending_login`` for at most ten minutes.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import current_app, flash, g, session
from flask_login import login_user, logout_user

from checklist_app.auth.models import User
from checklist_app.clock import now
from checklist_app.extensions import db

PENDING_SECONDS = 600


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the active user whose current session token is in the cookie."""
    raw_id, _, token = (user_id or "").partition(":")
    if not raw_id.isdigit() or not token or len(raw_id) > 18:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or not user.session_token \
            or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def start_session(user: User) -> None:
    """Log the user in on a fresh session (anything kept before log-in is dropped)."""
    session.clear()
    login_user(user)
    moment = int(now().timestamp())
    session["issued_at"] = moment
    session["seen_at"] = moment


def end_session() -> None:
    """Log out of this browser's session."""
    logout_user()
    session.clear()


def enforce_session_limits() -> None:
    """Before each request: end a session that has idled too long or reached its lifetime."""
    # The user is loaded afresh from the cookie on every request (an app context shared by several
    # requests, as in tests or a CLI-driven client, must not carry a logged-in user over).
    g.pop("_login_user", None)
    if "_user_id" not in session:
        return
    moment = int(now().timestamp())
    idle = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    lifetime = current_app.config["SESSION_LIFETIME_HOURS"] * 3600
    issued, seen = session.get("issued_at"), session.get("seen_at")
    if not isinstance(issued, int) or not isinstance(seen, int):
        end_session()
        return
    if moment - seen > idle or moment - issued > lifetime:
        end_session()
        flash("You were logged out because the session ended. Please log in again.", "info")
        return
    if moment - seen >= 30:  # keep the cookie quiet between close requests
        session["seen_at"] = moment


def begin_pending(user: User, *, enrol: bool, next_url: str) -> None:
    """Remember that the password was right and a second step (code or enrolment) is due."""
    session.clear()
    session["pending_login"] = {"user": user.get_id(), "at": int(now().timestamp()),
                                "enrol": enrol, "next": next_url}


def pending_user() -> tuple[User | None, dict[str, Any]]:
    """The user half-way through log-in (and the pending details), or None when it has expired."""
    pending = session.get("pending_login")
    if not isinstance(pending, dict) or \
            int(now().timestamp()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop("pending_login", None)
        return None, {}
    user = load_user(str(pending.get("user", "")))
    return user, pending
