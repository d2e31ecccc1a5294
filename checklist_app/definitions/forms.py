"""The versions to compare on a checklist's "what changed" page (a GET form: no CSRF token)."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField

from checklist_app.checklist_engine.forms import choice_list
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line


class CompareForm(FlaskForm):
    """From which version to which."""

    class Meta:
        """Read from the query string."""

        csrf = False

    old = SelectField("From version", validate_choice=False)
    new = SelectField("To version", validate_choice=False)


def compare_form(versions: list[Any], old: Any, new: Any) -> CompareForm:
    """The form offering every version, with the two being compared chosen."""
    form = CompareForm(formdata=None, old=old.version, new=new.version)
    choices = choice_list([(d.version, d.version) for d in versions])
    form.old.choices, form.new.choices = choices, list(choices)
    return form
