"""Job pages: start bulk letters, board packs and cache warming; follow progress; download results."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from checklist_app.casework.enums import CaseStatus, LetterStatus
from checklist_app.casework.models import Case, Letter, Pupil
from checklist_app.clock import today
from checklist_app.editing import commit, run
from checklist_app.extensions import db
from checklist_app.jobs import runner
from checklist_app.jobs.blueprint import bp
from checklist_app.jobs.forms import board_packs_form, bulk_letters_form
from checklist_app.jobs.models import Job
from checklist_app.jobs.packs import pack_terms
from checklist_app.jobs.tasks import JobError, jobs_dir
from checklist_app.loading import scoped
from checklist_app.security import ADMINS, LEADERS, STAFF, allow, current_school
from checklist_app.self_evaluation.terms import Term


def _case_choices() -> list[tuple[int, str]]:
    """Open cases with draft letters, as (case id, "Pupil name (2 draft letters)") – one query."""
    rows = db.session.execute(
        select(Case.id, Pupil.first_name, Pupil.last_name, func.count(Letter.id))
        .join(Pupil, Case.pupil_id == Pupil.id).join(Letter, Letter.case_id == Case.id)
        .where(Case.school_id == current_school().id, Case.status == CaseStatus.OPEN,
               Letter.status == LetterStatus.DRAFT)
        .group_by(Case.id, Pupil.first_name, Pupil.last_name).order_by(Pupil.last_name, Pupil.first_name))
    return [(cid, f"{first} {last} ({n} draft letter{'s' if n != 1 else ''})")
            for cid, first, last, n in rows]


def _packs_form(first_shown: bool = False):
    """The board packs form with the terms this user can choose (this term chosen at first)."""
    on = today()
    return board_packs_form(pack_terms(current_user, current_school(), on),
                            Term.for_date(on) if first_shown else None)


def _start(kind: str, title: str, params: dict):
    school, user, on = current_school(), current_user, today()
    try:
        job = run(lambda: runner.start_job(school, user, on, kind, title, params))
    except JobError as error:
        flash(str(error), "error")
        return redirect(url_for("jobs.index"))
    runner.dispatch(job.id)
    return redirect(url_for("jobs.job_page", job_id=job.id))


@bp.get("/")
@allow(STAFF)
def index():
    """Recent jobs of the school and the forms that start new ones."""
    if runner.reap_stale_jobs():
        commit()
    return render_template("jobs/index.html", jobs=runner.school_jobs(current_school()),
                           letters_form=bulk_letters_form(_case_choices()),
                           packs_form=_packs_form(first_shown=True))


@bp.post("/bulk-letters")
@allow(STAFF)
def start_bulk_letters():
    """Print letters together (every one due, or the chosen cases' drafts)."""
    form = bulk_letters_form(_case_choices())
    if not form.validate_on_submit():
        return render_template("jobs/index.html", jobs=runner.school_jobs(current_school()),
                               letters_form=form, packs_form=_packs_form(first_shown=True)), 400
    due = form.which.data == "due"
    return _start("bulk-letters", "Letters to print", {
        "due": due, "case_ids": [] if due else form.case_ids.data, "email": form.email.data})


@bp.post("/board-packs")
@allow(LEADERS)
def start_board_packs():
    """Board packs for a term: this school, or every school the user leads."""
    form = _packs_form()
    if not form.validate_on_submit():
        return render_template("jobs/index.html", jobs=runner.school_jobs(current_school()),
                               letters_form=bulk_letters_form(_case_choices()), packs_form=form), 400
    title = "Board packs for the trust" if form.trust.data else "Board pack"
    return _start("board-packs", title, {"term": form.term.data, "trust": form.trust.data})


@bp.post("/warm-cache")
@allow(ADMINS)
def start_warm_cache():
    """Make the PDFs of finished records ahead of time."""
    return _start("warm-cache", "Finished documents made ready", {})


@bp.get("/<int:job_id>")
@allow(STAFF)
def job_page(job_id: int):
    """A job's progress (the page refreshes itself until the job ends), result and problems."""
    if runner.reap_stale_jobs():
        commit()
    return render_template("jobs/job.html", job=scoped(current_school(), Job, job_id))


@bp.get("/<int:job_id>/result")
@allow(STAFF)
def result(job_id: int):
    """The job's file, as a download."""
    job = scoped(current_school(), Job, job_id)
    path = jobs_dir() / job.result_file if job.result_file else None
    if path is None or not path.is_file():
        abort(404)
    response = Response(path.read_bytes(), mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment", filename=job.result_name)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:job_id>/retry")
@allow(STAFF)
def retry(job_id: int):
    """Start a failed job again."""
    job = scoped(current_school(), Job, job_id)
    try:
        run(lambda: runner.requeue_failed(job), job)
    except JobError as error:
        flash(str(error), "error")
        return redirect(url_for("jobs.job_page", job_id=job.id))
    runner.dispatch(job.id)
    flash("Started again.", "success")
    return redirect(url_for("jobs.job_page", job_id=job.id))
