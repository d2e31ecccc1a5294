"""Generated casework: pupils and parents, cases with meetings, contracts, letters, figures, contacts.

Cases follow three paths of the process (seed 001): a contract signed at the first meeting and
reviewed (and revised) every six weeks; parents who miss both invitations, then a professionals
meeting; and a case just opened with a meeting arranged. The first three cases of a school take one
path each, so even a tiny dataset has every kind of record; case 0 is the busiest (``cycles``
reviews). About 60% of the later cases are closed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from benchmarks import text
from benchmarks.writer import Writer
from checklist_app.casework.models import (
    Agreement,
    AgreementStatus,
    AttendanceFigure,
    Attendee,
    AttendeeKind,
    Case,
    CaseStatus,
    ClosureReason,
    Contact,
    ContactMethod,
    Contract,
    ContractStatus,
    DurationUnit,
    Letter,
    LetterStatus,
    LetterStep,
    Meeting,
    MeetingKind,
    MeetingOutcome,
    Parent,
    Party,
    Pupil,
    Signature,
    Stage,
    contract_parent,
)
from checklist_app.checklist_engine.registry import registry

CHECKLIST_KEY = "attendance-contract-checklist"
DEFINITION_KEYS = (CHECKLIST_KEY, "attendance-meeting", "attendance-review-meeting")
#: The letters the generated cases issue: step -> (template key, title).
LETTERS = {
    LetterStep.INVITE: ("contract-meeting-invite", "Attendance contract meeting – initial invite"),
    LetterStep.SECOND_INVITE: ("contract-meeting-second-invite",
                               "Attendance contract meeting – second invite"),
    LetterStep.OUTCOME: ("contract-outcome", "Attendance contract outcome letter"),
    LetterStep.FAILED_TO_ATTEND: ("failed-to-attend", "Failed to attend attendance contract meeting"),
    LetterStep.IMPROVED: ("attendance-improved", "Attendance improved after attendance contract"),
    LetterStep.REVIEW_INVITE: ("review-meeting-invite", "Attendance contract review meeting invite – "
                               "parent or carer engaging"),
}
PATHS = ("contract", "no-show", "invited")


@dataclass
class Ctx:
    """What every record of one school needs."""

    w: Writer
    rng: random.Random
    school_id: int
    school: str
    snapshots: dict[str, int]
    checklist: list[tuple[str, list[str]]]
    today: date

    def at(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour, 0), tzinfo=UTC)

    def audit(self, case_id: int, record_type: str, record_id: int, action: str, day: date,
              who: str) -> None:
        self.w.audit(self.school_id, ("case", case_id), record_type, record_id, action, who,
                     at=self.at(day, 16), changes={"created": [None, day.isoformat()]})


def _checklist_items() -> list[tuple[str, list[str]]]:
    definition = registry().newest_published(CHECKLIST_KEY)
    return [(i.id, [c.value for c in i.response.choices]) for i in definition.items()]


def add_family(ctx: Ctx, parents: int) -> tuple[int, str, list[tuple[int, str]]]:
    rng, w = ctx.rng, ctx.w
    first, last = text.person(rng)
    sw = rng.random() < 0.1
    pupil = w.add(Pupil, school_id=ctx.school_id, first_name=first, last_name=last,
                  date_of_birth=date(rng.randint(2010, 2019), rng.randint(1, 12), rng.randint(1, 28)),
                  year_group=rng.choice(text.YEAR_GROUPS), upn=f"A{rng.randint(10**11, 10**12 - 1)}",
                  has_social_worker=sw, social_worker_name="Dana Whitlock" if sw else "",
                  social_worker_contact="01234 000111" if sw else "",
                  created_at=datetime(2024, 9, 1, tzinfo=UTC))
    found = []
    for k, (title, relation) in enumerate((("Ms", "Mother"), ("Mr", "Father"))[:parents]):
        name = text.person(rng)[0]
        parent = w.add(Parent, school_id=ctx.school_id, pupil_id=pupil, title=title, first_name=name,
                       last_name=last, address=f"{rng.randint(1, 200)} Elm Road\nBenchmark Town",
                       postcode="BT1 2AB", relationship_to_pupil=relation, lives_with_pupil=k == 0,
                       parental_responsibility=True, phone="07700 900123",
                       email=f"parent{pupil}-{k}@family.example", reasonable_adjustments="")
        found.append((parent, f"{title} {name} {last}"))
    return pupil, f"{first} {last}", found


def add_meeting(ctx: Ctx, case: int, kind: MeetingKind, on: date, outcome: MeetingOutcome,
             parents: list[tuple[int, str]], pupil: str, lead: tuple[int, str]) -> tuple[int, list]:
    """A meeting with its attendees; returns its id and (attendee id, kind, parent id, name, role)."""
    held = outcome is MeetingOutcome.HELD
    key = "attendance-review-meeting" if kind is MeetingKind.REVIEW else "attendance-meeting"
    answers = {k: {"value": v} for k, v in text.RECORD.items()} if held else {}
    if held:
        answers["review-date"] = {"value": (on + timedelta(weeks=3)).isoformat()}
        if kind is MeetingKind.REVIEW:
            answers.update({"target-met": {"value": "some-improvement"},
                            "decision": {"value": "new-plan"}})
    meeting = ctx.w.add(Meeting, school_id=ctx.school_id, case_id=case, kind=kind, meeting_date=on,
                        start_time=time(9, 0), location="Meeting room 2",
                        alternative_offered="By telephone or online", scheduled_on=on - timedelta(14),
                        outcome=outcome, notes="", record_snapshot_id=ctx.snapshots[key],
                        record_answers=answers)
    family = held and kind is not MeetingKind.PROFESSIONALS
    people = [(AttendeeKind.PARENT, pid, name, "Parent or carer", family) for pid, name in parents]
    if family:
        people.append((AttendeeKind.PUPIL, None, pupil, "Pupil", True))
    people.append((AttendeeKind.STAFF, None, lead[1], "Attendance lead (lead professional)", held))
    if held and ctx.rng.random() < 0.5:
        people.append((AttendeeKind.AGENCY, None, "Jordan Reeve", "Early Help practitioner", True))
    attendees = []
    for kind_, parent_id, name, role, present in people:
        attendee = ctx.w.add(Attendee, school_id=ctx.school_id, case_id=case, meeting_id=meeting,
                             name=name, role=role, kind=kind_, parent_id=parent_id,
                             user_id=lead[0] if kind_ is AttendeeKind.STAFF else None, present=present)
        attendees.append((attendee, kind_, parent_id, name, role, present))
    ctx.audit(case, "Meeting", meeting, "create", min(on, ctx.today), lead[1])
    return meeting, attendees


def add_letter(ctx: Ctx, case: int, step: LetterStep, parent: tuple[int, str], pupil: str,
            meeting: int | None, issued: date | None, lead: str) -> int:
    key, title = LETTERS[step]
    letter = ctx.w.add(Letter, school_id=ctx.school_id, case_id=case, step=step, key=key, title=title,
                       recipient_parent_id=parent[0], meeting_id=meeting,
                       body_markdown=text.letter_body(title, parent[1], pupil, ctx.school),
                       status=LetterStatus.ISSUED if issued else LetterStatus.DRAFT,
                       created_at=ctx.at(issued or ctx.today, 9),
                       issued_at=ctx.at(issued, 11) if issued else None, issued_on=issued,
                       issued_by_id=None, issued_by_name=lead if issued else "")
    if issued:
        ctx.audit(case, "Letter", letter, "issue", issued, lead)
    return letter


def add_contract(ctx: Ctx, case: int, meeting: tuple[int, list], on: date, revision: int,
              previous: int | None, agreements: list[list[Any]] | None) -> tuple[int, list[list[Any]]]:
    """A signed contract made at ``meeting`` (agreements carried from the previous revision)."""
    w, (meeting_id, attendees) = ctx.w, meeting
    contract = w.add(Contract, school_id=ctx.school_id, case_id=case, meeting_id=meeting_id,
                     revision=revision, previous_id=previous, status=ContractStatus.SIGNED,
                     duration_value=3, duration_unit=DurationUnit.MONTHS,
                     review_date=on + timedelta(weeks=6), signed_on=on, ended_on=None, end_reason="",
                     end_rationale="", end_letter_id=None, created_at=ctx.at(on))
    for _attendee, kind, parent_id, _name, _role, present in attendees:
        if kind is AttendeeKind.PARENT and present:
            w.add(contract_parent, contract_id=contract, parent_id=parent_id)
    if agreements is None:
        agreements = [[party, wording, AgreementStatus.OPEN] for party in Party
                      for wording in text.AGREEMENTS[party.value]]
    for row in agreements:
        if row[2] is AgreementStatus.OPEN and ctx.rng.random() < 0.3:
            row[2] = ctx.rng.choice((AgreementStatus.DONE, AgreementStatus.NOT_APPLICABLE))
        w.add(Agreement, school_id=ctx.school_id, case_id=case, contract_id=contract, party=row[0],
              text=row[1], owner="", due_on=on + timedelta(weeks=6), status=row[2])
    for attendee_id, kind, parent_id, name, role, present in attendees:
        if present and kind in (AttendeeKind.PARENT, AttendeeKind.STAFF):
            w.add(Signature, school_id=ctx.school_id, case_id=case, contract_id=contract,
                  attendee_id=attendee_id, signer_name=name, role=role, parent_id=parent_id,
                  user_id=None, on_behalf_of_board=kind is AttendeeKind.STAFF, signed_on=on)
    ctx.audit(case, "Contract", contract, "sign", on, "Attendance lead")
    return contract, agreements


def add_figures_and_contacts(ctx: Ctx, case: int, opened: date, end: date, baseline: float,
                          contacts: int, parent: tuple[int, str], lead: str) -> None:
    rng, start, k = ctx.rng, opened, 0
    while start + timedelta(days=27) < end:
        k += 1
        percent = max(0.0, min(100.0, baseline + 1.6 * k + rng.uniform(-3, 3)))
        figure = ctx.w.add(AttendanceFigure, school_id=ctx.school_id, case_id=case,
                           recorded_on=start + timedelta(days=28), period_start=start,
                           period_end=start + timedelta(days=27), attendance_percent=round(percent, 1),
                           unauthorised_sessions=rng.randint(0, 7), notes="")
        ctx.audit(case, "AttendanceFigure", figure, "create", start + timedelta(days=28), lead)
        start += timedelta(days=28)
    span = max(1, (end - opened).days)
    for _ in range(contacts):
        made = rng.random() < 0.7
        when = opened + timedelta(days=rng.randint(0, span))
        contact = ctx.w.add(Contact, school_id=ctx.school_id, case_id=case, occurred_at=ctx.at(when, 9),
                            method=rng.choice(list(ContactMethod)), with_whom=parent[1],
                            parent_id=parent[0], with_social_worker=False, made=made,
                            outcome=rng.choice(text.CONTACT_OUTCOMES), recorded_by=lead)
        ctx.audit(case, "Contact", contact, "create", when, lead)


def _checklist_answers(ctx: Ctx, share: float) -> dict[str, Any]:
    answers = {}
    for item_id, choices in ctx.checklist:
        if ctx.rng.random() < share and choices:
            answers[item_id] = {"status": choices[0] if ctx.rng.random() < 0.8 else choices[-1],
                                "comments": "Discussed with the family at the meeting."}
    return answers


def write(w: Writer, rng: random.Random, school_id: int, school: str, staff: Any,
          snapshots: dict[str, int], cases: int, busy_cycles: int, today: date) -> dict[str, int]:
    """Queue ``cases`` cases for a school; the ids of case 0 (the busiest) for the pages."""
    ctx = Ctx(w, rng, school_id, school, snapshots, _checklist_items(), today)
    ids: dict[str, int] = {}
    for i in range(cases):
        path = PATHS[i] if i < len(PATHS) else rng.choices(PATHS, weights=(5, 2, 3))[0]
        closed = i >= len(PATHS) and rng.random() < 0.6
        cycles = busy_cycles if i == 0 else rng.randint(0, 2)
        found = _case(ctx, path, closed, cycles, rng.choice(staff.leads), parents=2 if i == 0 else
                      rng.choice((1, 1, 2)))
        if i == 0:
            ids = found
    return ids


def _case(ctx: Ctx, path: str, closed: bool, cycles: int, lead: tuple[int, str],
          parents: int) -> dict[str, int]:
    from benchmarks.casework_paths import PATH_WRITERS

    return PATH_WRITERS[path](ctx, closed, cycles, lead, parents)


def case_row(ctx: Ctx, pupil: int, lead: tuple[int, str], opened: date, stage: Stage,
             closed_on: date | None, reason: ClosureReason | None, share: float) -> tuple[int, float]:
    """The case itself (closed with a reason and rationale when ``closed_on`` is given), baseline."""
    baseline = round(ctx.rng.uniform(45, 88), 1)
    case = ctx.w.add(Case, school_id=ctx.school_id, pupil_id=pupil, lead_user_id=lead[0],
                     chair_name="Mrs Helen Carter", baseline_attendance=baseline,
                     reason_for_concern=ctx.rng.choice(text.CONCERNS), opened_on=opened,
                     status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
                     stage=Stage.CLOSED if closed_on else stage, closed_on=closed_on,
                     closure_reason=reason, closure_rationale=reason.label + ": agreed with the family."
                     if reason else "", checklist_snapshot_id=ctx.snapshots[CHECKLIST_KEY],
                     checklist_answers=_checklist_answers(ctx, share), created_at=ctx.at(opened, 9))
    ctx.audit(case, "Case", case, "create", opened, lead[1])
    return case, baseline
