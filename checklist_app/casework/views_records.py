"""Attendance figures, contacts (R23) and letters: draft, edit (R24), issue (frozen afterwards)."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from checklist_app import clock
from checklist_app.casework import letter_operations, operations
from checklist_app.casework.blueprint import bp
from checklist_app.casework.forms import ContactForm, FigureForm, LetterForm, NewLetterForm
from checklist_app.casework.letters import letter_templates
from checklist_app.casework.loading import case_with_records, child_of, child_of_pupil
from checklist_app.casework.models import ContactMethod, Letter, Meeting, Parent
from checklist_app.casework.pages import form_round_trip
from checklist_app.checklist_engine.forms import choice_list
from checklist_app.editing import refused_status, round_trip, run
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow, current_school


def _case_url(case_id: int) -> str:
    return url_for("casework.case_page", case_id=case_id)


@bp.route("/<int:case_id>/figures/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_figure(case_id: int):
    """Record attendance for a period."""
    case = case_with_records(current_school(), case_id)
    form = FigureForm(data=None if request.method == "POST" else {"recorded_on": clock.today(),
                                                                  "unauthorised_sessions": 0})
    back, title = _case_url(case.id), f"Attendance figure for {case.pupil.full_name}"
    return form_round_trip(form, title, back,
                           lambda: operations.add_figure(case, form.data, clock.today()),
                           "Attendance figure recorded.", submit="Record",
                           intro=f"Attendance at the start: {case.baseline_attendance:.1f}%. Enter "
                           "figures for separate periods (for example week by week).")


@bp.route("/<int:case_id>/contacts/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_contact(case_id: int):
    """Record a contact or attempted contact (R23)."""
    case = case_with_records(current_school(), case_id)
    form = ContactForm(data=None if request.method == "POST" else {"occurred_on": clock.today(),
                                                                   "made": "made"})
    form.parent_id.choices = choice_list([(None, "Not a parent or carer")] + [
        (p.id, p.full_name) for p in case.pupil.parents])
    back, title = _case_url(case.id), f"Record a contact about {case.pupil.full_name}"
    intro = "Record every contact and attempted contact."
    if case.pupil.has_social_worker:
        intro += (f" {case.pupil.full_name} has a social worker "
                  f"({case.pupil.social_worker_name or 'name not recorded'}): tell them of every "
                  "unauthorised absence.")

    def record():
        data = {**form.data, "method": ContactMethod(form.method.data),
                "made": form.made.data == "made",
                "occurred_at": datetime.combine(form.occurred_on.data,
                                                form.occurred_time.data or datetime.min.time())}
        return operations.add_contact(case, data, current_user.name, clock.today())

    return form_round_trip(form, title, back, record, "Contact recorded.", submit="Record",
                           intro=intro)


@bp.route("/<int:case_id>/letters/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_letter(case_id: int):
    """Draft a letter of the process from its template."""
    case = case_with_records(current_school(), case_id)
    templates = letter_templates()
    form = NewLetterForm(data=None if request.method == "POST" else {
        "key": request.args.get("key"), "letter_date": clock.today(),
        "meeting_id": request.args.get("meeting_id", type=int)})
    form.key.choices = choice_list([(t.key, f"{t.step}. {t.title}") for t in templates.values()])
    form.parent_id.choices = choice_list([(p.id, f"{p.salutation} ({p.relationship_to_pupil})")
                              for p in case.pupil.parents])
    form.meeting_id.choices = choice_list([(None, "None")] + [
        (m.id, f"{m.kind.label} on {long_date(m.meeting_date)}") for m in case.meetings])
    back, title = _case_url(case.id), f"Write a letter about {case.pupil.full_name}"
    parent = meeting = None
    if form.validate_on_submit():  # load the chosen records in the view: 404 if not the case's
        parent = child_of_pupil(case, Parent, form.parent_id.data)
        meeting = child_of(case, Meeting, form.meeting_id.data) if form.meeting_id.data else None
    return form_round_trip(
        form, title, back, lambda: letter_operations.draft_letter(
            case, form.key.data, parent, meeting, form.letter_date.data or clock.today()),
        "Draft letter written. Check and amend it, then issue it.",
        to=lambda letter: url_for("casework.letter_page", case_id=case.id, letter_id=letter.id),
        submit="Write the draft")


@bp.route("/<int:case_id>/letters/<int:letter_id>", methods=["GET", "POST"])
@allow(CASEWORKERS)
def letter_page(case_id: int, letter_id: int):
    """A letter: edit the draft (R24) with a preview, or read the issued letter."""
    case = case_with_records(current_school(), case_id)
    letter = child_of(case, Letter, letter_id)
    form = LetterForm(data=None if request.method == "POST" else {
        "body": letter.body_markdown, "version": letter.version})

    def render(status: int, problem: str | None = None, conflict: object = None):
        return render_template("casework/letter.html", case=case, letter=letter, form=form,
                               problem=problem, saved=letter.body_markdown if conflict else None,
                               template=letter_templates().get(letter.key)), status

    return round_trip(
        form, lambda: letter_operations.update_letter(letter, form.body.data, form.version.data),
        render=render, done="Letter saved.", record=letter,
        to=url_for("casework.letter_page", case_id=case.id, letter_id=letter.id))


@bp.route("/<int:case_id>/letters/<int:letter_id>/issue", methods=["POST"])
@allow(CASEWORKERS)
def issue_letter(case_id: int, letter_id: int):
    """Issue a draft: it is frozen from now on and listed on the case with its date."""
    case = case_with_records(current_school(), case_id)
    letter = child_of(case, Letter, letter_id)
    try:
        run(lambda: letter_operations.issue_letter(letter, current_user, clock.today()), letter)
    except operations.CaseworkError as error:
        form = LetterForm(data={"body": letter.body_markdown, "version": letter.version})
        return render_template("casework/letter.html", case=case, letter=letter, form=form,
                               problem=str(error), saved=None,
                               template=letter_templates().get(letter.key)), refused_status(error)
    flash(f"Letter {letter.step} issued.", "success")
    return redirect(_case_url(case.id))
