"""Log-in, log-out, roles, deactivation, CSRF and the log-in rate limit."""

from __future__ import annotations

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.conftest import make_app
from tests.factories import PASSWORD, SchoolFactory, UserFactory, login


def test_pages_need_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_log_in_and_out(client, school):
    user = UserFactory(school=school, role=Role.STAFF, name="Sam Patel")
    db.session.commit()
    response = login(client, user)
    assert response.status_code == 302
    page = client.get("/")
    assert b"Oak Primary" in page.data and b"Sam Patel" in page.data
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_says_so_without_saying_which(client, school):
    user = UserFactory(school=school)
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 400
    assert b"e-mail address or password is not right" in response.data
    assert user.email.encode() in response.data  # what was typed is kept


def test_email_is_matched_without_case(client, school):
    UserFactory(school=school, email="Mixed.Case@example.org")
    db.session.commit()
    response = client.post("/login", data={"email": "MIXED.case@EXAMPLE.org", "password": PASSWORD})
    assert response.status_code == 302


def test_deactivating_a_user_ends_access_at_once(client, school):
    user = UserFactory(school=school)
    db.session.commit()
    login(client, user)
    assert client.get("/").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_next_only_redirects_within_the_site(client, school):
    user = UserFactory(school=school)
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_every_view_declares_who_may_use_it(app):
    undeclared = [name for name, view in app.view_functions.items() if name != "static"
                  and getattr(view, "access_roles", None) is None
                  and not getattr(view, "is_public", False)]
    assert undeclared == []


def test_user_without_a_school_is_refused(client, app):
    from checklist_app.auth.models import User

    user = User(email="lonely@example.org", name="Lonely")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    login(client, user)
    assert client.get("/").status_code == 403


def test_school_switcher_only_offers_own_schools(client, app):
    oak, elm, other = SchoolFactory(name="Oak"), SchoolFactory(name="Elm"), SchoolFactory(name="Other")
    user = UserFactory(school=oak, role=Role.ADMIN)
    from checklist_app.auth.models import Membership

    user.memberships.append(Membership(school=elm, role=Role.ADMIN))
    db.session.commit()
    login(client, user)
    page = client.get("/").get_data(as_text=True)
    assert "Elm" in page and ">Other<" not in page
    client.post("/switch-school", data={"school_id": str(elm.id)})
    assert ">Elm</h1>" in client.get("/").get_data(as_text=True)
    response = client.post("/switch-school", data={"school_id": str(other.id)},
                           follow_redirects=True)
    assert "You do not have access to that school." in response.get_data(as_text=True)
    assert ">Elm</h1>" in response.get_data(as_text=True)


def test_csrf_token_is_required(database_url):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        school = SchoolFactory()
        user = UserFactory(school=school)
        db.session.commit()
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        assert b"This form has expired" in response.data
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302
        db.session.remove()
        db.engine.dispose()


def test_log_in_is_rate_limited(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        db.create_all()
        client = app.test_client()
        codes = [client.post("/login", data={"email": "x@example.org", "password": "nope"})
                 .status_code for _ in range(5)]
        assert codes[:3] == [400, 400, 400]
        assert codes[3:] == [429, 429]
        assert b"Too many attempts" in client.post("/login", data={}).data
        db.session.remove()
        db.engine.dispose()
