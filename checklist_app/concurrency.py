"""Optimistic locking: a stale save is reported as a conflict, never a silent overwrite.

Editable models carry ``version`` as SQLAlchemy's ``version_id_col``; forms send back the version
they were shown, and services call :func:`check_version` before changing anything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.exc import StaleDataError


class Conflict(Exception):
    """Someone else saved this record after the user opened it."""

    def __init__(self, record: Any, message: str | None = None) -> None:
        self.record = record
        super().__init__(message or "Someone else saved this record while you were editing it. "
                         "Your changes have not been saved: compare them with the saved version "
                         "below, then save again.")


def check_version(record: Any, submitted: Any) -> None:
    """Raise :class:`Conflict` unless ``submitted`` is the record's current version."""
    try:
        submitted_version = int(submitted)
    except (TypeError, ValueError):
        raise Conflict(record, "This form is missing its version. Please reload the page.") from None
    if submitted_version != record.version:
        raise Conflict(record)


__all__ = ["Conflict", "StaleDataError", "check_version"]
