"""Ten weeks of school days on one case, with time moved by time-machine: each morning the app's
today (checklist_app.clock) is the school's date, and the case's next step and due date follow."""

# Each lambda below runs at once, inside its own iteration, so binding the loop variables late is
# what is meant:
# ruff: noqa: B023
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from checklist_app import clock
from checklist_app.casework import contract_operations, letter_operations, meeting_operations, operations
from checklist_app.casework.facts import view_of
from checklist_app.casework.models import DurationUnit, MeetingKind, MeetingOutcome, Party
from checklist_app.editing import run
from checklist_app.extensions import db
from tests.casework_factories import RECORD, make_parent, make_pupil
from tests.factories import SchoolFactory, UserFactory, login

LONDON = ZoneInfo("Europe/London")
START = date(2027, 1, 4)  # a Monday in the spring term


def school_days(first: date, weeks: int):
    """Monday to Friday for ``weeks`` weeks from ``first``."""
    for n in range(weeks * 7):
        day = first + timedelta(days=n)
        if day.weekday() < 5:
            yield day


@pytest.fixture
def school(app):
    return SchoolFactory(name="Oakfield Primary")


@pytest.fixture
def lead(school):
    return UserFactory(school=school, role="attendance_lead", name="Alex Morgan")


def morning(day: date):
    """Travel to 8:30 on ``day`` in London (the server's UTC date may differ at midnight)."""
    return time_machine.travel(datetime.combine(day, time(8, 30), LONDON), tick=False)


def test_one_case_across_ten_weeks_of_school_days(app, client, school, lead):
    pupil = make_pupil(school)
    mum = make_parent(pupil)
    db.session.commit()
    seen: dict[date, tuple] = {}
    case = meeting = contract = review = None
    for day in school_days(START, 10):
        with morning(day):
            today = clock.today()
            assert today == day
            week = (day - START).days // 7
            if day == START:  # week 0, Monday: open the case
                case = run(lambda: operations.open_case(pupil, {
                    "lead_user_id": lead.id, "chair_name": "Mrs Helen Carter",
                    "baseline_attendance": 82.0, "reason_for_concern": "Persistent absence"}, today))
            elif day == START + timedelta(days=1):  # Tuesday: arrange the contract meeting, invite
                meeting = run(lambda: meeting_operations.schedule_meeting(
                    case, MeetingKind.CONTRACT, today + timedelta(days=14), time(9), "Room 2", "",
                    [mum.id], today, lead_name="Alex Morgan", lead_user_id=lead.id))
                invite = letter_operations.draft_letter(case, "contract-meeting-invite", mum, meeting,
                                                        today)
                run(lambda: letter_operations.issue_letter(invite, lead, today))
            elif meeting is not None and day == meeting.meeting_date:  # the meeting is held
                present = {a.id for a in meeting.attendees}
                record = {**RECORD, "review-date": {"value": (day + timedelta(weeks=3)).isoformat()}}
                assert run(lambda: meeting_operations.record_meeting(
                    meeting, MeetingOutcome.HELD, present, record, "", meeting.version)) == {}

                def make_contract():
                    made = contract_operations.create_contract(meeting, [mum.id], 3,
                                                               DurationUnit.MONTHS, None)
                    for party in Party:
                        contract_operations.add_agreement(made, party, f"{party.label} agrees",
                                                          "Owner", None)
                    for attendee in contract_operations.signable_attendees(made):
                        contract_operations.sign_contract(made, attendee.id, today)
                    return made

                contract = run(make_contract)
                outcome = letter_operations.draft_letter(case, "contract-outcome", mum, None, today)
                run(lambda: letter_operations.issue_letter(outcome, lead, today))
            elif review is None and contract is not None and \
                    view_of(case, today).next.text.startswith("6 unauthorised sessions"):
                review = run(lambda: meeting_operations.schedule_meeting(
                    case, MeetingKind.REVIEW, today + timedelta(days=3), time(9), "Room 2", "",
                    [mum.id], today, lead_name="Alex Morgan", lead_user_id=lead.id))
                invite = letter_operations.draft_letter(case, "review-meeting-invite", mum, review,
                                                        today)
                run(lambda: letter_operations.issue_letter(invite, lead, today))
            elif review is not None and day == review.meeting_date:
                present = {a.id for a in review.attendees}
                record = {**RECORD, "target-met": {"value": "some-improvement"},
                          "decision": {"value": "new-plan"},
                          "review-date": {"value": (day + timedelta(weeks=2)).isoformat()}}
                assert run(lambda: meeting_operations.record_meeting(
                    review, MeetingOutcome.HELD, present, record, "", review.version)) == {}
            if day.weekday() == 4 and week >= 1:  # every Friday from week 1: the week's figure
                run(lambda: operations.add_figure(case, {
                    "period_start": day - timedelta(days=4), "period_end": day,
                    "attendance_percent": 80.0 + week, "unauthorised_sessions": 1}, today))
            db.session.expire_all()
            view = view_of(case, today)
            seen[day] = (view.next.step, view.next.text[:50], view.next.due, view.overdue) \
                if view.next else None
    def on(day: date) -> tuple:
        return seen[day][0], seen[day][2], seen[day][3]

    # Week 0: opened on Monday, the invite is due within a week (R11 notice follows).
    assert on(date(2027, 1, 4)) == ("1", date(2027, 1, 11), False)
    # Invited with two weeks' notice: hold the meeting on its date, every day until then.
    for day in school_days(date(2027, 1, 5), 2):
        assert on(day) == ("3", date(2027, 1, 19), False), day
    # Contract signed and outcome letter sent on the day: the review period (7 weeks for 82%, R13)
    # ends on 9 March; nothing is due, nothing overdue, as the weekly figures come in.
    for day in school_days(date(2027, 1, 19), 6):
        if day < date(2027, 3, 5):
            assert on(day) == ("7a", date(2027, 3, 9), False), day
    assert seen[date(2027, 1, 19)][1].startswith("End of the review period")
    # The Friday figure of week 8 brings the 6th unauthorised session: a review is due at once.
    assert on(date(2027, 3, 5)) == ("7a", date(2027, 3, 5), False)
    assert seen[date(2027, 3, 5)][1].startswith("6 unauthorised sessions")
    # Arranged on Monday for Thursday, then held: the next review follows the new plan's date.
    assert on(date(2027, 3, 8)) == ("7a", date(2027, 3, 11), False)
    assert on(date(2027, 3, 10)) == ("7a", date(2027, 3, 11), False)
    assert on(date(2027, 3, 11)) == ("7a", date(2027, 3, 25), False)
    assert on(date(2027, 3, 12)) == ("7a", date(2027, 3, 25), False)
    assert seen[date(2027, 3, 12)][1].startswith("Next contract review")

    # A fortnight later the same case page, on the school's date, shows the review as overdue.
    with morning(date(2027, 3, 26)):
        login(client, lead)
        page = client.get(f"/cases/{case.id}").get_data(as_text=True)
        assert view_of(case, clock.today()).overdue
        assert "25 March 2027" in page and "Overdue" in page
