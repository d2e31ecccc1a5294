"""Cases with draft letters for the jobs and mail tests: one whose invite is due, one not due."""

from __future__ import annotations

from datetime import date, time, timedelta

from checklist_app.casework import letter_operations, meeting_operations, operations
from checklist_app.casework.models import MeetingKind
from checklist_app.extensions import db
from tests.casework_factories import family_case

#: A day on which the first case's invite (letter 1) falls due within the week.
TODAY = date(2027, 1, 8)


def case_with_due_invite(school, lead=None, email: str = ""):
    """A case with a contract meeting on 20 January and a draft invite (due by 13 January)."""
    case, parents = family_case(school, lead)
    if email:
        parents[0].email = email
    meeting = meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, date(2027, 1, 20),
                                                  time(9, 0), "Room 2", "By telephone",
                                                  [p.id for p in parents], scheduled_on=date(2027, 1, 6))
    letter = letter_operations.draft_letter(case, "contract-meeting-invite", parents[0], meeting,
                                            TODAY)
    db.session.commit()
    return case, parents, letter


def case_with_draft_not_due(school, lead=None):
    """A case whose draft letter (attendance improved) is not the step that is due; attendance has
    risen above the baseline, so the letter may be issued."""
    case, parents = family_case(school, lead)
    operations.add_figure(case, {"period_start": TODAY - timedelta(days=18),
                                 "period_end": TODAY - timedelta(days=4), "attendance_percent": 94.0,
                                 "unauthorised_sessions": 0, "recorded_on": TODAY}, TODAY)
    letter = letter_operations.draft_letter(case, "attendance-improved", parents[0], None, TODAY)
    db.session.commit()
    return case, parents, letter
