"""Casework forms. Choices that depend on the case (parents, attendees, letters) are set on the
instance per request; the checklist and meeting-record forms are built per request by the engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import CheckboxInput, ListWidget

from checklist_app.casework.contract_operations import END_REASONS
from checklist_app.casework.correction_operations import REASON_MAX
from checklist_app.casework.models import (
    AgreementStatus,
    AttendeeKind,
    ClosureReason,
    ContactMethod,
    DurationUnit,
    Labelled,
    MeetingKind,
    MeetingOutcome,
    Party,
)
from checklist_app.checklist_engine.forms import choice_list
from checklist_app.formatting import year_group
from checklist_app.input_safety import DateField, OnOrAfter
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line

YEAR_GROUPS = ["Nursery", "Reception"] + [f"Year {n}" for n in range(1, 14)]
TITLES = ["", "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"]
REQUIRED = "Please answer this."
SEARCH_MAX = 200

E = TypeVar("E", bound=Labelled)


def enum_choices(members: Iterable[Labelled]) -> list:
    """WTForms choices of enum members: the value submitted, the label staff read."""
    return choice_list([(m.value, m.label) for m in members])


def coerce_to(kind: type[E]) -> Callable[[Any], E | None]:
    """A WTForms ``coerce`` that turns a submitted value into a member of ``kind`` (None if blank);
    a value that is no member is refused as an invalid choice."""
    def coerce(value: Any) -> E | None:
        if value is None or value == "":
            return None
        return value if isinstance(value, kind) else kind(value)
    return coerce


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (no JavaScript needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PupilForm(FlaskForm):
    """A pupil's details."""

    first_name = StringField("First name", validators=[DataRequired(REQUIRED), Length(max=100)])
    last_name = StringField("Last name", validators=[DataRequired(REQUIRED), Length(max=100)])
    date_of_birth = DateField("Date of birth", validators=[InputRequired("Enter the date of birth.")])
    year_group = SelectField("Year group", choices=choice_list([(y, y) for y in YEAR_GROUPS]))
    upn = StringField("Unique pupil number (UPN), if known", validators=[
        Optional(), Regexp(r"^[A-Za-z]\d{11}[A-Za-z0-9]$", message="A UPN is a letter, 11 digits and "
                           "a letter or digit, e.g. A12345678901B.")])
    has_social_worker = BooleanField("The pupil has a social worker")
    social_worker_name = StringField("Social worker's name", validators=[Length(max=200)])
    social_worker_contact = StringField("Social worker's telephone or e-mail",
                                        validators=[Length(max=200)])
    version = HiddenField()


def pupil_form(pupil: Any = None, showing: bool = True) -> PupilForm:
    """The pupil form, built per request. The stored year group is offered as staff say it ("8" from
    an older roll import reads "Year 8"), and kept as a choice when it is none of the usual ones, so
    saving other details never changes it silently."""
    form = PupilForm(obj=pupil if showing else None)
    stored = year_group(pupil.year_group) if pupil is not None else ""
    if stored and stored not in YEAR_GROUPS:
        form.year_group.choices = choice_list([(y, y) for y in [*YEAR_GROUPS, stored]])
    if pupil is not None and showing:
        form.year_group.data = stored
    return form


class PupilSearchForm(FlaskForm):
    """Searching the pupils by name or UPN (a GET form, so no CSRF token)."""

    class Meta:
        """Read from the query string."""

        csrf = False

    q = StringField("Search by name or UPN", validators=[Length(max=SEARCH_MAX)])


class CaseFilterForm(FlaskForm):
    """Which open cases the dashboard lists (a GET form, so no CSRF token)."""

    class Meta:
        """Read from the query string."""

        csrf = False

    lead = SelectField("Lead professional", validate_choice=False, default="")
    stage = SelectField("Stage", validate_choice=False, default="")


def case_filter_form(formdata: Any, leads: Iterable[tuple[int, str]], stages: Iterable[Any]) \
        -> CaseFilterForm:
    """The dashboard's filter read from the query string, offering the school's staff and stages."""
    form = CaseFilterForm(formdata=formdata)
    form.lead.choices = choice_list([("", "Everyone"), *((str(i), name) for i, name in leads)])
    form.stage.choices = choice_list([("", "All stages"), *((s.value, s.label) for s in stages)])
    return form


class ParentForm(FlaskForm):
    """A parent or carer."""

    title = SelectField("Title", choices=choice_list([(t, t or "None") for t in TITLES]))
    first_name = StringField("First name", validators=[DataRequired(REQUIRED), Length(max=100)])
    last_name = StringField("Last name", validators=[DataRequired(REQUIRED), Length(max=100)])
    relationship_to_pupil = StringField("Relationship to the pupil", description="For example: mother,"
                                        " father, grandmother, foster carer.",
                                        validators=[DataRequired(REQUIRED), Length(max=60)])
    address = TextAreaField("Address", description="One line per line of the address, without the "
                            "postcode.", validators=[Length(max=500)])
    postcode = StringField("Postcode", validators=[Length(max=10)])
    lives_with_pupil = BooleanField("Lives with the pupil")
    parental_responsibility = BooleanField("Has parental responsibility")
    phone = StringField("Telephone", validators=[Length(max=40)])
    email = StringField("E-mail address", validators=[Optional(), Email(), Length(max=254)])
    reasonable_adjustments = TextAreaField("Reasonable adjustments", description="For example: an "
                                           "interpreter, large print, a meeting room on the ground "
                                           "floor.", validators=[Length(max=2000)])
    version = HiddenField()


class CaseForm(FlaskForm):
    """Opening (or editing) a case."""

    lead_user_id = SelectField("Attendance lead (lead professional)", coerce=_optional_int,
                               validators=[InputRequired("Choose the lead professional.")])
    chair_name = StringField("Chair of the contract meeting", description="May be the lead "
                             "professional or someone else.", validators=[Length(max=200)])
    baseline_attendance = DecimalField("Attendance at the start (%)", places=1, validators=[
        InputRequired("Enter the pupil's attendance at the start."),
        NumberRange(min=0, max=100, message="Enter a percentage from 0 to 100.")])
    reason_for_concern = TextAreaField("Reason for concern",
                                       validators=[DataRequired(REQUIRED), Length(max=5000)])
    opened_on = DateField("Opened on", validators=[InputRequired("Enter the date.")])
    version = HiddenField()


class CloseCaseForm(FlaskForm):
    """Closing a case with a reason (R10)."""

    reason = RadioField("Reason for closing",
                        coerce=coerce_to(ClosureReason), choices=enum_choices(ClosureReason),
                        validators=[InputRequired("Choose a reason.")])
    rationale = TextAreaField("Rationale", description="Put to the parents in writing.",
                              validators=[DataRequired(REQUIRED), Length(max=5000)])
    closed_on = DateField("Closed on", validators=[InputRequired("Enter the date.")])
    letter_ids = CheckboxesField("Letters telling the parents",
                                 description="When a contract is in force, choose the issued letter "
                                 "to each parent it is with: each parent gets their own letter.",
                                 coerce=int, validators=[Optional()])


class MeetingForm(FlaskForm):
    """Scheduling a meeting."""

    kind = RadioField("Kind of meeting", coerce=coerce_to(MeetingKind), choices=enum_choices(MeetingKind),
                      validators=[InputRequired("Choose the kind of meeting.")])
    meeting_date = DateField("Date", validators=[InputRequired("Enter the date.")])
    start_time = TimeField("Time", validators=[Optional()])
    location = StringField("Location", validators=[DataRequired(REQUIRED), Length(max=200)])
    alternative_offered = StringField("Alternative offered", description="For example: by telephone "
                                      "or online.", validators=[Length(max=300)])
    parent_ids = CheckboxesField("Parents or carers invited", coerce=int)


class AttendeeForm(FlaskForm):
    """Adding someone to a meeting (R25: names and roles in full)."""

    name = StringField("Full name", validators=[DataRequired(REQUIRED), Length(max=200)])
    role = StringField("Role in full", description="For example: Early Help practitioner, "
                       "Assistant Headteacher (Attendance Champion).",
                       validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField("Attending as", coerce=coerce_to(AttendeeKind), choices=enum_choices(AttendeeKind))
    parent_id = SelectField("Which parent or carer (if attending as one)", coerce=_optional_int,
                            validators=[Optional()])


def record_extra_fields(attendees: list) -> dict[str, Field]:
    """The outcome, notes, version and one "present" box per attendee for the record form."""
    extra: dict[str, Field] = {
        "outcome": RadioField("Outcome", coerce=coerce_to(MeetingOutcome),
                              choices=enum_choices(o for o in MeetingOutcome
                                                   if o is not MeetingOutcome.SCHEDULED),
                              validators=[InputRequired("Choose the outcome.")]),
        "meeting_notes": TextAreaField("Notes", validators=[Length(max=5000)]),
        "version": HiddenField(),
    }
    for attendee in attendees:
        extra[f"present_{attendee.id}"] = BooleanField(f"{attendee.name} ({attendee.role}) was there")
    return extra


class ContractForm(FlaskForm):
    """A contract's parties, expected duration (R8) and review date."""

    parent_ids = CheckboxesField("The contract is with", coerce=int,
                                 description="Parents or carers present at the meeting: one, or "
                                 "jointly. Separated parents may have separate contracts.")
    duration_value = IntegerField("Expected duration", validators=[
        InputRequired("State how long the contract is expected to run."),
        NumberRange(min=1, max=104, message="Enter a whole number from 1 to 104.")])
    duration_unit = RadioField("Unit", coerce=coerce_to(DurationUnit), choices=enum_choices(DurationUnit),
                               default="months")
    review_date = DateField("Review date", validators=[Optional()])
    version = HiddenField()


class AgreementForm(FlaskForm):
    """What a party agrees to."""

    party = SelectField("Party", coerce=coerce_to(Party), choices=enum_choices(Party))
    text = TextAreaField("Agreement", validators=[DataRequired(REQUIRED), Length(max=2000)])
    owner = StringField("Owner", validators=[Length(max=200)])
    due_on = DateField("Due or review date", validators=[Optional()])
    status = RadioField("Status", coerce=coerce_to(AgreementStatus), choices=enum_choices(AgreementStatus),
                        default="open")
    version = HiddenField()


class SignForm(FlaskForm):
    """A signature by someone present (R7)."""

    attendee_id = RadioField("Who is signing", coerce=int,
                             validators=[InputRequired("Choose who is signing.")])
    signed_on = DateField("Signed on", description="The meeting's date, unless it was signed later.",
                          validators=[InputRequired("Enter the date.")])
    date_reason = StringField("If not signed at the meeting, why", description="For example: the "
                              "copy was posted home for signing.", validators=[Length(max=300)])


class ReviseForm(FlaskForm):
    """A new revision at a review meeting."""

    meeting_id = SelectField("Review meeting", coerce=_optional_int,
                             validators=[InputRequired("Choose the review meeting.")])


class EndContractForm(FlaskForm):
    """Ending a contract in writing with the rationale (R10)."""

    reason = RadioField("Reason", choices=choice_list(list(END_REASONS.items())),
                        validators=[InputRequired("Choose a reason.")])
    rationale = TextAreaField("Rationale", validators=[DataRequired(REQUIRED), Length(max=5000)])
    letter_id = SelectField("Letter telling the parents", coerce=_optional_int,
                            validators=[InputRequired("Choose the letter.")])
    ended_on = DateField("Ended on", validators=[InputRequired("Enter the date.")])


class FigureForm(FlaskForm):
    """Attendance over a period."""

    period_start = DateField("Period from", validators=[InputRequired("Enter the start.")])
    period_end = DateField("Period to", validators=[InputRequired("Enter the end."), OnOrAfter(
        "period_start", "The end of the period must be on or after its start.")])
    attendance_percent = DecimalField("Attendance (%)", places=1, validators=[
        InputRequired("Enter the attendance."),
        NumberRange(min=0, max=100, message="Enter a percentage from 0 to 100.")])
    unauthorised_sessions = IntegerField("Unauthorised sessions in the period", default=0,
                                         description="A session is a morning or an afternoon.",
                                         validators=[InputRequired(REQUIRED), NumberRange(min=0, max=500)])
    recorded_on = DateField("Recorded on", validators=[InputRequired("Enter the date.")])
    notes = TextAreaField("Notes", validators=[Length(max=2000)])


class ContactForm(FlaskForm):
    """A contact or attempted contact (R23)."""

    occurred_on = DateField("Date", validators=[InputRequired("Enter the date.")])
    occurred_time = TimeField("Time", validators=[Optional()])
    method = SelectField("How", coerce=coerce_to(ContactMethod), choices=enum_choices(ContactMethod))
    with_whom = StringField("With whom", validators=[DataRequired(REQUIRED), Length(max=200)])
    parent_id = SelectField("Parent or carer (if one)", coerce=_optional_int, validators=[Optional()])
    with_social_worker = BooleanField("This told the pupil's social worker about absence")
    with_attendance_officer = BooleanField(
        "This was a discussion with the local authority's attendance officer",
        description="Needed before a referral for legal intervention (letter 9).")
    made = RadioField("Was contact made?", choices=choice_list([("made", "Contact made"),
                                                    ("attempted", "Attempted, no contact")]),
                      validators=[InputRequired("Say whether contact was made.")])
    outcome = TextAreaField("Outcome", validators=[Length(max=5000)])


class NewLetterForm(FlaskForm):
    """Choosing a letter to draft."""

    key = SelectField("Letter", validators=[InputRequired("Choose a letter.")])
    parent_id = SelectField("To", coerce=_optional_int, validators=[InputRequired("Choose who to.")])
    meeting_id = SelectField("About the meeting (invites)", coerce=_optional_int,
                             validators=[Optional()])
    letter_date = DateField("Date on the letter", validators=[InputRequired("Enter the date.")])


class LetterForm(FlaskForm):
    """Editing a draft letter (R24)."""

    body = TextAreaField("Letter text (markdown)", validators=[DataRequired(REQUIRED),
                                                               Length(max=50_000)],
                         render_kw={"rows": 30})
    version = HiddenField()


class ReasonForm(FlaskForm):
    """A change that keeps its reason: cancelling a meeting, withdrawing a draft letter."""

    reason = TextAreaField("Reason", description="Kept with the record and shown on the case.",
                           validators=[DataRequired(REQUIRED), Length(max=REASON_MAX)])
    version = HiddenField()


class CorrectFigureForm(FlaskForm):
    """Correcting a wrongly entered attendance figure, with the reason."""

    attendance_percent = DecimalField("Attendance (%)", places=1, validators=[
        InputRequired("Enter the attendance percentage."),
        NumberRange(min=0, max=100, message="Attendance is between 0 and 100%%.")])
    unauthorised_sessions = IntegerField("Unauthorised sessions", validators=[
        InputRequired("Enter the number of unauthorised sessions."),
        NumberRange(min=0, message="Enter 0 or more.")])
    reason = TextAreaField("Reason for the correction", description="Kept with the figure and shown.",
                           validators=[DataRequired(REQUIRED), Length(max=REASON_MAX)])
    version = HiddenField()
