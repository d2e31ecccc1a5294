"""Meeting pages: schedule, attendees, and the outcome with the meeting record (R11, R25–R27)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from checklist_app.casework import meeting_services, services
from checklist_app.casework.forms import AttendeeForm, MeetingForm, record_extra_fields
from checklist_app.casework.models import AttendeeKind, Meeting, MeetingKind, MeetingOutcome
from checklist_app.casework.process import dates
from checklist_app.casework.settings import settings
from checklist_app.casework.views import bp, form_page, refused
from checklist_app.checklist_engine.forms import (
    answers_from_form,
    build_form_class,
    choice_list,
    field_name,
    form_data_from_answers,
)
from checklist_app.concurrency import Conflict
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow


def _case_url(case_id: int) -> str:
    return url_for("casework.case_page", case_id=case_id)


@bp.route("/<int:case_id>/meetings/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_meeting(case_id: int):
    """Schedule a contract, review or professionals meeting."""
    case = services.case_with_records(case_id)
    earliest = dates.add_days(date.today(), settings().notice_days)
    form = MeetingForm(data=None if request.method == "POST" else {
        "kind": request.args.get("kind", "contract"), "meeting_date": earliest,
        "parent_ids": [p.id for p in case.pupil.parents if p.parental_responsibility]})
    form.parent_ids.choices = choice_list([(p.id, f"{p.full_name} ({p.relationship_to_pupil})")
                               for p in case.pupil.parents])
    back = _case_url(case.id)
    title = f"Schedule a meeting for {case.pupil.full_name}"
    page = {"submit": "Schedule", "intro": f"Give at least {settings().notice_days} days' notice of "
            f"a contract meeting: the earliest date from today is {long_date(earliest)} (R11)."}
    if form.validate_on_submit():
        lead = case.lead
        try:
            meeting = meeting_services.schedule_meeting(
                case, MeetingKind(form.kind.data), form.meeting_date.data, form.start_time.data,
                form.location.data, form.alternative_offered.data, form.parent_ids.data or [],
                lead_name=lead.name if lead else "", lead_user_id=lead.id if lead else None)
        except services.CaseworkError as error:
            return form_page(form, title, back, refused(error), problem=str(error), **page)
        flash("Meeting scheduled. Add anyone else invited, then send the invite letter.", "success")
        return redirect(url_for("casework.meeting_page", case_id=case.id, meeting_id=meeting.id))
    return form_page(form, title, back, 400 if form.errors else 200, **page)


def _attendee_form(meeting: Meeting) -> AttendeeForm:
    form = AttendeeForm()
    form.parent_id.choices = choice_list([(None, "Not a parent or carer")] + [
        (p.id, p.full_name) for p in meeting.case.pupil.parents])
    return form


@bp.route("/<int:case_id>/meetings/<int:meeting_id>")
@allow(CASEWORKERS)
def meeting_page(case_id: int, meeting_id: int):
    """A meeting: details, attendees (name and role in full) and its record."""
    case = services.case_with_records(case_id)
    meeting = services.child_of(case, Meeting, meeting_id)
    return render_template("casework/meeting.html", case=case, meeting=meeting,
                           definition=meeting_services.record_definition(meeting),
                           attendee_form=_attendee_form(meeting), field_name=field_name)


@bp.route("/<int:case_id>/meetings/<int:meeting_id>/attendees", methods=["POST"])
@allow(CASEWORKERS)
def add_attendee(case_id: int, meeting_id: int):
    """Add someone invited to the meeting."""
    case = services.case_with_records(case_id)
    meeting = services.child_of(case, Meeting, meeting_id)
    form = _attendee_form(meeting)
    problem = None
    if form.validate_on_submit():
        try:
            meeting_services.add_attendee(meeting, form.name.data, form.role.data,
                                          AttendeeKind(form.kind.data), form.parent_id.data)
            flash(f"{form.name.data} added.", "success")
            return redirect(url_for("casework.meeting_page", case_id=case.id, meeting_id=meeting.id))
        except services.CaseworkError as error:
            problem = str(error)
    return render_template("casework/meeting.html", case=case, meeting=meeting,
                           definition=meeting_services.record_definition(meeting),
                           attendee_form=form, problem=problem, field_name=field_name), 400


@bp.route("/<int:case_id>/meetings/<int:meeting_id>/record", methods=["GET", "POST"])
@allow(CASEWORKERS)
def record_meeting(case_id: int, meeting_id: int):
    """Record the outcome, who was there and the meeting record (R6, R25–R27)."""
    case = services.case_with_records(case_id)
    meeting = services.child_of(case, Meeting, meeting_id)
    definition = meeting_services.record_definition(meeting)
    items = definition.items() if definition else []
    extra = record_extra_fields(meeting.attendees)
    form_class = build_form_class(definition, items, extra=extra) if definition \
        else type("MeetingOutcomeForm", (FlaskForm,), extra)
    if request.method == "POST":
        form = form_class()
    else:
        data = form_data_from_answers(meeting.record_answers or {}, definition, items) \
            if definition else {}
        if "review-date" in {i.id for i in items} and not data.get(field_name("review-date")):
            data[field_name("review-date")] = _suggested_review(meeting)
        data.update({"version": meeting.version, "meeting_notes": meeting.notes,
                     "outcome": None if meeting.outcome is MeetingOutcome.SCHEDULED
                     else meeting.outcome.value})
        data.update({f"present_{a.id}": a.present for a in meeting.attendees})
        form = form_class(data=data)
    status, problem = 200, None
    if form.validate_on_submit():
        present = {a.id for a in meeting.attendees if form[f"present_{a.id}"].data}
        try:
            problems = meeting_services.record_meeting(
                meeting, MeetingOutcome(form.outcome.data), present,
                answers_from_form(form, definition, items) if definition else {},
                form.meeting_notes.data,
                form.version.data)
        except Conflict as conflict:
            status, problem, problems = 409, str(conflict), {}
            form.version.data = meeting.version
        except services.CaseworkError as error:
            status, problem, problems = refused(error), str(error), {}
        else:
            for item_id, message in problems.items():
                form[field_name(item_id)].errors = [*form[field_name(item_id)].errors, message]
            if not problems:
                flash("Meeting recorded.", "success")
                return redirect(url_for("casework.meeting_page", case_id=case.id,
                                        meeting_id=meeting.id))
            status = 400
    elif form.errors:
        status = 400
    return render_template("casework/meeting_record.html", case=case, meeting=meeting,
                           definition=definition, form=form, problem=problem,
                           field_name=field_name, user=current_user), status


def _suggested_review(meeting: Meeting) -> date:
    s = settings()
    if meeting.kind is MeetingKind.REVIEW:
        return dates.latest_next_review(meeting.meeting_date, s)
    return dates.meeting_review_window(meeting.meeting_date, s)[2]
