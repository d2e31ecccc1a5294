"""Log-in, second-step, password-change, two-factor and school-switch forms."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from checklist_app.auth.services import MAX_PASSWORD_LENGTH
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class SwitchSchoolForm(FlaskForm):
    """Choose which of the user's schools to work in."""

    school_id = HiddenField(validators=[DataRequired()])


class CodeForm(FlaskForm):
    """The second log-in step: a code from the authenticator app, or a recovery code."""

    code = StringField("Code", validators=[DataRequired("Enter the code."), Length(max=40)],
                       description="The 6-digit code your authenticator app shows now, or one of "
                                   "your recovery codes.")


class ChangePasswordForm(FlaskForm):
    """A new password, confirmed, with the current one."""

    current_password = PasswordField("Current password", validators=[
        DataRequired("Enter your current password."), Length(max=200)])
    new_password = PasswordField("New password", validators=[
        DataRequired("Enter a new password."), Length(max=MAX_PASSWORD_LENGTH)],
        description="At least 10 characters. A phrase of three or four words is easy to remember "
                    "and hard to guess.")
    confirm = PasswordField("New password again", validators=[
        DataRequired("Enter the new password again."),
        EqualTo("new_password", "The two new passwords are not the same.")])


class PasswordCheckForm(FlaskForm):
    """Confirm a sensitive change (turn off two-factor, new recovery codes) with the password."""

    password = PasswordField("Your password", validators=[
        DataRequired("Enter your password."), Length(max=200)])


class RequireTwoFactorForm(FlaskForm):
    """An administrator's setting: everyone in the school logs in with two factors."""

    require = BooleanField("Everyone at this school must log in with an authenticator app")
