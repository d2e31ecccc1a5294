"""Backup and restore: every column of every model round-trips; a damaged file changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Float, Integer, String, Time, func, insert, select
from werkzeug.security import generate_password_hash

from checklist_app.auth.models import Role, School, User
from checklist_app.backup.services import (
    BackupError,
    checksum,
    dumps,
    export_all,
    import_all,
    schema_revision,
)
from checklist_app.checklist_engine.pinning import pin
from checklist_app.checklist_engine.registry import registry
from checklist_app.extensions import db
from tests.conftest import make_app
from tests.factories import SchoolFactory, UserFactory

TEXT = "Zoë “Ó Briain” <b>&amp;</b> 🙂\nsecond line\ttab"


def _value(table, column):
    """A non-empty value of the column's type that every check accepts."""
    kind = column.type
    if column.name == "password_hash":
        return generate_password_hash("correct horse battery", method="scrypt")
    if column.foreign_keys or (column.primary_key and isinstance(kind, Integer)):
        return 1
    if isinstance(kind, Enum):
        return kind.enums[-1]
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Integer):
        return 3
    if isinstance(kind, Float):
        return 87.5
    if isinstance(kind, DateTime):
        return datetime(2026, 11, 22, 14, 5, 7, 123456, tzinfo=UTC)
    if isinstance(kind, Date):
        return date(2026, 11, 22)
    if isinstance(kind, Time):
        return time(9, 30, 15)
    if isinstance(kind, JSON):
        return {"nested": [1, 2.5, "Siân", None, True], "é": {"empty": [], "n": -4}}
    if isinstance(kind, String):
        return TEXT[:kind.length] if kind.length else TEXT
    raise AssertionError(f"{table.name}.{column.name}: no sample for {kind}")


def _every_model() -> None:
    """One row in every table with every column set (a new column is covered automatically)."""
    for table in db.metadata.sorted_tables:
        if table.name != "alembic_version":
            db.session.execute(insert(table), [{c.name: _value(table, c) for c in table.columns}])
    db.session.commit()


def _fill() -> None:
    school = SchoolFactory(name="Zoë's Academy")
    UserFactory(school=school, role=Role.ADMIN, name="Łukasz Nowak")
    UserFactory(school=school, role=Role.GOVERNOR, name="Siân Ó Briain")
    pin(registry().newest_published("school-attendance-self-evaluation"))
    db.session.commit()


def _empty() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _round_trip(source_url: str, target_url: str) -> None:
    source = make_app(source_url)
    with source.app_context():
        db.create_all()
        _every_model()
        first = dumps(export_all(include_secrets=True))
        db.session.remove()
        db.engine.dispose()
    data = json.loads(first)
    for name, rows in data["tables"].items():
        assert len(rows) == 1, name
        assert all(v is not None for v in rows[0].values()), name
    assert data["tables"]["meeting"][0]["start_time"] == "09:30:15"
    target = make_app(target_url)
    with target.app_context():
        db.create_all()
        counts = import_all(json.loads(first), accept_secrets=True)
        db.session.commit()
        assert set(counts.values()) == {1}
        assert dumps(export_all(include_secrets=True)) == first
        assert db.session.get(User, 1).check_password("correct horse battery")
        school = SchoolFactory(name="Added after restore")
        db.session.commit()
        assert school.id > 1  # ids continue past the imported ones
        db.session.remove()
        db.engine.dispose()


def test_every_column_of_every_model_round_trips(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}")


@pytest.mark.postgres
def test_every_column_round_trips_on_postgres(tmp_path, postgres_url):
    _round_trip(postgres_url, f"sqlite:///{tmp_path / 'b.sqlite3'}")


@pytest.mark.postgres
def test_round_trip_sqlite_to_postgres(tmp_path, postgres_url):
    _round_trip(f"sqlite:///{tmp_path / 'a.sqlite3'}", postgres_url)


def test_without_secrets_users_must_reset(app):
    _fill()
    plain = export_all()
    assert all(row["password_hash"] is None for row in plain["tables"]["user"])
    secret = export_all(include_secrets=True)
    assert all(row["password_hash"].startswith("scrypt:") for row in secret["tables"]["user"])
    _empty()
    import_all(plain)
    db.session.commit()
    user = db.session.scalar(select(User).where(User.name == "Łukasz Nowak"))
    assert user.password_hash == "!reset-required" and not user.check_password("")


def _resigned(change):
    """Damage the file and give it a matching checksum, as someone editing it on purpose would."""
    def damage(data):
        change(data)
        data["checksum"] = checksum(data)
    return damage


def _plant(data):
    data["tables"]["user"][0]["password_hash"] = generate_password_hash("known", method="scrypt")


DAMAGES = {
    "bad checksum": (lambda d: d["tables"]["case"][0].update(baseline_attendance=50.0),
                     "checksum does not match"),
    "no checksum": (lambda d: d.pop("checksum"), "no checksum"),
    "missing audit table": (_resigned(lambda d: d["tables"].pop("audit_event")),
                            "missing 1 of .* tables: audit_event"),
    "three tables": (_resigned(lambda d: d.update(tables={k: d["tables"][k] for k in
                                                          ("school", "user", "membership")})),
                     "missing .* tables"),
    "no tables": (_resigned(lambda d: d.update(tables={})), "no tables"),
    "wrong revision": (_resigned(lambda d: d.update(schema_revision="0002")),
                       "schema revision 0002"),
    "unknown table": (_resigned(lambda d: d["tables"].update(pupils_of_doom=[])), "unknown tables"),
    "unknown column": (_resigned(lambda d: d["tables"]["user"][0].update(shoe_size=9)),
                       "unknown columns: shoe_size"),
    "missing column": (_resigned(lambda d: d["tables"]["pupil"][0].pop("upn")),
                       "missing columns: upn"),
    "bad enum": (_resigned(lambda d: d["tables"]["case"][0].update(status="archived")),
                 "table case, row 1, column status: 'archived' is not one of"),
    "bad role": (_resigned(lambda d: d["tables"]["membership"][0].update(role="overlord")),
                 "column role: 'overlord' is not one of"),
    "baseline 250": (_resigned(lambda d: d["tables"]["case"][0].update(baseline_attendance=250)),
                     "baseline_attendance: 250.0 is outside 0 to 100"),
    "planted hash": (_resigned(_plant), "password_hash: .*planted"),
    "bad date": (_resigned(lambda d: d["tables"]["pupil"][0].update(date_of_birth="0001-01-01")),
                 "date_of_birth: 0001-01-01 is outside"),
    "closed before opened": (_resigned(lambda d: d["tables"]["case"][0].update(
        closed_on="2020-01-01")), "closed_on: 2020-01-01 is before opened_on"),
    "bad time": (_resigned(lambda d: d["tables"]["meeting"][0].update(start_time="25:00")),
                 "start_time: '25:00' cannot be read"),
    "text too long": (_resigned(lambda d: d["tables"]["pupil"][0].update(first_name="x" * 101)),
                      "101 characters, more than the 100"),
    "wrong type": (_resigned(lambda d: d["tables"]["pupil"][0].update(has_social_worker="yes")),
                   "expected true or false"),
    "missing value": (_resigned(lambda d: d["tables"]["case"][0].update(reason_for_concern=None)),
                      "reason_for_concern: a value is required"),
    "dangling key": (_resigned(lambda d: d["tables"]["membership"][0].update(user_id=999)),
                     "there is no user with id 999"),
}


@pytest.mark.parametrize("name", list(DAMAGES))
def test_damaged_backup_is_refused_and_changes_nothing(app, tmp_path, name):
    _every_model()
    data = export_all()
    data["tables"]["user"][0]["password_hash"] = None
    data["checksum"] = checksum(data)
    _empty()
    damage, message = DAMAGES[name]
    damage(data)
    with pytest.raises(BackupError, match=message):
        import_all(data)
    db.session.rollback()
    path = tmp_path / "damaged.json"
    path.write_text(dumps(data), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "Import refused, nothing was changed" in result.output
    for table in db.metadata.sorted_tables:
        assert db.session.scalar(select(func.count()).select_from(table)) == 0, table.name


def test_another_schools_record_is_refused(app):
    _every_model()
    db.session.execute(insert(School), [{"id": 2, "name": "Other", "urn": "222222"}])
    db.session.commit()
    data = export_all()
    _empty()
    data["tables"]["case"][0]["school_id"] = 2
    data["checksum"] = checksum(data)
    with pytest.raises(BackupError, match="belongs to another school"):
        import_all(data)


def test_secrets_need_the_flag(app):
    _fill()
    data = export_all(include_secrets=True)
    _empty()
    with pytest.raises(BackupError, match="--include-password-hashes"):
        import_all(data)
    data["tables"]["user"][0]["password_hash"] = "plain:letmein"
    data["checksum"] = checksum(data)
    with pytest.raises(BackupError, match="not a password hash in the format"):
        import_all(data, accept_secrets=True)


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
    assert "SHA-256" in result.output and f"schema revision {schema_revision()}" in result.output
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{not json \xff")
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1 and "is not a readable backup" in result.output
    result = runner.invoke(args=["import", str(out)])
    assert result.exit_code == 1 and "database is not empty" in result.output
    _empty()
    result = runner.invoke(args=["import", str(out)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 2
