"""Administrators' data-protection pages: erase a pupil, closed cases due for retention review."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from checklist_app import clock
from checklist_app.casework.models import Pupil
from checklist_app.data_protection.blueprint import bp
from checklist_app.data_protection.forms import EraseForm
from checklist_app.data_protection.services import (
    ErasureError,
    erase_pupil,
    retention_due,
    retention_years,
)
from checklist_app.editing import run
from checklist_app.extensions import db
from checklist_app.security import ADMINS, allow, current_school


def _pupil(pupil_id: int) -> Pupil:
    pupil = db.session.scalar(select(Pupil).where(Pupil.id == pupil_id,
                                                  Pupil.school_id == current_school().id))
    return pupil or abort(404)


@bp.route("/pupils/<int:pupil_id>/erase", methods=["GET", "POST"])
@allow(ADMINS)
def erase(pupil_id: int):
    """Confirm, then erase a pupil and everything about them."""
    pupil = _pupil(pupil_id)
    form = EraseForm()
    if form.validate_on_submit():
        name = pupil.full_name
        try:
            run(lambda: erase_pupil(current_school().id, pupil.id, form.confirmation.data,
                                    form.reason.data))
        except ErasureError as error:
            form.confirmation.errors.append(str(error))
        else:
            flash(f"All records about {name} have been erased. The audit trail keeps a note of "
                  "the erasure without their personal data.", "success")
            return redirect(url_for("data_protection.retention"))
    status = 400 if form.errors else 200
    return render_template("data_protection/erase.html", pupil=pupil, form=form), status


@bp.route("/retention")
@allow(ADMINS)
def retention():
    """Closed cases older than the retention period, for review."""
    cases = retention_due(current_school().id, clock.today())
    return render_template("data_protection/retention.html", cases=cases, years=retention_years())
