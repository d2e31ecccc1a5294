"""Starting jobs and running them: on RQ workers when ``REDIS_URL`` is set, else in this process.

:func:`start_job` is an operation (adds the Job record and flushes); the caller commits, then calls
:func:`dispatch`. :func:`run_job` does the work in its own application context, committing once per
unit of work so the progress bar moves and a crash loses at most one unit. A job whose worker died
is retried by RQ (``Retry``) and, whatever happens, :func:`reap_stale_jobs` reports a running job
whose heartbeat stopped as failed, in plain words: a job is never silently lost.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update

from checklist_app.auth.models import School, User
from checklist_app.clock import now
from checklist_app.editing import commit
from checklist_app.extensions import db
from checklist_app.jobs import letters, packs  # noqa: F401  (registers the kinds of job)
from checklist_app.jobs.models import Job, JobState
from checklist_app.jobs.tasks import TASKS, JobError, Progress

log = logging.getLogger(__name__)
STOPPED_MESSAGE = ("The work stopped before it finished (the server running it was restarted or "
                   "stopped). Nothing has been sent twice; please start it again.")
NEVER_STARTED_MESSAGE = ("The work never started: the server was restarted before it could begin. "
                         "Please start it again.")
_executor_lock = threading.Lock()


def start_job(school: School, user: User | None, today: date, kind: str, title: str,
              params: dict[str, Any]) -> Job:
    """A new job waiting to run (an operation: the caller commits, then calls :func:`dispatch`)."""
    if kind not in TASKS:
        raise JobError(f"There is no kind of job called {kind!r}.")
    job = Job(school_id=school.id, kind=kind, title=title, started_by_id=user.id if user else None,
              started_by_name=user.name if user else "Command line", on_date=today, params=params,
              state=JobState.QUEUED, errors=[])
    db.session.add(job)
    db.session.flush()
    return job


def redis_connection(url: str):
    """A Redis connection for RQ (imported only when Redis is used)."""
    from redis import Redis

    return Redis.from_url(url)


def dispatch(job_id: int, app: Flask | None = None) -> None:
    """Hand a committed job to an RQ worker, or to this process's background thread."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    url = app.config.get("REDIS_URL")
    if url:
        from rq import Queue, Retry

        queue = Queue(app.config["JOB_QUEUE"], connection=redis_connection(url))
        queue.enqueue("checklist_app.jobs.worker.perform", job_id, job_id=f"checklist-job-{job_id}",
                      retry=Retry(max=app.config["JOB_RETRIES"]),
                      job_timeout=app.config["JOB_TIMEOUT_SECONDS"], result_ttl=3600,
                      failure_ttl=7 * 24 * 3600)
        return
    with _executor_lock:
        executor = app.extensions.get("jobs_executor")
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checklist-job")
            app.extensions["jobs_executor"] = executor
            app.extensions["jobs_futures"] = []
            app.extensions["jobs_waiting"] = set()
    app.extensions["jobs_waiting"].add(job_id)
    future: Future = executor.submit(run_job, app, job_id)
    app.extensions["jobs_futures"].append(future)


def wait_for_jobs(app: Flask, timeout: float = 120) -> None:
    """Wait until the in-process jobs started so far have ended (tests and the CLI use this)."""
    for future in list(app.extensions.get("jobs_futures", [])):
        future.result(timeout=timeout)
    app.extensions["jobs_futures"] = []


def _fail(job_id: int, message: str) -> None:
    db.session.rollback()
    job = db.session.get(Job, job_id)
    if job is None:
        return
    job.state = JobState.FAILED
    job.errors = [*job.errors, message]
    job.finished_at = now()
    commit()


def run_job(app: Flask, job_id: int) -> None:
    """Do one job, in its own application context; commits once per unit of work."""
    app.extensions.get("jobs_waiting", set()).discard(job_id)
    with app.app_context():
        try:
            job = db.session.get(Job, job_id)
            if job is None or job.state is JobState.DONE:
                return
            school = db.session.get(School, job.school_id)
            user = db.session.get(User, job.started_by_id) if job.started_by_id else None
            job.state, job.attempts = JobState.RUNNING, job.attempts + 1
            job.started_at = job.heartbeat_at = now()
            job.done, job.errors, job.finished_at = 0, [], None
            commit()
            progress = Progress(job)
            result = TASKS[job.kind](progress, school, user, job.on_date, dict(job.params))
            progress.finish(result)
            commit()
        except JobError as error:
            _fail(job_id, str(error))
        except Exception:
            log.exception("Job %s failed", job_id)
            _fail(job_id, "Something went wrong while doing this work, so it stopped. Please try "
                          "again; if it happens again, tell your administrator the time it happened.")
            raise
        finally:
            db.session.remove()


def reap_stale_jobs(stale_after: timedelta | None = None) -> int:
    """Report as failed every running job whose heartbeat stopped (its worker died); returns how many.

    Runs in whatever transaction the caller has and flushes; the caller commits.
    """
    seconds = stale_after or timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])
    cutoff = now() - seconds
    stale = list(db.session.scalars(select(Job).where(Job.state == JobState.RUNNING,
                                                      Job.heartbeat_at < cutoff)))
    for job in stale:
        job.state = JobState.FAILED
        job.errors = [*job.errors, STOPPED_MESSAGE]
        job.finished_at = now()
    lost = _lost_in_process(cutoff)
    for job in lost:
        job.state = JobState.FAILED
        job.errors = [*job.errors, NEVER_STARTED_MESSAGE]
        job.finished_at = now()
    db.session.flush()
    return len(stale) + len(lost)


def _lost_in_process(cutoff) -> list[Job]:
    """Without Redis, queued jobs this process is not holding were lost with a restarted process."""
    if current_app.config.get("REDIS_URL"):
        return []
    waiting = current_app.extensions.get("jobs_waiting", set())
    return [job for job in db.session.scalars(select(Job).where(Job.state == JobState.QUEUED,
                                                               Job.created_at < cutoff))
            if job.id not in waiting]


def school_jobs(school: School, limit: int = 30) -> list[Job]:
    """The school's most recent jobs, newest first (one query)."""
    return list(db.session.scalars(select(Job).where(Job.school_id == school.id)
                                   .order_by(Job.id.desc()).limit(limit)))


def requeue_failed(job: Job) -> None:
    """Put a failed job back in the queue (an operation: the caller commits, then dispatches)."""
    if job.state is not JobState.FAILED:
        raise JobError("Only a job that failed can be started again.")
    db.session.execute(update(Job).where(Job.id == job.id).values(state=JobState.QUEUED))
    db.session.expire(job)
