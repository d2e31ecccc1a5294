"""Migrations from empty reach the models' schema, and step down again, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from checklist_app.extensions import db
from tests.conftest import make_app


def _differences():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _check(url: str) -> None:
    app = make_app(url)
    with app.app_context():
        upgrade()
        assert _differences() == []
        downgrade(revision="-1")
        upgrade()
        assert _differences() == []
        db.session.remove()
        db.engine.dispose()


def test_migrations_match_models_on_sqlite(database_url):
    _check(database_url)


@pytest.mark.postgres
def test_migrations_match_models_on_postgres(postgres_url):
    _check(postgres_url)
