"""Your account: schools that added you, your password, and two-factor log-in (any role)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from checklist_app.auth import two_factor
from checklist_app.auth.blueprint import account as bp
from checklist_app.auth.forms import ChangePasswordForm, CodeForm, PasswordCheckForm
from checklist_app.auth.models import User
from checklist_app.auth.services import (
    AccountError,
    answer_invitation,
    change_password_of,
    check_password_strength,
    record_failure,
    security_event,
    verify_password,
)
from checklist_app.auth.sessions import start_session
from checklist_app.clock import now
from checklist_app.editing import run
from checklist_app.extensions import db
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line
from checklist_app.security import READERS, allow

WRONG_PASSWORD = "That is not your current password."  # noqa: S105 - a message


def _me() -> User:
    return db.session.get(User, current_user.id)


def _password_ok(user: User, field) -> bool:
    """Check the current password; a wrong one counts towards the account's lock-out."""
    if verify_password(user.password_hash, field.data or ""):
        return True
    run(lambda: record_failure(user, now(), "wrong password on the account page"))
    field.errors.append(WRONG_PASSWORD)
    return False


@bp.get("/")
@allow(READERS, governor_may_post=True)
def index():
    """Password and two-factor settings of the logged-in user."""
    user = _me()
    return render_template("auth/account.html", user=user, check_form=PasswordCheckForm(),
                           remaining=two_factor.remaining_recovery_codes(user),
                           required=two_factor.two_factor_required(user))


@bp.post("/invitations/<int:invitation_id>")
@allow(READERS, governor_may_post=True)
def answer(invitation_id: int):
    """Accept or decline a school's invitation (a membership an administrator added)."""
    if not FlaskForm().validate_on_submit():  # the CSRF token
        abort(400)
    accept = request.form.get("answer") == "accept"
    user = _me()
    school_name = next((m.school.name for m in user.invitations if m.id == invitation_id), None)
    if school_name is None:
        abort(404)

    def answer_it() -> None:
        answer_invitation(user, invitation_id, accept)
        security_event("school membership accepted" if accept else "school membership declined",
                       user, school_name)

    run(answer_it)
    flash(f"You can now work at {school_name}; choose it with the school switcher." if accept
          else f"You declined {school_name}.", "success")
    return redirect(url_for("account.index"))


@bp.route("/password", methods=["GET", "POST"])
@allow(READERS, governor_may_post=True)
def change_password():
    """Change your password (the current one is needed); other sessions end."""
    user, form = _me(), ChangePasswordForm()
    if form.validate_on_submit() and _password_ok(user, form.current_password):
        try:
            check_password_strength(form.new_password.data, user.email)
        except AccountError as error:
            form.new_password.errors.append(str(error))
        else:
            run(lambda: change_password_of(user, form.new_password.data))
            start_session(user)
            flash("Your password has been changed. Any other session you had has ended.",
                  "success")
            return redirect(url_for("account.index"))
    return render_template("auth/change_password.html", form=form), 400 if form.errors else 200


@bp.route("/two-factor", methods=["GET", "POST"])
@allow(READERS, governor_may_post=True)
def set_up_two_factor():
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code."""
    user = _me()
    if user.two_factor_enabled:
        return redirect(url_for("account.index"))
    secret = session.setdefault("totp_enrol_secret", two_factor.new_secret())
    form = CodeForm()
    if form.validate_on_submit():

        def turn_on() -> list[str]:
            codes = two_factor.enable(user, secret, form.code.data, now())
            security_event("two-factor log-in turned on", user)
            return codes

        try:
            codes = run(turn_on)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            session.pop("totp_enrol_secret", None)
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next_url=url_for("account.index"))
    return render_template("auth/two_factor_setup.html", form=form, secret=secret,
                           grouped=two_factor.grouped(secret),
                           qr=two_factor.qr_svg(two_factor.provisioning_uri(user, secret)),
                           required=False), 400 if form.errors else 200


@bp.post("/two-factor/recovery-codes")
@allow(READERS, governor_may_post=True)
def new_recovery_codes():
    """Replace the recovery codes (the old ones stop working)."""
    user, form = _me(), PasswordCheckForm()
    if not user.two_factor_enabled:
        return redirect(url_for("account.index"))
    if form.validate_on_submit() and _password_ok(user, form.password):

        def replace_codes() -> list[str]:
            security_event("new recovery codes made", user)
            return two_factor.new_recovery_codes(user)

        codes = run(replace_codes)
        return render_template("auth/recovery_codes.html", codes=codes,
                               next_url=url_for("account.index"))
    return render_template("auth/account.html", user=user, check_form=form,
                           remaining=two_factor.remaining_recovery_codes(user),
                           required=two_factor.two_factor_required(user)), 400


@bp.post("/two-factor/off")
@allow(READERS, governor_may_post=True)
def turn_off_two_factor():
    """Turn two-factor log-in off, unless one of the user's schools requires it."""
    user, form = _me(), PasswordCheckForm()
    if two_factor.two_factor_required(user):
        flash("Your school requires two-factor log-in, so it cannot be turned off.", "error")
        return redirect(url_for("account.index"))
    if form.validate_on_submit() and _password_ok(user, form.password):

        def turn_off() -> None:
            two_factor.disable(user)
            security_event("two-factor log-in turned off", user)

        run(turn_off)
        flash("Two-factor log-in is off. You now log in with your password alone.", "success")
        return redirect(url_for("account.index"))
    return render_template("auth/account.html", user=user, check_form=form,
                           remaining=two_factor.remaining_recovery_codes(user),
                           required=False), 400
