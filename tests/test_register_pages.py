"""Register pages: upload, map, preview and confirm; pupils at risk with filters and the open-case
link; the pupil page and the overview with their charts and tables; who may see them."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine

from checklist_app.auth.models import Role
from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.register import generator
from checklist_app.register.models import SessionMark
from tests.factories import SchoolFactory, UserFactory, login

TODAY = date(2026, 1, 30)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(date(2026, 1, 30)):
        yield


def _as(client, school, role):
    user = UserFactory(school=school, role=role)
    db.session.commit()
    login(client, user)
    return user


def _upload(client, name: str, data: bytes):
    response = client.post("/register/import", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _import(client, name: str, data: bytes):
    location = _upload(client, name, data)
    page = client.get(location)
    assert page.status_code == 200, page.get_data(as_text=True)
    fields = {f"column_{i}": "" for i in range(0)}
    return client.post(location, data={**fields, "action": "confirm"}), page


def _roll_and_marks(tmp_path, count=30):
    rows = generator.generate_roll(count, seed=3)
    roll = generator.write_roll_csv(tmp_path / "roll.csv", rows).read_bytes()
    marks = generator.write_marks_csv(tmp_path / "marks.csv", generator.generate_marks(
        [r["UPN"] for r in rows], date(2025, 9, 1), TODAY, seed=3)).read_bytes()
    return rows, roll, marks


def test_upload_preview_confirm_and_the_pages(app, client, school, tmp_path):
    _as(client, school, Role.ATTENDANCE_LEAD)
    rows, roll, marks = _roll_and_marks(tmp_path)
    location = _upload(client, "roll.csv", roll)
    page = client.get(location).get_data(as_text=True)
    assert "30 new pupils will be added" in page
    # Confirm with the mapping the page proposes (recognised headers).
    form = {f"column_{i}": v for i, v in enumerate(
        ["upn", "surname", "forename", "date_of_birth", "year_group", "send", "free_school_meals",
         "looked_after", "medical_needs"])}
    assert client.post(location, data={**form, "action": "confirm"}).status_code == 302
    assert db.session.query(Pupil).count() == 30
    location = _upload(client, "marks.csv", marks)
    page = client.get(location).get_data(as_text=True)
    assert "sessions for 30 pupils, from 4 September 2025 to 30 January 2026" in page
    form = {"column_0": "upn", "column_1": "date", "column_2": "session", "column_3": "code"}
    response = client.post(location, data={**form, "action": "confirm"})
    assert response.status_code == 302 and "at-risk" in response.headers["Location"]
    days = generator.school_days(date(2025, 9, 1), TODAY)
    assert db.session.query(SessionMark).count() == 30 * 2 * len(days)
    at_risk = client.get("/register/at-risk").get_data(as_text=True)
    assert "new since the last import" in at_risk and "baseline=" in at_risk
    pupil = db.session.query(Pupil).first()
    page = client.get(f"/register/pupils/{pupil.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<svg" in text and "The figures in this chart" in text and "Autumn term" in text
    overview = client.get("/register/").get_data(as_text=True)
    assert overview.count("<svg") == 2 and "Pupils with SEND" in overview
    assert client.get("/register/at-risk?year_group=7&cohort=send").status_code == 200
    assert client.get("/register/at-risk?cohort=nonsense").status_code == 200


def test_problems_are_listed_and_nothing_is_written(app, client, school):
    _as(client, school, Role.SENIOR_LEADER)
    location = _upload(client, "marks.csv", b"UPN,Date,Session,Mark\nA12,02/02/2026,AM,/\n")
    page = client.get(location)
    assert page.status_code == 422
    assert "row 2, column A (UPN)" in page.get_data(as_text=True)
    refused = client.post(location, data={"column_0": "upn", "column_1": "date", "column_2": "session",
                                           "column_3": "code", "action": "confirm"})
    assert refused.status_code == 422 and db.session.query(SessionMark).count() == 0
    assert client.post("/register/import", data={"file": (io.BytesIO(b"x"), "notes.txt")},
                       content_type="multipart/form-data").status_code == 400
    assert client.get("/register/import/check?token=nope").status_code == 302


def test_open_case_is_prefilled_with_the_baseline(app, client, school, tmp_path):
    _as(client, school, Role.ATTENDANCE_LEAD)
    pupil = Pupil(school_id=school.id, first_name="Ada", last_name="Lee", date_of_birth=date(2014, 1, 1),
                  year_group="7", upn=generator.make_upn(201, 1, 1))
    db.session.add(pupil)
    db.session.commit()
    page = client.get(f"/cases/pupils/{pupil.id}/open?baseline=84.5").get_data(as_text=True)
    assert 'value="84.5"' in page


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.STAFF])
def test_governors_and_staff_cannot_see_the_register(app, client, school, role):
    _as(client, school, role)
    for url in ("/register/", "/register/at-risk", "/register/import"):
        assert client.get(url).status_code == 403
    assert "Register</a>" not in client.get("/").get_data(as_text=True)


def test_another_schools_pupil_is_not_found(app, client, school):
    _as(client, school, Role.ADMIN)
    other = SchoolFactory(name="Elsewhere")
    pupil = Pupil(school_id=other.id, first_name="B", last_name="C", date_of_birth=date(2014, 1, 1),
                  year_group="7", upn="")
    db.session.add(pupil)
    db.session.commit()
    assert client.get(f"/register/pupils/{pupil.id}").status_code == 404
