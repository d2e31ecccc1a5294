"""Every text a form takes has a declared limit, shown with GOV.UK's character count; text over it is
refused with a count and kept for the user to shorten, never cut (by the browser or the server)."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, time, timedelta

import pytest
import time_machine
from wtforms import HiddenField, StringField
from wtforms.validators import Length

import checklist_app
from checklist_app.auth.models import Role
from checklist_app.casework import letter_operations, meeting_operations, operations
from checklist_app.casework.correction_operations import REASON_MAX
from checklist_app.casework.models import MeetingKind
from checklist_app.extensions import db
from checklist_app.input_safety import SafeForm
from tests.casework_factories import family_case
from tests.factories import UserFactory, login

ON = date(2027, 1, 15)

#: Limits that an operation or service enforces on what a form passes it: (module, form, field).
OPERATION_LIMITS = {
    ("checklist_app.casework.forms", "CorrectFigureForm", "reason"): REASON_MAX,
    ("checklist_app.casework.forms", "ReasonForm", "reason"): REASON_MAX,
    ("checklist_app.auth.forms", "ChangePasswordForm", "new_password"): 200,
    ("checklist_app.auth.password_reset", "NewPasswordForm", "password"): 200,
}

#: One-line fields bounded another way, with the reason.
UNCOUNTED = {
    ("checklist_app.casework.forms", "PupilForm", "upn"),  # a pattern of exactly 13 characters
    ("checklist_app.auth.forms", "ChangePasswordForm", "confirm"),  # must equal the new password
    ("checklist_app.auth.password_reset", "NewPasswordForm", "confirm"),  # likewise
}


#: Forms whose fields are stored in a model's columns of the same name: (module, form) -> table.
STORED_IN = {
    ("checklist_app.casework.forms", "PupilForm"): "pupil",
    ("checklist_app.casework.forms", "ParentForm"): "parent",
    ("checklist_app.casework.forms", "CaseForm"): "case",
    ("checklist_app.casework.forms", "MeetingForm"): "meeting",
    ("checklist_app.casework.forms", "AttendeeForm"): "attendee",
    ("checklist_app.casework.forms", "AgreementForm"): "agreement",
    ("checklist_app.casework.forms", "SignForm"): "signature",
    ("checklist_app.casework.forms", "ContactForm"): "contact",
    ("checklist_app.auth.staff", "AddUserForm"): "user",
    ("checklist_app.self_evaluation.forms", "LocalCheckpointForm"): "local_checkpoint",
    ("checklist_app.self_evaluation.forms", "ActionForm"): "self_evaluation_action",
}


def _column_limit(form_class: type, name: str) -> int | None:
    table = db.metadata.tables.get(STORED_IN.get((form_class.__module__, form_class.__name__), ""))
    column = table.columns.get(name) if table is not None else None
    return getattr(column.type, "length", None) if column is not None else None


def _per_request_forms() -> list[type]:
    """The forms built per request from every published definition (kept alive while walked)."""
    from checklist_app.casework.forms import record_extra_fields
    from checklist_app.checklist_engine.forms import build_form_class
    from checklist_app.checklist_engine.registry import registry
    from checklist_app.self_evaluation.forms import action_form_class, sign_off_form_class

    built = [action_form_class([], [])]
    for key in registry().definitions:
        definition = registry().newest_published(key)
        if definition is None:
            continue
        items = [item for section in definition.sections for item in section.items]
        built.append(build_form_class(definition, items, extra=record_extra_fields([])))
        built.append(sign_off_form_class(definition, finalising=True))
    return built


def _every_form_class() -> list[type]:
    for module in pkgutil.walk_packages(checklist_app.__path__, "checklist_app."):
        importlib.import_module(module.name)
    found, todo = [], [SafeForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def _text_fields(form_class: type):
    for name, unbound in vars(form_class).items():
        kind = getattr(unbound, "field_class", None)
        if kind and issubclass(kind, StringField) and not issubclass(kind, HiddenField):
            yield name, unbound


def _limit(unbound) -> int | None:
    validators = unbound.kwargs.get("validators") or ()
    limits = [v.max for v in validators if isinstance(v, Length) and v.max is not None and v.max >= 0]
    return min(limits) if limits else None


def test_every_text_field_of_every_form_declares_its_limit(app):
    checked, missing, too_long = 0, [], []
    built = _per_request_forms()
    assert len(built) > 4
    for form_class in _every_form_class():
        for name, unbound in _text_fields(form_class):
            key = (form_class.__module__, form_class.__name__, name)
            limit = _limit(unbound)
            checked += 1
            if limit is None and key not in UNCOUNTED:
                missing.append(".".join(key))
            if key in OPERATION_LIMITS and (limit is None or limit > OPERATION_LIMITS[key]):
                too_long.append(f"{'.'.join(key)}: form {limit}, operation {OPERATION_LIMITS[key]}")
            column = _column_limit(form_class, name)
            if column is not None and (limit is None or limit > column) and key not in UNCOUNTED:
                too_long.append(f"{'.'.join(key)}: form {limit}, column {column}")
    assert checked > 100  # the definitions' answer fields included
    assert missing == [] and too_long == []


@pytest.fixture
def caseworker(client, school):
    user = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    db.session.commit()
    login(client, user)
    return user


@pytest.fixture
def case_records(school, caseworker):
    """A case with a figure, a meeting still to take place and a draft letter."""
    with time_machine.travel("2027-01-15 10:00 +0000"):
        case, parents = family_case(school, caseworker)
        figure = operations.add_figure(case, {
            "period_start": ON - timedelta(days=13), "period_end": ON - timedelta(days=9),
            "attendance_percent": 85.0, "unauthorised_sessions": 2}, ON)
        meeting = meeting_operations.schedule_meeting(
            case, MeetingKind.CONTRACT, ON + timedelta(days=7), time(9, 0), "Room 2", "By telephone",
            [parents[0].id], scheduled_on=ON, lead_name="Alex Morgan")
        letter = letter_operations.draft_letter(case, "contract-outcome", parents[0], None, ON)
        db.session.commit()
    base = f"/cases/{case.id}"
    return {
        "figure": (f"{base}/figures/{figure.id}/correct",
                   {"attendance_percent": "86", "unauthorised_sessions": "2", "version": figure.version}),
        "meeting": (f"{base}/meetings/{meeting.id}/cancel", {"version": meeting.version}),
        "letter": (f"{base}/letters/{letter.id}/withdraw", {"version": letter.version}),
    }


@pytest.mark.parametrize("record", ["figure", "meeting", "letter"])
def test_a_correction_reason_has_a_character_count_and_a_counted_refusal(client, case_records, record):
    url, data = case_records[record]
    page = client.get(url).get_data(as_text=True)
    assert f'data-module="govuk-character-count" data-maxlength="{REASON_MAX}"' in page
    assert "You can enter up to 1,000 characters" in page and " maxlength=" not in page
    reason = "Entered against the wrong pupil. " * 40  # 1,320 characters
    response = client.post(url, data={**data, "reason": reason})
    refused = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (f"must be 1,000 characters or fewer. You have entered {len(reason.strip()):,} characters"
            in refused) or (f"You have entered {len(reason):,} characters" in refused)
    assert 'class="govuk-error-summary"' in refused
    assert reason.strip()[:200] in refused  # kept for the user to shorten
    accepted = client.post(url, data={**data, "reason": reason[:REASON_MAX]})
    assert accepted.status_code == 302


def test_a_new_password_over_its_limit_is_refused_with_a_count_not_a_wrong_rule(app, client):
    from checklist_app.auth.password_reset import make_token

    user = UserFactory(role=Role.STAFF)
    db.session.commit()
    url = f"/reset-password/{make_token(user)}"
    too_long = "correct horse battery staple " * 8  # 232 characters
    response = client.post(url, data={"password": too_long, "confirm": too_long})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "New password must be 200 characters or fewer. You have entered 232 characters" in page
    assert "at least 10 characters." not in page.split("There is a problem")[1].split("</ul>")[0]


def test_changing_to_a_password_over_its_limit_is_refused_on_the_form(client, school):
    user = UserFactory(school=school, role=Role.STAFF)
    db.session.commit()
    login(client, user)
    too_long = "correct horse battery staple " * 8
    response = client.post("/account/password", data={
        "current_password": "unused", "new_password": too_long, "confirm": too_long})
    assert response.status_code == 400
    assert "New password must be 200 characters or fewer" in response.get_data(as_text=True)


def test_the_pupil_search_refuses_text_over_its_limit_with_a_count(client, caseworker):
    page = client.get("/cases/pupils").get_data(as_text=True)
    assert " maxlength=" not in page
    assert "You can enter up to 200 characters" in page
    typed = "Adeyemi " * 30  # 240 characters
    response = client.get("/cases/pupils", query_string={"q": typed})
    refused = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "must be 200 characters or fewer. You have entered 240 characters (40 too many)." in refused
    assert typed.strip()[:100] in refused  # kept in the box to shorten
    assert client.get("/cases/pupils", query_string={"q": "Adeyemi"}).status_code == 200
