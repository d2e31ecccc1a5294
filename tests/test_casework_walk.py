"""Walking the process across weeks of moving time, reading every issued letter's PDF.

Three families: one attends and improves (contract, review, improvement, closure); one never
attends (two missed meetings, a professionals meeting, a Notice to Improve, a talk with the local
authority's attendance officer, a referral); separated parents on different paths (the father's
contract, the mother's Notice to Improve, each parent's own closing letter).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from checklist_app.casework import contract_operations, letter_operations, meeting_operations
from checklist_app.casework import operations as ops
from checklist_app.casework.models import (
    AttendeeKind,
    ClosureReason,
    ContactMethod,
    ContractStatus,
    DurationUnit,
    MeetingKind,
    MeetingOutcome,
    Stage,
)
from checklist_app.casework.process.facts import facts_of
from checklist_app.casework.process.flags import flags
from checklist_app.casework.process.issuing import default_invite_step
from checklist_app.casework.settings import CaseworkSettings
from checklist_app.extensions import db
from tests.casework_factories import family_case
from tests.factories import UserFactory, login
from tests.reporting_factories import flat, pdf_text

PLAN = {"parents-agree-to": {"value": "- Phone the school by 8:30 on any absence\n- Bed by 9pm"},
        "school-agrees-to": {"value": "Daily check-in with the pastoral lead"}}


@pytest.fixture
def lead(school):
    return UserFactory(school=school, role="attendance_lead", name="Alex Morgan")


def day(t, on: date) -> None:
    """Move the school's clock to midday on ``on``."""
    t.move_to(datetime.combine(on, time(12), tzinfo=UTC))


def meeting(case, kind, on, parents, scheduled_on):
    found = meeting_operations.schedule_meeting(case, kind, on, time(9), "Room 2", "By telephone",
                                                [p.id for p in parents], scheduled_on=scheduled_on,
                                                lead_name="Alex Morgan")
    db.session.commit()
    return found


def record(m, held: bool, answers=None, review_weeks: int = 3):
    present = {a.id for a in m.attendees if held or a.kind is not AttendeeKind.PARENT}
    outcome = MeetingOutcome.HELD if held or m.kind is MeetingKind.PROFESSIONALS \
        else MeetingOutcome.NOT_ATTENDED
    review = date.fromordinal(m.meeting_date.toordinal() + 7 * review_weeks).isoformat()
    data = {**PLAN, "review-date": {"value": review}, **(answers or {})}
    assert meeting_operations.record_meeting(m, outcome, present, data, "", m.version) == {}
    db.session.commit()


def issue(case, key, parent, on, lead, meeting=None, fill=None):
    letter = letter_operations.draft_letter(case, key, parent, meeting, on)
    if fill:
        letter_operations.update_letter(letter, fill(letter.body_markdown), letter.version)
    letter_operations.issue_letter(letter, lead, on)
    db.session.commit()
    return letter


def refused(case, key, parent, on, lead, meeting=None) -> str:
    letter = letter_operations.draft_letter(case, key, parent, meeting, on)
    db.session.commit()
    with pytest.raises(ops.CaseworkError) as caught:
        letter_operations.issue_letter(letter, lead, on)
    db.session.rollback()
    return str(caught.value)


def figure(case, start, end, percent, unauthorised, on):
    ops.add_figure(case, {"period_start": start, "period_end": end, "attendance_percent": percent,
                          "unauthorised_sessions": unauthorised}, on)
    db.session.commit()


def read(client, lead, case, letter) -> str:
    login(client, lead)  # a fresh session on each day walked to
    response = client.get(f"/reports/cases/{case.id}/letters/{letter.id}.pdf")
    assert response.status_code == 200
    text = flat(pdf_text(response.data))
    assert "\\" not in text and "R1" not in text.replace("RE:", "")
    return text


def sign_all(contract, on):
    for attendee in contract.meeting.attendees:
        if attendee.present and attendee.kind in (AttendeeKind.PARENT, AttendeeKind.STAFF):
            contract_operations.sign_contract(contract, attendee.id, on, today=on)
    db.session.commit()


def test_a_family_that_attends_and_improves(client, school, lead):
    case, (mum,) = family_case(school, lead)
    with time_machine.travel(datetime(2027, 1, 4, 12, tzinfo=UTC), tick=False) as t:
        m = meeting(case, MeetingKind.CONTRACT, date(2027, 1, 18), [mum], date(2027, 1, 4))
        late = refused(case, "contract-meeting-invite", mum, date(2027, 1, 13), lead, m)
        assert "5 days' notice" in late and "send it by 11 January 2027" in late
        invite = issue(case, "contract-meeting-invite", mum, date(2027, 1, 4), lead, m)
        assert "Date: 18 January 2027" in read(client, lead, case, invite)

        day(t, date(2027, 1, 18))
        record(m, held=True)
        contract = contract_operations.create_contract(m, [mum.id], 3, DurationUnit.MONTHS,
                                                       date(2027, 3, 1), carry_plan=True)
        assert [a.text for a in contract.agreements] == [
            "Phone the school by 8:30 on any absence", "Bed by 9pm",
            "Daily check-in with the pastoral lead"]
        with pytest.raises(ops.CaseworkError, match="before the meeting"):
            contract_operations.sign_contract(contract, m.attendees[0].id, date(2027, 1, 17),
                                              today=date(2027, 1, 18))
        sign_all(contract, date(2027, 1, 18))
        assert contract.status is ContractStatus.SIGNED
        outcome = issue(case, "contract-outcome", mum, date(2027, 1, 18), lead)
        assert "review the contract on 1 March 2027" in read(client, lead, case, outcome)

        for week in range(4):  # weekly figures, rising
            start = date.fromordinal(date(2027, 1, 18).toordinal() + 7 * week)
            end = date.fromordinal(start.toordinal() + 4)
            day(t, date.fromordinal(end.toordinal() + 3))
            figure(case, start, end, 82.5 + 2 * week, 1, date.fromordinal(end.toordinal() + 3))

        day(t, date(2027, 2, 15))
        review = meeting(case, MeetingKind.REVIEW, date(2027, 3, 1), [mum], date(2027, 2, 15))
        invite_7a = issue(case, "review-meeting-invite", mum, date(2027, 2, 15), lead, review)
        assert "Date: 1 March 2027" in read(client, lead, case, invite_7a)
        day(t, date(2027, 3, 1))
        record(review, held=True, answers={"target-met": {"value": "yes"},
                                          "decision": {"value": "new-plan"}})
        improved = issue(case, "attendance-improved", mum, date(2027, 3, 1), lead)
        text = read(client, lead, case, improved)
        assert "It is now 88.5%" in text and "attendance was 80.0%" in text
        assert "review it again on 29 March 2027" in text  # not the letter's own date
        view_flags = flags(facts_of(case), date(2027, 3, 1), CaseworkSettings())
        assert not any("Referred" in f.text for f in view_flags)

        day(t, date(2027, 4, 5))
        ops.close_case(case, ClosureReason.ATTENDANCE_IMPROVED, "Attendance is now 95%.",
                       date(2027, 4, 5), [improved.id])
        db.session.commit()
    assert case.stage is Stage.CLOSED and contract.status is ContractStatus.ENDED
    assert contract.end_letter_id == improved.id


def test_a_family_that_never_attends(client, school, lead):
    case, (dad,) = family_case(school, lead)
    with time_machine.travel(datetime(2027, 1, 4, 12, tzinfo=UTC), tick=False) as t:
        first = meeting(case, MeetingKind.CONTRACT, date(2027, 1, 18), [dad], date(2027, 1, 4))
        issue(case, "contract-meeting-invite", dad, date(2027, 1, 4), lead, first)
        day(t, date(2027, 1, 18))
        record(first, held=False)
        assert default_invite_step(facts_of(case)).value == "2"
        ops.add_contact(case, {"occurred_at": datetime(2027, 1, 18, 11, 5),
                               "method": ContactMethod.PHONE, "with_whom": "Daniel", "made": False},
                        "Alex Morgan", date(2027, 1, 18))
        second = meeting(case, MeetingKind.CONTRACT, date(2027, 2, 1), [dad], date(2027, 1, 18))
        assert "second invite (letter 2)" in refused(case, "contract-meeting-invite", dad,
                                                     date(2027, 1, 18), lead, second)
        invite_2 = issue(case, "contract-meeting-second-invite", dad, date(2027, 1, 18), lead,
                         second)
        assert "on 18 January 2027" in read(client, lead, case, invite_2)

        day(t, date(2027, 2, 1))
        record(second, held=False)
        third = meeting(case, MeetingKind.CONTRACT, date(2027, 2, 15), [dad], date(2027, 2, 1))
        assert "hold a professionals meeting" in refused(
            case, "contract-meeting-second-invite", dad, date(2027, 2, 1), lead, third)
        assert "A third contract meeting" in " ".join(
            f.text for f in flags(facts_of(case), date(2027, 2, 1), CaseworkSettings()))
        from checklist_app.casework import correction_operations
        correction_operations.cancel_meeting(third, "Professionals meeting instead", third.version)
        db.session.commit()

        day(t, date(2027, 2, 5))
        professionals = meeting(case, MeetingKind.PROFESSIONALS, date(2027, 2, 5), [dad],
                                date(2027, 2, 5))
        record(professionals, held=False)
        issue(case, "failed-to-attend", dad, date(2027, 2, 5), lead)
        figure(case, date(2027, 2, 8), date(2027, 3, 12), 62.0, 14, date(2027, 3, 15))

        day(t, date(2027, 3, 15))
        notice = issue(case, "notice-to-improve", dad, date(2027, 3, 15), lead)
        text = read(client, lead, case, notice)
        assert "no attendance contract could be agreed" in text
        assert "brings the attendance contract" not in text
        assert f"review {case.pupil.first_name}'s attendance on 5 April 2027" in text

        day(t, date(2027, 4, 6))
        assert "attendance officer" in refused(case, "referral-for-legal-intervention", dad,
                                               date(2027, 4, 6), lead)
        ops.add_contact(case, {"occurred_at": datetime(2027, 4, 6, 14, 30),
                               "method": ContactMethod.PHONE, "with_whom": "LA attendance officer",
                               "with_attendance_officer": True, "made": True,
                               "outcome": "Agreed a referral"}, "Alex Morgan", date(2027, 4, 6))
        referral = issue(case, "referral-for-legal-intervention", dad, date(2027, 4, 6), lead)
        text = read(client, lead, case, referral)
        assert "We issued a Notice to Improve on 15 March 2027" in text
        assert "on 6 April 2027" in text
    assert case.stage is Stage.LEGAL


def test_separated_parents_on_different_paths(client, school, lead):
    case, (mum, dad) = family_case(school, lead, parents=2)
    with time_machine.travel(datetime(2027, 1, 4, 12, tzinfo=UTC), tick=False) as t:
        his = meeting(case, MeetingKind.CONTRACT, date(2027, 1, 18), [dad], date(2027, 1, 4))
        hers = meeting(case, MeetingKind.CONTRACT, date(2027, 1, 19), [mum], date(2027, 1, 4))
        issue(case, "contract-meeting-invite", dad, date(2027, 1, 4), lead, his)
        issue(case, "contract-meeting-invite", mum, date(2027, 1, 4), lead, hers)
        day(t, date(2027, 1, 19))
        record(his, held=True, answers={"parents-agree-to": {"value": "Walk to school daily"}})
        contract = contract_operations.create_contract(his, [dad.id], 6, DurationUnit.MONTHS,
                                                       None, carry_plan=True)
        sign_all(contract, date(2027, 1, 18))
        record(hers, held=False)
        hers_2 = meeting(case, MeetingKind.CONTRACT, date(2027, 2, 2), [mum], date(2027, 1, 19))
        issue(case, "contract-meeting-second-invite", mum, date(2027, 1, 19), lead, hers_2)
        day(t, date(2027, 2, 2))
        record(hers_2, held=False)
        issue(case, "failed-to-attend", mum, date(2027, 2, 2), lead)
        figure(case, date(2027, 2, 8), date(2027, 2, 26), 70.0, 8, date(2027, 3, 1))

        day(t, date(2027, 3, 1))
        notice = issue(case, "notice-to-improve", mum, date(2027, 3, 1), lead)
        assert contract.status is ContractStatus.SIGNED  # the father's contract is his
        text = read(client, lead, case, notice)
        assert "18 January 2027" not in text and "Walk to school daily" not in text
        assert "no attendance contract could be agreed" in text
        assert "termination warning (letter 7b)" in refused(case, "notice-to-improve", dad,
                                                            date(2027, 3, 1), lead)

        day(t, date(2027, 3, 15))
        with pytest.raises(ops.CaseworkError, match="choose the issued letter to Daniel"):
            ops.close_case(case, ClosureReason.CHANGED_SCHOOL, "Moved to Leeds",
                           date(2027, 3, 15), [])
        db.session.rollback()
        reason = "Zoë has moved to a school in Leeds."
        closing = [issue(case, "contract-ended", p, date(2027, 3, 15), lead, fill=lambda body:
                         body.replace("[[Write here why, in a few sentences the family will "
                                      "understand.]]", reason)) for p in (mum, dad)]
        texts = [read(client, lead, case, x) for x in closing]
        assert "attendance contract agreed with you on 18 January 2027" in texts[1]
        assert "attendance contract" not in texts[0].split("RE:")[1].split("Thank you")[0]
        ops.close_case(case, ClosureReason.CHANGED_SCHOOL, "Moved to Leeds", date(2027, 3, 15),
                       [x.id for x in closing])
        db.session.commit()
    assert contract.status is ContractStatus.ENDED and contract.end_letter_id == closing[1].id
