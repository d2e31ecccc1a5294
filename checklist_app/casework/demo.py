"""Demo casework for ``checklist-app quickstart``: five cases at different stages. Idempotent: the
demo pupils are recognised by their UPNs, and only the demo school is touched."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.casework import contract_operations as contracts
from checklist_app.casework import letter_operations as letters
from checklist_app.casework import meeting_operations as meetings
from checklist_app.casework import operations
from checklist_app.casework.models import (
    AttendeeKind,
    ClosureReason,
    ContactMethod,
    DurationUnit,
    LetterStep,
    MeetingKind,
    MeetingOutcome,
    Party,
    Pupil,
)
from checklist_app.extensions import db

DEMO_UPN_PREFIX = "D9990010000"


def _lead(school: School) -> User | None:
    return db.session.scalar(select(User).join(Membership).where(
        Membership.school_id == school.id, Membership.role != Role.GOVERNOR).order_by(User.id))


def _pupil(school: School, n: int, first: str, last: str, born: date, year: str, **extra: Any) -> Pupil:
    pupil = Pupil(school_id=school.id, first_name=first, last_name=last, date_of_birth=born,
                  year_group=year, upn=f"{DEMO_UPN_PREFIX}{n}", **extra)
    db.session.add(pupil)
    db.session.flush()
    return pupil


def _parent(pupil: Pupil, title: str, first: str, last: str, relation: str, address: str,
            postcode: str, **extra: Any):
    return operations.add_parent(pupil, {"title": title, "first_name": first, "last_name": last,
                                       "relationship_to_pupil": relation, "address": address,
                                       "postcode": postcode, **extra})


def _record(meeting: Any, present: set[int], parents: bool = True) -> None:
    answers = {
        "childs-view": {"value": "Finds mornings hard; likes art and PE."},
        "reasons-for-absence": {"value": "Illness and anxiety about school on Monday mornings."},
        "school-agrees-to": {"value": "Morning check-in with the pastoral lead; a peer mentor."},
        "parents-agree-to": {"value": "Call the school by 8:30 on any day of absence."
                             if parents else ""},
        "action-plan-aim": {"value": "No further unauthorised absence."},
        "review-date": {"value": (meeting.meeting_date + timedelta(weeks=3)).isoformat()},
    }
    if meeting.kind is MeetingKind.REVIEW:
        answers.update({"target-met": {"value": "some-improvement"}, "decision": {"value": "new-plan"},
                        "what-has-worked": {"value": "Morning check-ins."},
                        "what-has-not-worked": {"value": "Monday mornings are still hard."}})
    outcome = MeetingOutcome.HELD if parents or meeting.kind is MeetingKind.PROFESSIONALS \
        else MeetingOutcome.NOT_ATTENDED
    problems = meetings.record_meeting(meeting, outcome, present, answers if outcome is
                                       MeetingOutcome.HELD else {}, "", meeting.version)
    assert not problems, problems


def _contract_at(case: Any, meeting: Any, parent_ids: list[int], day: date, months: int = 3):
    contract = contracts.create_contract(meeting, parent_ids, months, DurationUnit.MONTHS,
                                         day + timedelta(weeks=6))
    contracts.add_agreement(contract, Party.PARENT, "Make sure the pupil is up and ready by 8am.",
                            "Parent or carer", day + timedelta(weeks=2))
    contracts.add_agreement(contract, Party.PUPIL, "Come to the morning check-in every day.",
                            case.pupil.first_name, None)
    contracts.add_agreement(contract, Party.SCHOOL, "Daily morning check-in with the pastoral lead.",
                            "Pastoral lead", None)
    contracts.add_agreement(contract, Party.AGENCY, "Early Help family support worker visits weekly.",
                            "Early Help", day + timedelta(weeks=4))
    for attendee in meeting.attendees:
        if attendee.present and (attendee.kind is AttendeeKind.STAFF or attendee.parent_id in parent_ids):
            contracts.sign_contract(contract, attendee.id, day)
    return contract


def _letter(case: Any, key: str, parent: Any, meeting: Any, on: date, user: Any) -> None:
    letter = letters.draft_letter(case, key, parent, meeting, on)
    letters.issue_letter(letter, user, on)


def _figures(case: Any, start: date, values: list[tuple[float, int]]) -> None:
    for week, (percent, sessions) in enumerate(values):
        begin = start + timedelta(weeks=2 * week)
        operations.add_figure(case, {"period_start": begin, "period_end": begin + timedelta(days=11),
                                   "attendance_percent": percent, "unauthorised_sessions": sessions,
                                   "recorded_on": begin + timedelta(days=12)},
                              begin + timedelta(days=12))


def _contact(case: Any, on: date, method: ContactMethod, who: str, made: bool, outcome: str,
             social_worker: bool = False) -> None:
    operations.add_contact(case, {"occurred_at": datetime.combine(on, time(9, 30)), "method": method,
                                "with_whom": who, "made": made, "outcome": outcome,
                                "with_social_worker": social_worker}, "Demo data")


def _open(pupil: Pupil, lead: User | None, baseline: float, reason: str, opened: date):
    return operations.open_case(pupil, {"lead_user_id": lead.id if lead else None,
                                      "chair_name": "Mrs Helen Carter, Deputy Headteacher",
                                      "baseline_attendance": baseline, "reason_for_concern": reason,
                                      "opened_on": opened}, opened)


def _meeting(case: Any, kind: MeetingKind, on: date, parents: list[Any], lead: User | None):
    return meetings.schedule_meeting(case, kind, on, time(9, 15), "Meeting room 2",
                                     "By telephone or video call", [p.id for p in parents],
                                     scheduled_on=on - timedelta(days=10),
                                     lead_name=lead.name if lead else "Helen Carter",
                                     lead_user_id=lead.id if lead else None)


def _present(meeting: Any, parents: bool = True) -> set[int]:
    return {a.id for a in meeting.attendees if parents or a.kind is not AttendeeKind.PARENT}


def load_demo(school: School, today: date, report: Callable[[str], None]) -> None:
    """Add the demo cases once, dated back from ``today`` (never duplicates; touches only
    ``school``). The caller commits."""
    if db.session.scalar(select(Pupil.id).where(Pupil.school_id == school.id,
                                                Pupil.upn.like(f"{DEMO_UPN_PREFIX}%"))):
        report("Casework demo already loaded.")
        return
    lead = _lead(school)
    _separated_parents(school, lead, today)
    _did_not_attend(school, lead, today)
    _improved_and_closed(school, lead, today)
    _notice_to_improve(school, lead, today)
    _newly_opened(school, lead, today)
    report("Casework demo: 5 cases loaded.")


def _separated_parents(school: School, lead: User | None, today: date) -> None:
    pupil = _pupil(school, 1, "Zoë", "Adeyemi", date(2013, 3, 31), "Year 8")
    mum = _parent(pupil, "Ms", "Funmi", "Adeyemi", "Mother", "14 Elm Road\nOakfield", "OK1 2AB",
                  phone="07700 900101", email="funmi@example.org")
    dad = _parent(pupil, "Mr", "Daniel", "Adeyemi", "Father", "3 Harbour View\nSeaton", "SE4 9ZZ",
                  lives_with_pupil=False, phone="07700 900102")
    start = today - timedelta(weeks=9)
    case = _open(pupil, lead, 78.5, "Persistent absence, mostly Mondays; parents separated.", start)
    for parent, offset in ((mum, 2), (dad, 3)):
        meeting = _meeting(case, MeetingKind.CONTRACT, start + timedelta(weeks=offset), [parent], lead)
        _letter(case, "contract-meeting-invite", parent, meeting, meeting.scheduled_on, lead)
        _record(meeting, _present(meeting))
        _contract_at(case, meeting, [parent.id], meeting.meeting_date)
        _letter(case, "contract-outcome", parent, None, meeting.meeting_date, lead)
    _figures(case, start + timedelta(weeks=3), [(82.0, 2), (86.5, 1), (88.0, 0)])
    _contact(case, start + timedelta(weeks=1), ContactMethod.PHONE, "Daniel Adeyemi (father)", True,
             "Explained the contract process; happy to meet separately.")


def _did_not_attend(school: School, lead: User | None, today: date) -> None:
    pupil = _pupil(school, 2, "Łukasz", "Nowak", date(2016, 1, 31), "Year 5")
    mum = _parent(pupil, "Mrs", "Agnieszka", "Nowak", "Mother", "Flat 7, Birch Court\nOakfield",
                  "OK3 4CD", reasonable_adjustments="Polish interpreter for meetings and letters.")
    start = today - timedelta(weeks=6)
    case = _open(pupil, lead, 71.0, "Attendance falling since September; no response to calls.", start)
    first = _meeting(case, MeetingKind.CONTRACT, start + timedelta(weeks=2), [mum], lead)
    _letter(case, "contract-meeting-invite", mum, first, first.scheduled_on, lead)
    _record(first, _present(first, parents=False), parents=False)
    _contact(case, first.meeting_date, ContactMethod.PHONE, "Agnieszka Nowak (mother)", False,
             "No answer; voicemail left with the interpreter line number.")
    second = _meeting(case, MeetingKind.CONTRACT, start + timedelta(weeks=4), [mum], lead)
    _letter(case, "contract-meeting-second-invite", mum, second, second.scheduled_on, lead)
    _record(second, _present(second, parents=False), parents=False)
    _contact(case, second.meeting_date, ContactMethod.PHONE, "Agnieszka Nowak (mother)", False,
             "No answer.")
    professionals = _meeting(case, MeetingKind.PROFESSIONALS, start + timedelta(weeks=5), [], lead)
    meetings.add_attendee(professionals, "Priya Shah", "Early Help practitioner", AttendeeKind.AGENCY)
    _record(professionals, _present(professionals), parents=False)
    _letter(case, "failed-to-attend", mum, None, start + timedelta(weeks=5), lead)
    _figures(case, start, [(68.0, 4), (65.5, 3)])


def _improved_and_closed(school: School, lead: User | None, today: date) -> None:
    pupil = _pupil(school, 3, "Siân", "Griffiths", date(2012, 8, 31), "Year 9")
    dad = _parent(pupil, "Mr", "Rhys", "Griffiths", "Father", "22 Castle Street\nOakfield", "OK5 6EF")
    start = today - timedelta(weeks=16)
    case = _open(pupil, lead, 80.0, "Frequent late arrival and absence after a bereavement.", start)
    meeting = _meeting(case, MeetingKind.CONTRACT, start + timedelta(weeks=2), [dad], lead)
    _letter(case, "contract-meeting-invite", dad, meeting, meeting.scheduled_on, lead)
    _record(meeting, _present(meeting))
    _contract_at(case, meeting, [dad.id], meeting.meeting_date)
    _letter(case, "contract-outcome", dad, None, meeting.meeting_date, lead)
    _figures(case, start + timedelta(weeks=2), [(83.0, 1), (87.0, 0), (93.5, 0)])
    closed = start + timedelta(weeks=12)
    _letter(case, "attendance-improved", dad, None, closed, lead)
    improved = next(x for x in case.letters if x.step is LetterStep.IMPROVED)
    operations.close_case(case, ClosureReason.ATTENDANCE_IMPROVED, "Attendance has risen from 80% to "
                        "93.5%; the support continues without a contract.", closed, [improved.id])


def _notice_to_improve(school: School, lead: User | None, today: date) -> None:
    pupil = _pupil(school, 4, "Cian", "Ó Briain", date(2011, 11, 30), "Year 10",
                   has_social_worker=True, social_worker_name="Grace Mensah",
                   social_worker_contact="01234 500600")
    mum = _parent(pupil, "Ms", "Niamh", "Ó Briain", "Mother", "5 Mill Lane\nOakfield", "OK7 8GH")
    start = today - timedelta(weeks=14)
    case = _open(pupil, lead, 62.0, "Severe drop in attendance; unauthorised holidays.", start)
    meeting = _meeting(case, MeetingKind.CONTRACT, start + timedelta(weeks=2), [mum], lead)
    _letter(case, "contract-meeting-invite", mum, meeting, meeting.scheduled_on, lead)
    _record(meeting, _present(meeting))
    _contract_at(case, meeting, [mum.id], meeting.meeting_date)
    _letter(case, "contract-outcome", mum, None, meeting.meeting_date, lead)
    _figures(case, start + timedelta(weeks=2), [(58.0, 5), (52.0, 6), (47.5, 4)])
    _contact(case, start + timedelta(weeks=7), ContactMethod.EMAIL, "Grace Mensah (social worker)",
             True, "Told of the unauthorised absence this fortnight.", social_worker=True)
    _letter(case, "termination-warning", mum, None, start + timedelta(weeks=8), lead)
    _letter(case, "notice-to-improve", mum, None, start + timedelta(weeks=11), lead)


def _newly_opened(school: School, lead: User | None, today: date) -> None:
    pupil = _pupil(school, 5, "Amira", "Khan", date(2019, 1, 31), "Year 3")
    _parent(pupil, "Ms", "Sadia", "Khan", "Mother", "9 Rowan Close\nOakfield", "OK9 1JK",
            email="sadia.khan@example.org")
    _parent(pupil, "Mr", "Imran", "Khan", "Father", "9 Rowan Close\nOakfield", "OK9 1JK")
    _open(pupil, lead, 84.0, "Attendance below 90% this term; frequent short illnesses.",
          today - timedelta(days=3))
