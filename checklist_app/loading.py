"""Scoped fetching for the view layer: a record of one school, or 404.

Another school's id looks exactly like a missing one. Operations never fetch by id from the
request; views load what the user named through these helpers, passing the school explicitly.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort
from sqlalchemy import select

from checklist_app.extensions import db

M = TypeVar("M")


def scoped(school: Any, model: type[M], record_id: int | None, *options: Any) -> M:
    """The ``model`` record ``record_id`` of ``school``, or 404."""
    record = db.session.scalar(select(model).options(*options).where(
        model.id == (record_id or 0), model.school_id == school.id))  # type: ignore[attr-defined]
    if record is None:
        abort(404)
    return record


def owned_by(record: M, **expected: Any) -> M:
    """``record`` if each named attribute has the expected value (for example ``case_id``), else 404."""
    if any(getattr(record, name) != value for name, value in expected.items()):
        abort(404)
    return record
