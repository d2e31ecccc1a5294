"""What every kind of job shares: the registry of kinds, progress reporting and the result file.

A task is a function ``task(progress, school, user, today, params) -> JobResult``. It calls
``progress.begin(total)`` once, then ``progress.unit_done()`` after each unit of work (which
commits that unit and the progress together) and returns what to keep. Other features add their
own kinds with :func:`register_task` (register imports plug in here, as ``"register-import"``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app

from checklist_app.clock import now
from checklist_app.editing import commit
from checklist_app.errors import Refused
from checklist_app.jobs.models import Job, JobState


class JobError(Refused):
    """The job cannot start or go on; the message says why in plain words."""


@dataclass(frozen=True)
class JobResult:
    """What a finished job keeps: a file to download (perhaps none) and a one-line summary."""

    filename: str
    data: bytes | None
    summary: str


Task = Callable[["Progress", Any, Any, date, dict[str, Any]], JobResult]
TASKS: dict[str, Task] = {}


def register_task(kind: str) -> Callable[[Task], Task]:
    """Decorator: make ``kind`` a kind of job that :func:`runner.start_job` accepts."""

    def decorate(task: Task) -> Task:
        TASKS[kind] = task
        return task

    return decorate


def jobs_dir() -> Path:
    """Where job results are written: ``JOBS_DIR`` or ``<instance>/jobs`` (shared by all workers)."""
    return Path(current_app.config.get("JOBS_DIR") or os.path.join(current_app.instance_path, "jobs"))


class Progress:
    """A running job's progress: each unit of work is committed with its count and heartbeat."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def begin(self, total: int) -> None:
        """Say how many units of work there are."""
        self.job.total = total
        self.job.heartbeat_at = now()
        commit()

    def unit_done(self, error: str | None = None) -> None:
        """One unit finished (``error``: it could not be done, in plain words); commits."""
        self.job.done += 1
        if error:
            self.job.errors = [*self.job.errors, error]
        self.job.heartbeat_at = now()
        commit()

    def finish(self, result: JobResult) -> None:
        """Keep the result file and mark the job finished (the caller commits)."""
        job = self.job
        if result.data is not None:
            folder = jobs_dir()
            folder.mkdir(parents=True, exist_ok=True)
            name = f"job-{job.id}-{result.filename}"
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(result.data)
            os.replace(temporary, folder / name)
            job.result_file, job.result_name = name, result.filename
        job.summary = result.summary
        job.state = JobState.DONE
        job.finished_at = job.heartbeat_at = now()


def merge_pdfs(documents: list[bytes]) -> tuple[bytes, int]:
    """One PDF of all ``documents`` in order, and its page count (pypdf imported only here)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in documents:
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)
