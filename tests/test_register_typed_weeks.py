"""Typed weeks page: add a week, correct or withdraw it with a reason (kept and shown), refusals keep
what was typed, and another school's pupil is not found."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from checklist_app.auth.models import Role
from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.register.models import TypedWeek
from tests.factories import SchoolFactory, UserFactory, login


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(date(2024, 10, 4)):
        yield


def _pupil(school, name="Ada"):
    pupil = Pupil(school_id=school.id, first_name=name, last_name="Lovelace",
                  date_of_birth=date(2014, 3, 1), year_group="5")
    db.session.add(pupil)
    db.session.commit()
    return pupil


def _setup(client, school):
    login(client, UserFactory(school=school, role=Role.ATTENDANCE_LEAD))
    db.session.commit()
    return _pupil(school)


def _add(client, pupil, **extra):
    data = {"week_start-day": "4", "week_start-month": "9", "week_start-year": "2024",
            "possible": "10", "attended": "8", "unauthorised": "1", **extra}
    return client.post(f"/register/pupils/{pupil.id}/typed-weeks", data=data)


def test_add_a_week_and_see_it_linked_from_the_pupil_page(client, school):
    pupil = _setup(client, school)
    assert "typed-weeks" in client.get(f"/register/pupils/{pupil.id}").get_data(as_text=True)
    response = _add(client, pupil)
    assert response.status_code == 302
    record = db.session.scalar(db.select(TypedWeek))
    assert (record.week_start, record.possible_sessions, record.attended_sessions,
            record.unauthorised_sessions) == (date(2024, 9, 2), 10, 8, 1)
    page = client.get(f"/register/pupils/{pupil.id}/typed-weeks").get_data(as_text=True)
    assert "2 September 2024" in page and "Counted" in page


def test_correct_with_a_reason_is_kept_and_shown(client, school):
    pupil = _setup(client, school)
    _add(client, pupil)
    record = db.session.scalar(db.select(TypedWeek))
    url = f"/register/pupils/{pupil.id}/typed-weeks/{record.id}/correct"
    prefix = f"correct-{record.id}-"
    response = client.post(url, data={prefix + "possible": "10", prefix + "attended": "6",
                                      prefix + "unauthorised": "3", prefix + "version": "1",
                                      prefix + "reason": "Typed Tuesday's figures twice"})
    assert response.status_code == 302
    db.session.refresh(record)
    assert (record.attended_sessions, record.unauthorised_sessions) == (6, 3)
    page = client.get(f"/register/pupils/{pupil.id}/typed-weeks").get_data(as_text=True)
    assert "Typed Tuesday&#39;s figures twice" in page and "Corrected" in page


def test_withdraw_with_a_reason(client, school):
    pupil = _setup(client, school)
    _add(client, pupil)
    record = db.session.scalar(db.select(TypedWeek))
    response = client.post(f"/register/pupils/{pupil.id}/typed-weeks/{record.id}/withdraw",
                           data={f"withdraw-{record.id}-reason": "Pupil was off roll that week",
                                 f"withdraw-{record.id}-version": "1"})
    assert response.status_code == 302
    db.session.refresh(record)
    assert record.withdrawn and record.reason == "Pupil was off roll that week"
    page = client.get(f"/register/pupils/{pupil.id}/typed-weeks").get_data(as_text=True)
    assert "Withdrawn" in page and "Pupil was off roll that week" in page


def test_refused_without_a_reason_keeps_what_was_typed(client, school):
    pupil = _setup(client, school)
    _add(client, pupil)
    record = db.session.scalar(db.select(TypedWeek))
    prefix = f"correct-{record.id}-"
    response = client.post(f"/register/pupils/{pupil.id}/typed-weeks/{record.id}/correct",
                           data={prefix + "possible": "9", prefix + "attended": "7",
                                 prefix + "unauthorised": "2", prefix + "reason": "  ",
                                 prefix + "version": "1"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Say why the figures are being corrected." in page
    assert 'value="9"' in page
    assert 'value="7"' in page
    db.session.refresh(record)
    assert record.possible_sessions == 10
    withdraw = client.post(f"/register/pupils/{pupil.id}/typed-weeks/{record.id}/withdraw",
                           data={f"withdraw-{record.id}-reason": "",
                                 f"withdraw-{record.id}-version": "1"})
    assert withdraw.status_code == 400
    db.session.refresh(record)
    assert not record.withdrawn
    bad = _add(client, pupil, attended="12")
    assert bad.status_code == 400 and 'value="12"' in bad.get_data(as_text=True)


def test_another_schools_pupil_is_not_found(client, school):
    _setup(client, school)
    theirs = _pupil(SchoolFactory(name="Theirs"), "Grace")
    assert client.get(f"/register/pupils/{theirs.id}/typed-weeks").status_code == 404
    assert _add(client, theirs).status_code == 404


def test_two_people_correcting_one_week_get_a_conflict_keeping_what_was_typed(client, school):
    """The second correction, made on a page shown before the first was saved, is not applied."""
    pupil = _setup(client, school)
    _add(client, pupil)
    record = db.session.scalar(db.select(TypedWeek))
    url = f"/register/pupils/{pupil.id}/typed-weeks/{record.id}/correct"
    prefix = f"correct-{record.id}-"
    page = client.get(f"/register/pupils/{pupil.id}/typed-weeks").get_data(as_text=True)
    shown = re.search(rf'name="{prefix}version" type="hidden" value="(\d+)"', page).group(1)
    first = {prefix + "possible": "10", prefix + "attended": "6", prefix + "unauthorised": "3",
             prefix + "reason": "Typed Tuesday twice", prefix + "version": shown}
    assert client.post(url, data=first).status_code == 302
    second = client.post(url, data={**first, prefix + "attended": "9", prefix + "unauthorised": "0",
                                    prefix + "reason": "Late arrivals counted as absent"})
    text = second.get_data(as_text=True)
    assert second.status_code == 409 and "Someone else saved this record" in text
    assert "Late arrivals counted as absent" in text and 'value="9"' in text
    db.session.refresh(record)
    assert (record.attended_sessions, record.reason) == (6, "Typed Tuesday twice")


def test_a_withdrawn_week_cannot_be_corrected(client, school):
    pupil = _setup(client, school)
    _add(client, pupil)
    record = db.session.scalar(db.select(TypedWeek))
    client.post(f"/register/pupils/{pupil.id}/typed-weeks/{record.id}/withdraw",
                data={f"withdraw-{record.id}-reason": "Wrong pupil", f"withdraw-{record.id}-version": "1"})
    prefix = f"correct-{record.id}-"
    refused = client.post(f"/register/pupils/{pupil.id}/typed-weeks/{record.id}/correct",
                          data={prefix + "possible": "10", prefix + "attended": "6",
                                prefix + "unauthorised": "3", prefix + "reason": "Oops",
                                prefix + "version": "2"})
    assert refused.status_code == 409 and "has been withdrawn" in refused.get_data(as_text=True)
    db.session.refresh(record)
    assert record.attended_sessions == 8 and record.reason == "Wrong pupil"
