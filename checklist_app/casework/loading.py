"""Scoped fetching of casework records for the views: a case of the school with its records, and
records that must belong to that case or its pupil (404 otherwise)."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort

from checklist_app.casework.models import Case
from checklist_app.casework.queries import case_query
from checklist_app.extensions import db
from checklist_app.loading import owned_by, scoped

M = TypeVar("M")


def case_with_records(school: Any, case_id: int) -> Case:
    """A case of ``school`` with everything the case page shows, loaded in a few queries."""
    case = db.session.scalar(case_query().where(Case.id == case_id, Case.school_id == school.id))
    if case is None:
        abort(404)
    return case


def child_of(case: Case, model: type[M], record_id: int | None) -> M:
    """A record that must belong to ``case`` (404 otherwise)."""
    return owned_by(scoped(case.school, model, record_id), case_id=case.id)


def child_of_pupil(case: Case, model: type[M], record_id: int | None) -> M:
    """A parent (or other pupil record) that must belong to the case's pupil (404 otherwise)."""
    return owned_by(scoped(case.school, model, record_id), pupil_id=case.pupil_id)


__all__ = ["case_with_records", "child_of", "child_of_pupil", "scoped"]
