"""The application factory, configuration, security headers and error pages."""

from __future__ import annotations

import pytest

from checklist_app import create_app
from tests.conftest import make_app


def test_factory_takes_config_overrides(database_url):
    app = make_app(database_url, CHECKLISTS_DIR="/somewhere/else")
    assert app.config["CHECKLISTS_DIR"] == "/somewhere/else"
    assert app.config["TESTING"] is True


def test_production_refuses_default_secret_key(monkeypatch):
    monkeypatch.setenv("CHECKLIST_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CHECKLIST_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_with_a_real_key_sets_secure_cookies(monkeypatch, database_url):
    monkeypatch.setenv("CHECKLIST_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("CHECKLIST_DATABASE_URL", "postgresql+psycopg://u@localhost/x")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@localhost/x"


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_request_size_limit(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/login", data={"email": "a" * 5000, "password": "x"})
    assert response.status_code == 413


@pytest.mark.sqlite_only
def test_sqlite_pragmas(app):
    from sqlalchemy import text

    from checklist_app.extensions import db

    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
