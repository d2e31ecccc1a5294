"""Test data and helpers for the reporting tests: a filled-in self-evaluation, PDF text."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from checklist_app.auth.models import Role
from checklist_app.casework.models import AttendeeKind
from checklist_app.extensions import db
from checklist_app.self_evaluation import services
from checklist_app.self_evaluation.models import ActionStatus, CheckpointAnswer
from tests.factories import SchoolFactory, UserFactory
from tests.self_evaluation_factories import make_action, make_evaluation

PROMPTS = ("where_now", "next_steps", "impact")
FUTURE = date(2030, 11, 22)
PAST = date(2020, 1, 5)


def pdf_pages(data: bytes) -> list[str]:
    """The text pypdf extracts from each page of a PDF."""
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined."""
    return "\n".join(pdf_pages(data))


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces (PDF lines wrap anywhere)."""
    return " ".join(text.split())


def evidence_words(prefix: str, count: int) -> str:
    """``count`` numbered words in paragraphs of 60, e.g. "cp1where0001 cp1where0002 ..."."""
    words = [f"{prefix}{n:04d}" for n in range(1, count + 1)]
    return "\n\n".join(" ".join(words[i:i + 60]) for i in range(0, len(words), 60))


def filled_evaluation(school, term: str = "2026-27-autumn", words: int = 40, rating: str = "established",
                      evidence: dict[str, dict[str, str]] | None = None):
    """A self-evaluation with every checkpoint rated and all three prompts answered."""
    evaluation = make_evaluation(school, term)
    evidence = evidence or {}
    for checkpoint in services.checkpoints_of(evaluation):
        item = checkpoint.item
        tag = f"cp{item.number}"
        answers = {p: evidence_words(f"{tag}{p[:4]}", words) for p in PROMPTS}
        answers.update(evidence.get(item.id, {}))
        db.session.add(CheckpointAnswer(school_id=school.id, self_evaluation_id=evaluation.id,
                                        item_id=item.id, rating=rating, answers=answers))
    db.session.commit()
    return evaluation


def people_and_plan(school, evaluation):
    """Staff with accented names and a plan: one overdue, one future, one done action."""
    owner = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Łukasz Nowak")
    overdue = make_action(evaluation, text="Ring every family on the first day of absence",
                          review=PAST, owner=owner)
    future = make_action(evaluation, text="Train Siân's team on the new codes", review=FUTURE,
                         owner_name="Siân Ó Briain")
    done = make_action(evaluation, text="Publish the attendance policy", review=FUTURE,
                       owner_name="Zoë Hart", status=ActionStatus.DONE, closed=date(2026, 10, 1))
    db.session.commit()
    return owner, overdue, future, done


def school_with_leader(name: str = "St Siân's Primary School"):
    """A school and a senior leader."""
    school = SchoolFactory(name=name)
    leader = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Zoë Ó Briain")
    db.session.commit()
    return school, leader

FIRST_ITEM = "sa-01-read-guidance"


def casework_story(school, lead, *, sign_all: bool = False):
    """A case for Zoë Ó Briain: two parents living apart, a held meeting, a contract with one
    agreement done and one not applicable, some signatures, figures, a contact and the checklist."""
    from datetime import datetime

    from checklist_app.casework import contract_operations
    from checklist_app.casework import operations as casework
    from checklist_app.casework.models import AgreementStatus, ContactMethod, Party
    from tests.casework_factories import held_meeting, make_case, make_parent, make_pupil

    school.address = "1 Oak Lane\nOakfield"
    school.phone = "01234 567890"
    pupil = make_pupil(school, first="Zoë", last="Ó Briain")
    mum = make_parent(pupil, first="Siân", last="Ó Briain", relationship_to_pupil="Mother")
    dad = make_parent(pupil, first="Łukasz", last="Kowalski", title="Mr",
                      relationship_to_pupil="Father", address="9 Birch Close\nElmtown",
                      postcode="EL9 9ZZ", lives_with_pupil=False)
    case = make_case(pupil, lead)
    meeting = held_meeting(case, [mum, dad], on=date(2027, 1, 15), staff=lead.name)
    contract = contract_operations.create_contract(meeting, [mum.id, dad.id], 3,
                                                 contract_operations.DurationUnit.MONTHS,
                                                 date(2027, 2, 5))
    agreements = {
        "parent": ("Make sure Zoë is at the gate by 8:40 every morning", "Siân Ó Briain",
                   date(2027, 1, 22)),
        "pupil": ("Tell Mr Patel if something at school is worrying me", "Zoë", None),
        "school": ("Daily check-in with the learning mentor", "Łukasz Nowak", date(2027, 2, 1)),
        "agency": ("Early Help worker to visit fortnightly", "Early Help", None),
    }
    for party, (text, owner, due) in agreements.items():
        contract_operations.add_agreement(contract, Party(party), text, owner, due)
    done = contract_operations.add_agreement(contract, Party.SCHOOL, "Send the uniform grant form",
                                           "Office", date(2027, 1, 20))
    dropped = contract_operations.add_agreement(contract, Party.PARENT, "Walk to school with a neighbour",
                                              "Łukasz Kowalski", None)
    done.status, dropped.status = AgreementStatus.DONE, AgreementStatus.NOT_APPLICABLE
    db.session.commit()
    signers = [a for a in meeting.attendees
               if a.present and a.kind in (AttendeeKind.PARENT, AttendeeKind.STAFF)]
    for attendee in signers if sign_all else signers[:1]:
        contract_operations.sign_contract(contract, attendee.id, date(2027, 1, 15))
    casework.add_figure(case, {"period_start": date(2027, 1, 4), "period_end": date(2027, 1, 29),
                               "attendance_percent": 86.5, "unauthorised_sessions": 3,
                               "notes": "Two days' illness, phoned in."}, date(2027, 1, 29))
    casework.add_contact(case, {"occurred_at": datetime(2027, 1, 8, 9, 30),
                                "method": ContactMethod.PHONE, "with_whom": "Siân Ó Briain",
                                "made": True, "outcome": "Agreed to come to the meeting."},
                         recorded_by=lead.name)
    case.checklist_answers = {
        "planning-01-read-guidance": {"status": "complete", "comments": "Read by Łukasz Nowak."},
        "planning-02-most-suitable-way": {"status": "not-yet", "comments": ""}}
    db.session.commit()
    return {"case": case, "mum": mum, "dad": dad, "meeting": meeting, "contract": contract}
