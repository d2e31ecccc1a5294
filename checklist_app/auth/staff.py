"""School administrators manage who may use the product in their school (and only their school).

Adding someone creates their account with a one-time password shown once; adding an e-mail address
that already has an account elsewhere gives the same answer and reveals nothing about that account.
Removing someone ends their access to this school at once; their account and their memberships of
other schools are untouched. The administrator can also require two-factor log-in for everyone.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import Email, InputRequired, Length

from checklist_app.auth import operations
from checklist_app.auth.blueprint import staff as bp
from checklist_app.auth.forms import RequireTwoFactorForm
from checklist_app.auth.models import ROLE_LABELS, SCHOOL_ROLES, Membership, Role
from checklist_app.auth.services import AccountError
from checklist_app.checklist_engine.forms import choice_list
from checklist_app.config import service_name
from checklist_app.editing import run
from checklist_app.extensions import db
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line
from checklist_app.security import ADMINS, allow, current_school


class AddUserForm(FlaskForm):
    """A new member of the school."""

    name = StringField("Full name", validators=[InputRequired("Enter the person's name."),
                                                Length(max=200)])
    email = EmailField("E-mail address", validators=[InputRequired("Enter an e-mail address."),
                                                     Email(), Length(max=254)])
    role = RadioField("Role", validators=[InputRequired("Choose a role.")],
                      choices=choice_list([(r.value, ROLE_LABELS[r]) for r in SCHOOL_ROLES]))


class RoleForm(FlaskForm):
    """Change a member's role."""

    role = RadioField("Role", validators=[InputRequired("Choose a role.")],
                      choices=choice_list([(r.value, ROLE_LABELS[r]) for r in SCHOOL_ROLES]))


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
            membership, password = run(lambda: operations.add_member(
                current_school(), form.email.data, form.name.data, form.role.data))
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            service = service_name(current_app.config)
            flash(f"{membership.display_name} has been added to {current_school().name} as "
                  f"{membership.role.label.lower()}; they get access once they log in and accept. "
                  "If this e-mail "
                  f"address is new to {service}, their first password is {password} — give "
                  f"it to them securely; it is shown only once. If they already use {service} "
                  "elsewhere, they log in with their own password.", "success")
            return redirect(url_for("staff.index"))
    members = sorted(_members(), key=lambda m: m.name.lower())
    two_factor_form = RequireTwoFactorForm(require=current_school().require_two_factor)
    return render_template("staff/index.html", members=members, form=form,
                           two_factor_form=two_factor_form), \
        400 if form.errors else 200


@bp.post("/two-factor")
@allow(ADMINS)
def require_two_factor():
    """Require (or stop requiring) two-factor log-in for everyone in this school."""
    form = RequireTwoFactorForm()
    if not form.validate_on_submit():
        abort(400)
    school = current_school()
    run(lambda: operations.require_two_factor(school, bool(form.require.data)))
    flash("Everyone at this school now logs in with an authenticator app; people who have not set "
          "one up do so at their next log-in." if school.require_two_factor else
          "Two-factor log-in is now each person's choice at this school.", "success")
    return redirect(url_for("staff.index"))


@bp.route("/<int:membership_id>/role", methods=["GET", "POST"])
@allow(ADMINS)
def change_role(membership_id: int):
    """Give a member another role in this school, or remove them (from the same page)."""
    membership = _membership(membership_id)
    if membership.user_id == current_user.id:
        flash("You cannot change your own role; ask another administrator.", "error")
        return redirect(url_for("staff.index"))
    form = RoleForm(role=membership.role.value)
    if form.validate_on_submit():
        run(lambda: operations.change_role(membership, Role(form.role.data)))
        flash(f"{membership.name} is now {membership.role.label.lower()}.", "success")
        return redirect(url_for("staff.index"))
    return render_template("staff/member.html", membership=membership, form=form), \
        400 if form.errors else 200


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
    name = membership.name
    run(lambda: operations.remove_member(membership))
    flash(f"{name} no longer has access to {current_school().name}.", "success")
    return redirect(url_for("staff.index"))
