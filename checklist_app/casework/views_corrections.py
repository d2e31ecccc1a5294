"""Corrections that keep their reason: correct an attendance figure, cancel a meeting, withdraw a
draft letter. Each is a form on the shared form page; the reason shows on the case."""

from __future__ import annotations

from flask import request, url_for

from checklist_app import clock
from checklist_app.casework import correction_operations
from checklist_app.casework.blueprint import bp
from checklist_app.casework.forms import CorrectFigureForm, ReasonForm
from checklist_app.casework.loading import case_with_records, child_of
from checklist_app.casework.models import AttendanceFigure, Letter, Meeting
from checklist_app.casework.pages import form_round_trip
from checklist_app.formatting import long_date
from checklist_app.security import CASEWORKERS, allow, current_school


def _case_url(case_id: int) -> str:
    return url_for("casework.case_page", case_id=case_id)


@bp.route("/<int:case_id>/figures/<int:figure_id>/correct", methods=["GET", "POST"])
@allow(CASEWORKERS)
def correct_figure(case_id: int, figure_id: int):
    """Correct a wrongly entered attendance figure, keeping the old values and the reason."""
    case = case_with_records(current_school(), case_id)
    figure = child_of(case, AttendanceFigure, figure_id)
    form = CorrectFigureForm(data=None if request.method == "POST" else {
        "attendance_percent": figure.attendance_percent,
        "unauthorised_sessions": figure.unauthorised_sessions, "version": figure.version})
    period = f"{long_date(figure.period_start)} to {long_date(figure.period_end)}"
    return form_round_trip(
        form, f"Correct the attendance figure for {period}", _case_url(case.id),
        lambda: correction_operations.correct_figure(
            figure, float(form.attendance_percent.data), form.unauthorised_sessions.data,
            form.reason.data, form.version.data),
        "Figure corrected; the old values and the reason are kept.", record=figure,
        submit="Correct the figure")


@bp.route("/<int:case_id>/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@allow(CASEWORKERS)
def cancel_meeting(case_id: int, meeting_id: int):
    """Cancel a meeting arranged by mistake or no longer needed, with the reason."""
    case = case_with_records(current_school(), case_id)
    meeting = child_of(case, Meeting, meeting_id)
    form = ReasonForm(data=None if request.method == "POST" else {"version": meeting.version})
    return form_round_trip(
        form, f"Cancel the {meeting.kind.label.lower()} on {long_date(meeting.meeting_date)}",
        _case_url(case.id),
        lambda: correction_operations.cancel_meeting(meeting, form.reason.data, form.version.data),
        "Meeting cancelled; it stays on the case with the reason.", record=meeting,
        submit="Cancel the meeting")


@bp.route("/<int:case_id>/letters/<int:letter_id>/withdraw", methods=["GET", "POST"])
@allow(CASEWORKERS)
def withdraw_letter(case_id: int, letter_id: int):
    """Withdraw a draft letter that will not be sent, with the reason."""
    case = case_with_records(current_school(), case_id)
    letter = child_of(case, Letter, letter_id)
    form = ReasonForm(data=None if request.method == "POST" else {"version": letter.version})
    return form_round_trip(
        form, f"Withdraw the draft of letter {letter.step}", _case_url(case.id),
        lambda: correction_operations.withdraw_letter(letter, form.reason.data, clock.today(),
                                                      form.version.data),
        "Draft withdrawn; it stays on the case with the reason.", record=letter,
        submit="Withdraw the draft")
