"""The family's copy of a meeting's plan (R26): who was there, the plan by party, the review date."""

from __future__ import annotations

from datetime import date

from checklist_app.reporting.meeting_record import meeting_record_pdf
from tests.casework_factories import family_case, held_meeting
from tests.factories import UserFactory
from tests.reporting_factories import pdf_text


def test_the_family_copy_reads_as_the_plan(school):
    lead = UserFactory(school=school, role="attendance_lead", name="Alex Morgan")
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum], date(2027, 1, 15), answers={
        "parents-agree-to": {"value": "- Phone by 8:30 on any absence\n- Bed by 9pm"},
        "school-agrees-to": {"value": "Daily check-in"},
        "action-plan-aim": {"value": "No more unauthorised absence"},
        "review-date": {"value": "2027-02-05"}})
    text = " ".join(pdf_text(meeting_record_pdf(case, meeting, date(2027, 1, 16)).data).split())
    assert "Attendance contract meeting: record and plan" in text
    assert "15 January 2027 at 09:00, Room 2" in text
    assert "Parent or carer agrees to" in text and "Bed by 9pm" in text
    assert "School agrees to" in text and "Daily check-in" in text
    assert "No more unauthorised absence" in text and "5 February 2027" in text
    assert "2027-02-05" not in text and "Alex Morgan" in text
