"""Fixtures: a fresh app and database for each test, on SQLite (and PostgreSQL when asked)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from checklist_app import create_app
from checklist_app.extensions import db

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_URL = os.environ.get("CHECKLIST_TEST_POSTGRES_URL")


class OwnSessionClient(FlaskClient):
    """A test client whose every request has its own app context, so its own database session.

    Before a request the test's session commits what the test arranged (so the request sees it and
    no lock is held); after it, the test's objects are expired, so the test reads what the request
    wrote: no stale objects, and no ``expire_all`` or ``refresh`` scattered through the tests.
    """

    def open(self, *args, **kwargs):
        arranging = has_app_context()  # the test's own app context, with its session
        if arranging:
            db.session.commit()
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            if arranging:
                db.session.expire_all()


def make_app(database_url: str, **overrides):
    """An app for tests: CSRF and rate limits off unless a test turns them on."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret-key-that-is-long-enough",
        "CHECKLISTS_DIR": str(ROOT / "checklists"),
        "REPORTS_DIR": str(ROOT / "reports"),
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = OwnSessionClient
    return app


# ``CHECKLIST_TEST_DATABASE=postgresql`` runs the whole suite on PostgreSQL (CI does both).
SUITE_ON_POSTGRES = os.environ.get("CHECKLIST_TEST_DATABASE", "sqlite") == "postgresql"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only: checks SQLite itself; skipped when the suite runs on PostgreSQL")
    if SUITE_ON_POSTGRES and not POSTGRES_URL:
        raise pytest.UsageError("CHECKLIST_TEST_DATABASE=postgresql needs CHECKLIST_TEST_POSTGRES_URL")


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if SUITE_ON_POSTGRES else 'SQLite'}"


def pytest_collection_modifyitems(config, items):
    if not SUITE_ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="checks SQLite itself: not run when the suite runs on PostgreSQL")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


def throwaway_postgres_database():
    """Create an empty PostgreSQL database; yield its URL; drop it afterwards."""
    name = f"checklist_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _suite_postgres_database():
    """One PostgreSQL database for the whole run (creating one per test is slow)."""
    if not SUITE_ON_POSTGRES:
        yield None
        return
    yield from throwaway_postgres_database()


def _empty_postgres_schema(url: str) -> None:
    """Drop everything in the database, so the next test starts from nothing (tables, types, alembic)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def database_url(tmp_path, _suite_postgres_database):
    """A new, empty database for this test: a SQLite file, or PostgreSQL when the suite runs there."""
    if _suite_postgres_database:
        _empty_postgres_schema(_suite_postgres_database)
        return _suite_postgres_database
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app_config():
    """Per-test configuration overrides (tests override this fixture)."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    """An application whose tables are created from the models."""
    app = make_app(database_url, **app_config)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def postgres_url():
    """A throw-away PostgreSQL database, or a skip saying why there is none."""
    if not POSTGRES_URL:
        pytest.skip("CHECKLIST_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    yield from throwaway_postgres_database()


@pytest.fixture
def school_name():
    """The name of the ``school`` fixture's school (a module overrides it when its pages show it)."""
    return "Oak Primary"


@pytest.fixture
def school(app, school_name):
    """A school, from the shared factories."""
    from tests.factories import SchoolFactory

    return SchoolFactory(name=school_name)


@pytest.fixture
def leader(client, school):
    """A senior leader of ``school``, logged in on ``client``."""
    from checklist_app.auth.models import Role
    from tests.factories import UserFactory, login

    user = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Jo Head")
    db.session.commit()
    login(client, user)
    return user
