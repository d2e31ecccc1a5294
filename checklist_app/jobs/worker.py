"""The RQ side: the function workers run, and ``checklist-app jobs worker`` to start a worker.

The worker process builds the app once (``checklist-app jobs worker``, or on first use under a
plain ``rq worker``); each job runs in a forked work horse, which first drops the database
connections it inherited so two processes never share one.
"""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from checklist_app.editing import commit
from checklist_app.extensions import db

_app: Flask | None = None
_app_pid: int | None = None  # the process that built ``_app`` (and so owns its connections)


def perform(job_id: int) -> None:
    """Run job ``job_id`` (what RQ calls)."""
    global _app, _app_pid
    if _app is None:
        from checklist_app import create_app

        _app, _app_pid = create_app(), os.getpid()
    from checklist_app.jobs.runner import run_job

    if _app_pid is not None and _app_pid != os.getpid():
        with _app.app_context():
            db.engine.dispose(close=False)  # connections inherited over fork are the parent's
    run_job(_app, job_id)


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs (bulk letters, board packs, cache warming)."""


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--nice", default=10, show_default=True,
              help="Lower this worker's CPU priority so web pages stay fast while PDFs render.")
@with_appcontext
def worker_command(burst: bool, nice: int) -> None:
    """Run an RQ worker for REDIS_URL with this app loaded (start one or more in production)."""
    global _app, _app_pid
    if nice:
        os.nice(nice)
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the web "
                                   "process and no worker is needed.")
    from rq import Queue, Worker

    from checklist_app.jobs.runner import redis_connection

    _app, _app_pid = current_app._get_current_object(), os.getpid()  # type: ignore[attr-defined]
    connection = redis_connection(url)
    db.engine.dispose()
    Worker([Queue(current_app.config["JOB_QUEUE"], connection=connection)], connection=connection).work(
        burst=burst, with_scheduler=True)


@jobs_group.command("reap")
@with_appcontext
def reap_command() -> None:
    """Report as failed every running job whose worker stopped answering."""
    from checklist_app.jobs.runner import reap_stale_jobs

    count = reap_stale_jobs()
    commit()
    click.echo(f"{count} stopped job{'s' if count != 1 else ''} reported as failed.")
