"""Password reset by e-mail: a signed link that expires and works once.

The link carries the user's id and a digest of their current password hash, signed with the
secret key (itsdangerous). Setting a new password changes the hash, so the same link (or any older
one) no longer works; after ``PASSWORD_RESET_MAX_AGE`` seconds it has expired anyway. The page that
asks for the e-mail address answers the same whether or not an account exists.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_mailman import EmailMessage
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from checklist_app.auth import operations
from checklist_app.auth.blueprint import password_reset as bp
from checklist_app.auth.models import User
from checklist_app.auth.services import MAX_PASSWORD_LENGTH, find_user
from checklist_app.config import service_name
from checklist_app.editing import run
from checklist_app.extensions import db, limiter
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line
from checklist_app.mail import mail
from checklist_app.security import public

SALT = "password-reset"
MIN_LENGTH = 10


class ResetLinkError(ValueError):
    """The link is not valid any more; the message says why in plain words."""


class ForgotForm(FlaskForm):
    """The address to send the link to."""

    email = EmailField("E-mail address", validators=[InputRequired("Enter your e-mail address."),
                                                     Length(max=254)])


class NewPasswordForm(FlaskForm):
    """The new password, twice."""

    password = PasswordField("New password", description=f"At least {MIN_LENGTH} characters.",
                             validators=[InputRequired("Enter a new password."),
                                         Length(min=MIN_LENGTH, message=(
                                             f"Passwords must be at least {MIN_LENGTH} characters.")),
                                         Length(max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField("New password again", validators=[
        InputRequired("Enter the new password again."),
        EqualTo("password", "The two passwords are not the same.")])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _hash_digest(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_token(user: User) -> str:
    """A signed token for ``user`` that stops working when their password changes."""
    return _serializer().dumps({"u": user.id, "h": _hash_digest(user)})


def user_for_token(token: str) -> User:
    """The user a valid token belongs to, or ResetLinkError."""
    try:
        data: Any = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired:
        raise ResetLinkError("This link has expired. Ask for a new one below.") from None
    except BadSignature:
        raise ResetLinkError("This link is not valid. Ask for a new one below.") from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("h") != _hash_digest(user):
        raise ResetLinkError("This link has already been used, or a newer one was sent. Ask for a "
                             "new one below.")
    return user


def send_reset_link(user: User) -> None:
    """E-mail ``user`` a link to set a new password."""
    link = url_for("password_reset.reset", token=make_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    body = render_template("password_reset/email.txt", user=user, link=link, minutes=minutes)
    subject = f"Set a new password for {service_name(current_app.config)}"
    with mail.get_connection() as connection:
        connection.send_messages([EmailMessage(subject=subject, body=body, to=[user.email])])


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@public
def forgot():
    """Ask for the e-mail address; send a link if it belongs to an active account."""
    form = ForgotForm()
    if form.validate_on_submit():
        user = find_user(form.email.data.strip())
        if user is not None and user.active:
            try:
                send_reset_link(user)
            except Exception:  # noqa: BLE001 - tell the person, log the detail
                current_app.logger.exception("Password reset e-mail failed")
                flash("We could not send the e-mail just now. Please try again in a few minutes, "
                      "or ask your school's administrator.", "error")
                return render_template("password_reset/forgot.html", form=form), 503
        flash("If that address belongs to an account, we have e-mailed it a link to set a new "
              "password. The link works once, within the next hour.", "success")
        return redirect(url_for("auth.login"))
    return render_template("password_reset/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@public
def reset(token: str):
    """Set a new password with a valid link."""
    try:
        user = user_for_token(token)
    except ResetLinkError as error:
        flash(str(error), "error")
        return redirect(url_for("password_reset.forgot"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        run(lambda: operations.set_new_password(user, form.password.data), user)
        flash("Your password has been changed. Log in with the new one.", "success")
        return redirect(url_for("auth.login"))
    return render_template("password_reset/reset.html", form=form), 400 if form.errors else 200
