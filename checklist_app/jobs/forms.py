"""Forms that start jobs (built per request, so the case choices are the school's own)."""

from __future__ import annotations

from wtforms import BooleanField, RadioField, SelectMultipleField, widgets
from wtforms.validators import InputRequired, ValidationError

from checklist_app.checklist_engine.forms import choice_list
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line
from checklist_app.self_evaluation.terms import Term


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class BulkLettersForm(FlaskForm):
    """Which letters to print together (and whether to e-mail the issued ones)."""

    which = RadioField("Which letters", choices=choice_list([
        ("due", "Every draft letter whose step is due this week"),
        ("cases", "The draft letters of the cases I choose")]), default="due",
        validators=[InputRequired("Choose which letters to print.")])
    case_ids = CheckboxesField("Cases", coerce=int, choices=[])
    email = BooleanField("Also e-mail issued letters to parents and carers who have an e-mail address")

    def validate_case_ids(self, field: CheckboxesField) -> None:
        """Choosing cases means choosing at least one."""
        if self.which.data == "cases" and not field.data:
            raise ValidationError("Choose at least one case, or print every letter that is due.")


class BoardPacksForm(FlaskForm):
    """Which term's board packs, for this school or every school the user leads."""

    term = RadioField("Term", validators=[InputRequired("Choose the term.")], validate_choice=False)
    trust = BooleanField("Every school I lead (one PDF for the trust)")

    def validate_term(self, field: RadioField) -> None:
        """Only a term offered (the value posted is its slug, as the command line takes)."""
        if field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError("Choose one of the terms listed.")


def board_packs_form(terms: list[Term], default: Term | None = None) -> BoardPacksForm:
    """The board packs form offering ``terms`` (newest first) as "Autumn term 2026/27";
    ``default`` is chosen when the page is first shown."""
    form = BoardPacksForm(data={"term": default.slug} if default else None)
    form.term.choices = choice_list([(term.slug, term.label) for term in terms])
    return form


def bulk_letters_form(case_choices: list[tuple[int, str]]) -> BulkLettersForm:
    """The bulk letters form with this school's cases to choose from."""
    form = BulkLettersForm()
    form.case_ids.choices = choice_list(case_choices)
    return form
