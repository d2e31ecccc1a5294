"""The record of a school sharing its self-evaluations with a local-authority officer.

The officer's access itself is a membership with the local-authority role (see
:mod:`checklist_app.security`); this record keeps who shared, when, and when sharing stopped, so
the consent is never lost when access ends.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checklist_app.audit.services import Audited
from checklist_app.auth.models import User
from checklist_app.extensions import db, utcnow


class LocalAuthorityShare(Audited, db.Model):
    """One school sharing with one officer, from ``shared_on`` until ``ended_on`` (if it ended)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    local_authority: Mapped[str] = mapped_column(String(120), default="")
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    shared_on: Mapped[date]
    ended_on: Mapped[date | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    officer: Mapped[User] = relationship(foreign_keys=[officer_id], lazy="joined")
    shared_by: Mapped[User | None] = relationship(foreign_keys=[shared_by_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}
