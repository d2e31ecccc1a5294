"""Pinned definition snapshots and school-level local checkpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from checklist_app.audit.services import Audited
from checklist_app.extensions import db, utcnow


class DefinitionSnapshot(db.Model):
    """A definition version as it was first used. Records point here, so they render as filled in."""

    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    pinned_at: Mapped[datetime] = mapped_column(default=utcnow)


class LocalCheckpoint(Audited, db.Model):
    """A checkpoint a school adds to a checklist without editing the published file (rule R4)."""

    __table_args__ = (UniqueConstraint("school_id", "definition_key", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    definition_key: Mapped[str] = mapped_column(String(80))
    section_id: Mapped[str] = mapped_column(String(80))
    item_id: Mapped[str] = mapped_column(String(80))
    number: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(String(300), default="")
    withdrawn: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
