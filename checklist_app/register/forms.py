"""Register forms, built per request: the upload, the column mapping (one choice per header of the
uploaded file) and the pupils-at-risk filters."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField

from checklist_app.checklist_engine.forms import choice_list
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line
from checklist_app.register.atrisk import COHORTS
from checklist_app.register.parsing import ALL_FIELDS


class UploadForm(FlaskForm):
    """Choose the roll or marks export to import."""

    file = FileField("Roll or marks export (CSV or Excel)", validators=[
        FileRequired("Choose a file to import."),
        FileAllowed(["csv", "xlsx"], "Choose a CSV (.csv) or Excel (.xlsx) file.")],
        description="Export it from your MIS: the pupil roll, or the marks in one row per session "
                    "or one column per session.")


def mapping_form(headers: list[str], mapping: dict[str, str], formdata=None) -> FlaskForm:
    """One select per header: which of our fields the column holds (or not used)."""

    class MappingForm(FlaskForm):
        pass

    choices = choice_list([("", "Not used (or a session column)")] + [
        (key, label) for key, label in ALL_FIELDS.items() if key != "ignore"])
    for index, header in enumerate(headers):
        setattr(MappingForm, f"column_{index}", SelectField(
            f"Column {index + 1}: {header or '(no heading)'}", choices=choices, default=""))
    form = MappingForm(formdata=formdata)
    if formdata is None:
        for index, header in enumerate(headers):
            getattr(form, f"column_{index}").data = mapping.get(header, "")
    return form


def chosen_mapping(form: FlaskForm, headers: list[str]) -> dict[str, str]:
    """Header -> field from a submitted mapping form ("ignore" for columns left unused)."""
    found = {}
    for index, header in enumerate(headers):
        value = getattr(form, f"column_{index}").data
        found[header] = value or "ignore"
    return found


def filter_form(year_groups: list[str], formdata) -> FlaskForm:
    """Filters for the pupils-at-risk list (a GET form, so no CSRF token); ``year_groups`` are
    names (Year 8), each once."""

    class FilterForm(FlaskForm):
        class Meta:
            csrf = False

        year_group = SelectField("Year group", choices=choice_list(
            [("", "All year groups")] + [(y, y) for y in year_groups]), default="")
        cohort = SelectField("Cohort", choices=choice_list([("", "All pupils")]
                                                           + list(COHORTS.items())), default="")

    return FilterForm(formdata=formdata)
