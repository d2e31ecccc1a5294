"""The erasure confirmation form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length


class EraseForm(FlaskForm):
    """Typing the pupil's name guards against erasing the wrong record."""

    confirmation = StringField("Type the pupil's full name to confirm",
                               validators=[InputRequired("Type the pupil's full name."),
                                           Length(max=250)])
    reason = TextAreaField("Reason for the erasure",
                           description="For example the request reference and who asked.",
                           validators=[InputRequired("Give the reason for the erasure."),
                                       Length(max=500)])
