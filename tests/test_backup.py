"""Backup and restore: export -> import -> export is identical; a damaged file changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from checklist_app.auth.models import Role, School, User
from checklist_app.backup.services import BackupError, dumps, export_all, import_all
from checklist_app.checklist_engine.pinning import pin
from checklist_app.checklist_engine.registry import registry
from checklist_app.extensions import db
from tests.conftest import make_app
from tests.factories import SchoolFactory, UserFactory


def _fill() -> None:
    school = SchoolFactory(name="Zoë's Academy")
    UserFactory(school=school, role=Role.ADMIN, name="Łukasz Nowak")
    UserFactory(school=school, role=Role.GOVERNOR, name="Siân Ó Briain")
    pin(registry().newest_published("school-attendance-self-evaluation"))
    db.session.commit()


def _round_trip(source_url: str, target_url: str, tmp_path) -> None:
    source = make_app(source_url)
    with source.app_context():
        db.create_all()
        _fill()
        first = dumps(export_all())
        db.session.remove()
        db.engine.dispose()
    target = make_app(target_url)
    with target.app_context():
        db.create_all()
        counts = import_all(json.loads(first))
        assert counts["user"] == 2 and counts["definition_snapshot"] == 1
        assert dumps(export_all()) == first
        assert db.session.scalar(select(User).where(User.name == "Łukasz Nowak")).password_hash \
            == "!reset-required"
        school = SchoolFactory(name="Added after restore")  # ids continue past the imported ones
        db.session.commit()
        assert school.id > 1
        db.session.remove()
        db.engine.dispose()


def test_round_trip_is_identical(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}",
                tmp_path)


@pytest.mark.postgres
def test_round_trip_sqlite_to_postgres(tmp_path, postgres_url):
    _round_trip(f"sqlite:///{tmp_path / 'a.sqlite3'}", postgres_url, tmp_path)


def test_secrets_only_when_asked(app):
    _fill()
    plain = export_all()
    assert all(row["password_hash"] is None for row in plain["tables"]["user"])
    secret = export_all(include_secrets=True)
    assert all(row["password_hash"].startswith("scrypt:") for row in secret["tables"]["user"])


@pytest.mark.parametrize("damage,message", [
    (lambda d: d.update(format="something else"), "not a checklist_app backup"),
    (lambda d: d["tables"].update(pupils_of_doom=[]), "unknown tables"),
    (lambda d: d["tables"]["user"][0].update(shoe_size=9), "unknown columns"),
    (lambda d: d["tables"]["user"][1].update(created_at="yesterday"), "column created_at"),
    (lambda d: d["tables"]["membership"][0].update(user_id=999), "nothing was changed"),
])
def test_damaged_backup_changes_nothing(app, damage, message):
    _fill()
    data = export_all()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    damage(data)
    with pytest.raises(BackupError, match=message):
        import_all(data)
    assert db.session.scalar(select(func.count()).select_from(School)) == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_import_refuses_a_database_with_data(app):
    _fill()
    with pytest.raises(BackupError, match="not empty"):
        import_all(export_all())


def test_cli_export_and_import(app, tmp_path):
    _fill()
    runner = app.test_cli_runner()
    out = tmp_path / "backup.json"
    result = runner.invoke(args=["export", "--output", str(out)])
    assert result.exit_code == 0 and "Password hashes were left out" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1 and "is not a readable backup" in result.output
    result = runner.invoke(args=["import", str(out)])
    assert result.exit_code == 1 and "database is not empty" in result.output
