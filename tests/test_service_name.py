"""A deployment's own service name (``SERVICE_NAME``, e.g. a local authority's) is what users see on
every page, in e-mails and in their authenticator app: never the package name "checklist_app"."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from checklist_app.auth import two_factor
from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.factories import UserFactory, login
from tests.smtp_server import smtp_inbox  # noqa: F401 - fixture
from tests.test_access_matrix import _routes, _url, _world

SERVICE = "Northshire Council, Attendance & Inclusion"
SHOWN = "Northshire Council, Attendance &amp; Inclusion"  # as HTML writes it
PACKAGE_NAME = re.compile(r"checklist[_ ]app", re.IGNORECASE)


@pytest.fixture
def app_config(smtp_inbox, tmp_path):  # noqa: F811
    _inbox, port = smtp_inbox
    return {"SERVICE_NAME": SERVICE, "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port, "SERVER_NAME": "attendance.example", "JOBS_DIR": str(tmp_path / "jobs")}


def test_no_page_shows_the_package_name(app, client, school):
    ids = _world(school)
    pages = 0
    for role in (Role.ADMIN, Role.ATTENDANCE_LEAD, Role.GOVERNOR):
        user = UserFactory(school=school, role=role)
        db.session.commit()
        login(client, user)
        for rule, view, method in _routes(app):
            if method != "GET" or getattr(view, "is_public", False) or rule.endpoint == "auth.logout":
                continue
            response = client.get(_url(app, rule, ids))
            if response.status_code != 200 or not response.mimetype.startswith("text/"):
                continue
            pages += 1
            text = response.get_data(as_text=True)
            assert not PACKAGE_NAME.search(text), (rule.rule, role, PACKAGE_NAME.search(text))
            if response.mimetype == "text/html":
                assert f"– {SHOWN}</title>" in text, rule.rule
        client.post("/logout")
    assert pages > 60


def test_user_administration_names_the_service(client, school):
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    login(client, admin)
    page = client.get("/admin/users/").get_data(as_text=True)
    assert f"people can use {SHOWN} at this school" in page
    assert f"someone who already uses\n{SHOWN} keeps their own" in page
    added = client.post("/admin/users/", data={"name": "Sam Lee", "email": "sam@oak.example",
                                               "role": "staff"}, follow_redirects=True)
    assert f"address is new to {SHOWN}, their first password is" in added.get_data(as_text=True)


def test_the_authenticator_app_and_the_code_page_name_the_service(app, client, school):
    user = UserFactory(school=school, role=Role.STAFF, email="kim@oak.example")
    user.totp_secret = pyotp.random_base32()
    db.session.commit()
    with app.test_request_context():
        uri = two_factor.provisioning_uri(user, user.totp_secret)
    assert parse_qs(urlsplit(uri).query)["issuer"] == [SERVICE]
    assert pyotp.parse_uri(uri).issuer == SERVICE
    response = login(client, user)
    assert response.headers["Location"].endswith("/login/two-factor")
    page = client.get("/login/two-factor").get_data(as_text=True)
    assert f"enter the 6-digit code it shows for {SHOWN}." in page


def test_password_reset_mail_comes_from_and_names_the_service(client, school, smtp_inbox):  # noqa: F811
    inbox, _port = smtp_inbox
    UserFactory(school=school, email="jo@oak.example")
    db.session.commit()
    client.post("/forgot-password", data={"email": "jo@oak.example"})
    message = inbox.messages[-1]
    assert message["Subject"] == f"Set a new password for {SERVICE}"
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (SERVICE, "no-reply@localhost")
    body = message.get_body(("plain",)).get_content()
    assert f"your {SERVICE} account" in body and not PACKAGE_NAME.search(body)


def test_a_blank_service_name_falls_back_to_the_default(app):
    from checklist_app.config import service_name

    assert service_name({"SERVICE_NAME": "  "}) == "School attendance"
    assert service_name({}) == "School attendance"
    assert service_name({"SERVICE_NAME": " Northshire "}) == "Northshire"
