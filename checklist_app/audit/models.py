"""The audit event table. Rows are only ever inserted; no route or command updates them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from checklist_app.extensions import db, utcnow


class AuditEvent(db.Model):
    """One change to one record: create, update, delete, or a named step (finalise, sign, issue)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    school_id: Mapped[int | None] = mapped_column(index=True)
    user_id: Mapped[int | None]
    user_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str | None] = mapped_column(String(60))
    subject_id: Mapped[int | None]
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (db.Index("ix_audit_event_subject", "subject_type", "subject_id"),)
