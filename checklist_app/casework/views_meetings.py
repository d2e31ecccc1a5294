"""Meeting pages: schedule, attendees, and the outcome with the meeting record (R11, R25–R27)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from checklist_app import clock
from checklist_app.casework import meeting_operations
from checklist_app.casework.blueprint import bp
from checklist_app.casework.forms import AttendeeForm, MeetingForm, record_extra_fields
from checklist_app.casework.letters import letter_templates
from checklist_app.casework.loading import case_with_records, child_of
from checklist_app.casework.models import AttendeeKind, Meeting, MeetingKind, MeetingOutcome
from checklist_app.casework.operations import CaseworkError
from checklist_app.casework.pages import form_round_trip
from checklist_app.casework.process import dates
from checklist_app.casework.process.facts import facts_of
from checklist_app.casework.process.issuing import default_invite_step
from checklist_app.casework.settings import settings
from checklist_app.checklist_engine.forms import (
    answers_from_form,
    build_form_class,
    choice_list,
    field_name,
    form_data_from_answers,
)
from checklist_app.concurrency import Conflict
from checklist_app.editing import refused_status, round_trip, run
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow, current_school


def _case_url(case_id: int) -> str:
    return url_for("casework.case_page", case_id=case_id)


@bp.route("/<int:case_id>/meetings/new", methods=["GET", "POST"])
@allow(CASEWORKERS)
def new_meeting(case_id: int):
    """Schedule a contract, review or professionals meeting."""
    case = case_with_records(current_school(), case_id)
    earliest = dates.add_days(clock.today(), settings().notice_days)
    form = MeetingForm(data=None if request.method == "POST" else {
        "kind": request.args.get("kind", "contract"), "meeting_date": earliest,
        "parent_ids": [p.id for p in case.pupil.parents if p.parental_responsibility]})
    form.parent_ids.choices = choice_list([(p.id, f"{p.full_name} ({p.relationship_to_pupil})")
                               for p in case.pupil.parents])
    back = _case_url(case.id)
    title = f"Schedule a meeting for {case.pupil.full_name}"
    page = {"submit": "Schedule", "intro": f"Give at least {settings().notice_days} days' notice of "
            f"a contract meeting: the earliest date from today is {long_date(earliest)}."}
    lead = case.lead
    return form_round_trip(
        form, title, back, lambda: meeting_operations.schedule_meeting(
            case, MeetingKind(form.kind.data), form.meeting_date.data, form.start_time.data,
            form.location.data, form.alternative_offered.data, form.parent_ids.data or [],
            clock.today(), lead_name=lead.name if lead else "",
            lead_user_id=lead.id if lead else None),
        "Meeting scheduled. Add anyone else invited, then send the invite letter.",
        to=lambda meeting: url_for("casework.meeting_page", case_id=case.id,
                                   meeting_id=meeting.id), **page)


def _attendee_form(meeting: Meeting) -> AttendeeForm:
    form = AttendeeForm()
    form.parent_id.choices = choice_list([(None, "Not a parent or carer")] + [
        (p.id, p.full_name) for p in meeting.case.pupil.parents])
    return form


@bp.route("/<int:case_id>/meetings/<int:meeting_id>")
@allow(CASEWORKERS)
def meeting_page(case_id: int, meeting_id: int):
    """A meeting: details, attendees (name and role in full) and its record."""
    case = case_with_records(current_school(), case_id)
    meeting = child_of(case, Meeting, meeting_id)
    return render_template("casework/meeting.html", case=case, meeting=meeting,
                           definition=meeting_operations.record_definition(meeting),
                           attendee_form=_attendee_form(meeting), field_name=field_name,
                           invite_key=_invite_key(case))


@bp.route("/<int:case_id>/meetings/<int:meeting_id>/attendees", methods=["POST"])
@allow(CASEWORKERS)
def add_attendee(case_id: int, meeting_id: int):
    """Add someone invited to the meeting."""
    case = case_with_records(current_school(), case_id)
    meeting = child_of(case, Meeting, meeting_id)
    form = _attendee_form(meeting)

    def render(status: int, problem: str | None = None, **_: object):
        return render_template("casework/meeting.html", case=case, meeting=meeting,
                               definition=meeting_operations.record_definition(meeting),
                               attendee_form=form, problem=problem, field_name=field_name,
                               invite_key=_invite_key(case)), 400

    return round_trip(
        form, lambda: meeting_operations.add_attendee(meeting, form.name.data, form.role.data,
                                                      AttendeeKind(form.kind.data),
                                                      form.parent_id.data),
        render=render, done=f"{form.name.data} added.",
        to=url_for("casework.meeting_page", case_id=case.id, meeting_id=meeting.id))


@bp.route("/<int:case_id>/meetings/<int:meeting_id>/record", methods=["GET", "POST"])
@allow(CASEWORKERS)
def record_meeting(case_id: int, meeting_id: int):
    """Record the outcome, who was there and the meeting record (R6, R25–R27)."""
    case = case_with_records(current_school(), case_id)
    meeting = child_of(case, Meeting, meeting_id)
    definition = meeting_operations.record_definition(meeting)
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
            problems = run(lambda: meeting_operations.record_meeting(
                meeting, MeetingOutcome(form.outcome.data), present,
                answers_from_form(form, definition, items) if definition else {},
                form.meeting_notes.data,
                form.version.data), meeting)
        except Conflict as conflict:
            status, problem, problems = 409, str(conflict), {}
            form.version.data = meeting.version
        except CaseworkError as error:
            status, problem, problems = refused_status(error), str(error), {}
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


def _invite_key(case: Any) -> str:
    """The invite a contract meeting gets: the second invite (letter 2) once one was missed."""
    step = default_invite_step(facts_of(case))
    return next(t.key for t in letter_templates().values() if t.step == step)
