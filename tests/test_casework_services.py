"""Casework services: meetings (R11, R12, R25–R27), letters (R14, R24) and figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from checklist_app.casework import contract_operations, letter_operations, meeting_operations, operations
from checklist_app.casework.letters import (
    inert_value,
    letter_context,
    letter_templates,
    render_letter,
)
from checklist_app.casework.models import (
    AttendeeKind,
    FrozenRecord,
    LetterStatus,
    LetterStep,
    MeetingKind,
    MeetingOutcome,
    Stage,
)
from checklist_app.extensions import db
from checklist_app.formatting import sanitise_markdown
from tests.casework_factories import (
    ON,
    draft_contract,
    family_case,
    held_meeting,
    improved_figure,
)
from tests.factories import UserFactory


@pytest.fixture
def school_name():
    return "Oakfield Primary"


@pytest.fixture
def lead(school):
    return UserFactory(school=school, role="attendance_lead", name="Alex Morgan")




# --- meetings R11, R25–R27 ---------------------------------------------------------------------

def test_r11_contract_meeting_needs_a_week_notice(school, lead):
    """R11: at least one week's notice of a contract meeting, also when the invite is issued."""
    case, (mum,) = family_case(school, lead)
    with pytest.raises(operations.CaseworkError, match="7 days' notice"):
        meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, ON, None, "Room", "", [mum.id],
                                          scheduled_on=ON - timedelta(days=6))
    meeting = meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, ON, None, "Room", "",
                                                [mum.id], scheduled_on=ON - timedelta(days=7))
    late = letter_operations.draft_letter(case, "contract-meeting-invite", mum, meeting,
                                          ON - timedelta(days=6))
    with pytest.raises(operations.CaseworkError, match="6 days' notice"):
        letter_operations.issue_letter(late, None, ON - timedelta(days=6))
    on_time = letter_operations.draft_letter(case, "contract-meeting-invite", mum, meeting,
                                             ON - timedelta(days=7))
    letter_operations.issue_letter(on_time, None, ON - timedelta(days=7))
    assert on_time.status is LetterStatus.ISSUED and case.stage is Stage.INVITED


def test_r12_second_invite_only_after_a_missed_meeting(school, lead):
    """R12: the second invite follows a missed contract meeting."""
    case, (mum,) = family_case(school, lead)
    meeting = meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, ON, None, "Room", "",
                                                [mum.id], scheduled_on=ON - timedelta(days=14))
    letter = letter_operations.draft_letter(case, "contract-meeting-second-invite", mum, meeting,
                                            ON - timedelta(days=10))
    with pytest.raises(operations.CaseworkError, match="none has been recorded as missed"):
        letter_operations.issue_letter(letter, None, ON - timedelta(days=10))


def test_r25_meeting_record_sections_and_attendees_in_full(school, lead):
    """R25: names and roles in full; an action plan with actions for everyone."""
    case, (mum,) = family_case(school, lead)
    meeting = meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, ON, None, "Room", "",
                                                [mum.id], scheduled_on=ON - timedelta(days=14))
    with pytest.raises(operations.CaseworkError, match="full name"):
        meeting_operations.add_attendee(meeting, "Priya", "EH", AttendeeKind.AGENCY)
    meeting_operations.add_attendee(meeting, "Priya Shah", "Early Help practitioner",
                                  AttendeeKind.AGENCY)
    everyone = {a.id for a in meeting.attendees}
    problems = meeting_operations.record_meeting(meeting, MeetingOutcome.HELD, everyone, {}, "",
                                               meeting.version)
    assert set(problems) == {"school-agrees-to", "parents-agree-to", "review-date"}
    assert meeting.outcome is MeetingOutcome.SCHEDULED  # nothing saved
    definition = meeting_operations.record_definition(meeting)
    sections = [s.id for s in definition.sections]
    for wanted in ("siblings", "early-help", "voice-of-child", "attendance", "school-interventions",
                   "present-situation", "key-issues", "plan-aim", "action-plan", "next-review"):
        assert wanted in sections


def test_r26_review_date_two_to_four_weeks_after_the_meeting(school, lead):
    """R26: the meeting's review date is 2–4 weeks later."""
    case, (mum,) = family_case(school, lead)
    meeting = meeting_operations.schedule_meeting(case, MeetingKind.CONTRACT, date(2027, 1, 31), None,
                                                "Room", "", [mum.id], scheduled_on=date(2027, 1, 10))
    everyone = {a.id for a in meeting.attendees}
    base = {"school-agrees-to": {"value": "x"}, "parents-agree-to": {"value": "y"}}
    for bad in ("2027-02-13", "2027-03-01"):
        problems = meeting_operations.record_meeting(meeting, MeetingOutcome.HELD, everyone, {
            **base, "review-date": {"value": bad}}, "", meeting.version)
        assert "2–4 weeks after the meeting" in problems["review-date"]
    for good in ("2027-02-14", "2027-02-28"):
        assert meeting_operations.record_meeting(meeting, MeetingOutcome.HELD, everyone, {
            **base, "review-date": {"value": good}}, "", meeting.version) == {}


def test_r27_review_meeting_target_decision_and_three_weeks(school, lead):
    """R27: target met yes / some / no; decision; a new plan's review no more than 3 weeks later."""
    case, (mum,) = family_case(school, lead)
    meeting = meeting_operations.schedule_meeting(case, MeetingKind.REVIEW, date(2027, 1, 31), None,
                                                "Room", "", [mum.id], scheduled_on=date(2027, 1, 20))
    everyone = {a.id for a in meeting.attendees}
    base = {"school-agrees-to": {"value": "x"}, "parents-agree-to": {"value": "y"}}
    problems = meeting_operations.record_meeting(meeting, MeetingOutcome.HELD, everyone, base, "",
                                               meeting.version)
    assert {"target-met", "decision"} <= set(problems)
    late = {**base, "target-met": {"value": "no"}, "decision": {"value": "new-plan"},
            "review-date": {"value": "2027-02-22"}}
    problems = meeting_operations.record_meeting(meeting, MeetingOutcome.HELD, everyone, late, "",
                                                 meeting.version)
    assert "no more than 3 weeks later" in problems["review-date"]
    escalate = {**base, "target-met": {"value": "no"}, "decision": {"value": "escalate"}}
    assert meeting_operations.record_meeting(meeting, MeetingOutcome.HELD, everyone, escalate, "",
                                           meeting.version) == {}
    options = [o.value for o in meeting_operations.record_definition(meeting).item("target-met")
               .response.options]
    assert options == ["yes", "some-improvement", "no"]


# --- letters R14, R24 ----------------------------------------------------------------------------

def test_r14_outcome_letter_needs_the_signed_contract(school, lead):
    """R14: the outcome letter goes with the completed contract."""
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum])
    contract = draft_contract(meeting, [mum])
    letter = letter_operations.draft_letter(case, "contract-outcome", mum, None, ON)
    with pytest.raises(operations.CaseworkError, match="goes with the signed contract"):
        letter_operations.issue_letter(letter, None, ON)
    for attendee in meeting.attendees:
        contract_operations.sign_contract(contract, attendee.id, ON)
    letter_operations.issue_letter(letter, None, ON)
    assert letter.issued_on == ON


def test_r24_letters_editable_before_issue_and_frozen_after(school, lead):
    """R24: staff may amend a draft; an issued letter never changes."""
    case, (mum,) = family_case(school, lead)
    improved_figure(case)
    letter = letter_operations.draft_letter(case, "attendance-improved", mum, None, ON)
    letter_operations.update_letter(letter, letter.body_markdown + "\nWell done, Zoë!", letter.version)
    assert letter.body_markdown.endswith("Well done, Zoë!")
    letter_operations.issue_letter(letter, lead, ON)
    assert letter.issued_by_name == "Alex Morgan"
    with pytest.raises(operations.Locked):
        letter_operations.update_letter(letter, "changed", letter.version)
    with pytest.raises(operations.Locked):
        letter_operations.issue_letter(letter, lead, ON)
    letter.body_markdown = "tampered"
    with pytest.raises(FrozenRecord):
        db.session.flush()
    db.session.rollback()


def test_every_letter_template_renders_with_the_merge_fields(school, lead):
    """Every step's template renders from letter_context (plain values) without missing fields."""
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum])
    templates = letter_templates()
    assert [t.step for t in templates.values()] == ["1", "2", "4", "5", "6", "7a", "7b", "8", "9",
                                                   "10"]
    context = letter_context(case, mum, meeting, letter_date=date(2027, 1, 31),
                             step=LetterStep.NOTICE_TO_IMPROVE)
    assert context["letter"]["date"] == "31 January 2027"
    assert context["review"]["date"] == "21 February 2027"
    assert context["recipient"]["salutation"] == mum.salutation
    assert all(isinstance(v, str) for v in context["pupil"].values())
    for template in templates.values():
        body = render_letter(template, context)
        assert mum.salutation in body and "{{" not in body


def test_letter_values_cannot_add_markup(school, lead):
    """Merge values are made inert: a name cannot add HTML, links or emphasis, and ordinary values
    (percentages, names with hyphens and ampersands) go in as they read, with no backslash."""
    case, (mum,) = family_case(school, lead)
    mum.first_name = "<script>alert(1)</script> *Bold* [link](http://x)"
    template = letter_templates()["attendance-improved"]
    body = render_letter(template, letter_context(case, mum, None, letter_date=ON))
    html = sanitise_markdown(body)
    assert "<script>" not in html and "<em>" not in html and "<a " not in html
    assert "&lt;script&gt;" in html and "*Bold*" in html
    assert inert_value("- O'Brien & Co") == "- O'Brien & Co"
    assert inert_value("82.5%") == "82.5%" and inert_value("j_smith@example.org") == "j_smith@example.org"


def test_figures_may_not_overlap_and_stage_is_stored(school, lead):
    case, (mum,) = family_case(school, lead)
    operations.add_figure(case, {"period_start": ON, "period_end": ON + timedelta(days=4),
                               "attendance_percent": 80, "unauthorised_sessions": 2}, ON)
    with pytest.raises(operations.CaseworkError, match="overlaps"):
        operations.add_figure(case, {"period_start": ON + timedelta(days=4),
                                   "period_end": ON + timedelta(days=8), "attendance_percent": 80,
                                   "unauthorised_sessions": 1}, ON)
    assert case.stage is Stage.OPENED
    held_meeting(case, [mum], ON + timedelta(days=20))
    assert case.stage is Stage.CONTRACT_MEETING
