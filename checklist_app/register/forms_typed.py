"""Forms for typed weeks (schools without an export): add a week, and correct or withdraw one with
a reason. Built per request; the per-row forms carry a prefix so each row's fields have their own ids."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from checklist_app.input_safety import DateField
from checklist_app.input_safety import SafeForm as FlaskForm

SESSIONS = "A session is a morning or an afternoon; a week has at most 14."


def _count(label: str, message: str, description: str = "") -> IntegerField:
    return IntegerField(label, description=description, validators=[
        InputRequired(message), NumberRange(min=0, max=14, message="Enter a number from 0 to 14.")])


class CountsForm(FlaskForm):
    """The three session counts of a week."""

    possible = _count("Possible sessions", "Enter the possible sessions.", SESSIONS)
    attended = _count("Sessions attended", "Enter the sessions attended.")
    unauthorised = _count("Unauthorised sessions", "Enter the unauthorised sessions.")


class TypedWeekForm(CountsForm):
    """A new typed week: the week and its counts."""

    week_start = DateField("Week beginning", validators=[InputRequired("Enter the week.")],
                           description="Any day of the week: it is recorded as the week's Monday.")


class CorrectWeekForm(CountsForm):
    """Corrected counts for a typed week, with the reason."""

    version = HiddenField()
    reason = TextAreaField("Why are the figures being corrected?", validators=[
        DataRequired("Say why the figures are being corrected."), Length(max=1000)])


class WithdrawWeekForm(FlaskForm):
    """Withdrawing a typed week, with the reason."""

    version = HiddenField()
    reason = TextAreaField("Why are the figures being withdrawn?", validators=[
        DataRequired("Say why the figures are being withdrawn."), Length(max=1000)])
