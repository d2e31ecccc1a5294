"""The erasure confirmation form."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line


class EraseForm(FlaskForm):
    """Typing the pupil's name guards against erasing the wrong record."""

    confirmation = StringField("Type the pupil's full name to confirm",
                               validators=[InputRequired("Type the pupil's full name."),
                                           Length(max=250)])
    reason = TextAreaField("Reason for the erasure",
                           description="For example the request reference and who asked.",
                           validators=[InputRequired("Give the reason for the erasure."),
                                       Length(max=500)])
