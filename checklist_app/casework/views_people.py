"""Pupil and parent / carer pages (part of the casework blueprint)."""

from __future__ import annotations

from flask import render_template, request, url_for

from checklist_app.casework import operations, queries
from checklist_app.casework.blueprint import bp
from checklist_app.casework.forms import ParentForm, PupilSearchForm, pupil_form
from checklist_app.casework.loading import scoped
from checklist_app.casework.models import Parent, Pupil
from checklist_app.casework.pages import edit_page, form_round_trip, whole_number_arg
from checklist_app.security import CASEWORKERS, allow, current_school


@bp.route("/pupils")
@allow(CASEWORKERS)
def pupils():
    """The school's pupils with casework records, by last name, 50 to a page; search by name or UPN."""
    form = PupilSearchForm(formdata=request.args)
    valid = form.validate()  # a search over its limit is refused with a count, never cut
    typed = (form.q.data or "") if valid else ""
    search = "".join(c if c.isprintable() else " " for c in typed).strip()
    found, pager = queries.school_pupils(current_school(), search, whole_number_arg("page"))
    return render_template("casework/pupils.html", pupils=found, pager=pager, search=search,
                           form=form), 200 if valid else 400


@bp.route("/pupils/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_pupil():
    """Add a pupil; parents and carers are added on the pupil's page."""
    form = pupil_form()
    back = url_for("casework.pupils")
    return form_round_trip(
        form, "Add a pupil", back, lambda: operations.create_pupil(current_school(), form.data),
        lambda pupil: f"{pupil.full_name} added. Now add their parents or carers.",
        to=lambda pupil: url_for("casework.pupil_page", pupil_id=pupil.id), submit="Add the pupil")


@bp.route("/pupils/<int:pupil_id>")
@allow(CASEWORKERS)
def pupil_page(pupil_id: int):
    """A pupil, their parents or carers, and their cases."""
    pupil = scoped(current_school(), Pupil, pupil_id)
    return render_template("casework/pupil.html", pupil=pupil)


@bp.route("/pupils/<int:pupil_id>/edit", methods=["GET", "POST"])
@allow(CASEWORKERS)
def edit_pupil(pupil_id: int):
    """Change a pupil's details."""
    pupil = scoped(current_school(), Pupil, pupil_id)
    form = pupil_form(pupil, showing=request.method == "GET")
    back = url_for("casework.pupil_page", pupil_id=pupil.id)
    return edit_page(form, pupil, f"Edit {pupil.full_name}", back, lambda: operations.update_pupil(
        pupil, form.data, form.version.data), "Pupil saved.")


@bp.route("/pupils/<int:pupil_id>/parents/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_parent(pupil_id: int):
    """Add a parent or carer (including one who does not live with the pupil)."""
    pupil = scoped(current_school(), Pupil, pupil_id)
    form = ParentForm(data=None if request.method == "POST" else {
        "lives_with_pupil": True, "parental_responsibility": True})
    back = url_for("casework.pupil_page", pupil_id=pupil.id)
    return form_round_trip(
        form, f"Add a parent or carer of {pupil.full_name}", back,
        lambda: operations.add_parent(pupil, form.data),
        lambda parent: f"{parent.full_name} added.", submit="Add")


@bp.route("/parents/<int:parent_id>/edit", methods=["GET", "POST"])
@allow(CASEWORKERS)
def edit_parent(parent_id: int):
    """Change a parent's or carer's details."""
    parent = scoped(current_school(), Parent, parent_id)
    form = ParentForm(obj=parent if request.method == "GET" else None)
    back = url_for("casework.pupil_page", pupil_id=parent.pupil_id)
    return edit_page(form, parent, f"Edit {parent.full_name}", back,
                     lambda: operations.update_parent(parent, form.data, form.version.data),
                     "Parent or carer saved.")
