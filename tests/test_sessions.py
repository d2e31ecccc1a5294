"""Sessions that end: log-out, password change and deactivation end old cookies on the server; idle
and absolute limits; per-account throttling with growing lock-outs; refusals that take the same work
for known and unknown e-mail addresses; trusted proxies; the production rate-limit store check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from checklist_app import create_app
from checklist_app.audit.models import AuditEvent
from checklist_app.auth import services
from checklist_app.auth.models import Role, User
from checklist_app.extensions import db
from tests.factories import PASSWORD, SchoolFactory, UserFactory, login

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _works(client) -> bool:
    return client.get("/").status_code == 200


@pytest.fixture
def user(app, school):
    user = UserFactory(school=school, role=Role.SENIOR_LEADER, email="jo@oak.example")
    db.session.commit()
    return user


def test_an_old_cookie_stops_working_after_log_out(app, client, user):
    login(client, user)
    stolen = _cookie(client)
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302  # back to the log-in page
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id))
    assert {"logged in", "logged out"} <= set(events)


def test_a_password_change_ends_other_sessions_but_keeps_this_one(app, client, user):
    login(client, user)
    other = app.test_client()
    login(other, user)
    assert _works(other)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a brand new phrase",
        "confirm": "a brand new phrase"})
    assert response.status_code == 302
    assert _works(client)
    assert not _works(other)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("a brand new phrase")


@pytest.mark.parametrize(("current", "new", "message"), [
    ("wrong password!", "a brand new phrase", "That is not your current password."),
    (PASSWORD, "short", "at least 10 characters long (this one has 5)"),
    (PASSWORD, "aaaaaaaaaaaaaa", "repeats too few characters"),
    (PASSWORD, "jo@oak.example!!", "must not contain your e-mail address"),
])
def test_a_password_change_needs_the_current_password_and_a_strong_new_one(client, user, current,
                                                                            new, message):
    login(client, user)
    response = client.post("/account/password", data={
        "current_password": current, "new_password": new, "confirm": new})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_the_account_menu_links_to_the_password_page(client, user):
    login(client, user)
    assert "/account/" in client.get("/").get_data(as_text=True)
    page = client.get("/account/password").get_data(as_text=True)
    assert "Current password" in page and "New password again" in page


def test_deactivation_ends_sessions_at_once(app, client, user):
    login(client, user)
    result = app.test_cli_runner().invoke(args=["users", "deactivate", "--email", user.email])
    assert result.exit_code == 0
    assert not _works(client)


def test_the_session_ends_after_idling(app, client, user):
    with time_machine.travel(START, tick=False) as traveller:
        login(client, user)
        traveller.shift(timedelta(minutes=29))
        assert _works(client)
        traveller.shift(timedelta(minutes=29))
        assert _works(client)  # activity keeps it alive
        traveller.shift(timedelta(minutes=31))
        assert not _works(client)


def test_idle_timeout_is_configurable(database_url):
    from tests.conftest import make_app

    app = make_app(database_url, IDLE_TIMEOUT_MINUTES=5)
    with app.app_context():
        db.create_all()
        user = UserFactory(school=SchoolFactory())
        db.session.commit()
        client = app.test_client()
        with time_machine.travel(START, tick=False) as traveller:
            login(client, user)
            traveller.shift(timedelta(minutes=6))
            assert not _works(client)
        db.session.remove()
        db.engine.dispose()


def test_the_session_ends_at_its_absolute_lifetime(app, client, user):
    with time_machine.travel(START, tick=False) as traveller:
        login(client, user)
        for _ in range(35):  # 11 hours 40 minutes of steady use
            traveller.shift(timedelta(minutes=20))
            assert _works(client)
        traveller.shift(timedelta(minutes=25))  # 12 hours 5 minutes after log-in
        assert not _works(client)


def test_wrong_passwords_lock_the_account_for_growing_periods(client, user):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(services.FREE_ATTEMPTS):
            assert client.post("/login", data={"email": user.email,
                                               "password": "nope nope"}).status_code == 400
        db.session.expire_all()
        first_lock = db.session.get(User, user.id).locked_until
        assert first_lock is not None
        # Even the right password is refused while locked, with the same message.
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400 and "not right" in response.get_data(as_text=True)
        traveller.shift(timedelta(minutes=1, seconds=1))
        client.post("/login", data={"email": user.email, "password": "nope nope"})
        db.session.expire_all()
        second = db.session.get(User, user.id)
        assert second.failed_logins == services.FREE_ATTEMPTS + 1
        lock = second.locked_until.replace(tzinfo=UTC) - datetime.now(UTC)
        assert timedelta(minutes=1, seconds=59) <= lock <= timedelta(minutes=2)
        traveller.shift(timedelta(minutes=3))
        assert login(client, user).status_code == 302
        db.session.expire_all()
        assert db.session.get(User, user.id).failed_logins == 0
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)))
    assert {"log-in refused", "account locked", "logged in"} <= actions


def test_known_and_unknown_e_mails_both_check_a_password_hash(client, user, monkeypatch):
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash",
                        lambda stored, given: calls.append(stored) or real(stored, given))
    for email in (user.email, "nobody@nowhere.example"):
        response = client.post("/login", data={"email": email, "password": "not it at all"})
        assert response.status_code == 400
    assert len(calls) == 2
    assert calls[0] == user.password_hash and calls[1].startswith("scrypt:")
    assert calls[1] != user.password_hash


def test_cli_reactivates_an_account_and_clears_a_lock_out(app, client, user):
    runner = app.test_cli_runner()
    runner.invoke(args=["users", "deactivate", "--email", user.email])
    db.session.expire_all()
    db.session.get(User, user.id).locked_until = datetime(2099, 1, 1, tzinfo=UTC)
    db.session.commit()
    assert login(client, user).status_code == 400
    result = runner.invoke(args=["users", "reactivate", "--email", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert "can log in again" in result.output and "Oak Primary" in result.output
    assert login(client, user).status_code == 302
    assert runner.invoke(args=["users", "reactivate", "--email", "x@y.example"]).exit_code == 1


def test_trusted_proxies_set_the_client_address(database_url):
    from tests.conftest import make_app

    seen = []
    for proxies in (0, 1):
        app = make_app(database_url, TRUSTED_PROXIES=proxies)

        @app.get("/whoami")
        def whoami():
            from flask import request

            seen.append(request.remote_addr)
            return ""

        whoami.is_public = True
        app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"},
                              environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen == ["10.0.0.1", "203.0.113.9"]


def test_production_refuses_a_per_process_rate_limit_store(monkeypatch, database_url):
    monkeypatch.setenv("CHECKLIST_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="memory://"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    monkeypatch.setenv("SINGLE_PROCESS", "1")
    assert create_app({"SQLALCHEMY_DATABASE_URI": database_url}).config["SINGLE_PROCESS"] is True
    monkeypatch.delenv("SINGLE_PROCESS")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    assert create_app({"SQLALCHEMY_DATABASE_URI": database_url})
