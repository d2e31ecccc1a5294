"""Register records: session marks, the pupil's roll details, import runs, remembered column
mappings and typed weekly counts for schools without an export. All scoped by ``school_id``.

Session marks are many (a year for 1,500 pupils is ~570,000), so they are written with Core bulk
statements and are not audited one by one: the import run that wrote them is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checklist_app.audit.services import Audited
from checklist_app.casework.models import Pupil
from checklist_app.extensions import db, utcnow


class SessionMark(db.Model):
    """One pupil's code for one session (morning ``AM`` or afternoon ``PM``) of one day (R31)."""

    __tablename__ = "session_mark"
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), primary_key=True)
    date: Mapped[date] = mapped_column(primary_key=True)
    session: Mapped[str] = mapped_column(String(2), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    week_start: Mapped[date]
    code: Mapped[str] = mapped_column(String(3))
    # No index of its own: import runs are kept, never deleted one by one (fewer index writes).
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"))

    # Every query is by school then pupil; this one index also covers the weekly summaries'
    # GROUP BY pupil, week (the primary key serves a pupil's dates).
    __table_args__ = (
        Index("ix_session_mark_school_week", "school_id", "pupil_id", "week_start", "code"),
    )


class RegisterWeek(db.Model):
    """A summary kept by each import: one pupil's session counts for one week, by category.

    Pages read these (about a tenth as many rows as marks) instead of the marks; an import
    recomputes the weeks it touched in one ``INSERT ... SELECT ... GROUP BY``.
    """

    __tablename__ = "register_week"
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), primary_key=True)
    week_start: Mapped[date] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    possible: Mapped[int]
    attended: Mapped[int]
    unauthorised: Mapped[int]

    __table_args__ = (Index("ix_register_week_school_week", "school_id", "week_start"),)


class RollDetails(Audited, db.Model):
    """What the roll says about a pupil beyond name and year: the cohorts to watch (R35)."""

    __tablename__ = "roll_details"
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    send: Mapped[bool] = mapped_column(default=False)
    free_school_meals: Mapped[bool] = mapped_column(default=False)
    looked_after: Mapped[bool] = mapped_column(default=False)
    medical_needs: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    pupil: Mapped[Pupil] = relationship()

    __mapper_args__ = {"version_id_col": version}


class ImportRun(Audited, db.Model):
    """One confirmed import of a roll or marks file: who, when, which file, what it changed."""

    __tablename__ = "import_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    user_name: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    file_name: Mapped[str] = mapped_column(String(255))
    rows_read: Mapped[int] = mapped_column(default=0)
    pupils_created: Mapped[int] = mapped_column(default=0)
    pupils_updated: Mapped[int] = mapped_column(default=0)
    marks_written: Mapped[int] = mapped_column(default=0)
    marks_replaced: Mapped[int] = mapped_column(default=0)
    first_date: Mapped[date | None]
    last_date: Mapped[date | None]
    at_risk_pupil_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ColumnMapping(Audited, db.Model):
    """The school's remembered mapping of its export's headers to our fields, per kind of file."""

    __tablename__ = "column_mapping"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (UniqueConstraint("school_id", "kind"),)
    __mapper_args__ = {"version_id_col": version}


class TypedWeek(Audited, db.Model):
    """Session counts for one pupil's week, typed by a school without an export.

    Marks win over a typed week for the same pupil and week. A typed week is corrected or
    withdrawn with a reason; the audit trail keeps every earlier value.
    """

    __tablename__ = "typed_week"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date]
    possible_sessions: Mapped[int]
    attended_sessions: Mapped[int]
    unauthorised_sessions: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    pupil: Mapped[Pupil] = relationship()

    __table_args__ = (UniqueConstraint("pupil_id", "week_start"),
                      Index("ix_typed_week_school_week", "school_id", "week_start"))
    __mapper_args__ = {"version_id_col": version}
