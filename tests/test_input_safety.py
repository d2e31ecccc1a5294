"""Input that cannot break a page: bounded ids, clean text, bounded and ordered dates, error pages
that survive a failed flush, and out-of-range dates already stored that still show."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select, text
from wtforms import DateField as WTFormsDateField

from checklist_app.auth.models import Role
from checklist_app.casework.models import AttendanceFigure, Case, Pupil
from checklist_app.extensions import db
from checklist_app.input_safety import EARLIEST, LATEST, clean_text
from checklist_app.security import public
from tests.casework_factories import make_case, make_pupil
from tests.conftest import make_app
from tests.factories import SchoolFactory, UserFactory, login
from tests.self_evaluation_factories import make_action, make_evaluation, this_term

HUGE_IDS = ["99999999999999999999999", "2147483648", "9223372036854775808", "-1", "0x10", "1e3"]


@pytest.fixture
def caseworker(client, school):
    user = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    db.session.commit()
    login(client, user)
    return user


@pytest.mark.parametrize("raw", HUGE_IDS)
def test_impossible_ids_are_page_not_found(client, caseworker, raw):
    for url in (f"/cases/{raw}", f"/cases/{raw}/edit", f"/cases/pupils/{raw}",
                f"/self-evaluation/{raw}", f"/cases/{raw}/evidence-pack.pdf"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/cases/{raw}/close", data={}).status_code == 404


def test_the_int_converter_is_bounded_for_every_route(app):
    converters = {type(rule._converters[name]).__name__
                  for rule in app.url_map.iter_rules() for name in rule.arguments
                  if rule._converters.get(name) is not None
                  and "Integer" in type(rule._converters[name]).__mro__[1].__name__ + type(
                      rule._converters[name]).__name__}
    assert converters == {"BoundedIntConverter"}


def test_control_characters_are_removed_from_every_posted_text(client, caseworker, school):
    response = client.post("/cases/pupils/new", data={
        "first_name": "Zo\x00ë\x07", "last_name": "Ade\x1byemi", "year_group": "Year 8",
        "date_of_birth": "2013-01-31", "upn": "", "notes": "line one\r\nline\ttwo\x00"},
        follow_redirects=False)
    assert response.status_code < 500
    pupil = db.session.scalar(select(Pupil).where(Pupil.school_id == school.id))
    if pupil is not None:  # stored without the control characters
        assert pupil.first_name == "Zoë" and pupil.last_name == "Adeyemi"
    assert clean_text("a\x00b\x1f\x7fc\td\ne\r") == "abc\td\ne\r"
    # Query strings too (searches must not reach the database with a NUL).
    assert client.get("/cases/pupils?q=%00abc").status_code == 200


def test_huge_numbers_in_query_strings_are_ignored(client, school):
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    login(client, admin)
    for url in ("/audit/?page=99999999999999999999999", "/audit/?page=-99999999999999999999",
                "/cases/?page=99999999999999999999999",
                "/self-evaluation/actions?owner=99999999999999999999999"):
        assert client.get(url).status_code == 200, url
    outside = client.get("/audit/?from=0001-01-01&to=9999-12-31")  # dates: refused with a message
    assert outside.status_code == 400 and "Enter a date between" in outside.get_data(as_text=True)


@pytest.mark.parametrize("value", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_the_window_are_refused_with_a_message(client, caseworker, school, value):
    pupil = make_pupil(school)
    db.session.commit()
    response = client.post(f"/cases/pupils/{pupil.id}/open", data={
        "lead_user_id": str(caseworker.id), "baseline_attendance": "80",
        "reason_for_concern": "Absent", "opened_on": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a date between 1 January 2000 and 31 December 2100." in page
    assert db.session.scalar(select(Case).where(Case.pupil_id == pupil.id)) is None


def test_every_form_uses_the_bounded_date_field():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "checklist_app"
    offenders = [str(p) for p in root.rglob("*.py") if p.name != "input_safety.py"
                 and "DateField" in p.read_text() and "from checklist_app.input_safety import"
                 not in p.read_text()]
    assert offenders == []
    assert date(2000, 1, 1) == EARLIEST and date(2100, 12, 31) == LATEST
    assert WTFormsDateField.__module__.startswith("wtforms")


def test_a_period_must_end_after_it_starts(client, caseworker, school):
    case = make_case(make_pupil(school))
    response = client.post(f"/cases/{case.id}/figures/new", data={
        "period_start": "2027-02-10", "period_end": "2027-02-01", "attendance_percent": "90",
        "unauthorised_sessions": "0", "recorded_on": "2027-02-11"})
    assert response.status_code == 400
    assert "The end of the period must be on or after its start." in response.get_data(as_text=True)
    assert db.session.scalar(select(AttendanceFigure)) is None


def test_a_case_cannot_close_before_it_opened(client, caseworker, school):
    case = make_case(make_pupil(school), opened_on=date(2027, 1, 4))
    response = client.post(f"/cases/{case.id}/close", data={
        "reason": "attendance-improved", "rationale": "Better", "closed_on": "2027-01-03"})
    assert response.status_code in (400, 409)
    assert "before" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).closed_on is None


def test_stored_out_of_range_dates_do_not_break_lists_or_feeds(client, caseworker, school):
    pupil = make_pupil(school)
    case = make_case(pupil, lead=caseworker, opened_on=date(9999, 12, 31))
    evaluation = make_evaluation(school, this_term())
    make_action(evaluation, review=date(9999, 12, 31), owner=caseworker)
    db.session.execute(text("UPDATE \"case\" SET opened_on = :d WHERE id = :i"),
                       {"d": date(9999, 12, 31), "i": case.id})
    db.session.commit()
    for url in ("/cases/", f"/cases/{case.id}", "/self-evaluation/actions", "/"):
        assert client.get(url).status_code == 200, url
    assert client.post("/reports/calendar/token").status_code == 302
    db.session.expire_all()
    token = caseworker.calendar_token
    for feed in ("school", "mine"):
        response = client.get(f"/calendar/{token}/{feed}.ics")
        assert response.status_code == 200, feed


def test_the_error_page_survives_a_failed_flush(database_url):
    app = make_app(database_url, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom-flush")
    @public
    def boom_flush():  # a flush that fails: the session must be rolled back before the page
        from flask_login import current_user

        current_user.name = "Changed"  # noqa: B018 - something pending in the session
        db.session.add(Pupil(school_id=None, first_name="x", last_name="y"))
        db.session.flush()

    with app.app_context():
        db.create_all()
        user = UserFactory(school=SchoolFactory(), role=Role.ADMIN, name="Ada Lovelace")
        db.session.commit()
        client = app.test_client()
        login(client, user)
        response = client.get("/boom-flush")
        page = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "Sorry, something went wrong" in page
        assert "Skip to main content" in page and "Ada Lovelace" in page  # the full page
        db.session.remove()
        db.engine.dispose()


def test_the_error_page_has_a_plain_fallback(app: Flask, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.jinja_env.globals["current_role"] = lambda: 1 / 0  # the layout itself fails
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_class_keeps_one_line_fields_on_one_line(app):
    from flask_wtf import FlaskForm
    from wtforms import StringField, TextAreaField

    from checklist_app.input_safety import SafeForm

    ours = [c for c in _subclasses(FlaskForm) if c.__module__.startswith("checklist_app")
            and c is not SafeForm]
    assert len(ours) > 20
    assert [c.__qualname__ for c in ours if not issubclass(c, SafeForm)] == []

    class Probe(SafeForm):
        name = StringField()
        notes = TextAreaField()

    with app.test_request_context(method="POST", data={"name": "Zo\të\r\nAdeyemi",
                                                       "notes": "one\r\n\ttwo"}):
        form = Probe(meta={"csrf": False})
        assert form.name.data == "Zo ë Adeyemi" and form.notes.data == "one\r\n\ttwo"


def test_a_contract_review_cannot_come_before_its_meeting(school):
    from datetime import timedelta

    from checklist_app.casework import contract_operations
    from checklist_app.casework.models import DurationUnit
    from checklist_app.casework.operations import CaseworkError
    from tests.casework_factories import family_case, held_meeting

    case, (mum,) = family_case(school)
    meeting = held_meeting(case, [mum], date(2027, 1, 20))
    with pytest.raises(CaseworkError, match="on or after the meeting"):
        contract_operations.create_contract(meeting, [mum.id], 3, DurationUnit.MONTHS,
                                            meeting.meeting_date - timedelta(days=1))
    contract = contract_operations.create_contract(meeting, [mum.id], 3, DurationUnit.MONTHS,
                                                   meeting.meeting_date + timedelta(weeks=3))
    assert contract.review_date == date(2027, 2, 10)
