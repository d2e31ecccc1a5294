"""Jobs on RQ and Redis: enqueued by the app, run by a worker, retried when the work horse dies."""

from __future__ import annotations

import signal
import uuid

import pytest
import time_machine

from checklist_app.extensions import db
from checklist_app.jobs import worker as worker_module
from checklist_app.jobs.models import Job, JobState
from tests.jobs_factories import case_with_draft_not_due, case_with_due_invite
from tests.services import redis_url_or_skip

pytestmark = pytest.mark.redis


@pytest.fixture
def app_config(tmp_path):
    return {"REDIS_URL": redis_url_or_skip(), "JOB_QUEUE": f"test-{uuid.uuid4().hex[:10]}",
            "JOBS_DIR": str(tmp_path / "jobs"), "REPORT_CACHE_DIR": str(tmp_path / "cache")}


def _queue(app):
    from rq import Queue

    from checklist_app.jobs.runner import redis_connection

    return Queue(app.config["JOB_QUEUE"], connection=redis_connection(app.config["REDIS_URL"]))


@pytest.fixture
def clock():
    """The school week the letters are due in (requested before ``leader``, so the log-in session is
    signed on the same clock it is read on)."""
    with time_machine.travel("2027-01-08 10:00 +0000", tick=True) as traveller:
        yield traveller


def test_job_goes_through_redis_to_a_worker(clock, app, client, school, leader, monkeypatch):
    from rq import SimpleWorker

    first, _p, _l = case_with_due_invite(school, leader)
    second, _p2, _l2 = case_with_draft_not_due(school, leader)
    client.post("/jobs/bulk-letters", data={"which": "cases", "case_ids": [first.id, second.id]})
    job = db.session.scalars(db.select(Job)).one()
    assert job.state is JobState.QUEUED  # nothing ran in the web process
    queue = _queue(app)
    rq_job = queue.fetch_job(f"checklist-job-{job.id}")
    assert rq_job is not None and rq_job.retries_left == app.config["JOB_RETRIES"]
    db.session.rollback()
    monkeypatch.setattr(worker_module, "_app", app)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:  # the worker installs its own SIGINT/SIGTERM handlers in this (the test) process
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.state, job.done, job.total, job.attempts) == (JobState.DONE, 2, 2, 1)
    assert client.get(f"/jobs/{job.id}/result").data.startswith(b"%PDF")
    queue.delete(delete_jobs=True)
