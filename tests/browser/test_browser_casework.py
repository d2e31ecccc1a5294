"""Journey 2: an attendance lead adds a pupil and parent, opens a case, invites to a contract meeting
(7 days' notice), records a no-show and the second invite, holds the contract meeting, records the
agreements and signatures, adds attendance figures, holds a review and issues the outcome letter,
opens the contract checklist, then prints another family's draft letter as a background job.
Also: the parent form used with the keyboard alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped")

from playwright.sync_api import expect  # noqa: E402

from checklist_app.auth.models import Role  # noqa: E402
from checklist_app.casework import letter_operations, meeting_operations  # noqa: E402
from checklist_app.casework.models import MeetingKind  # noqa: E402
from checklist_app.extensions import db  # noqa: E402
from checklist_app.formatting import long_date  # noqa: E402
from tests.browser.support import fill_date  # noqa: E402
from tests.casework_factories import make_case, make_parent, make_pupil  # noqa: E402
from tests.factories import PASSWORD, SchoolFactory, UserFactory  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARENT = "Funmi Adeyemi (Mother)"
LEAD = "Alex Morgan (Attendance lead (lead professional))"
SECOND_INVITE = "2. Attendance contract meeting – second invite"


@dataclass(frozen=True)
class Lead:
    email: str
    pupil_id: int = 0


@pytest.fixture(scope="module")
def riverside(setup) -> Lead:
    """A school with its attendance lead and one other family's case, whose invite to a contract
    meeting is drafted but not yet printed (everything in the journey is made through the pages)."""
    with setup():
        school = SchoolFactory(name="Riverside Academy", urn="140301")
        lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Alex Morgan")
        pupil = make_pupil(school, first="Kai", last="Brown", year_group="Year 9")
        mother = make_parent(pupil, first="Leah", last="Brown", relationship_to_pupil="Mother")
        case = make_case(pupil, lead, baseline=84.0, opened_on=date.today() - timedelta(days=10))
        meeting = meeting_operations.schedule_meeting(
            case, MeetingKind.CONTRACT, date.today() + timedelta(days=10), time(10, 0), "Room 4",
            "By telephone", [mother.id], scheduled_on=date.today(), lead_name="Alex Morgan")
        letter_operations.draft_letter(case, "contract-meeting-invite", mother, meeting, date.today())
        db.session.commit()
        return Lead(email=lead.email)


def add_pupil_and_parent(v) -> None:
    page = v.page
    v.follow(page.get_by_role("link", name="Pupils and families"))
    expect(page.get_by_role("main")).to_contain_text("Kai Brown")
    v.screenshot("21-pupils-and-families")
    v.follow(page.get_by_role("link", name="Add a pupil"))
    page.get_by_label("First name", exact=True).fill("Zoë")
    page.get_by_label("Last name", exact=True).fill("Adeyemi")
    fill_date(page, "Date of birth", date(2013, 1, 31))
    page.get_by_label("Year group", exact=True).select_option("Year 8")
    v.follow(page.get_by_role("button", name="Add the pupil"))
    expect(page.get_by_role("status")).to_contain_text("Zoë Adeyemi added.")

    v.follow(page.get_by_role("link", name="Add a parent or carer"))
    page.get_by_label("Title", exact=True).select_option("Ms")
    page.get_by_label("First name", exact=True).fill("Funmi")
    page.get_by_label("Last name", exact=True).fill("Adeyemi")
    page.get_by_label("Relationship to the pupil", exact=True).fill("Mother")
    page.get_by_label("Address", exact=True).fill("1 Elm Road\nOakfield")
    page.get_by_label("Postcode", exact=True).fill("OK1 2AB")
    page.get_by_label("Telephone", exact=True).fill("01632 960123")
    v.follow(page.get_by_role("button", name="Add", exact=True))
    parents = page.get_by_role("table", name=re.compile("^Parents and carers"))
    expect(parents).to_contain_text("Ms Funmi Adeyemi")


def open_case(v) -> None:
    page = v.page
    v.follow(page.get_by_role("link", name="Open a case"))
    page.get_by_label("Attendance lead (lead professional)", exact=True).select_option(label="Alex Morgan")
    page.get_by_label("Chair of the contract meeting", exact=True).fill("Mrs Helen Carter")
    page.get_by_label("Attendance at the start (%)", exact=True).fill("82.5")
    page.get_by_label("Reason for concern", exact=True).fill("Persistent absence on Mondays since September.")
    v.follow(page.get_by_role("button", name="Open the case"))
    expect(page.get_by_role("status")).to_contain_text("Case opened for Zoë Adeyemi.")


def fill_meeting(page, on: date, kind: str = "Attendance contract meeting") -> None:
    page.get_by_label(kind, exact=True).check()
    fill_date(page, "Date", on)
    page.get_by_label("Time", exact=True).fill("09:30")
    page.get_by_label("Location", exact=True).fill("Room 2")
    page.get_by_label("Alternative offered", exact=True).fill("By telephone or online")


def schedule(v, on: date, kind: str = "Attendance contract meeting") -> None:
    """From the case page: schedule a meeting; lands on the meeting page."""
    page = v.page
    v.follow(page.get_by_role("link", name="Schedule a meeting"))
    fill_meeting(page, on, kind)
    v.follow(page.get_by_role("button", name="Schedule"))
    expect(page.get_by_role("status")).to_contain_text("Meeting scheduled.")


def issue_draft(v, step: str) -> None:
    """On a draft letter's page: issue it; lands on the case page."""
    page = v.page
    v.follow(page.get_by_role("button", name="Issue the letter"))
    expect(page.get_by_role("status")).to_contain_text(f"Letter {step} issued.")


def record(v, outcome: str, present: list[str], answers: dict[str, str] | None = None,
           choices: list[str] = ()) -> None:
    """On a meeting page: record its outcome, who was there and the meeting record."""
    page = v.page
    v.follow(page.get_by_role("link", name=re.compile("^Record the outcome")))
    page.get_by_label(outcome, exact=True).check()
    for name in present:
        page.get_by_label(f"{name} was there", exact=True).check()
    for label, text in (answers or {}).items():
        page.get_by_label(label, exact=True).fill(text)
    for label in choices:
        page.get_by_label(label, exact=True).check()
    v.follow(page.get_by_role("button", name="Save the record"))
    expect(page.get_by_role("status")).to_contain_text("Meeting recorded.")


def case_tab(v, name: str) -> None:
    """On the case page: open one of its tabs (GOV.UK tabs; without JavaScript every part shows)."""
    v.page.get_by_role("tab", name=re.compile(f"^{name}")).click()


def meeting_link(v, on: date) -> None:
    case_tab(v, "Meetings")
    v.follow(v.page.get_by_role("table", name="Meetings").get_by_role("link", name=long_date(on)))


def contract_and_signatures(v) -> None:
    """On the held meeting's page: make the contract, add agreements, both sign."""
    page = v.page
    v.follow(page.get_by_role("link", name="Make a contract"))
    expect(page.get_by_label(PARENT, exact=True)).to_be_checked()
    page.get_by_label("Expected duration", exact=True).fill("3")
    v.follow(page.get_by_role("button", name="Make the contract"))
    for party, text, owner in (
            ("Parent or carer agrees to", "Phone the school by 8:30 on any day of absence.", "Ms Adeyemi"),
            ("School agrees to", "A daily check-in with the learning mentor.", "Alex Morgan")):
        page.get_by_label("Party", exact=True).select_option(label=party)
        page.get_by_label("Agreement", exact=True).fill(text)
        page.get_by_label("Owner", exact=True).fill(owner)
        v.follow(page.get_by_role("button", name="Add the agreement"))
        expect(page.get_by_role("status")).to_contain_text("Agreement added.")
        expect(page.get_by_role("table", name=party)).to_contain_text(text)
    for signer, message in ((PARENT, "Signature recorded."),
                            (LEAD, "Everyone required has signed: the contract is now locked.")):
        page.get_by_label(signer, exact=True).check()
        v.follow(page.get_by_role("button", name="Record the signature"))
        expect(page.get_by_role("status")).to_contain_text(message)
    expect(page.get_by_role("table", name="Signatures")).to_contain_text("Funmi Adeyemi")
    expect(page.get_by_role("table", name="Signatures")).to_contain_text("on behalf of the governing board")


def add_figure(v, start: date, end: date) -> None:
    page = v.page
    v.follow(page.get_by_role("link", name="Record attendance"))
    fill_date(page, "Period from", start)
    fill_date(page, "Period to", end)
    page.get_by_label("Attendance (%)", exact=True).fill("88.5")
    page.get_by_label("Unauthorised sessions in the period", exact=True).fill("1")
    v.follow(page.get_by_role("button", name="Record"))
    expect(page.get_by_role("status")).to_contain_text("Attendance figure recorded.")


def write_letter(v, letter: str) -> None:
    """From the case page: draft a letter of the process; lands on the draft."""
    page = v.page
    v.follow(page.get_by_role("link", name="Write a letter"))
    page.get_by_label("Letter", exact=True).select_option(label=letter)
    v.follow(page.get_by_role("button", name="Write the draft"))
    expect(page.get_by_role("status")).to_contain_text("Draft letter written.")


def test_attendance_lead_runs_a_contract_case(visitor, riverside):
    v, page = visitor, visitor.page
    today = date.today()
    # The first two meetings were held before the case moved onto the system ("recorded later"),
    # so the contract is signed on a day that has happened; the review is still to come.
    first, second = today - timedelta(days=21), today - timedelta(days=7)
    review = second + timedelta(days=21)

    v.log_in(riverside.email, PASSWORD)
    v.nav("Attendance cases")
    v.screenshot("20-cases-dashboard")
    add_pupil_and_parent(v)
    v.screenshot("22-pupil")
    open_case(v)

    # R11: a contract meeting needs 7 days' notice: a date too soon is refused, the rest is kept.
    v.follow(page.get_by_role("link", name="Schedule a meeting"))
    fill_meeting(page, today + timedelta(days=3))
    v.follow(page.get_by_role("button", name="Schedule"))
    expect(page.get_by_role("alert")).to_contain_text("Give at least 7 days' notice")
    expect(page.get_by_label("Location", exact=True)).to_have_value("Room 2")
    expect(page.get_by_label("Alternative offered", exact=True)).to_have_value("By telephone or online")
    fill_date(page, "Date", first)
    v.follow(page.locator("main form").get_by_role("button"))  # its label changes after a refusal
    expect(page.get_by_role("status")).to_contain_text("Meeting scheduled.")

    record(v, "Parents did not attend", present=[LEAD])
    expect(page.locator(".govuk-warning-text")).to_contain_text("No parent or carer attended")
    v.follow(page.get_by_role("link", name="Back to the case"))

    schedule(v, second)
    v.follow(page.get_by_role("link", name="Write the invite letter"))
    chosen = page.get_by_label("About the meeting (invites)", exact=True).locator("option:checked")
    expect(chosen).to_have_text(f"Attendance contract meeting on {long_date(second)}")
    page.get_by_label("Letter", exact=True).select_option(label=SECOND_INVITE)
    fill_date(page, "Date on the letter", second - timedelta(days=14))
    v.follow(page.get_by_role("button", name="Write the draft"))
    body = page.get_by_label("Letter text (markdown)", exact=True)
    body.fill(body.input_value() + "\n\nWe can also meet by telephone if that is easier for you.\n")
    v.follow(page.get_by_role("button", name="Save the draft"))
    expect(page.locator(".app-letter")).to_contain_text("We can also meet by telephone")
    v.screenshot("23-letter-draft")
    issue_draft(v, "2")

    meeting_link(v, second)
    record(v, "Held", present=[PARENT, LEAD], answers={
        "Child's view": "Zoë finds Monday mornings hard after weekends at her dad's.",
        "School agrees to": "A daily check-in with the learning mentor.",
        "Parent(s) / carer(s) agree(s) to": "Phone the school by 8:30 on any day of absence."})
    v.screenshot("24-meeting")
    contract_and_signatures(v)
    v.screenshot("25-contract")

    v.follow(page.get_by_role("link", name="Back to the case"))
    add_figure(v, second + timedelta(days=1), second + timedelta(days=14))
    schedule(v, review, kind="Review meeting")
    record(v, "Held", present=[PARENT, LEAD], answers={
        "What has worked well": "Zoë has been on time every Monday.",
        "School agrees to": "Keep the daily check-in until the next review.",
        "Parent(s) / carer(s) agree(s) to": "Keep phoning by 8:30."},
        choices=["Some improvement", "New plan with a review no more than 3 weeks later"])
    v.follow(page.get_by_role("link", name="Back to the case"))
    write_letter(v, "4. Attendance contract outcome letter")
    expect(page.locator(".app-letter")).to_contain_text("Dear Ms Funmi Adeyemi")
    issue_draft(v, "4")

    v.screenshot("26-case")
    case_path = v.path
    case_tab(v, "Meetings")
    meetings = page.get_by_role("table", name="Meetings")
    expect(meetings.get_by_role("row")).to_have_count(4)
    expect(meetings).to_contain_text("Parents did not attend")
    v.screenshot("27-case-meetings")
    case_tab(v, "Contracts")
    expect(page.get_by_role("table", name="Attendance contracts")).to_contain_text("Signed")
    case_tab(v, "Letters")
    letters = page.get_by_role("table", name="Letters")
    expect(letters.get_by_text(re.compile("^Issued"))).to_have_count(2)
    expect(letters).to_contain_text(SECOND_INVITE)
    case_tab(v, "Attendance")
    expect(page.get_by_role("table", name=re.compile("^Attendance figures"))).to_contain_text("+6.0 points")
    v.follow(page.get_by_role("link", name="Contract checklist", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zoë Adeyemi")
    v.screenshot("28-contract-checklist")
    checklist_path = v.path
    print_another_familys_letter(v)

    # A phone: no page scrolls sideways, the case page with its chronology and change log included.
    page.set_viewport_size({"width": 360, "height": 800})
    for path in ("/cases/", "/cases/pupils", case_path, checklist_path, "/jobs/", "/register/"):
        v.goto(path)


def print_another_familys_letter(v) -> None:
    """Printing: the chosen case's draft letters made into one PDF by a background job."""
    page = v.page
    v.nav("Printing")
    v.screenshot("29-printing")
    page.get_by_label("The draft letters of the cases I choose").check()
    page.get_by_label(re.compile("^Kai Brown")).check()
    with page.expect_navigation():  # the job's page reloads itself until the job ends
        page.get_by_role("button", name="Make the letters").click()
    expect(page.get_by_role("status")).to_contain_text("Finished", timeout=30_000)
    v.check()
    expect(page.get_by_role("link", name=re.compile("^Download"))).to_be_visible()
    v.screenshot("30-printing-job")


@pytest.fixture
def pupil_without_parents(setup) -> Lead:
    with setup():
        school = SchoolFactory(name="Brook Lane School")
        lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Chris Lowe")
        pupil = make_pupil(school, first="Sam", last="Okoro")
        db.session.commit()
        return Lead(email=lead.email, pupil_id=pupil.id)


def outline(page) -> str:
    return page.evaluate("getComputedStyle(document.activeElement).outlineStyle")


def test_parent_form_by_keyboard_alone(visitor, pupil_without_parents):
    """Tab reaches every field in order, with a visible focus outline, and Enter submits."""
    v, page = visitor, visitor.page
    v.log_in(pupil_without_parents.email, PASSWORD)
    v.goto(f"/cases/pupils/{pupil_without_parents.pupil_id}/parents/new")
    page.get_by_role("link", name="Back", exact=True).focus()
    typed = {"first_name": "Grace", "last_name": "Okoro", "relationship_to_pupil": "Grandmother",
             "postcode": "BL1 3CD", "phone": "01632 960456"}
    expected = ["title", "first_name", "last_name", "relationship_to_pupil", "address", "postcode",
                "lives_with_pupil", "parental_responsibility", "phone", "email",
                "reasonable_adjustments", "submit", "cancel"]
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return e.id || (e.tagName === 'BUTTON' ? 'submit' : e.textContent.trim().toLowerCase()); }""")
        reached.append(focused)
        if focused in typed:
            page.keyboard.type(typed[focused])
        if focused in ("submit", "cancel"):
            assert outline(page) not in ("none", ""), f"No visible focus on the {focused} control"
    assert reached == expected
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    v.check()
    expect(page.get_by_role("status")).to_contain_text("Grace Okoro added.")
    expect(page.get_by_role("table", name=re.compile("^Parents and carers"))).to_contain_text("Grandmother")
