"""Two-factor log-in: enrolment with a QR code made on the server, the second log-in step, recovery
codes (hashed, one use each), replay refusal, throttling, and a school that requires it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import RecoveryCode, Role, School, User
from checklist_app.extensions import db
from tests.factories import PASSWORD, UserFactory, login

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def user(app, school):
    user = UserFactory(school=school, role=Role.STAFF, email="kim@oak.example")
    db.session.commit()
    return user


def _secret(page: str) -> str:
    return re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")


def _enrol(client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0]
    secret = _secret(page)
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]{14})</code></li>", response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def test_enrol_then_log_in_with_a_code(app, client, user):
    with time_machine.travel(START, tick=False) as traveller:
        login(client, user)
        secret, codes = _enrol(client)
        db.session.expire_all()
        stored = db.session.get(User, user.id)
        assert stored.totp_secret == secret
        hashes = db.session.scalars(select(RecoveryCode.code_hash)
                                    .where(RecoveryCode.user_id == user.id)).all()
        assert len(hashes) == 10 and not any(c.replace("-", "") in h for c in codes for h in hashes)
        client.post("/logout")
        traveller.shift(timedelta(minutes=1))
        response = login(client, user)
        assert response.headers["Location"].endswith("/login/two-factor")
        assert client.get("/").status_code == 302  # not logged in until the code is given
        wrong = client.post("/login/two-factor", data={"code": "000000"})
        assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
        code = pyotp.TOTP(secret).now()
        assert client.post("/login/two-factor", data={"code": code}).status_code == 302
        assert client.get("/").status_code == 200
        # The same code cannot be used again (replay).
        client.post("/logout")
        login(client, user)
        assert client.post("/login/two-factor", data={"code": code}).status_code == 400
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)))
    assert {"two-factor log-in turned on", "logged in", "log-in refused"} <= actions


def test_a_recovery_code_works_once(app, client, user):
    with time_machine.travel(START, tick=False):
        login(client, user)
        _secret_value, codes = _enrol(client)
        client.post("/logout")
        login(client, user)
        response = client.post("/login/two-factor", data={"code": codes[0].upper()},
                               follow_redirects=True)
        assert response.status_code == 200 and "9 are left" in response.get_data(as_text=True)
        assert "9 unused recovery codes" in client.get("/account/").get_data(as_text=True)
        client.post("/logout")
        login(client, user)
        assert client.post("/login/two-factor", data={"code": codes[0]}).status_code == 400


def test_the_second_step_is_throttled(app, client, user):
    with time_machine.travel(START, tick=False):
        login(client, user)
        secret, _codes = _enrol(client)
        client.post("/logout")
        login(client, user)
        for _ in range(5):
            client.post("/login/two-factor", data={"code": "123456"})
        right = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
        assert right.status_code == 400  # locked for a while even with the right code
        assert client.get("/").status_code == 302


def test_the_second_step_needs_a_fresh_password_step(client, user):
    assert client.get("/login/two-factor").status_code == 302
    assert client.post("/login/two-factor", data={"code": "123456"}).status_code == 302


def test_a_school_can_require_two_factor_log_in(app, client, school, user):
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    with time_machine.travel(START, tick=False):
        login(client, admin)
        page = client.get("/admin/users/").get_data(as_text=True)
        assert "Two-factor log-in" in page
        assert client.post("/admin/users/two-factor", data={"require": "y"}).status_code == 302
        db.session.expire_all()
        assert db.session.get(School, school.id).require_two_factor is True
        client.post("/logout")
        # The staff member has not set it up: they enrol at log-in, before they see anything.
        response = login(client, user)
        assert response.headers["Location"].endswith("/login/two-factor/set-up")
        page = client.get("/login/two-factor/set-up").get_data(as_text=True)
        assert "<svg" in page and client.get("/").status_code == 302
        secret = _secret(page)
        done = client.post("/login/two-factor/set-up", data={"code": pyotp.TOTP(secret).now()})
        assert done.status_code == 200 and "recovery codes" in done.get_data(as_text=True)
        assert client.get("/").status_code == 200
        # It cannot be turned off while the school requires it.
        client.post("/account/two-factor/off", data={"password": PASSWORD})
        db.session.expire_all()
        assert db.session.get(User, user.id).two_factor_enabled
    labelled = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.record_type == "School", AuditEvent.school_id == school.id)).all()
    assert "two-factor setting" in labelled


def test_only_admins_change_the_school_setting(client, user):
    login(client, user)
    assert client.post("/admin/users/two-factor", data={"require": "y"}).status_code == 403


def test_turning_off_needs_the_password(app, client, user):
    with time_machine.travel(START, tick=False):
        login(client, user)
        _enrol(client)
        assert client.post("/account/two-factor/off",
                           data={"password": "wrong password"}).status_code == 400
        db.session.expire_all()
        assert db.session.get(User, user.id).two_factor_enabled
        assert client.post("/account/two-factor/off",
                           data={"password": PASSWORD}).status_code == 302
        db.session.expire_all()
        stored = db.session.get(User, user.id)
        assert not stored.two_factor_enabled and stored.recovery_codes == []


def test_cli_resets_two_factor(app, client, user):
    with time_machine.travel(START, tick=False):
        login(client, user)
        _enrol(client)
    result = app.test_cli_runner().invoke(args=["users", "reset-two-factor", "--email", user.email])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not db.session.get(User, user.id).two_factor_enabled
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "two-factor log-in reset")).reason == "from the command line"
    assert client.get("/").status_code == 302  # and the sessions ended
