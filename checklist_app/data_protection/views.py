"""Administrators' data-protection pages: erase a pupil; pupils due for retention review."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from checklist_app import clock
from checklist_app.casework.models import Pupil
from checklist_app.data_protection.blueprint import bp
from checklist_app.data_protection.forms import EraseForm
from checklist_app.data_protection.services import (
    ErasureError,
    erase_pupil,
    retention_due,
    retention_years,
    wipe_freed_space,
)
from checklist_app.editing import run
from checklist_app.loading import scoped
from checklist_app.security import ADMINS, allow, current_school


@bp.route("/pupils/<int:pupil_id>/erase", methods=["GET", "POST"])
@allow(ADMINS)
def erase(pupil_id: int):
    """Confirm, then erase a pupil and everything about them."""
    pupil = scoped(current_school(), Pupil, pupil_id)
    form = EraseForm()
    if form.validate_on_submit():
        name = pupil.full_name
        try:
            run(lambda: erase_pupil(current_school(), current_user, clock.today(), pupil.id,
                                    form.confirmation.data, form.reason.data))
        except ErasureError as error:
            form.confirmation.errors.append(str(error))
        else:
            wipe_freed_space()
            flash(f"All records about {name} have been erased. The audit trail keeps a note of "
                  "the erasure without their personal data.", "success")
            return redirect(url_for("data_protection.retention"))
    status = 400 if form.errors else 200
    return render_template("data_protection/erase.html", pupil=pupil, form=form), status


@bp.route("/retention")
@allow(ADMINS)
def retention():
    """Pupils and their parents or carers with nothing recorded within the retention period."""
    entries = retention_due(current_school().id, clock.today())
    return render_template("data_protection/retention.html", entries=entries,
                           years=retention_years())
