"""The audit trail's filter: words, record type and a date range in GOV.UK date inputs (a GET form)."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from checklist_app.checklist_engine.forms import choice_list
from checklist_app.input_safety import DateField, OnOrAfter
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line

WORDS_MAX = 200


class AuditFilterForm(FlaskForm):
    """Which audit entries to show; the dates keep their old names (``?from=2026-09-01`` works)."""

    class Meta:
        """Read from the query string, so no CSRF token."""

        csrf = False

    q = StringField("Words to find", description="A name, a record type or a word from a change.",
                    validators=[Length(max=WORDS_MAX)])
    record_type = SelectField("Kind of record", validate_choice=False)
    date_from = DateField("From", name="from", description="For example, 1 9 2026",
                          validators=[Optional()])
    date_to = DateField("To", name="to", description="For example, 31 12 2026", validators=[
        Optional(), OnOrAfter("date_from", "The ‘to’ date must be the same as or after the ‘from’ date.")])


def audit_filter_form(formdata: object, kinds: list[tuple[str, str]]) -> AuditFilterForm:
    """The filter read from ``formdata`` (the query string), offering the school's kinds of record
    as (stored type, name in words) pairs."""
    form = AuditFilterForm(formdata=formdata)
    form.record_type.choices = choice_list([("", "Any"), *kinds])
    return form
