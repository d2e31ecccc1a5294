"""The school administrator's page for sharing self-evaluations with the local authority."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import EmailField, HiddenField, StringField
from wtforms.validators import DataRequired, Email, Length

from checklist_app.clock import today
from checklist_app.editing import run
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line
from checklist_app.security import ADMINS, allow, current_school
from checklist_app.sharing import operations
from checklist_app.sharing.blueprint import bp
from checklist_app.sharing.operations import SharingError


class ShareForm(FlaskForm):
    """Who at the local authority may read the finalised self-evaluations."""

    email = EmailField("Officer's e-mail address", validators=[
        DataRequired("Enter the officer's e-mail address."), Email(), Length(max=254)])
    name = StringField("Officer's name", validators=[Length(max=200)],
                       description="Needed when the officer has no account yet.")


class StopForm(FlaskForm):
    """Stop one share."""

    share_id = HiddenField()


@bp.route("/", methods=["GET", "POST"])
@allow(ADMINS)
def index():
    """Who the school shares with; share with another officer (one transaction, committed once)."""
    school, form = current_school(), ShareForm()
    if form.validate_on_submit():
        try:
            record, password = run(lambda: operations.share(school, current_user, today(),
                                                            form.email.data, form.name.data or ""))
        except SharingError as error:
            form.email.errors.append(str(error))
        else:
            note = (f" Their password is {password}: give it to them securely; it is shown only once."
                    if password else "")
            flash(f"{school.name} now shares its finalised self-evaluations with "
                  f"{record.officer.name}.{note}", "success")
            return redirect(url_for("sharing.index"))
    return render_template("sharing/index.html", school=school, form=form, stop_form=StopForm(),
                           shares=operations.active_shares(school)), 400 if form.errors else 200


@bp.post("/stop")
@allow(ADMINS)
def stop():
    """Stop sharing with one officer."""
    form = StopForm()
    share_id = form.share_id.data or ""
    if form.validate_on_submit() and share_id.isdigit() and 0 < int(share_id) < 2**31:
        try:
            record = run(lambda: operations.stop_sharing(current_school(), current_user, today(),
                                                         int(share_id)))
        except SharingError as error:
            flash(str(error), "error")
        else:
            flash(f"Sharing with {record.officer.name} has stopped.", "success")
    else:
        flash("That share could not be found.", "error")
    return redirect(url_for("sharing.index"))
