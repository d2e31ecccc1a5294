"""A school's own checkpoints (rule R4): added after the official ones, never changing their text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from checklist_app.auth.models import School
from checklist_app.checklist_engine.models import LocalCheckpoint
from checklist_app.concurrency import check_version
from checklist_app.errors import NotFound
from checklist_app.extensions import db
from checklist_app.self_evaluation import DEFINITION_KEY
from checklist_app.self_evaluation.services import newest_edition


def local_checkpoints(school: School) -> list[LocalCheckpoint]:
    """The school's local self-evaluation checkpoints, oldest first (withdrawn ones included)."""
    return list(db.session.scalars(select(LocalCheckpoint).where(
        LocalCheckpoint.school_id == school.id, LocalCheckpoint.definition_key == DEFINITION_KEY)
        .order_by(LocalCheckpoint.id)))


def get_local_checkpoint(checkpoint_id: int, school: School) -> LocalCheckpoint:
    """One of the school's local checkpoints, or 404."""
    row = db.session.scalar(select(LocalCheckpoint).where(
        LocalCheckpoint.id == checkpoint_id, LocalCheckpoint.school_id == school.id,
        LocalCheckpoint.definition_key == DEFINITION_KEY))
    if row is None:
        raise NotFound()
    return row


def add_local_checkpoint(school: School, text: str, guidance: str) -> LocalCheckpoint:
    """Add a checkpoint numbered L1, L2… after the official ones (ids are never reused)."""
    existing = local_checkpoints(school)
    n = len(existing) + 1
    section_id = newest_edition().sections[-1].id
    row = LocalCheckpoint(school_id=school.id, definition_key=DEFINITION_KEY, section_id=section_id,
                          item_id=f"local-{n}", number=f"L{n}", text=text.strip(),
                          guidance=(guidance or "").strip())
    db.session.add(row)
    db.session.flush()
    return row


def withdraw_local_checkpoint(row: LocalCheckpoint, submitted_version: Any) -> None:
    """Stop asking a local checkpoint; answers already given stay with their self-evaluations."""
    check_version(row, submitted_version)
    row.withdrawn = True
    db.session.flush()
