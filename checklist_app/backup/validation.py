"""Checks every value of a backup file before anything is written.

The checks are read from the schema (types, lengths, nullability, enum choices, foreign keys) plus
the ranges the forms enforce (percentages, counts, date window, the order of related dates) and the
password hash format the application produces. The first problem found is raised as a
:class:`BackupError` naming the table, the row and the column.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Float, Integer, Numeric, String, Text
from sqlalchemy import Time as TimeType
from sqlalchemy.schema import Column, Table

# A hash that matches no password: restored users must be given a new one.
UNUSABLE_PASSWORD = "!reset-required"  # noqa: S105
# Werkzeug's scrypt hashes, the only kind User.set_password makes.
PASSWORD_HASH = re.compile(r"scrypt:\d{1,7}:\d{1,3}:\d{1,3}\$[A-Za-z0-9]{1,64}\$[0-9a-f]{128}")
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
TEXT_LIMIT = 50_000  # the longest text any form accepts (a letter body)
# Numeric ranges the forms enforce: (table, column) -> (lowest, highest).
RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("case", "baseline_attendance"): (0, 100),
    ("attendance_figure", "attendance_percent"): (0, 100),
    ("attendance_figure", "unauthorised_sessions"): (0, 500),
    ("contract", "duration_value"): (1, 104),
}
POSITIVE = {"version", "revision", "number"}
# Related dates that must come in order: (table, earlier, later).
DATE_ORDER = [
    ("case", "opened_on", "closed_on"),
    ("attendance_figure", "period_start", "period_end"),
    ("contract", "signed_on", "ended_on"),
]
SECRET_COLUMNS = {("user", "password_hash"), ("user", "calendar_token")}


class BackupError(ValueError):
    """A backup file cannot be imported; nothing was changed."""


def _where(table: Table, index: int, column: str) -> str:
    return f"table {table.name}, row {index + 1}, column {column}"


def _parse(table: Table, index: int, column: Column, value: Any) -> Any:  # noqa: C901, PLR0912
    """The Python value of one JSON value, or a BackupError saying what is wrong with it."""
    where = _where(table, index, column.name)
    kind = column.type
    if value is None:
        if not column.nullable:
            raise BackupError(f"{where}: a value is required")
        return None
    try:
        if isinstance(kind, Enum):
            if value not in kind.enums:
                raise BackupError(f"{where}: {value!r} is not one of the allowed values "
                                  f"({', '.join(kind.enums)})")
            return value
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise BackupError(f"{where}: expected true or false, found {value!r}")
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise BackupError(f"{where}: expected a whole number, found {value!r}")
            if abs(value) > 2**31 - 1:
                raise BackupError(f"{where}: {value} is out of range")
            return value
        if isinstance(kind, Float | Numeric):
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise BackupError(f"{where}: expected a number, found {value!r}")
            number = Decimal(str(value)) if isinstance(kind, Numeric) and not isinstance(
                kind, Float) else float(value)
            if not math.isfinite(float(number)):
                raise BackupError(f"{where}: {value!r} is not a finite number")
            return number
        if isinstance(kind, DateTime):
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            _in_window(where, moment.date())
            return moment
        if isinstance(kind, Date):
            day = date.fromisoformat(value)
            _in_window(where, day)
            return day
        if isinstance(kind, TimeType):
            return time.fromisoformat(value)
        if isinstance(kind, JSON):
            return value
        if isinstance(kind, String | Text):
            if not isinstance(value, str):
                raise BackupError(f"{where}: expected text, found {value!r}")
            limit = kind.length or TEXT_LIMIT
            if len(value) > limit:
                raise BackupError(f"{where}: the text has {len(value)} characters, "
                                  f"more than the {limit} allowed")
            if "\x00" in value:
                raise BackupError(f"{where}: the text holds a NUL character")
            return value
    except (TypeError, ValueError, InvalidOperation) as error:
        if isinstance(error, BackupError):
            raise
        raise BackupError(f"{where}: {value!r} cannot be read ({error})") from None
    raise BackupError(f"{where}: the column type {kind} cannot be restored")


def _in_window(where: str, day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise BackupError(f"{where}: {day.isoformat()} is outside the years "
                          f"{EARLIEST.year} to {LATEST.year}")


def _check_rules(table: Table, index: int, row: dict[str, Any], includes_secrets: bool) -> None:
    """Ranges, date order and password hashes: the rules the forms and the app enforce."""
    for name, value in row.items():
        bounds = RANGES.get((table.name, name))
        if bounds and value is not None and not bounds[0] <= value <= bounds[1]:
            raise BackupError(f"{_where(table, index, name)}: {value} is outside "
                              f"{bounds[0]} to {bounds[1]}")
        if name in POSITIVE and isinstance(value, int) and value < 1:
            raise BackupError(f"{_where(table, index, name)}: {value} must be 1 or more")
    for name, earlier, later in DATE_ORDER:
        if name == table.name and row.get(earlier) and row.get(later) \
                and row[later] < row[earlier]:
            raise BackupError(f"{_where(table, index, later)}: {row[later].isoformat()} is before "
                              f"{earlier} {row[earlier].isoformat()}")
    if table.name == "user":
        secret = row.get("password_hash")
        if secret is not None and secret != UNUSABLE_PASSWORD:
            if not includes_secrets:
                raise BackupError(f"{_where(table, index, 'password_hash')}: the file says it holds "
                                  "no password hashes, but this row has one (planted?)")
            if not PASSWORD_HASH.fullmatch(secret):
                raise BackupError(f"{_where(table, index, 'password_hash')}: not a password hash "
                                  "in the format this application makes")
        if row.get("calendar_token") is not None and not includes_secrets:
            raise BackupError(f"{_where(table, index, 'calendar_token')}: the file says it holds "
                              "no secrets, but this row has a calendar token")


def parse_table(table: Table, rows: Any, includes_secrets: bool) -> list[dict[str, Any]]:
    """Every row of one table as Python values, each column present and valid."""
    if not isinstance(rows, list):
        raise BackupError(f"table {table.name} is not a list of rows")
    names = set(table.columns.keys())
    parsed = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise BackupError(f"table {table.name}, row {index + 1} is not a set of columns")
        if unknown := set(row) - names:
            raise BackupError(f"table {table.name}, row {index + 1} has unknown columns: "
                              f"{', '.join(sorted(unknown))}")
        if missing := names - set(row):
            raise BackupError(f"table {table.name}, row {index + 1} is missing columns: "
                              f"{', '.join(sorted(missing))}")
        if table.name == "user" and row["password_hash"] is None:
            row = {**row, "password_hash": UNUSABLE_PASSWORD}  # left out: must be reset
        values = {c.name: _parse(table, index, c, row[c.name]) for c in table.columns}
        _check_rules(table, index, values, includes_secrets)
        parsed.append(values)
    return parsed


def check_references(tables: list[Table], data: dict[str, list[dict[str, Any]]]) -> None:
    """Every foreign key points at a row in the file, of the same school where both have one."""
    for table in tables:
        for fk in table.foreign_keys:
            target, source = fk.column.table, fk.parent.name
            known = {row[fk.column.name]: row for row in data[target.name]}
            for index, row in enumerate(data[table.name]):
                value = row[source]
                if value is None:
                    continue
                if value not in known:
                    raise BackupError(f"{_where(table, index, source)}: there is no "
                                      f"{target.name} with id {value} in the file")
                school, other = row.get("school_id"), known[value].get("school_id")
                if school is not None and other is not None and school != other:
                    raise BackupError(f"{_where(table, index, source)}: the {target.name} "
                                      f"{value} belongs to another school")
