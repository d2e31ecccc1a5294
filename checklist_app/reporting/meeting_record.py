"""The family's copy of a meeting's record and plan (R26), as a PDF.

The plan is read from the meeting record's answers by
:func:`~checklist_app.casework.process.plan.plan_sections`; internal notes, reasons for absence
and other agencies' details stay out of the family's copy.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checklist_app.casework.models import Case, Meeting
from checklist_app.casework.process.plan import plan_sections
from checklist_app.formatting import long_date
from checklist_app.reporting.self_evaluation_context import report_header
from checklist_app.reporting.services import Document, produce, safe_filename


def _answer(meeting: Meeting, answer_id: str) -> Any:
    return ((meeting.record_answers or {}).get(answer_id) or {}).get("value")


def meeting_record_report(case: Case, meeting: Meeting, today: date) -> dict[str, Any]:
    """What reports/pdf/meeting_record.html needs: the meeting, who was there and the plan."""
    when = long_date(meeting.meeting_date)
    if meeting.start_time:
        when += f" at {meeting.start_time:%H:%M}"
    attendance = _answer(meeting, "attendance-at-present")
    school = case.school
    return {
        **report_header(school.name, f"{meeting.kind.label}: record and plan", today,
                        personal_data=True),
        "school": {"name": school.name, "phone": school.phone, "email": school.email},
        "pupil": {"full_name": case.pupil.full_name},
        "contact": case.lead.name if case.lead else "the attendance lead",
        "meeting": {
            "title": meeting.kind.label, "when": when, "location": meeting.location,
            "present": [{"name": a.name, "role": a.role} for a in meeting.attendees if a.present],
            "attendance": f"{float(attendance):.1f}%" if isinstance(attendance, int | float) else "",
            "aim": _answer(meeting, "action-plan-aim") or "",
            "review_date": long_date(_answer(meeting, "review-date")),
            "plan": plan_sections(meeting.record_answers or {}),
        },
    }


def meeting_record_pdf(case: Case, meeting: Meeting, today: date) -> Document:
    """The family's copy of the meeting's record and plan."""
    data = produce("pdf/meeting_record.html", meeting_record_report(case, meeting, today))
    return Document(safe_filename("meeting-plan", f"case-{case.id}",
                                  meeting.meeting_date.isoformat()), data)
