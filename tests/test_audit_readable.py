"""The audit trail, a case's change log and the evidence pack's appendix read in the school's words:
names, long dates, form labels and answers, never record types, field names, ids, ISO timestamps,
Python dicts or raw markdown; and the audit page's queries stay the same however much it shows."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from checklist_app.audit.models import AuditEvent
from checklist_app.audit.readable import ERASED, readable
from checklist_app.auth.models import Role
from checklist_app.casework import letter_operations
from checklist_app.casework.change_log import CaseworkDescriber
from checklist_app.casework.models import MeetingKind, Pupil
from checklist_app.extensions import db
from tests.casework_factories import RECORD, held_meeting
from tests.factories import SchoolFactory, UserFactory, login
from tests.reporting_factories import casework_story, flat, pdf_text
from tests.self_evaluation_factories import FIRST, RATING, make_evaluation, rate
from tests.test_self_evaluation_governance import count_queries

#: What the old change logs showed: record types and actions, field names, ids, stored forms.
RAW = re.compile(r"\b(?:Create|Update|Delete) [A-Z]|\b[a-z]+_[a-z_]+\b|\d{4}-\d{2}-\d{2}|"
                 r"\d{2}:\d{2}:\d{2}|\{'|'\}|\*\*|\bid\b|"
                 r"CheckpointAnswer|AttendanceFigure|SelfEvaluation|checklist answers|"
                 r"record answers|updated at|created at|body markdown|pupil id|self evaluation id")
WHEN = datetime(2027, 1, 20, 10, 5, tzinfo=UTC)  # in January, UK time is UTC


def words_of(page: str, start: str, end: str | None = None) -> str:
    """The text of the part of an HTML page from ``start`` (to ``end``), tags removed."""
    part = page.split(start, 1)[1]
    part = part.split(end, 1)[0] if end else part
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


@pytest.fixture
def activity(app, client):
    """A case with a family, a held contract meeting, a contract, agreements and signatures, a
    figure and a contact (made by commands), then a morning of changes by an administrator in the
    browser: the case edited in markdown, the checklist, a letter edited and issued, a figure
    corrected, a professionals meeting recorded, a self-evaluation checkpoint answered."""
    school = SchoolFactory(name="Oakfield Primary School")
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Łukasz Nowak")
    admin = UserFactory(school=school, role=Role.ADMIN, name="Ada Admin")
    db.session.commit()
    story = casework_story(school, lead, sign_all=True)
    case = story["case"]
    on = date(2027, 1, 18)
    held_meeting(case, [], on=on, kind=MeetingKind.PROFESSIONALS, staff="Ada Admin", answers={
        **RECORD, "review-date": {"value": (on + timedelta(weeks=3)).isoformat()},
        "childs-view": {"value": "**Wants** to come back.\n\n- likes art"}})
    letter = letter_operations.draft_letter(case, "contract-outcome", story["mum"], None,
                                            letter_date=date(2027, 1, 16))
    evaluation = make_evaluation(school)
    db.session.commit()
    figure = case.figures[0]
    with time_machine.travel(WHEN, tick=False):
        login(client, admin)
        posts = {
            f"/cases/{case.id}/edit": {
                "lead_user_id": str(lead.id), "chair_name": "Mrs Helen Carter",
                "baseline_attendance": "80.0", "opened_on": "2027-01-04", "version": case.version,
                "reason_for_concern": "**Persistent** absence since September.\n\n- Mondays missed"},
            f"/cases/{case.id}/checklist": {
                "planning_01_read_guidance__status": "complete",
                "planning_01_read_guidance__comments": "Read by Łukasz Nowak.",
                "planning_03_other_agencies__status": "complete",
                "planning_03_other_agencies__comments": "Spoke to *Early Help*.",
                "version": case.version + 1},
            f"/cases/{case.id}/letters/{letter.id}": {
                "body": letter.body_markdown + "\n\n**Please** ring the office on Monday.",
                "version": letter.version},
            f"/cases/{case.id}/letters/{letter.id}/issue": {},
            f"/cases/{case.id}/figures/{figure.id}/correct": {
                "attendance_percent": "88.5", "unauthorised_sessions": "2",
                "reason": "Typed from the wrong week.", "version": figure.version},
            f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}": {
                RATING: "developing", "sa_01_read_guidance__where_now":
                "**Policy** read by the governors.\n\n- minutes kept", "version": "0"},
        }
        for url, data in posts.items():
            assert client.post(url, data=data).status_code == 302, url
    login(client, admin)  # a session is not carried across time
    return {**story, "school": school, "admin": admin, "letter": letter}


def test_the_audit_page_reads_in_the_schools_words(activity, client):
    page = client.get("/audit/").get_data(as_text=True)
    entries = words_of(page, "Entries, newest first", "</main>")
    assert not RAW.search(entries), RAW.search(entries)
    for needle in ("Ada Admin, 20 January 2027 at 10:05", "Case of Zoë Ó Briain",
                   "Changed the case details", "Reason for concern",
                   "Changed the contract checklist: Is initiating an attendance contract likely "
                   "to…; Speak to any other relevant agencies involved to…",
                   "1.3. Speak to any other relevant agencies", "— Complete Spoke to Early Help",
                   "Issued letter 4 (Attendance contract outcome letter) to Siân Ó Briain",
                   "Please ring the office on Monday.",
                   "Corrected the attendance figure for 4 January 2027 to 29 January 2027",
                   "Attendance 86.5% 88.5%", "Reason given: Figure corrected",
                   "Recorded the professionals meeting on 18 January 2027", "3. Child's view",
                   "Answered checkpoint 1 (", "Self-evaluation, ", "Rating — Developing",
                   "Arranged an attendance contract meeting on 15 January 2027",
                   "Added Łukasz Nowak to the school as attendance lead", "Logged in: Ada Admin"):
        assert needle in entries, needle
    assert "<strong>Persistent</strong> absence" in page and "<li>Mondays missed</li>" in page
    assert "<strong>Policy</strong> read by the governors." in page
    assert "<strong>Wants</strong> to come back." in page


def test_the_case_change_log_reads_in_the_schools_words(activity, client):
    case = activity["case"]
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    change_log = words_of(page, 'id="change-log"', "</details>")
    assert not RAW.search(change_log), RAW.search(change_log)
    for needle in ("Opened a case for Zoë Ó Briain", "Attendance lead (lead professional) — "
                   "Łukasz Nowak", "Attendance at the start — 80.0%", "Opened on — 4 January 2027",
                   "Time — 09:00", "Invited Siân Ó Briain (Mother) to the attendance contract "
                   "meeting on 15 January 2027", "Recorded the attendance contract meeting on "
                   "15 January 2027", "Outcome Scheduled Held",
                   "9b. School agrees to — Daily check-in.",
                   "Recorded the signature of Siân Ó Briain (Mother) on the attendance contract",
                   "Recorded a contact by telephone with Siân Ó Briain",
                   "When — 8 January 2027 at 09:30",
                   "Drafted letter 4 (Attendance contract outcome letter) to Siân Ó Briain",
                   "Letter text — Drafted from the letter template (",
                   "Stage of the case now: Contract meeting held: contract to sign",
                   "Changed an agreement of the attendance contract: Send the uniform grant form",
                   "Status Open Complete", "Ada Admin, 20 January 2027 at 10:05"):
        assert needle in change_log, needle
    assert "Logged in" not in change_log and "Answered checkpoint" not in change_log


def test_the_evidence_pack_appendix_reads_in_the_schools_words(activity, client):
    case = activity["case"]
    response = client.get(f"/reports/cases/{case.id}/evidence-pack.pdf")
    assert response.status_code == 200
    appendix = flat(pdf_text(response.data)).split("Appendix: change log", 1)[1]
    appendix = re.sub(r"Page \d+ of \d+ Oakfield Primary School .*? Produced \d+ \w+ \d{4}", " ",
                      appendix)
    assert not RAW.search(appendix), RAW.search(appendix)
    for needle in ("20 January 2027 at 10:05 – Issued letter 4 (Attendance contract outcome "
                   "letter) to Siân Ó Briain", "Who: Ada Admin", "Status: Issued (was Draft)",
                   "Attendance: 88.5% (was 86.5%)", "Reason given: Figure corrected",
                   "Opened a case for Zoë Ó Briain", "Who: Command line",
                   "Changed the contract checklist:", "Recorded the professionals meeting on "
                   "18 January 2027", "Wants to come back.",
                   "Reason for concern", "Persistent absence since September."):
        assert needle in appendix, needle


def test_the_audit_page_filters_by_kind_of_record_in_words(activity, client):
    page = client.get("/audit/").get_data(as_text=True)
    assert re.search(r'<option[^>]*value="AttendanceFigure"[^>]*>Attendance figure</option>', page)
    assert ">AttendanceFigure<" not in page and ">CheckpointAnswer<" not in page
    for url in ("/audit/?record_type=AttendanceFigure", "/audit/?q=attendance+figure"):
        entries = words_of(client.get(url).get_data(as_text=True), "Entries, newest first",
                           "</main>")
        assert "Corrected the attendance figure" in entries, url
        assert "Issued letter" not in entries and "Opened a case" not in entries, url


def _statements(client, url: str) -> int:
    client.get(url)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_audit_page_takes_the_same_queries_however_much_it_shows(app, client):
    school = SchoolFactory()
    admin = UserFactory(school=school, role=Role.ADMIN)
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    evaluation = make_evaluation(school)
    db.session.commit()
    login(client, admin)
    few = _statements(client, "/audit/")
    casework_story(school, lead)
    casework_story(school, lead, sign_all=True)
    rate(evaluation)
    page = client.get("/audit/").get_data(as_text=True)
    assert page.count("Answered checkpoint") > 5 and page.count("Case of Zoë Ó Briain") > 20
    assert _statements(client, "/audit/") == few


def test_an_unknown_record_reads_in_words_without_ids_or_secrets(app):
    school = SchoolFactory()
    db.session.commit()
    events = [AuditEvent(at=WHEN, school_id=school.id, user_name="Ada Admin", action="update",
                         record_type="GadgetSetting", record_id="7", changes={
                             "gadget_id": [1, 2], "colour_name": ["red", "light_blue"],
                             "updated_at": ["2027-01-01T09:00:00", "2027-01-20T10:05:00"],
                             "options": [{}, {"size": "large", "owner_id": 4}],
                             "api_token": ["abc", "def"], "starts_on": [None, "2027-02-01"],
                             "enabled": [False, True]}),
              AuditEvent(at=WHEN, school_id=school.id, user_name="command line", action="update",
                         record_type="Meeting", record_id="99", subject_type="case",
                         subject_id=98, changes={"erased": True}),
              AuditEvent(at=WHEN, school_id=school.id, user_name="command line", action="create",
                         record_type="Pupil", record_id="97", subject_type="pupil",
                         subject_id=97, changes={"erased": True}),
              AuditEvent(at=WHEN, school_id=school.id, user_name="Ada Admin", action="erase",
                         record_type="Pupil", record_id="97", reason="Left in 2019 (1 March 2027)",
                         changes={"erased": {"cases": [1, 0], "cached PDFs": [2, 0]}})]
    gadget, erased, pupil, erasure = readable(events, school.id, [CaseworkDescriber])
    assert gadget.what == "Changed: gadget setting" and gadget.who == "Ada Admin"
    assert gadget.changes == [("Colour name", "red", "light_blue"), ("Enabled", "No", "Yes"),
                              ("Options", "—", "Size: large"),
                              ("Starts on", "—", "1 February 2027")]
    assert (erased.what, erased.changes, erased.reason) == ("Changed the meeting", [], ERASED)
    assert erased.who == "Command line"
    assert (pupil.what, pupil.changes, pupil.about) == ("Added a pupil", [], "Pupil: a pupil")
    assert (erasure.what, erasure.reason) == ("Erased a pupil's records",
                                              "Left in 2019 (1 March 2027)")
    assert erasure.changes == [("Cases", "1", "0"), ("Cached PDFs", "2", "0")]



def test_register_sharing_and_staff_changes_read_in_words(app, client, tmp_path):
    from checklist_app.register import operations as register
    from checklist_app.register.models import TypedWeek
    from checklist_app.self_evaluation.local import add_local_checkpoint
    from checklist_app.sharing.operations import share, stop_sharing
    from tests.register_helpers import load_roll

    school = SchoolFactory(name="Oakfield Primary School", local_authority="Kent")
    admin = UserFactory(school=school, role=Role.ADMIN, name="Ada Admin")
    db.session.commit()
    load_roll(school, tmp_path, count=3)
    pupil = db.session.scalars(db.select(Pupil).where(
        Pupil.school_id == school.id).order_by(Pupil.id)).first()
    week = register.type_week(school, admin, date(2026, 3, 2), pupil, date(2026, 2, 23),
                              10, 8, 1)
    db.session.commit()
    register.correct_week(school, admin, date(2026, 3, 2), db.session.get(TypedWeek, week.id),
                          10, 9, 1, "Typed from the wrong register.")
    record, _password = share(school, admin, date(2026, 3, 2), "officer@kent.example", "Kim Officer")
    add_local_checkpoint(school, "Governors see **weekly** figures.", "")
    db.session.commit()
    stop_sharing(school, admin, date(2026, 3, 9), record.id)
    db.session.commit()
    login(client, admin)
    entries = words_of(client.get("/audit/").get_data(as_text=True), "Entries, newest first",
                       "</main>")
    m = RAW.search(entries)
    assert not m, entries[max(m.start() - 300, 0):m.end() + 100]
    for needle in ("Imported a pupil roll file", "Kind of file — Pupil roll",
                   f"Typed the register week beginning 23 February 2026 for {pupil.first_name}",
                   "Corrected a typed register week", "Reason given: Typed from the wrong register.",
                   "Sessions attended 8 9", "Started sharing the self-evaluations with Kim Officer",
                   "Stopped sharing the self-evaluations with the local authority",
                   "Added local checkpoint", "Governors see weekly figures.",
                   "Added Kim Officer to the school as local authority officer",
                   "Added Ada Admin to the school as administrator"):
        assert needle in entries, needle
