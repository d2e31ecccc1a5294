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
    password = re.search(r"their first password is (\S+) ", page).group(1)
    assert "Siân Jones" in page and "Attendance lead" in page
    client.post("/logout")
    response = client.post("/login", data={"email": "sian@oak.example", "password": password})
    assert response.status_code == 302 and not response.headers["Location"].endswith("/account/")
    assert "attendance lead at <strong>Oak</strong>" in client.get("/").get_data(as_text=True)


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
    assert db.session.get(User, teacher.id).active is True  # the account itself is untouched
    own = admin.memberships[0]
    client.post(f"/admin/users/{own.id}/remove")
    assert db.session.get(Membership, own.id) is not None  # cannot remove yourself


def test_a_members_page_changes_the_role_with_govuk_radios_or_removes_them(app, client):
    school = SchoolFactory(name="Oak")
    admin = UserFactory(school=school, role=Role.ADMIN)
    teacher = UserFactory(school=school, role=Role.STAFF, name="Sam Teacher")
    db.session.commit()
    login(client, admin)
    listing = client.get("/admin/users/").get_data(as_text=True)
    membership = teacher.memberships[0]
    assert f'href="/admin/users/{membership.id}/role">Change role or remove' in listing
    assert "<select" not in listing  # no hand-made role box in each row any more
    page = client.get(f"/admin/users/{membership.id}/role").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Sam Teacher</h1>' in page
    checked = re.search(r'<input[^>]*checked[^>]*value="(\w+)"|<input[^>]*value="(\w+)"[^>]*checked', page)
    assert "govuk-radios__input" in page and "staff" in checked.groups()
    assert f'action="/admin/users/{membership.id}/remove"' in page
    refused = client.post(f"/admin/users/{membership.id}/role", data={})
    assert refused.status_code == 400 and "Choose a role." in refused.get_data(as_text=True)
    assert membership.role is Role.STAFF
    own = client.get(f"/admin/users/{admin.memberships[0].id}/role")
    assert own.status_code == 302  # your own role is changed by another administrator


def test_only_admins_manage_users(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER)
    db.session.commit()
    login(client, head)
    assert client.get("/admin/users/").status_code == 403


def _add(client, email: str, name: str = "Sam Typed", role: str = "staff"):
    response = client.post("/admin/users/", data={"name": name, "email": email, "role": role},
                           follow_redirects=True)
    return response, response.get_data(as_text=True)


def _notice(page: str) -> str:
    """The flashed answer, with the generated password blanked out."""
    notice = re.search(r'<p class="govuk-notification-banner__heading">(.*?)</p>', page, re.S).group(1)
    return re.sub(r"their first password is \S+ ", "their first password is X ", notice)


def test_adding_someone_from_another_school_reveals_nothing_about_them(app, client):
    school, other = SchoolFactory(name="Oak"), SchoolFactory(name="Elm")
    admin = UserFactory(school=school, role=Role.ADMIN, name="Ada Admin")
    outsider = UserFactory(school=other, role=Role.SENIOR_LEADER, name="Real Secret-Name",
                         email="known@elm.example")
    old_hash = outsider.password_hash
    db.session.commit()
    login(client, admin)
    known, known_page = _add(client, "known@elm.example")
    new, new_page = _add(client, "brand-new@oak.example")
    assert known.status_code == new.status_code == 200
    assert "Real Secret-Name" not in known_page and "Elm" not in known_page
    # The same answer for both, apart from the e-mail address and the generated password.
    assert _notice(known_page) == _notice(new_page)
    assert "Sam Typed" in known_page  # the list shows the name this school typed
    db.session.expire_all()
    outsider = db.session.get(User, outsider.id)
    assert outsider.password_hash == old_hash and outsider.name == "Real Secret-Name"
    assert {m.school_id for m in outsider.memberships} == {school.id, other.id}
    # Until they accept, no page of this school shows their real name.
    for url in ("/admin/users/", "/cases/", "/self-evaluation/actions"):
        page = client.get(url).get_data(as_text=True)
        assert "Real Secret-Name" not in page, url


def test_someone_added_from_another_school_accepts_before_getting_access(app, client):
    school, other = SchoolFactory(name="Oak"), SchoolFactory(name="Elm")
    admin = UserFactory(school=school, role=Role.ADMIN)
    outsider = UserFactory(school=other, role=Role.SENIOR_LEADER, email="known@elm.example")
    db.session.commit()
    login(client, admin)
    _add(client, "known@elm.example")
    client.post("/logout")
    response = login(client, outsider)
    assert response.headers["Location"].endswith("/account/")
    page = client.get("/account/").get_data(as_text=True)
    assert "Oak added you as staff" in page
    assert client.post("/switch-school", data={"school_id": str(school.id)},
                       follow_redirects=True).status_code == 200
    assert "at <strong>Elm</strong>" in client.get("/").get_data(as_text=True)
    pending = next(m for m in outsider.memberships if m.school_id == school.id)
    assert client.post(f"/account/invitations/{pending.id}",
                       data={"answer": "accept"}).status_code == 302
    client.post("/switch-school", data={"school_id": str(school.id)})
    assert "at <strong>Oak</strong>" in client.get("/").get_data(as_text=True)


def test_a_declined_invitation_goes_away(app, client):
    school, other = SchoolFactory(name="Oak"), SchoolFactory(name="Elm")
    admin = UserFactory(school=school, role=Role.ADMIN)
    outsider = UserFactory(school=other, role=Role.STAFF, email="known@elm.example")
    db.session.commit()
    login(client, admin)
    _add(client, "known@elm.example")
    client.post("/logout")
    login(client, outsider)
    pending_id = next(m.id for m in db.session.get(User, outsider.id).memberships
                      if m.school_id == school.id)
    assert client.post(f"/account/invitations/{pending_id}",
                       data={"answer": "decline"}).status_code == 302
    assert db.session.get(Membership, pending_id) is None
    assert client.post(f"/account/invitations/{pending_id}",
                       data={"answer": "accept"}).status_code == 404


def test_removing_a_membership_never_touches_the_account_or_other_schools(app, client):
    school, other = SchoolFactory(name="Oak"), SchoolFactory(name="Elm")
    admin = UserFactory(school=school, role=Role.ADMIN)
    shared = UserFactory(school=other, role=Role.SENIOR_LEADER, email="shared@elm.example")
    db.session.commit()
    login(client, admin)
    _add(client, "shared@elm.example")
    db.session.expire_all()
    here = db.session.scalar(select(Membership).where(Membership.user_id == shared.id,
                                                      Membership.school_id == school.id))
    assert client.post(f"/admin/users/{here.id}/remove").status_code == 302
    db.session.expire_all()
    shared = db.session.get(User, shared.id)
    assert shared.active is True
    assert [(m.school_id, m.role) for m in shared.memberships] == [(other.id, Role.SENIOR_LEADER)]
    client.post("/logout")
    assert login(client, shared).status_code == 302  # still logs in to their own school


def test_admin_cannot_reach_another_schools_memberships(app, client):
    school, other = SchoolFactory(), SchoolFactory()
    admin = UserFactory(school=school, role=Role.ADMIN)
    outsider = UserFactory(school=other, role=Role.STAFF)
    db.session.commit()
    login(client, admin)
    membership_id = outsider.memberships[0].id
    assert client.post(f"/admin/users/{membership_id}/role",
                       data={"role": "admin"}).status_code == 404
    assert client.post(f"/admin/users/{membership_id}/remove").status_code == 404
    db.session.expire_all()
    assert db.session.get(Membership, membership_id).role is Role.STAFF
    assert "Deactivated" not in client.get("/admin/users/").get_data(as_text=True)
