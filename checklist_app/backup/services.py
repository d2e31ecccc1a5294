"""Export every table to plain JSON and import it into an empty database, all or nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, func, insert, select, text
from sqlalchemy.schema import Table

from checklist_app.extensions import db

FORMAT = "checklist_app-backup"
FORMAT_VERSION = 1
SECRET_COLUMNS = {("user", "password_hash"), ("user", "calendar_token")}
# A hash that matches no password: restored users must be given a new one.
UNUSABLE_PASSWORD = "!reset-required"  # noqa: S105


class BackupError(ValueError):
    """A backup file cannot be imported; nothing was changed."""


def _tables() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name != "alembic_version"]


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _revision() -> str | None:
    try:
        with db.session.begin_nested():  # a failure undoes only this read, not the transaction
            return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database made with create_all has no alembic table
        return None


def export_all(include_secrets: bool = False) -> dict[str, Any]:
    """Every row of every table, ordered by primary key (secrets left out unless asked)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [
            {k: (None if (table.name, k) in SECRET_COLUMNS and not include_secrets
                 else _to_json(v)) for k, v in row.items()} for row in rows]
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": _revision(),
            "includes_secrets": include_secrets, "tables": tables}


def dumps(data: dict[str, Any]) -> str:
    """The backup as stable, readable JSON text."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def _from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise BackupError(f"table {table.name} has unknown columns: {', '.join(sorted(unknown))}")
    out = {}
    for column in table.columns:
        value = row.get(column.name)
        try:
            if value is not None and isinstance(column.type, DateTime):
                value = datetime.fromisoformat(value)
            elif value is not None and isinstance(column.type, Date):
                value = date.fromisoformat(value)
            elif value is not None and isinstance(column.type, Numeric):
                value = Decimal(value)
        except (TypeError, ValueError) as error:
            raise BackupError(f"table {table.name}, column {column.name}: {error}") from None
        if (table.name, column.name) == ("user", "password_hash") and value is None:
            value = UNUSABLE_PASSWORD
        out[column.name] = value
    return out


def _check_header(data: Any) -> dict[str, list]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("this is not a checklist_app backup file")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format {data.get('format_version')} is not supported")
    revision = _revision()
    if data.get("schema_revision") and revision and data["schema_revision"] != revision:
        raise BackupError(f"the backup was made at schema revision {data['schema_revision']} but "
                          f"this database is at {revision}: run 'checklist-app db upgrade' on a "
                          "database of the backup's version first")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise BackupError("the file has no tables")
    known = {t.name for t in _tables()}
    unknown = set(tables) - known
    if unknown:
        raise BackupError(f"unknown tables: {', '.join(sorted(unknown))}")
    return tables


def import_all(data: Any) -> dict[str, int]:
    """Load a backup into an empty database in one transaction; on any error it is rolled back and
    nothing changes. The caller (the ``import`` command) commits."""
    tables = _check_header(data)
    for table in _tables():
        if db.session.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"the database is not empty (table {table.name} has rows): "
                              "import only into a new, empty database")
    counts = {}
    try:
        for table in _tables():
            rows = tables.get(table.name) or []
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise BackupError(f"table {table.name} is not a list of rows")
            if rows:
                db.session.execute(insert(table), [_from_json(table, r) for r in rows])
            counts[table.name] = len(rows)
        _reset_sequences()
        db.session.flush()
    except BackupError:
        db.session.rollback()
        raise
    except Exception as error:  # a constraint or type failure deep in the data
        db.session.rollback()
        raise BackupError(f"the backup could not be loaded ({type(error).__name__}: "
                          f"{str(error).splitlines()[0][:300]}); nothing was changed") from None
    return counts


def _reset_sequences() -> None:
    """PostgreSQL: move id sequences past the imported ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.columns and table.columns["id"].autoincrement:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))
