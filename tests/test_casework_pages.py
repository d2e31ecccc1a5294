"""Casework page flows: pupils and parents, cases, checklist, meetings, contracts, letters,
figures, contacts, closing, and edit conflicts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from checklist_app.casework.models import (
    AttendeeKind,
    Case,
    Contract,
    ContractStatus,
    Letter,
    LetterStatus,
    Meeting,
    Parent,
    Pupil,
    Stage,
)
from checklist_app.extensions import db
from tests.casework_factories import family_case, held_meeting, signed_contract
from tests.factories import UserFactory, login

TODAY = date.today()


def iso(value: date) -> str:
    return value.isoformat()


@pytest.fixture
def school_name():
    return "Oakfield Primary"


@pytest.fixture
def lead(school):
    return UserFactory(school=school, role="attendance_lead", name="Alex Morgan")


@pytest.fixture
def staff_client(client, lead):
    db.session.commit()
    login(client, lead)
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def test_pupil_with_several_parents_and_opening_a_case(staff_client, school, lead):
    response = staff_client.post("/cases/pupils/new", data={
        "first_name": "Łukasz", "last_name": "Nowak", "date_of_birth": "2016-01-31",
        "year_group": "Year 5", "upn": "", "has_social_worker": "y",
        "social_worker_name": "Grace Mensah"})
    assert response.status_code == 302
    pupil = db.session.scalar(db.select(Pupil))
    assert pupil.school_id == school.id and pupil.has_social_worker
    for first, lives in (("Agnieszka", "y"), ("Piotr", None)):
        data = {"title": "Mrs" if lives else "Mr", "first_name": first, "last_name": "Nowak",
                "relationship_to_pupil": "Mother" if lives else "Father",
                "address": "7 Birch Court\nOakfield", "postcode": "OK3 4CD",
                "parental_responsibility": "y", "reasonable_adjustments": "Polish interpreter"}
        if lives:
            data["lives_with_pupil"] = lives
        assert staff_client.post(f"/cases/pupils/{pupil.id}/parents/new", data=data).status_code == 302
    parents = db.session.scalars(db.select(Parent).order_by(Parent.id)).all()
    assert [p.lives_with_pupil for p in parents] == [True, False]
    page = text(staff_client.get(f"/cases/pupils/{pupil.id}"))
    assert "Mrs Agnieszka Nowak" in page and "Mr Piotr Nowak" in page and "Polish interpreter" in page
    bad = staff_client.post(f"/cases/pupils/{pupil.id}/open", data={"lead_user_id": lead.id})
    assert bad.status_code == 400 and "There is a problem" in text(bad)
    response = staff_client.post(f"/cases/pupils/{pupil.id}/open", data={
        "lead_user_id": lead.id, "chair_name": "Mrs Helen Carter", "baseline_attendance": "71.5",
        "reason_for_concern": "Falling attendance", "opened_on": iso(TODAY)})
    assert response.status_code == 302
    page = text(staff_client.get(response.headers["Location"]))
    assert "Opened: contract meeting to arrange" in page
    assert "Arrange a contract meeting and send the invite (letter 1)" in page
    assert "71.5%" in page and "Grace Mensah" in page


def test_r5_contract_checklist_page_and_completion(staff_client, school, lead):
    """R5: planning / delivery / review checkpoints with comments; completion per stage."""
    case, _ = family_case(school, lead)
    page = staff_client.get(f"/cases/{case.id}/checklist")
    body = text(page)
    assert "Planning stage" in body and "Delivery stage" in body and "Review stage" in body
    assert "Not applicable" in body and "Complete" in body
    response = staff_client.post(f"/cases/{case.id}/checklist", data={
        "version": case.version, "planning_01_read_guidance__status": "complete",
        "planning_01_read_guidance__comments": "Read WTTISA 139–151",
        "delivery_01_explain_contract__status": "na"})
    assert response.status_code == 302
    assert case.checklist_answers["planning-01-read-guidance"]["comments"] == "Read WTTISA 139–151"
    page = text(staff_client.get(f"/cases/{case.id}"))
    assert "1 of 11" in page and "1 of 9" in page
    assert "7%" in text(staff_client.get("/cases/"))  # 2 of 28 checkpoints


def test_meeting_contract_signatures_and_letters_flow(staff_client, school, lead):
    case, (mum,) = family_case(school, lead)
    too_soon = staff_client.post(f"/cases/{case.id}/meetings/new", data={
        "kind": "contract", "meeting_date": iso(TODAY + timedelta(days=3)), "location": "Room 2",
        "parent_ids": [mum.id]})
    assert too_soon.status_code == 400 and "notice of a contract meeting" in text(too_soon)
    response = staff_client.post(f"/cases/{case.id}/meetings/new", data={
        "kind": "contract", "meeting_date": iso(TODAY + timedelta(days=8)), "start_time": "09:15",
        "location": "Room 2", "alternative_offered": "By telephone", "parent_ids": [mum.id]})
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting))
    added = staff_client.post(f"/cases/{case.id}/meetings/{meeting.id}/attendees", data={
        "name": "Priya Shah", "role": "Early Help practitioner", "kind": "agency"})
    assert added.status_code == 302
    page = text(staff_client.get(f"/cases/{case.id}/meetings/{meeting.id}"))
    assert "Priya Shah" in page and "Early Help practitioner" in page

    # The invite (letter 1), drafted, amended (R24) and issued.
    response = staff_client.post(f"/cases/{case.id}/letters/new", data={
        "key": "contract-meeting-invite", "parent_id": mum.id, "meeting_id": meeting.id,
        "letter_date": iso(TODAY)})
    letter = db.session.scalar(db.select(Letter))
    assert response.status_code == 302 and "Time:** 09:15" in letter.body_markdown
    page = text(staff_client.get(f"/cases/{case.id}/letters/{letter.id}"))
    assert "Notes for school" in page and "Preview" in page
    staff_client.post(f"/cases/{case.id}/letters/{letter.id}", data={
        "body": letter.body_markdown + "\n\nWe can arrange a Polish interpreter.",
        "version": letter.version})
    assert staff_client.post(f"/cases/{case.id}/letters/{letter.id}/issue").status_code == 302
    assert letter.status is LetterStatus.ISSUED and "Polish interpreter" in letter.body_markdown
    refused = staff_client.post(f"/cases/{case.id}/letters/{letter.id}", data={
        "body": "changed", "version": letter.version})
    assert refused.status_code == 409 and "can no longer be changed" in text(refused)
    assert letter.body_markdown != "changed"

    # The meeting is recorded with the parent present (R25) and the contract made and signed.
    present = {f"present_{a.id}": "y" for a in meeting.attendees}
    record = {"outcome": "held", "version": meeting.version, **present,
              "school_agrees_to": "Daily check-in", "parents_agree_to": "Phone by 8:30",
              "review_date": iso(meeting.meeting_date + timedelta(days=10))}
    bad = staff_client.post(f"/cases/{case.id}/meetings/{meeting.id}/record", data=record)
    assert bad.status_code == 400 and "weeks after the meeting" in text(bad)
    record["review_date"] = iso(meeting.meeting_date + timedelta(weeks=3))
    assert staff_client.post(f"/cases/{case.id}/meetings/{meeting.id}/record",
                             data=record).status_code == 302
    response = staff_client.post(f"/cases/{case.id}/meetings/{meeting.id}/contract", data={
        "parent_ids": [mum.id], "duration_value": "3", "duration_unit": "months",
        "review_date": iso(meeting.meeting_date + timedelta(weeks=6))})
    assert response.status_code == 302
    contract = db.session.scalar(db.select(Contract))
    url = f"/cases/{case.id}/contracts/{contract.id}"
    for party, words in (("parent", "Up by 7:30"), ("school", "Morning check-in")):
        staff_client.post(f"{url}/agreements", data={"party": party, "text": words, "owner": "X"})
    agreement = contract.agreements[0]
    staff_client.post(f"/cases/{case.id}/agreements/{agreement.id}/edit", data={
        "party": "parent", "text": "Up by 7:30", "status": "done", "version": agreement.version})
    page = text(staff_client.get(url))
    assert '<del>Up by 7:30</del>' in page and "Complete" in page  # R9: struck through
    early = staff_client.post(f"{url}/sign", data={"attendee_id": meeting.attendees[0].id,
                                                   "signed_on": iso(meeting.meeting_date)})
    assert early.status_code == 400 and "after today" in text(early)  # the meeting is ahead
    with time_machine.travel(datetime.combine(meeting.meeting_date, time(16), tzinfo=UTC),
                             tick=False):  # signed at the meeting, on its day
        login(staff_client, lead)  # a session is not carried back in time
        for attendee in meeting.attendees:
            if attendee.kind in (AttendeeKind.PARENT, AttendeeKind.STAFF):
                signed = staff_client.post(f"{url}/sign", data={
                    "attendee_id": attendee.id, "signed_on": iso(meeting.meeting_date)})
                assert signed.status_code == 302 and "/login" not in signed.location
    login(staff_client, lead)  # the session from the meeting's day is not carried back
    assert contract.status is ContractStatus.SIGNED
    refused = staff_client.post(f"{url}/agreements", data={"party": "school", "text": "Late"})
    assert refused.status_code == 409 and "locked" in text(refused)
    page = text(staff_client.get(f"/cases/{case.id}"))
    assert "Contract in place: monitoring" in page
    assert "Give the contract outcome letter (letter 4)" in page


def test_figures_contacts_flags_and_chronology(staff_client, school, lead):
    case, (mum,) = family_case(school, lead, baseline=80.0)
    case.pupil.has_social_worker = True
    db.session.commit()
    assert staff_client.post(f"/cases/{case.id}/figures/new", data={
        "period_start": iso(TODAY - timedelta(days=13)), "period_end": iso(TODAY - timedelta(days=2)),
        "attendance_percent": "87.0", "unauthorised_sessions": "2",
        "recorded_on": iso(TODAY)}).status_code == 302
    page = text(staff_client.get(f"/cases/{case.id}"))
    assert "Improved against the start: 80.0% at the start, 87.0% now (+7.0 points)" in page
    assert "Persistent absence: attendance 87.0%" in page
    assert "tell them and record the contact" in page  # R23
    response = staff_client.post(f"/cases/{case.id}/contacts/new", data={
        "occurred_on": iso(TODAY), "occurred_time": "10:30", "method": "email",
        "with_whom": "Grace Mensah (social worker)", "with_social_worker": "y", "made": "made",
        "outcome": "Told of two unauthorised sessions."})
    assert response.status_code == 302
    page = text(staff_client.get(f"/cases/{case.id}"))
    assert "tell them and record the contact" not in page
    chronology = page.split("Chronology", 1)[1]
    assert "Told of two unauthorised sessions." in chronology
    assert "Attendance 87.0% from" in chronology and "at 10:30" in chronology
    assert "create contact" not in chronology.split("Change log")[0]  # no audit noise
    change_log = page.split("Change log", 1)[1]  # the change log is apart, in words
    assert "Recorded a contact by e-mail with Grace Mensah (social worker)" in change_log
    assert "Create Contact" not in change_log


def test_close_case_with_reason(staff_client, school, lead):
    case, _ = family_case(school, lead, opened_on=TODAY)  # a case cannot close before it opened
    bad = staff_client.post(f"/cases/{case.id}/close", data={"reason": "changed-school",
                                                             "closed_on": iso(TODAY)})
    assert bad.status_code == 400
    response = staff_client.post(f"/cases/{case.id}/close", data={
        "reason": "elective-home-education", "rationale": "Parents chose home education.",
        "closed_on": iso(TODAY)})
    assert response.status_code == 302
    page = text(staff_client.get(f"/cases/{case.id}"))
    assert "Elective home education" in page and "Close the case" not in page
    assert "Attendance cases" in page and case.pupil.full_name not in text(staff_client.get("/cases/"))
    refused = staff_client.post(f"/cases/{case.id}/figures/new", data={
        "period_start": iso(TODAY), "period_end": iso(TODAY), "attendance_percent": "90",
        "unauthorised_sessions": "0", "recorded_on": iso(TODAY)})
    assert refused.status_code == 409


def test_conflict_on_stale_pupil_edit_keeps_typing_and_shows_saved(staff_client, school):
    from tests.casework_factories import make_pupil

    pupil = make_pupil(school, first="Siân", last="Griffiths")
    db.session.commit()
    stale = pupil.version
    form = {"first_name": "Siân", "last_name": "Griffiths", "date_of_birth": "2013-01-31",
            "year_group": "Year 8", "version": stale}
    assert staff_client.post(f"/cases/pupils/{pupil.id}/edit",
                             data={**form, "year_group": "Year 9"}).status_code == 302
    response = staff_client.post(f"/cases/pupils/{pupil.id}/edit",
                                 data={**form, "last_name": "Griffiths-Jones"})
    body = text(response)
    assert response.status_code == 409
    assert "Someone else saved" in body and 'value="Griffiths-Jones"' in body
    assert "The saved version" in body and "Year 9" in body.split("The saved version", 1)[1]
    assert pupil.last_name == "Griffiths"


def test_conflict_on_stale_letter_edit(staff_client, school, lead):
    from checklist_app.casework import letter_operations

    case, (mum,) = family_case(school, lead)
    letter = letter_operations.draft_letter(case, "attendance-improved", mum, None, date.today())
    stale = letter.version
    url = f"/cases/{case.id}/letters/{letter.id}"
    assert staff_client.post(url, data={"body": "First edit", "version": stale}).status_code == 302
    response = staff_client.post(url, data={"body": "Second edit", "version": stale})
    assert response.status_code == 409
    assert "Second edit" in text(response) and "First edit" in text(response)


def test_no_contract_page_for_a_meeting_parents_missed(staff_client, school, lead):
    """R6: the contract form refuses a meeting no parent attended."""
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum], TODAY - timedelta(days=1), present_parents=False)
    page = text(staff_client.get(f"/cases/{case.id}/meetings/{meeting.id}"))
    assert "a contract cannot be made." in page and "Make a contract" not in page
    response = staff_client.post(f"/cases/{case.id}/meetings/{meeting.id}/contract", data={
        "parent_ids": [mum.id], "duration_value": "3", "duration_unit": "months"})
    assert response.status_code == 400 and db.session.scalar(db.select(Contract)) is None


def test_contract_revision_page(staff_client, school, lead):
    case, (mum,) = family_case(school, lead)
    contract = signed_contract(held_meeting(case, [mum], TODAY - timedelta(weeks=6)), [mum])
    from checklist_app.casework.models import MeetingKind

    review = held_meeting(case, [mum], TODAY - timedelta(days=1), kind=MeetingKind.REVIEW)
    response = staff_client.post(f"/cases/{case.id}/contracts/{contract.id}/revise",
                                 data={"meeting_id": review.id})
    assert response.status_code == 302
    revision = db.session.scalar(db.select(Contract).where(Contract.revision == 2))
    page = text(staff_client.get(response.headers["Location"]))
    assert "revision 2" in page and "Previous revision" in page
    assert revision.status is ContractStatus.DRAFT
    assert case.stage is Stage.REVIEW


def test_all_demo_pages_render(staff_client, school, lead):
    from checklist_app.casework.demo import load_demo

    load_demo(school, date.today(), lambda _m: None)
    db.session.commit()
    for case in db.session.scalars(db.select(Case)):
        page = staff_client.get(f"/cases/{case.id}")
        assert page.status_code == 200
        for letter in case.letters:
            assert staff_client.get(f"/cases/{case.id}/letters/{letter.id}").status_code == 200
        for meeting in case.meetings:
            for suffix in ("", "/record"):
                url = f"/cases/{case.id}/meetings/{meeting.id}{suffix}"
                assert staff_client.get(url).status_code == 200
        for contract in case.contracts:
            assert staff_client.get(f"/cases/{case.id}/contracts/{contract.id}").status_code == 200
