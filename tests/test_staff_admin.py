"""School administrators add users, change roles and remove access."""

from __future__ import annotations

import re

from sqlalchemy import select

from checklist_app.auth.models import Membership, Role, User
from checklist_app.extensions import db
from tests.factories import SchoolFactory, UserFactory, login


def test_admin_adds_a_user_who_can_then_log_in(app, client):
    school = SchoolFactory(name="Oak")
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    login(client, admin)
    response = client.post("/admin/users/", data={"name": "Siân Jones", "email": "sian@oak.example",
                                                  "role": "attendance_lead"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    password = re.search(r"Their password is (\S+) ", page).group(1)
    assert "Siân Jones" in page and "Attendance lead" in page
    client.post("/logout")
    assert client.post("/login", data={"email": "sian@oak.example",
                                       "password": password}).status_code == 302


def test_validation_keeps_what_was_typed(app, client):
    school = SchoolFactory()
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    login(client, admin)
    response = client.post("/admin/users/", data={"name": "Łukasz Nowak", "email": "not-an-email"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page
    assert "Łukasz Nowak" in page and "not-an-email" in page


def test_change_role_and_remove_only_within_the_school(app, client):
    school, other = SchoolFactory(), SchoolFactory()
    admin = UserFactory(school=school, role=Role.ADMIN)
    teacher = UserFactory(school=school, role=Role.STAFF)
    outsider = UserFactory(school=other, role=Role.STAFF)
    db.session.commit()
    login(client, admin)
    membership = teacher.memberships[0]
    client.post(f"/admin/users/{membership.id}/role", data={"role": "senior_leader"})
    assert membership.role is Role.SENIOR_LEADER
    assert client.post(f"/admin/users/{outsider.memberships[0].id}/remove").status_code == 404
    client.post(f"/admin/users/{membership.id}/remove")
    assert db.session.scalar(select(Membership).where(Membership.user_id == teacher.id)) is None
    assert db.session.get(User, teacher.id).active is False
    own = admin.memberships[0]
    client.post(f"/admin/users/{own.id}/remove")
    assert db.session.get(Membership, own.id) is not None  # cannot remove yourself


def test_only_admins_manage_users(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER)
    db.session.commit()
    login(client, head)
    assert client.get("/admin/users/").status_code == 403
