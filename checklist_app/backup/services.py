"""Export every table to plain JSON and import it into an empty database, all or nothing.

A backup file carries its format, the Alembic schema revision of the database it came from, whether
it holds secrets (password hashes, calendar tokens), every table, and a SHA-256 checksum over the
canonical JSON of all of that. Import refuses a file whose checksum, revision or any value is wrong
before it writes anything (see :mod:`checklist_app.backup.validation`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.schema import Table

from checklist_app.backup.validation import (
    SECRET_COLUMNS,
    UNUSABLE_PASSWORD,
    BackupError,
    check_references,
    parse_table,
)
from checklist_app.extensions import db

__all__ = ["BackupError", "UNUSABLE_PASSWORD", "checksum", "dumps", "export_all", "import_all",
           "schema_revision"]

FORMAT = "checklist_app-backup"
FORMAT_VERSION = 2


def _tables() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name != "alembic_version"]


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def schema_revision() -> str:
    """The database's Alembic revision (the migrations' head for a database made from models)."""
    if inspect(db.session.connection()).has_table("alembic_version"):
        found = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if found:
            return found
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head() or ""


def checksum(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of everything in the file except the checksum itself."""
    body = {k: v for k, v in data.items() if k != "checksum"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                           allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def export_all(include_secrets: bool = False) -> dict[str, Any]:
    """Every row of every table, ordered by primary key (secrets left out unless asked)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [
            {k: (None if (table.name, k) in SECRET_COLUMNS and not include_secrets
                 else _to_json(v)) for k, v in row.items()} for row in rows]
    data = {"format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_revision": schema_revision(), "includes_secrets": include_secrets,
            "tables": tables}
    data["checksum"] = checksum(data)
    return data


def dumps(data: dict[str, Any]) -> str:
    """The backup as stable, readable JSON text."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def _check_header(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("this is not a checklist_app backup file")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format {data.get('format_version')} is not supported "
                          f"(this version reads format {FORMAT_VERSION})")
    if not isinstance(data.get("checksum"), str):
        raise BackupError("the file has no checksum")
    try:
        actual = checksum(data)
    except ValueError as error:
        raise BackupError(f"the file cannot be checked ({error})") from None
    if actual != data["checksum"]:
        raise BackupError("the checksum does not match: the file is damaged or was edited "
                          "after export")
    revision = schema_revision()
    if data.get("schema_revision") != revision:
        raise BackupError(f"the backup was made at schema revision {data.get('schema_revision')} "
                          f"but this database is at {revision}: restore it with the version of "
                          "the application that made it")
    if not isinstance(data.get("includes_secrets"), bool):
        raise BackupError("the file does not say whether it holds password hashes")
    tables = data.get("tables")
    if not isinstance(tables, dict) or not tables:
        raise BackupError("the file has no tables")
    known = {t.name for t in _tables()}
    if unknown := set(tables) - known:
        raise BackupError(f"unknown tables: {', '.join(sorted(unknown))}")
    if missing := known - set(tables):
        raise BackupError(f"the file is missing {len(missing)} of {len(known)} tables: "
                          f"{', '.join(sorted(missing))}")
    return tables


def validate(data: Any, accept_secrets: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Every row of the file as Python values, or a BackupError naming the first problem."""
    tables = _check_header(data)
    if data["includes_secrets"] and not accept_secrets:
        raise BackupError("the file holds password hashes: import it with "
                          "--include-password-hashes, and only if you made it yourself")
    parsed = {t.name: parse_table(t, tables[t.name], data["includes_secrets"])
              for t in _tables()}
    check_references(_tables(), parsed)
    return parsed


def import_all(data: Any, accept_secrets: bool = False) -> dict[str, int]:
    """Load a valid backup into an empty database and flush (the caller commits).

    Everything is checked first; on any error a BackupError is raised and the caller rolls back.
    """
    parsed = validate(data, accept_secrets)
    for table in _tables():
        if db.session.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"the database is not empty (table {table.name} has rows): "
                              "import only into a new, empty database")
    try:
        for table in _tables():
            if parsed[table.name]:
                db.session.execute(insert(table), parsed[table.name])
        _reset_sequences()
        db.session.flush()
    except Exception as error:  # noqa: BLE001 - a constraint the checks above do not know
        raise BackupError(f"the backup could not be loaded ({type(error).__name__}: "
                          f"{str(error).splitlines()[0][:300]})") from None
    return {name: len(rows) for name, rows in parsed.items()}


def _reset_sequences() -> None:
    """PostgreSQL: move id sequences past the imported ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.columns and table.columns["id"].autoincrement:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))
