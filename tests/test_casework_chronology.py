"""The chronology builder: what happened in the school's words, stage changes, "recorded later"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from types import SimpleNamespace as NS

from checklist_app.casework.enums import (
    AttendeeKind,
    ClosureReason,
    ContactMethod,
    ContractStatus,
    LetterStatus,
    LetterStep,
    MeetingKind,
    MeetingOutcome,
)
from checklist_app.casework.process.chronology import chronology
from checklist_app.casework.process.facts import (
    CaseFacts,
    ContractFact,
    FigureFact,
    LetterFact,
    MeetingFact,
)

OPENED = date(2026, 11, 2)
HELD = date(2026, 12, 7)


def a_case():
    mum = NS(id=1, salutation="Ms Amira Khan")
    attendees = [NS(name="Ms Amira Khan", role="Mother", kind=AttendeeKind.PARENT, present=True),
                 NS(name="Mr Ben Khan", role="Father", kind=AttendeeKind.PARENT, present=False),
                 NS(name="Sam Lead", role="Attendance lead", kind=AttendeeKind.STAFF, present=True)]
    meeting = NS(kind=MeetingKind.CONTRACT, meeting_date=HELD, start_time=time(9, 30),
                 outcome=MeetingOutcome.HELD, attendees=attendees, scheduled_on=date(2026, 11, 20))
    late = NS(kind=MeetingKind.REVIEW, meeting_date=date(2027, 1, 11), start_time=None,
              outcome=MeetingOutcome.HELD, attendees=[], scheduled_on=date(2027, 2, 1))
    invite = NS(step=LetterStep.INVITE, title="Contract meeting – initial invite",
                status=LetterStatus.ISSUED, issued_on=date(2026, 11, 20), recipient_parent_id=1,
                issued_at=datetime(2026, 11, 20, 10, tzinfo=UTC))
    draft = NS(step=LetterStep.IMPROVED, title="Improved", status=LetterStatus.DRAFT,
               issued_on=None, recipient_parent_id=1, issued_at=None)
    contact = NS(occurred_at=datetime(2026, 12, 8, 14, 5), method=ContactMethod.PHONE, made=True,
                 with_whom="Ms Amira Khan", with_social_worker=False, outcome="Agreed the plan ")
    figure = NS(recorded_on=date(2026, 12, 18), period_start=date(2026, 12, 1),
                period_end=date(2026, 12, 18), attendance_percent=82.5, unauthorised_sessions=3)
    signature = NS(signer_name="Ms Amira Khan", role="Mother", signed_on=HELD)
    contract = NS(revision=1, meeting=meeting, signatures=[signature], status=ContractStatus.ENDED,
                  ended_on=date(2027, 2, 1), end_rationale="Attendance improved")
    case = NS(opened_on=OPENED, reason_for_concern="Attendance 80%", pupil=NS(parents=[mum]),
              meetings=[meeting, late], letters=[invite, draft], contacts=[contact],
              figures=[figure], contracts=[contract], closed_on=date(2027, 2, 1),
              closure_reason=ClosureReason.ATTENDANCE_IMPROVED, closure_rationale="Now 95%.")
    facts = CaseFacts(
        OPENED, 80.0,
        meetings=(MeetingFact(1, MeetingKind.CONTRACT, HELD, MeetingOutcome.HELD, True),),
        letters=(LetterFact(LetterStep.INVITE, date(2026, 11, 20), 1, 1),),
        contracts=(ContractFact(1, ContractStatus.ENDED, HELD, signed_on=HELD,
                                ended_on=date(2027, 2, 1)),),
        figures=(FigureFact(date(2026, 12, 1), date(2026, 12, 18), 82.5, 3, date(2026, 12, 18)),))
    return case, facts


def test_the_chronology_reads_as_what_happened_oldest_first():
    case, facts = a_case()
    rows = chronology(case, facts)
    texts = [r.text for r in rows]
    assert texts[0] == "Case opened: Attendance 80%"
    assert "Letter 1 sent to Ms Amira Khan: Contract meeting – initial invite." in texts
    assert ("Attendance contract meeting held with Ms Amira Khan (Mother), Sam Lead (Attendance "
            "lead); not there: Mr Ben Khan (Father).") in texts
    contact = next(r for r in rows if r.kind == "Contact")
    assert contact.when == "8 December 2026 at 14:05"
    assert contact.text == "Telephone with Ms Amira Khan: Agreed the plan."
    assert ("Attendance 82.5% from 1 December 2026 to 18 December 2026, 3 unauthorised "
            "sessions.") in texts
    assert "Contract (revision 1) signed by Ms Amira Khan (Mother)." in texts
    assert texts[-1] == "Case closed: Attendance improved. Now 95%."
    assert not any("create" in t or "attendee" in t or t == "Improved" for t in texts)
    assert [r.on for r in rows] == sorted(r.on for r in rows)


def test_stage_changes_are_replayed_and_late_records_marked():
    case, facts = a_case()
    rows = chronology(case, facts)
    stages = [(r.on, r.text) for r in rows if r.kind == "Stage"]
    assert stages[0] == (date(2026, 11, 20), "Stage now: Invited to a contract meeting.")
    assert (HELD, "Stage now: Contract in place: monitoring.") in stages
    late = [r for r in rows if r.recorded_later]
    assert [r.text for r in late] == ["Review meeting held."]
    assert late[0].recorded_on == date(2027, 2, 1)
