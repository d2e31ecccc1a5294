"""Log-in and school-switch forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class SwitchSchoolForm(FlaskForm):
    """Choose which of the user's schools to work in."""

    school_id = HiddenField(validators=[DataRequired()])
