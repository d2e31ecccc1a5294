"""GOV.UK date input: the shared DateField takes day / month / year boxes (or one ISO box), keeps what
was typed when it is refused, and the form macro draws the three boxes in a fieldset."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import DataRequired, Optional

from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.input_safety import DateField
from tests.factories import UserFactory, login


class _Form(Form):
    when = DateField("Date of birth", validators=[DataRequired()])
    maybe = DateField("Review date", validators=[Optional()])


def _form(**data: str) -> _Form:
    return _Form(MultiDict(data))


def test_three_boxes_make_a_date_and_iso_still_works():
    parts = _form(**{"when-day": "3", "when-month": "12", "when-year": "2026"})
    assert parts.validate() and parts.when.data == date(2026, 12, 3) and parts.maybe.data is None
    iso = _form(when="2026-12-03")
    assert iso.validate() and iso.when.data == date(2026, 12, 3)
    assert iso.when.date_parts() == {"day": "3", "month": "12", "year": "2026"}


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("31", "2", "2026", "Date of birth must be a real date, for example 27 3 2027"),
    ("3", "", "2026", "Date of birth must include a month"),
    ("", "", "2026", "Date of birth must include a day and a month"),
    ("3", "4", "1990", "Enter a date between 1 January 2000 and 31 December 2100."),
    ("x", "4", "2026", "Date of birth must be a real date, for example 27 3 2027"),
    ("1", "1", "99999999999999999999", "Date of birth must be a real date, for example 27 3 2027"),
])
def test_a_refused_date_says_why_and_keeps_the_boxes(day, month, year, message):
    form = _form(**{"when-day": day, "when-month": month, "when-year": year})
    assert not form.validate()
    assert form.errors == {"when": [message]}
    assert form.when.date_parts() == {"day": day, "month": month, "year": year}


def test_empty_boxes_are_no_date():
    form = _form(**{"when-day": "3", "when-month": "4", "when-year": "2026",
                    "maybe-day": "", "maybe-month": "", "maybe-year": ""})
    assert form.validate() and form.maybe.data is None
    required = _form(**{"when-day": " ", "when-month": "", "when-year": ""})
    assert not required.validate() and required.errors == {"when": ["This field is required."]}


@pytest.fixture
def staff_client(client, school):
    lead = UserFactory(school=school, role="attendance_lead", name="Alex Morgan")
    db.session.commit()
    login(client, lead)
    return client


def test_pupil_form_shows_and_takes_the_three_boxes(staff_client):
    page = staff_client.get("/cases/pupils/new").get_data(as_text=True)
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of birth</legend>' in page
    for part in ("day", "month", "year"):
        assert f'name="date_of_birth-{part}"' in page
    assert 'type="date"' not in page

    base = {"first_name": "Zoë", "last_name": "Adeyemi", "year_group": "Year 8", "upn": ""}
    refused = staff_client.post("/cases/pupils/new", data={
        **base, "date_of_birth-day": "30", "date_of_birth-month": "2", "date_of_birth-year": "2013"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Date of birth must be a real date" in body
    assert 'href="#date_of_birth"' in body and 'id="date_of_birth"' in body  # summary link lands on Day
    assert 'name="date_of_birth-day" type="text" inputmode="numeric" value="30"' in body
    assert 'value="Zoë"' in body and db.session.scalar(db.select(Pupil)) is None

    saved = staff_client.post("/cases/pupils/new", data={
        **base, "date_of_birth-day": "31", "date_of_birth-month": "1", "date_of_birth-year": "2013"})
    assert saved.status_code == 302
    assert db.session.scalar(db.select(Pupil)).date_of_birth == date(2013, 1, 31)
