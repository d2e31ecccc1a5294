"""The Job record: what long piece of work was asked for, by whom, how far it has got and how it ended."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from checklist_app.extensions import db, utcnow
from checklist_app.mixins import SchoolScoped, enum_column


class JobState(enum.StrEnum):
    """Where a job is: waiting, running, finished (perhaps with some errors) or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """The state in plain words."""
        return {"queued": "Waiting to start", "running": "Running", "done": "Finished",
                "failed": "Failed"}[self.value]


class Job(SchoolScoped, db.Model):
    """One background job of one school, started by one user."""

    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    started_by_name: Mapped[str] = mapped_column(String(200), default="")
    on_date: Mapped[date]
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(enum_column(JobState, 10), default=JobState.QUEUED,
                                            index=True)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    result_file: Mapped[str] = mapped_column(String(300), default="")
    result_name: Mapped[str] = mapped_column(String(200), default="")
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]

    @property
    def finished(self) -> bool:
        """Whether the job has ended, well or badly."""
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        """How far it has got, 0 to 100."""
        return 100 if self.finished and not self.total else int(100 * self.done / self.total) \
            if self.total else 0
