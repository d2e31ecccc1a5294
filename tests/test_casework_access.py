"""Who sees casework: staff of the school only (another school's ids are 404), governors nothing
(403 everywhere, no link); the dashboard's order, filters and fixed number of queries; the demo."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from checklist_app.auth.models import Role
from checklist_app.casework import letter_operations, operations
from checklist_app.casework.models import Case, MeetingKind, Pupil
from checklist_app.extensions import db
from tests.casework_factories import family_case, held_meeting, signed_contract
from tests.factories import SchoolFactory, UserFactory, login

TODAY = date.today()


@pytest.fixture
def school_name():
    return "Oakfield Primary"


def _full_case(school, lead):
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum], TODAY - timedelta(days=3))
    contract = signed_contract(meeting, [mum])
    letter = letter_operations.draft_letter(case, "contract-outcome", mum, None, TODAY)
    figure = operations.add_figure(case, {"period_start": TODAY - timedelta(days=20),
                               "period_end": TODAY - timedelta(days=10), "attendance_percent": 85,
                               "unauthorised_sessions": 2}, TODAY)
    ids = {"case_id": case.id, "meeting_id": meeting.id, "contract_id": contract.id,
           "agreement_id": contract.agreements[0].id, "letter_id": letter.id,
           "pupil_id": case.pupil_id, "parent_id": mum.id, "figure_id": figure.id}
    db.session.commit()
    return ids


def _urls(app, ids):
    """Every casework route filled with the given ids, with the methods it takes."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("casework."):
            url = re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)
            yield url, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_governors_see_no_pupil_data_at_all(app, client, school):
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    ids = _full_case(school, lead)
    governor = UserFactory(school=school, role=Role.GOVERNOR)
    db.session.commit()
    login(client, governor)
    checked = 0
    for url, methods in _urls(app, ids):
        for method in methods:
            response = client.open(url, method=method)
            assert response.status_code == 403, (method, url)
            assert "Family" not in response.get_data(as_text=True)
            checked += 1
    assert checked >= 30
    home = client.get("/").get_data(as_text=True)
    assert "/cases" not in home and "Attendance cases" not in home


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SENIOR_LEADER, Role.ATTENDANCE_LEAD, Role.STAFF])
def test_staff_of_another_school_get_404_for_every_record(app, client, school, role):
    ids = _full_case(school, UserFactory(school=school, role=Role.ATTENDANCE_LEAD))
    other = SchoolFactory(name="Birchwood Academy")
    outsider = UserFactory(school=other, role=role)
    db.session.commit()
    login(client, outsider)
    for url, methods in _urls(app, ids):
        if url in ("/cases/", "/cases/pupils", "/cases/pupils/new"):
            continue
        for method in methods:
            assert client.open(url, method=method).status_code == 404, (method, url)
    page = client.get("/cases/").get_data(as_text=True)
    assert "Attendance cases" in page and "Family" not in page
    assert "Family" not in client.get("/cases/pupils").get_data(as_text=True)


def test_every_casework_view_is_for_staff_only(app):
    from checklist_app.security import STAFF

    views = {name: view for name, view in app.view_functions.items() if name.startswith("casework.")}
    assert len(views) >= 25
    assert all(view.access_roles == STAFF for view in views.values())


def _statements(app, client, url):
    count = 0
    db.session.commit()
    client.get(url)  # warm up: the test shares its session with the request

    def counter(*_args, **_kwargs):
        nonlocal count
        count += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    assert response.status_code == 200
    return count, response.get_data(as_text=True)


def test_dashboard_uses_the_same_number_of_queries_for_3_and_12_cases(app, client, school):
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    for _ in range(3):
        _full_case(school, lead)
    login(client, lead)
    three, page = _statements(app, client, "/cases/")
    assert page.count('href="/cases/') >= 3
    for _ in range(9):
        _full_case(school, lead)
    twelve, page = _statements(app, client, "/cases/")
    assert "12 open cases" in page
    assert three == twelve


def test_dashboard_overdue_first_and_filters(app, client, school):
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Alex Morgan")
    other_lead = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Helen Carter")
    recent, _ = family_case(school, lead, opened_on=TODAY)
    overdue, _ = family_case(school, other_lead, opened_on=TODAY - timedelta(days=30))
    login(client, lead)
    page = client.get("/cases/").get_data(as_text=True)
    assert page.index(overdue.pupil.full_name) < page.index(recent.pupil.full_name)
    assert "Overdue" in page.split(overdue.pupil.full_name, 1)[1].split("</tr>", 1)[0]
    only_mine = client.get(f"/cases/?lead={lead.id}").get_data(as_text=True)
    assert recent.pupil.full_name in only_mine and overdue.pupil.full_name not in only_mine
    held_meeting(recent, recent.pupil.parents, TODAY - timedelta(days=1))
    by_stage = client.get("/cases/?stage=contract-meeting").get_data(as_text=True)
    assert recent.pupil.full_name in by_stage and overdue.pupil.full_name not in by_stage
    assert "1 open case," in by_stage


def test_demo_is_idempotent_and_touches_only_its_school(app, school):
    from checklist_app.casework.demo import load_demo

    bystander = SchoolFactory(name="Not the demo")
    family_case(bystander)
    messages = []
    load_demo(school, TODAY, messages.append)
    counts = (db.session.scalar(select(func.count(Case.id))),
              db.session.scalar(select(func.count(Pupil.id))))
    load_demo(school, TODAY, messages.append)
    assert counts == (db.session.scalar(select(func.count(Case.id))),
                      db.session.scalar(select(func.count(Pupil.id))))
    assert messages == ["Casework demo: 5 cases loaded.", "Casework demo already loaded."]
    demo_cases = db.session.scalars(select(Case).where(Case.school_id == school.id)).all()
    stages = {c.pupil.first_name: c.stage.value for c in demo_cases}
    assert stages == {"Zoë": "contract", "Łukasz": "further-support", "Siân": "closed",
                      "Cian": "notice-to-improve", "Amira": "opened"}
    zoe = next(c for c in demo_cases if c.pupil.first_name == "Zoë")
    assert len(zoe.contracts) == 2 and not zoe.pupil.parents[1].lives_with_pupil
    lukasz = next(c for c in demo_cases if c.pupil.first_name == "Łukasz")
    assert [m.kind for m in lukasz.meetings][-1] is MeetingKind.PROFESSIONALS
    assert lukasz.contracts == []
    assert db.session.scalar(select(func.count(Case.id)).where(Case.school_id == bystander.id)) == 1
