"""Log in (password, then a code when two-factor log-in is on), log out and switch school."""

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
from flask_login import current_user

from checklist_app.auth import two_factor as totp
from checklist_app.auth.blueprint import bp
from checklist_app.auth.forms import CodeForm, LoginForm, SwitchSchoolForm
from checklist_app.auth.models import User
from checklist_app.auth.services import (
    authenticate,
    lock_remaining,
    record_failure,
    record_success,
    security_event,
)
from checklist_app.auth.sessions import begin_pending, end_session, pending_user, start_session
from checklist_app.clock import now
from checklist_app.editing import commit, run
from checklist_app.extensions import db, limiter
from checklist_app.security import READERS, allow, public

REFUSED = ("The e-mail address or password is not right. After several wrong attempts, log-in "
           "pauses for a few minutes.")


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _finish_login(user: User, next_url: str):
    run(lambda: record_success(user))
    start_session(user)
    if user.invitations:
        flash("A school has added you. Accept or decline it under Your account.", "info")
        return redirect(url_for("account.index"))
    return redirect(_safe_next(next_url))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    """Ask for e-mail and password; then a code, or enrolment when the school requires it."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data, now())
        if user is None:
            commit()  # the failure counts against the account
            form.password.errors.append(REFUSED)
        elif user.two_factor_enabled or totp.two_factor_required(user):
            enrol = not user.two_factor_enabled
            begin_pending(user, enrol=enrol, next_url=_safe_next(form.next.data))
            commit()
            return redirect(url_for("auth.enrol_two_factor" if enrol else "auth.two_factor"))
        else:
            return _finish_login(user, form.next.data)
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


def _pending_or_restart(enrol: bool):
    user, pending = pending_user()
    if user is None or bool(pending.get("enrol")) is not enrol:
        flash("Please log in again: that step took too long or was not started.", "info")
        return None, {}
    return user, pending


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def two_factor():
    """The second log-in step: the authenticator app's code, or a recovery code."""
    user, pending = _pending_or_restart(enrol=False)
    if user is None:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        moment = now()
        kind = None if lock_remaining(user, moment) else \
            totp.check_second_factor(user, form.code.data, moment)
        if kind == "recovery code":
            left = totp.remaining_recovery_codes(user)
            security_event("recovery code used", user, f"{left} recovery codes left")
        if kind is not None:
            response = _finish_login(user, pending.get("next", ""))
            if kind == "recovery code":  # after the fresh session starts, so the notice survives
                flash(f"You used a recovery code; {left} are left. Make new ones under Your "
                      "account if you are running low.", "info")
            return response
        if lock_remaining(user, moment) is None:
            record_failure(user, moment, "wrong two-factor code")
        commit()
        form.code.errors.append("That code is not right, or log-in is paused after several wrong "
                                "attempts. Enter the code your app shows now.")
    return render_template("auth/two_factor.html", form=form), 200 if not form.errors else 400


@bp.route("/login/two-factor/set-up", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def enrol_two_factor():
    """Set up an authenticator app at log-in, when the school requires two-factor log-in."""
    user, pending = _pending_or_restart(enrol=True)
    if user is None:
        return redirect(url_for("auth.login"))
    secret = session.setdefault("totp_enrol_secret", totp.new_secret())
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = totp.enable(user, secret, form.code.data, now())
        except totp.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            security_event("two-factor log-in turned on", user)
            next_url = pending.get("next", "")
            _finish_login(user, next_url)
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next_url=_safe_next(next_url))
    return render_template("auth/two_factor_setup.html", form=form, secret=secret,
                           grouped=totp.grouped(secret),
                           qr=totp.qr_svg(totp.provisioning_uri(user, secret)),
                           required=True), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@allow(READERS, governor_may_post=True)
def logout():
    """End the session, and every other session of this user (the session token changes)."""
    user = db.session.get(User, current_user.id)

    def log_out() -> None:
        user.end_sessions()
        security_event("logged out", user)

    run(log_out)
    end_session()
    flash("You have logged out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/switch-school", methods=["POST"])
@allow(READERS, governor_may_post=True)
def switch_school():
    """Work in another of the user's schools."""
    form = SwitchSchoolForm()
    if form.validate_on_submit() and form.school_id.data.isdigit():
        school_id = int(form.school_id.data)
        if current_user.role_in(school_id) is not None:
            session["school_id"] = school_id
            return redirect(_safe_next(request.form.get("next")))
    flash("You do not have access to that school.", "error")
    return redirect(url_for("home.index"))
