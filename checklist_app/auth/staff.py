"""School administrators manage who may use the product in their school.

Adding someone creates their account with a one-time password shown once; removing them from the
school ends their access there at once (and deactivates the account if it was their only school).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import Email, InputRequired, Length

from checklist_app.auth import operations
from checklist_app.auth.blueprint import staff as bp
from checklist_app.auth.models import ROLE_LABELS, Membership, Role
from checklist_app.auth.services import AccountError, create_user
from checklist_app.checklist_engine.forms import choice_list
from checklist_app.editing import run
from checklist_app.extensions import db
from checklist_app.security import ADMINS, allow, current_school


class AddUserForm(FlaskForm):
    """A new member of the school."""

    name = StringField("Full name", validators=[InputRequired("Enter the person's name."),
                                                Length(max=200)])
    email = EmailField("E-mail address", validators=[InputRequired("Enter an e-mail address."),
                                                     Email(), Length(max=254)])
    role = RadioField("Role", validators=[InputRequired("Choose a role.")],
                      choices=choice_list([(r.value, ROLE_LABELS[r]) for r in Role]))


class RoleForm(FlaskForm):
    """Change a member's role."""

    role = RadioField("Role", validators=[InputRequired("Choose a role.")],
                      choices=choice_list([(r.value, ROLE_LABELS[r]) for r in Role]))


def _members() -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).options(joinedload(Membership.user))
        .where(Membership.school_id == current_school().id)).unique())


def _membership(membership_id: int) -> Membership:
    membership = db.session.scalar(select(Membership).where(
        Membership.id == membership_id, Membership.school_id == current_school().id))
    return membership or abort(404)


@bp.route("/", methods=["GET", "POST"])
@allow(ADMINS)
def index():
    """The school's users and their roles; add a user."""
    form = AddUserForm()
    if form.validate_on_submit():
        try:
            user, password = run(lambda: create_user(form.email.data, form.name.data, None,
                                                     form.role.data, current_school()))
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            flash(f"{user.name} can now log in as {Role(form.role.data).label.lower()}. Their "
                  f"password is {password} — give it to them securely; it is shown only once.",
                  "success")
            return redirect(url_for("staff.index"))
    members = sorted(_members(), key=lambda m: m.user.name.lower())
    role_options = [(r.value, ROLE_LABELS[r]) for r in Role]
    return render_template("staff/index.html", members=members, form=form,
                           role_options=role_options), \
        400 if form.errors else 200


@bp.post("/<int:membership_id>/role")
@allow(ADMINS)
def change_role(membership_id: int):
    """Give a member another role in this school."""
    membership, form = _membership(membership_id), RoleForm()
    if membership.user_id == current_user.id:
        flash("You cannot change your own role; ask another administrator.", "error")
    elif form.validate_on_submit():
        run(lambda: operations.change_role(membership, Role(form.role.data)))
        flash(f"{membership.user.name} is now {membership.role.label.lower()}.", "success")
    else:
        flash("Choose a role.", "error")
    return redirect(url_for("staff.index"))


@bp.post("/<int:membership_id>/remove")
@allow(ADMINS)
def remove(membership_id: int):
    """End a member's access to this school at once."""
    membership = _membership(membership_id)
    if membership.user_id == current_user.id:
        flash("You cannot remove yourself; ask another administrator.", "error")
        return redirect(url_for("staff.index"))
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = membership.user
    run(lambda: operations.remove_member(membership))
    flash(f"{user.name} no longer has access to {current_school().name}.", "success")
    return redirect(url_for("staff.index"))
