"""Attendance figures, contacts (R23) and letters: draft, edit (R24), issue (frozen afterwards)."""

from __future__ import annotations

from datetime import date, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from checklist_app.casework import letter_services, services
from checklist_app.casework.forms import ContactForm, FigureForm, LetterForm, NewLetterForm
from checklist_app.casework.letters import letter_templates
from checklist_app.casework.models import ContactMethod, Letter, Meeting, Parent
from checklist_app.casework.views import bp, form_page, refused
from checklist_app.checklist_engine.forms import choice_list
from checklist_app.concurrency import Conflict
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow


def _case_url(case_id: int) -> str:
    return url_for("casework.case_page", case_id=case_id)


@bp.route("/<int:case_id>/figures/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_figure(case_id: int):
    """Record attendance for a period."""
    case = services.case_with_records(case_id)
    form = FigureForm(data=None if request.method == "POST" else {"recorded_on": date.today(),
                                                                  "unauthorised_sessions": 0})
    back, title = _case_url(case.id), f"Attendance figure for {case.pupil.full_name}"
    if form.validate_on_submit():
        try:
            services.add_figure(case, form.data)
        except services.CaseworkError as error:
            return form_page(form, title, back, refused(error), problem=str(error))
        flash("Attendance figure recorded.", "success")
        return redirect(back)
    return form_page(form, title, back, 400 if form.errors else 200, submit="Record",
                     intro=f"Attendance at the start: {case.baseline_attendance:.1f}%. Enter figures "
                     "for separate periods (for example week by week).")


@bp.route("/<int:case_id>/contacts/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_contact(case_id: int):
    """Record a contact or attempted contact (R23)."""
    case = services.case_with_records(case_id)
    form = ContactForm(data=None if request.method == "POST" else {"occurred_on": date.today(),
                                                                   "made": "made"})
    form.parent_id.choices = choice_list([(None, "Not a parent or carer")] + [
        (p.id, p.full_name) for p in case.pupil.parents])
    back, title = _case_url(case.id), f"Record a contact about {case.pupil.full_name}"
    if form.validate_on_submit():
        data = {**form.data, "method": ContactMethod(form.method.data),
                "made": form.made.data == "made",
                "occurred_at": datetime.combine(form.occurred_on.data,
                                                form.occurred_time.data or datetime.min.time())}
        try:
            services.add_contact(case, data, current_user.name)
        except services.CaseworkError as error:
            return form_page(form, title, back, refused(error), problem=str(error))
        flash("Contact recorded.", "success")
        return redirect(back)
    intro = "Record every contact and attempted contact (R23)."
    if case.pupil.has_social_worker:
        intro += (f" {case.pupil.full_name} has a social worker "
                  f"({case.pupil.social_worker_name or 'name not recorded'}): tell them of every "
                  "unauthorised absence.")
    return form_page(form, title, back, 400 if form.errors else 200, submit="Record", intro=intro)


@bp.route("/<int:case_id>/letters/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_letter(case_id: int):
    """Draft a letter of the process from its template."""
    case = services.case_with_records(case_id)
    templates = letter_templates()
    form = NewLetterForm(data=None if request.method == "POST" else {
        "key": request.args.get("key"), "letter_date": date.today(),
        "meeting_id": request.args.get("meeting_id", type=int)})
    form.key.choices = choice_list([(t.key, f"{t.step}. {t.title}") for t in templates.values()])
    form.parent_id.choices = choice_list([(p.id, f"{p.salutation} ({p.relationship_to_pupil})")
                              for p in case.pupil.parents])
    form.meeting_id.choices = choice_list([(None, "None")] + [
        (m.id, f"{m.kind.label} on {long_date(m.meeting_date)}") for m in case.meetings])
    back, title = _case_url(case.id), f"Write a letter about {case.pupil.full_name}"
    if form.validate_on_submit():
        parent = services.child_of_pupil(case, Parent, form.parent_id.data)
        meeting = services.child_of(case, Meeting, form.meeting_id.data) if form.meeting_id.data \
            else None
        try:
            letter = letter_services.draft_letter(case, form.key.data, parent, meeting,
                                                  form.letter_date.data)
        except services.CaseworkError as error:
            return form_page(form, title, back, refused(error), problem=str(error))
        flash("Draft letter written. Check and amend it, then issue it.", "success")
        return redirect(url_for("casework.letter_page", case_id=case.id, letter_id=letter.id))
    return form_page(form, title, back, 400 if form.errors else 200, submit="Write the draft")


@bp.route("/<int:case_id>/letters/<int:letter_id>", methods=["GET", "POST"])
@allow(CASEWORKERS)
def letter_page(case_id: int, letter_id: int):
    """A letter: edit the draft (R24) with a preview, or read the issued letter."""
    case = services.case_with_records(case_id)
    letter = services.child_of(case, Letter, letter_id)
    form = LetterForm(data=None if request.method == "POST" else {
        "body": letter.body_markdown, "version": letter.version})
    status, problem, saved = 200, None, None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                letter_services.update_letter(letter, form.body.data, form.version.data)
                flash("Letter saved.", "success")
                return redirect(url_for("casework.letter_page", case_id=case.id,
                                        letter_id=letter.id))
            except Conflict as conflict:
                status, problem, saved = 409, str(conflict), letter.body_markdown
                form.version.data = letter.version
            except services.CaseworkError as error:
                status, problem = refused(error), str(error)
        else:
            status = 400
    template = letter_templates().get(letter.key)
    return render_template("casework/letter.html", case=case, letter=letter, form=form,
                           problem=problem, saved=saved, template=template), status


@bp.route("/<int:case_id>/letters/<int:letter_id>/issue", methods=["POST"])
@allow(CASEWORKERS)
def issue_letter(case_id: int, letter_id: int):
    """Issue a draft: it is frozen from now on and listed on the case with its date."""
    case = services.case_with_records(case_id)
    letter = services.child_of(case, Letter, letter_id)
    try:
        letter_services.issue_letter(letter, current_user)
    except services.CaseworkError as error:
        form = LetterForm(data={"body": letter.body_markdown, "version": letter.version})
        return render_template("casework/letter.html", case=case, letter=letter, form=form,
                               problem=str(error), saved=None,
                               template=letter_templates().get(letter.key)), refused(error)
    flash(f"Letter {letter.step} issued.", "success")
    return redirect(_case_url(case.id))
