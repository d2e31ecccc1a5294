"""``checklist-app report bulk-letters URN [--due] [--case ID …] -o FILE``: letters in one PDF."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from checklist_app.clock import today
from checklist_app.editing import commit
from checklist_app.extensions import db
from checklist_app.jobs.models import JobState


@click.command("bulk-letters")
@click.argument("urn")
@click.option("--due", is_flag=True, help="Every draft letter whose step is due this week.")
@click.option("--case", "case_ids", multiple=True, type=int, help="A case number (repeat for more).")
@click.option("-o", "--output", required=True, help="The PDF file to write.")
@with_appcontext
def bulk_letters_command(urn: str, due: bool, case_ids: tuple[int, ...], output: str) -> None:
    """Letters of school URN merged into one PDF for printing (runs here, with progress)."""
    from checklist_app.jobs.runner import run_job, start_job
    from checklist_app.jobs.tasks import JobError, jobs_dir
    from checklist_app.reporting.services import ReportError, school_by_urn

    if not due and not case_ids:
        raise click.ClickException("Say which letters: --due, or one or more --case numbers.")
    try:
        school = school_by_urn(urn)
        job = start_job(school, None, today(), "bulk-letters", "Letters to print",
                        {"due": due, "case_ids": list(case_ids)})
    except (ReportError, JobError) as error:
        raise click.ClickException(str(error)) from None
    job_id = job.id
    commit()
    db.session.close()  # hold no transaction (SQLite lock) while the job runs in its own context
    run_job(current_app._get_current_object(), job_id)  # type: ignore[attr-defined]
    from checklist_app.jobs.models import Job

    job = db.session.get(Job, job_id)
    for problem in job.errors:
        click.echo(f"- {problem}", err=True)
    if job.state is not JobState.DONE:
        raise click.ClickException("No PDF was written.")
    path = Path(output)
    try:
        path.write_bytes((jobs_dir() / job.result_file).read_bytes())
    except OSError as error:
        raise click.ClickException(f"Could not write {path}: {error.strerror or error}") from None
    click.echo(f"Wrote {path}: {job.summary}")
