"""Journey 1: a senior leader starts a term's self-evaluation, rates checkpoints with evidence, keeps
the action plan, meets validation errors without losing what they typed, signs off, finalises and
downloads the action-plan PDF (where the reports feature offers it); then reads the history, the
term-on-term comparison and all the school's actions, and adds a local checkpoint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped")

from playwright.sync_api import expect  # noqa: E402

from checklist_app.auth.models import Role  # noqa: E402
from checklist_app.extensions import db  # noqa: E402
from checklist_app.self_evaluation import services  # noqa: E402
from tests.browser.support import fill_date  # noqa: E402
from tests.factories import PASSWORD, SchoolFactory, UserFactory  # noqa: E402
from tests.self_evaluation_factories import finalise, make_evaluation, rate, this_term  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WHERE = "Where are we now?"
NEXT = "What needs to happen next?"
IMPACT = "How will we demonstrate impact of our decisions and actions?"
UNRATED = 4  # the journey rates these; the fixture answered the other 21 last term


@dataclass(frozen=True)
class Leader:
    email: str
    term: str


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def oakfield(setup) -> Leader:
    """A school whose last term is finalised with all but the first four checkpoints rated."""
    with setup():
        school = SchoolFactory(name="Oakfield Primary School", urn="140101")
        leader = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Priya Shah")
        UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Sam Patel")
        db.session.commit()
        last = make_evaluation(school, this_term().previous(), leader)
        ids = [c.item.id for c in services.checkpoints_of(last)]
        rate(last, {item_id: None for item_id in ids[:UNRATED]})
        finalise(last)
        return Leader(email=leader.email, term=this_term().label)


def fill_checkpoint(page, rating: str, where: str, next_steps: str, impact: str) -> None:
    page.get_by_label(rating, exact=True).check()
    page.get_by_label(WHERE).fill(where)
    page.get_by_label(NEXT).fill(next_steps)
    page.get_by_label(IMPACT).fill(impact)


def assert_error_summary(page, *messages: str) -> None:
    """The summary is shown, names each problem, and takes focus (tabindex -1)."""
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    for message in messages:
        expect(summary).to_contain_text(message)
    summary.focus()
    expect(summary).to_be_focused()


def rate_checkpoints(v, evidence: dict[str, str]) -> None:
    """Checkpoints 1–4, one of them first rated Embedded without saying how impact will be shown."""
    page = v.page
    fill_checkpoint(page, "Established", evidence["where"], "Share the DfE guidance with new "
                    "governors in the autumn.", "Governor minutes record the training.")
    v.screenshot("04-checkpoint")
    v.follow(page.get_by_role("button", name="Save and go to the next checkpoint"))
    expect(page.get_by_role("status")).to_contain_text("Checkpoint 1 saved as a draft.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Checkpoint 2")

    # A validation error: Embedded needs the impact prompt. Everything typed must come back.
    page.get_by_label("Embedded", exact=True).check()
    page.get_by_label(WHERE).fill(evidence["ethos"])
    page.get_by_label(NEXT).fill("Keep the weekly attendance assembly.")
    v.follow(page.get_by_role("button", name="Save draft"))
    assert_error_summary(page, "To rate this checkpoint Embedded, say how you will show its impact.")
    expect(page.get_by_label("Embedded", exact=True)).to_be_checked()
    expect(page.get_by_label(WHERE)).to_have_value(evidence["ethos"])
    expect(page.get_by_label(NEXT)).to_have_value("Keep the weekly attendance assembly.")
    expect(page.get_by_label(IMPACT)).to_have_attribute("aria-invalid", "true")
    page.get_by_label(IMPACT).fill("Termly attendance data by year group.")
    v.follow(page.get_by_role("button", name="Save and go to the next checkpoint"))
    expect(page.get_by_role("status")).to_contain_text("Checkpoint 2 saved as a draft.")

    fill_checkpoint(page, "Developing", "We know the LA's role only in part.",
                    "Invite the PIAS officer to a staff meeting.", "Staff survey in the summer.")
    v.follow(page.get_by_role("button", name="Save and go to the next checkpoint"))
    fill_checkpoint(page, "Not in place", "No named PIAS contact yet.",
                    "Ask the local authority for our link officer.", "Named contact in the policy.")
    v.follow(page.get_by_role("button", name="Save draft"))
    expect(page.get_by_role("status")).to_contain_text("Checkpoint 4 saved as a draft.")


def add_actions(v, evidence: dict[str, str], review: date) -> None:
    """One action owned by a member of staff; a second first sent without its review date."""
    page = v.page
    v.follow(page.get_by_role("link", name="Add an action"))
    page.get_by_label("Action point").fill(evidence["action"])
    page.get_by_role("checkbox", name=re.compile(r"^2\. ")).check()
    page.get_by_label("Responsible person at the school").select_option(label="Sam Patel")
    fill_date(page, "Timescale / review date", review, exact=False)
    page.get_by_label("Comments").fill("Start with Year 8.")
    v.screenshot("05-action-form")
    v.follow(page.get_by_role("button", name="Add action"))
    expect(page.get_by_role("status")).to_contain_text("Action 1 added.")

    v.follow(page.get_by_role("link", name="Add an action"))
    page.get_by_label("Action point").fill("Ask the local authority for our PIAS link officer.")
    page.get_by_role("checkbox", name=re.compile(r"^3\. ")).check()
    page.get_by_role("checkbox", name=re.compile(r"^4\. ")).check()
    page.get_by_label("Or other responsible person(s)").fill("Mrs Ruth Ellis, chair of governors")
    page.get_by_label("In progress", exact=True).check()
    page.get_by_label("Comments").fill("Raised at the last board meeting.")
    v.follow(page.get_by_role("button", name="Add action"))
    assert_error_summary(page, "Timescale / review date: Enter a review date")
    expect(page.get_by_label("Action point")).to_have_value(
        "Ask the local authority for our PIAS link officer.")
    expect(page.get_by_role("checkbox", name=re.compile(r"^3\. "))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^4\. "))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^2\. "))).not_to_be_checked()
    expect(page.get_by_label("Or other responsible person(s)")).to_have_value(
        "Mrs Ruth Ellis, chair of governors")
    expect(page.get_by_label("In progress", exact=True)).to_be_checked()
    expect(page.get_by_label("Comments")).to_have_value("Raised at the last board meeting.")
    fill_date(page, "Timescale / review date", review + timedelta(days=14), exact=False)
    v.follow(page.get_by_role("button", name="Add action"))
    expect(page.get_by_role("status")).to_contain_text("Action 2 added.")

    plan = page.get_by_role("table", name=re.compile(r"^Recommendations"))
    expect(plan).to_contain_text(evidence["action"])
    expect(plan).to_contain_text("Sam Patel")
    expect(plan).to_contain_text(long_date(review))
    expect(plan).to_contain_text("Mrs Ruth Ellis, chair of governors")
    expect(plan).to_contain_text(long_date(review + timedelta(days=14)))
    expect(plan).to_contain_text("In progress")


def sign_off_and_finalise(v, term: str) -> None:
    """Finalising needs the date of next review: the first try is refused, the comment kept."""
    page = v.page
    v.follow(page.get_by_role("navigation", name="This self-evaluation")
             .get_by_role("link", name="Sign off and finalise"))
    expect(page.get_by_label("School name")).to_have_value("Oakfield Primary School")
    expect(page.get_by_label("Person completing this form")).to_have_value("Priya Shah")
    page.get_by_label("Comments").fill("Reviewed with the attendance lead.")
    v.screenshot("07-sign-off")
    v.follow(page.get_by_role("button", name="Sign off and finalise"))
    assert_error_summary(page, "Enter the date of next review to finalise.")
    expect(page.get_by_label("Comments")).to_have_value("Reviewed with the attendance lead.")
    fill_date(page, "Date of next review", date.today() + timedelta(days=90), exact=False)
    v.follow(page.get_by_role("button", name="Sign off and finalise"))
    expect(page.get_by_role("status")).to_contain_text(f"Self-evaluation for {term} finalised.")
    expect(page.locator(".govuk-tag").first).to_have_text("Finalised")


def pdf_link(v):
    """The action-plan PDF link on the action plan or the overview, if the reports feature has one."""
    page = v.page
    for place in ("Action plan", "Overview"):
        v.follow(page.get_by_role("navigation", name="This self-evaluation").get_by_role("link", name=place,
                                                                                    exact=True))
        links = page.get_by_role("link", name=re.compile(r"PDF", re.I))
        plan = links.filter(has_text=re.compile(r"action plan", re.I))
        if plan.count() or links.count():
            return (plan if plan.count() else links).first
    return None


def check_action_plan_pdf(v, expected: list[str]) -> None:
    """Download the PDF with the browser's session and read its text with pypdf."""
    from pypdf import PdfReader

    link = pdf_link(v)
    if link is None:
        v.findings.notes.append("No action-plan PDF link on the action plan or overview: the PDF "
                                "download was not checked.")
        return
    if link.get_attribute("download") is not None:
        with v.page.expect_download() as download:
            link.click()
        body = Path(download.value.path()).read_bytes()
    else:
        response = v.page.request.get(link.get_attribute("href"))
        assert response.ok, f"PDF download answered {response.status}"
        assert response.headers["content-type"].startswith("application/pdf")
        body = response.body()
    assert body.startswith(b"%PDF"), "The action-plan download is not a PDF"
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(BytesIO(body)).pages).split())
    for phrase in expected:
        assert phrase in text, f"{phrase!r} is not in the action-plan PDF"


def test_senior_leader_rates_plans_and_finalises(visitor, oakfield):
    v, page = visitor, visitor.page
    evidence = {"where": "Leaders and governors read the guidance in September.",
                "ethos": "Attendance is in every assembly and newsletter.",
                "action": "Train governors on the attendance guidance."}
    review = date.today() + timedelta(days=42)

    v.log_in(oakfield.email, PASSWORD)
    # The senior leader's home: this term's self-evaluation, overdue actions, next review.
    expect(page.get_by_role("heading", name="Self-evaluation this term")).to_be_visible()
    expect(page.get_by_role("heading", name="Overdue actions")).to_be_visible()
    expect(page.get_by_text("Next review")).to_be_visible()
    v.screenshot("01-senior-leader-home")
    v.nav("Self-evaluation")
    v.screenshot("02-self-evaluations")
    v.follow(page.get_by_role("button", name=f"Start {oakfield.term}", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Self-evaluation: {oakfield.term}")
    expect(page.get_by_text(f"{25 - UNRATED} of 25 checkpoints")).to_be_visible()
    v.screenshot("03-self-evaluation-overview")

    v.follow(page.get_by_role("link", name="Checkpoint 1", exact=True))
    rate_checkpoints(v, evidence)
    v.follow(page.get_by_role("link", name="Back to the overview"))
    expect(page.get_by_text("25 of 25 checkpoints")).to_be_visible()
    # The other 21 were carried forward from last term: each is confirmed as reviewed this term.
    expect(page.get_by_role("heading", name="Checkpoints still needing attention")).to_be_visible()
    for number in range(UNRATED + 1, 26):
        v.follow(page.get_by_role("link", name=f"Checkpoint {number}", exact=True))
        page.get_by_label("I have reviewed this checkpoint this term").check()
        v.follow(page.get_by_role("button", name="Save draft"))
        v.follow(page.get_by_role("link", name="Back to the overview"))
    expect(page.get_by_role("heading", name="Checkpoints still needing attention")).to_have_count(0)
    ratings = page.get_by_role("list", name="Checkpoints and ratings")  # GOV.UK task list
    expect(ratings.get_by_role("listitem").nth(1)).to_contain_text("Embedded")

    v.follow(page.get_by_role("navigation", name="This self-evaluation")
             .get_by_role("link", name="Action plan", exact=True))
    add_actions(v, evidence, review)
    v.screenshot("06-action-plan")

    sign_off_and_finalise(v, oakfield.term)
    v.screenshot("08-self-evaluation-finalised")
    check_action_plan_pdf(v, [evidence["where"], evidence["action"]])
    read_back(v, oakfield.term, evidence)


def read_back(v, term: str, evidence: dict[str, str]) -> None:
    """After finalising: the history, term on term, the school's actions, a local checkpoint."""
    page = v.page
    here = page.get_by_role("navigation", name="This self-evaluation")
    v.follow(here.get_by_role("link", name="History", exact=True))
    expect(page.get_by_role("main")).to_contain_text(evidence["where"])
    expect(page.get_by_role("main")).to_contain_text("Priya Shah")
    v.screenshot("09-self-evaluation-history")
    history = v.path

    v.follow(page.get_by_role("navigation", name="This self-evaluation")
             .get_by_role("link", name="Term on term", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Term on term")
    expect(page.get_by_role("main")).to_contain_text(term)
    v.screenshot("10-term-on-term")

    v.nav("Self-evaluation")
    v.follow(page.get_by_role("link", name="All the school's actions"))
    expect(page.get_by_role("main")).to_contain_text(evidence["action"])
    v.screenshot("11-school-actions")

    v.nav("Self-evaluation")
    v.follow(page.get_by_role("link", name="Local checkpoints"))
    page.get_by_label("Checkpoint text", exact=True).fill(
        "The school council reviews the attendance rewards each term.")
    v.follow(page.get_by_role("button", name="Add checkpoint"))
    expect(page.get_by_role("status")).to_contain_text("Local checkpoint L1 added.")
    expect(page.get_by_role("table", name="This school's local checkpoints")).to_contain_text(
        "The school council reviews the attendance rewards each term.")
    v.screenshot("12-local-checkpoints")

    page.set_viewport_size({"width": 360, "height": 800})  # a phone: no page scrolls sideways
    overview = history.removesuffix("/history")
    for path in ("/", "/self-evaluation/", overview, f"{overview}/action-plan", history,
                 f"{overview}/checkpoints/sa-01-read-guidance", "/self-evaluation/compare",
                 "/self-evaluation/actions", "/self-evaluation/local-checkpoints"):
        v.goto(path)
