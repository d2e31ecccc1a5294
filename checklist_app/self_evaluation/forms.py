"""Forms of the self-evaluation, built per request where they depend on the definition."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from checklist_app.checklist_engine.forms import build_form_class, choice_list, field_name
from checklist_app.checklist_engine.schema import Definition, Item
from checklist_app.input_safety import DateField
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line
from checklist_app.self_evaluation.models import ActionStatus
from checklist_app.self_evaluation.terms import Season

IMPACT_PROMPT = "impact"


class StartForm(FlaskForm):
    """Choose the academic year and term to start."""

    academic_year = SelectField("Academic year", validators=[InputRequired()])
    season = RadioField("Term", choices=choice_list([(s.value, s.label) for s in Season]),
                        validators=[InputRequired("Choose the term.")])


class CheckpointFormBase(FlaskForm):
    """A checkpoint's rating and evidence; the top rating must say how impact will be shown."""

    rating_field = ""
    impact_field = ""
    top_rating: tuple[str, str] = ("", "")

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.impact_field and self[self.rating_field].data == self.top_rating[0] \
                and not (self[self.impact_field].data or "").strip():
            self[self.impact_field].errors = [
                *self[self.impact_field].errors,
                f"To rate this checkpoint {self.top_rating[1]}, say how you will show its impact."]
            ok = False
        return ok


def checkpoint_form_class(definition: Definition, item: Item,
                          confirm_review: bool = False) -> type[FlaskForm]:
    """The form for one checkpoint (built per request from the pinned definition).

    ``confirm_review`` adds the "reviewed this term" box for an answer carried from last term."""
    prompts = {p.id for p in definition.evidence_prompts}
    top = definition.rating_scale[-1]
    review = {"reviewed": BooleanField(
        "I have reviewed this checkpoint this term",
        description="An answer carried forward from last term must be confirmed before the term "
                    "can be finalised.")} if confirm_review else {}
    return build_form_class(definition, [item], base=CheckpointFormBase, extra={**review,
        "version": HiddenField(default="0"),
        "rating_field": field_name(item.id, "rating"),
        "impact_field": field_name(item.id, IMPACT_PROMPT) if IMPACT_PROMPT in prompts else "",
        "top_rating": (top.value, top.label),
    })


def sign_off_form_class(definition: Definition, finalising: bool) -> type[FlaskForm]:
    """The sign-off block of the definition; every field but comments is needed to finalise."""
    attrs: dict[str, Any] = {"version": HiddenField()}
    for spec in definition.sign_off:
        needed = finalising and spec.type != "long_text"
        presence = [InputRequired(f"Enter the {spec.label.lower()} to finalise.")] if needed \
            else [Optional()]
        if spec.type == "date":
            attrs[spec.id] = DateField(spec.label, validators=presence)
        elif spec.type == "long_text":
            attrs[spec.id] = TextAreaField(spec.label, validators=[*presence, Length(max=5000)])
        else:
            attrs[spec.id] = StringField(spec.label, validators=[*presence, Length(max=200)])

    def validate_next_review_date(form: FlaskForm, field: Field) -> None:
        signed = form.data.get("date")
        if field.data and isinstance(signed, date) and field.data <= signed:
            raise ValidationError("The date of next review must be after the date of sign-off.")

    if any(spec.id == "next_review_date" for spec in definition.sign_off):
        attrs["validate_next_review_date"] = validate_next_review_date
    return type("SignOffForm", (FlaskForm,), attrs)


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def action_form_class(checkpoints: list[tuple[str, str]], owners: list[tuple[int, str]]) \
        -> type[FlaskForm]:
    """An action of the plan; the checkpoint and owner choices come from this school."""

    def validate_owner_name(form: FlaskForm, field: Field) -> None:
        if not form.owner_user_id.data and not (field.data or "").strip():
            raise ValidationError("Choose someone from the school or type the responsible "
                                  "person's name.")

    attrs: dict[str, Any] = {
        "version": HiddenField(default="0"),
        "action_point": TextAreaField("Action point", validators=[
            InputRequired("Describe the action."), Length(max=2000)]),
        "checkpoint_ids": MultiCheckboxField("Checkpoints this action addresses",
                                             choices=choice_list(checkpoints), validate_choice=True),
        "owner_user_id": SelectField("Responsible person at the school",
                                     choices=choice_list([(0, "Nobody from the list"), *owners]), coerce=int,
                                     default=0),
        "owner_name": StringField("Or other responsible person(s)", validators=[Length(max=200)],
                                  description="For example a governor or an agency worker."),
        "review_date": DateField("Timescale / review date", validators=[
            InputRequired("Enter a review date, for example 30 January 2027.")]),
        "status": RadioField("Status", choices=choice_list([(s.value, s.label) for s in ActionStatus]),
                             default=ActionStatus.NOT_STARTED.value, validators=[InputRequired()]),
        "comments": TextAreaField("Comments", validators=[Length(max=5000)]),
        "completed_on": DateField("Completion date", validators=[Optional()],
                                  description="Leave blank to use today's date when the action "
                                              "is marked done or dropped."),
        "validate_owner_name": validate_owner_name,
    }
    return type("ActionForm", (FlaskForm,), attrs)


class ReopenForm(FlaskForm):
    """Why a finalised self-evaluation is reopened."""

    version = HiddenField()
    reason = TextAreaField("Why are you reopening it?", validators=[
        InputRequired("Say why the self-evaluation is being reopened."), Length(max=2000)])


class BoardCommentForm(FlaskForm):
    """A governor's comment."""

    body = TextAreaField("Board comment", validators=[
        InputRequired("Write the comment."), Length(max=5000)])


class BoardReplyForm(FlaskForm):
    """A senior leader's reply to one board comment (one form per comment, prefixed by its id)."""

    version = HiddenField()
    body = TextAreaField("Reply to this comment", validators=[
        InputRequired("Write the reply."), Length(max=5000)])


class LocalCheckpointForm(FlaskForm):
    """A checkpoint the school adds to its own self-evaluation."""

    text = TextAreaField("Checkpoint text", validators=[
        InputRequired("Write the checkpoint."), Length(max=4000)],
        description="Written as a statement the school can rate, like the official checkpoints.")
    guidance = StringField("Guidance reference (optional)", validators=[Length(max=300)])


class VersionForm(FlaskForm):
    """A button that changes a record: carries the version it was shown."""

    version = HiddenField()


class ActionFilterForm(FlaskForm):
    """Which of the school's actions to list (a GET form: no CSRF token)."""

    class Meta:
        """Read from the query string."""

        csrf = False

    owner = SelectField("Responsible person", validate_choice=False, default="")
    status = SelectField("Status", validate_choice=False, default="")
    overdue = BooleanField("Only overdue actions")


def action_filter_form(formdata: Any, owners: list[tuple[str, str]]) -> ActionFilterForm:
    """The actions filter read from the query string, offering the school's owners and statuses."""
    form = ActionFilterForm(formdata=formdata)
    form.owner.choices = choice_list([("", "Anyone"), *owners])
    form.status.choices = choice_list([("", "Any status"), ("open", "Open (not started or in progress)"),
                                       *((s.value, s.label) for s in ActionStatus)])
    return form


class TermFilterForm(FlaskForm):
    """Which term to show (a GET form: no CSRF token)."""

    class Meta:
        """Read from the query string."""

        csrf = False

    term = SelectField("Term", validate_choice=False)


def term_filter_form(terms: list[Any], chosen: Any) -> TermFilterForm:
    """The term filter offering ``terms`` (by label), with ``chosen`` selected."""
    form = TermFilterForm(formdata=None, term=chosen.slug)
    form.term.choices = choice_list([(t.slug, t.label) for t in terms])
    return form


class HistoryFilterForm(FlaskForm):
    """Which part of a self-evaluation's history to show (a GET form: no CSRF token)."""

    class Meta:
        """Read from the query string."""

        csrf = False

    show = SelectField("Show changes to", validate_choice=False, default="")


def history_filter_form(formdata: Any, topics: list[tuple[str, str]]) -> HistoryFilterForm:
    """The history filter read from the query string, offering ``topics`` (value, label)."""
    form = HistoryFilterForm(formdata=formdata)
    form.show.choices = choice_list([("", "Everything"), *topics])
    return form
