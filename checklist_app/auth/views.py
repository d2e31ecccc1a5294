"""Log in, log out and switch school."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from checklist_app.auth.blueprint import bp
from checklist_app.auth.forms import LoginForm, SwitchSchoolForm
from checklist_app.auth.services import authenticate
from checklist_app.extensions import limiter
from checklist_app.security import EVERYONE, allow, public


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    """Ask for e-mail and password; on success go where the user was heading."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            return redirect(_safe_next(form.next.data))
        form.password.errors.append("The e-mail address or password is not right.")
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@allow(EVERYONE, governor_may_post=True)
def logout():
    """End the session."""
    logout_user()
    session.clear()
    flash("You have logged out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/switch-school", methods=["POST"])
@allow(EVERYONE, governor_may_post=True)
def switch_school():
    """Work in another of the user's schools."""
    form = SwitchSchoolForm()
    if form.validate_on_submit() and form.school_id.data.isdigit():
        school_id = int(form.school_id.data)
        if current_user.role_in(school_id) is not None:
            session["school_id"] = school_id
            return redirect(url_for("home.index"))
    flash("You do not have access to that school.", "error")
    return redirect(url_for("home.index"))
