"""A school shares its finalised self-evaluations with a local-authority officer, who sees nothing else."""

from __future__ import annotations

import re

from checklist_app.auth.models import Membership, Role
from checklist_app.extensions import db
from checklist_app.sharing.models import LocalAuthorityShare
from tests.casework_factories import family_case
from tests.factories import PASSWORD, SchoolFactory, UserFactory, login
from tests.self_evaluation_factories import finalise, make_evaluation, rate

# What a local-authority officer may open: nothing about pupils, cases, letters or staff.
LA_ENDPOINTS = {
    "home.index", "self_evaluation.index", "self_evaluation.overview", "self_evaluation.checkpoint",
    "self_evaluation.action_plan", "self_evaluation.history", "self_evaluation.compare",
    "self_evaluation.trust", "reporting.action_plan", "reporting.board_pack",
    "auth.logout", "auth.switch_school",
    # their own account: password, two-factor log-in, the schools that added them
    "account.index", "account.change_password", "account.set_up_two_factor",
    "account.turn_off_two_factor", "account.new_recovery_codes", "account.answer",
}


def test_local_authority_role_opens_only_self_evaluation_pages(app):
    reachable = {rule.endpoint for rule in app.url_map.iter_rules()
                 if Role.LOCAL_AUTHORITY in (getattr(app.view_functions[rule.endpoint], "access_roles", None)
                                             or ())}
    assert reachable == LA_ENDPOINTS


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # CSRF is off in tests


def test_share_read_and_stop(app, client, school):
    admin = UserFactory(school=school, role=Role.ADMIN)
    draft = make_evaluation(school, "2026-27-spring")
    final = make_evaluation(school, "2026-27-autumn")
    rate(final)
    finalise(final)
    case, _ = family_case(school)
    db.session.commit()
    client.post("/logout")
    login(client, admin)
    page = client.get("/sharing/").get_data(as_text=True)
    response = client.post("/sharing/", data={"csrf_token": _csrf(page), "email": "officer@la.example.org",
                                              "name": "Sam Officer"})
    assert response.status_code == 302
    shared = client.get("/sharing/").get_data(as_text=True)
    assert "Sam Officer" in shared and "Their password is" in shared
    password = re.search(r"Their password is (\S+?):", shared).group(1)
    record = db.session.scalar(db.select(LocalAuthorityShare))
    assert record.shared_by_id == admin.id and record.ended_on is None

    officer = record.officer
    client.post("/logout")
    login(client, officer, password)
    home = client.get("/")
    assert home.status_code == 200
    assert "Schools sharing their self-evaluation with you" in home.get_data(as_text=True)
    assert client.get(f"/self-evaluation/{final.id}").status_code == 200
    assert client.get(f"/self-evaluation/{draft.id}").status_code == 404
    assert client.get(f"/cases/{case.id}").status_code == 403
    assert client.get("/cases/").status_code == 403
    assert client.get("/admin/users/").status_code == 403
    assert case.pupil.last_name not in home.get_data(as_text=True)

    client.post("/logout")
    login(client, admin)
    page = client.get("/sharing/").get_data(as_text=True)
    client.post("/sharing/stop", data={"csrf_token": _csrf(page), "share_id": str(record.id)})
    db.session.expire_all()
    assert db.session.get(LocalAuthorityShare, record.id).ended_on is not None
    assert db.session.scalar(db.select(Membership).where(Membership.role == Role.LOCAL_AUTHORITY)) is None
    client.post("/logout")
    login(client, officer, password)
    assert client.get(f"/self-evaluation/{final.id}").status_code in (302, 403)


def test_cannot_share_with_a_member_of_staff(app, client, school):
    admin = UserFactory(school=school, role=Role.ADMIN)
    teacher = UserFactory(school=school, role=Role.STAFF, email="teacher@example.org")
    db.session.commit()
    client.post("/logout")
    login(client, admin)
    page = client.get("/sharing/").get_data(as_text=True)
    response = client.post("/sharing/", data={"csrf_token": _csrf(page), "email": teacher.email})
    assert response.status_code == 400
    assert "already has a role" in response.get_data(as_text=True)


def test_officer_sees_only_schools_that_share(app, client):
    sharing, other = SchoolFactory(name="Ash Academy"), SchoolFactory(name="Elm School")
    officer = UserFactory(school=sharing, role=Role.LOCAL_AUTHORITY)
    UserFactory(school=other, role=Role.ADMIN)
    db.session.commit()
    login(client, officer, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "Ash Academy</th>" in page and "Elm School" not in page
    assert client.post("/sharing/", data={}).status_code == 403
