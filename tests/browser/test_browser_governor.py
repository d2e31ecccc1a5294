"""Journey 3: a governor reads the finalised self-evaluation, adds a board comment, and cannot reach
any case (no Cases link, a 403 page); a senior leader sees a governor's comment awaiting a reply on
the home page and replies to it. Also proves the axe check fails on a real violation."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped")

from playwright.sync_api import expect  # noqa: E402

from checklist_app.auth.models import Role  # noqa: E402
from checklist_app.extensions import db  # noqa: E402
from checklist_app.self_evaluation import board  # noqa: E402
from tests.casework_factories import family_case  # noqa: E402
from tests.factories import PASSWORD, SchoolFactory, UserFactory  # noqa: E402
from tests.self_evaluation_factories import (  # noqa: E402
    finalise,
    make_action,
    make_evaluation,
    rate,
    this_term,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMMENT = "Attendance is improving. Please bring the Year 9 figures to the next board meeting."
QUESTION = "Why is the **attendance policy** still not on the website?"
REPLY = "It goes on the website this week; the chair of governors checks it at the next meeting."


@dataclass(frozen=True)
class Board:
    email: str
    leader: str
    term: str
    case_id: int
    pupil_id: int


@pytest.fixture(scope="module")
def hillside(setup) -> Board:
    """A school with a finalised self-evaluation (last term), an action, an open case, two governors,
    one of whom has already asked the school a question."""
    with setup():
        school = SchoolFactory(name="Hillside Primary School", urn="140201")
        leader = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Dana Brooks")
        governor = UserFactory(school=school, role=Role.GOVERNOR, name="Grace Okafor")
        chair = UserFactory(school=school, role=Role.GOVERNOR, name="Tom Reed")
        db.session.commit()
        evaluation = make_evaluation(school, this_term().previous(), leader)
        rate(evaluation)
        make_action(evaluation, text="Publish the attendance policy on the website.", owner=leader)
        finalise(evaluation)
        board.add_board_comment(evaluation, QUESTION, chair)
        case, _parents = family_case(school, leader)
        db.session.commit()
        return Board(email=governor.email, leader=leader.email, term=evaluation.term.label,
                     case_id=case.id, pupil_id=case.pupil_id)


def test_governor_reads_comments_and_cannot_reach_cases(visitor, hillside):
    v, page = visitor, visitor.page
    v.goto("/login")
    v.screenshot("00-login")
    v.log_in(hillside.email, PASSWORD)
    # The governor's home: the latest finalised self-evaluation and its board pack.
    expect(page.get_by_role("heading", name="Latest finalised self-evaluation")).to_be_visible()
    expect(page.get_by_role("link", name=f"Governing board pack for {hillside.term} (PDF)")).to_be_visible()
    v.screenshot("13-governor-home")
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Self-evaluation")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"case", re.I))).to_have_count(0)

    v.nav("Self-evaluation")
    expect(page.get_by_role("button", name=re.compile("^Start"))).to_have_count(0)
    v.follow(page.get_by_role("link", name=hillside.term, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Self-evaluation: {hillside.term}")
    expect(page.locator(".govuk-tag").first).to_have_text("Finalised")
    expect(page.get_by_text("25 of 25 checkpoints")).to_be_visible()
    expect(page.get_by_role("link", name="Sign off and finalise")).to_have_count(0)

    v.follow(page.get_by_role("list", name="Checkpoints and ratings").get_by_role("link").first)
    expect(page.get_by_text("Evidence for 1")).to_be_visible()
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    v.follow(page.get_by_role("navigation", name="This self-evaluation")
             .get_by_role("link", name="Action plan", exact=True))
    expect(page.get_by_role("table", name=re.compile("^Recommendations"))).to_contain_text(
        "Publish the attendance policy on the website.")
    v.follow(page.get_by_role("navigation", name="This self-evaluation")
             .get_by_role("link", name="Overview", exact=True))

    v.follow(page.get_by_role("button", name="Add comment"))
    expect(page.locator("#error-summary")).to_contain_text("Board comment: Write the comment.")
    page.get_by_label("Board comment", exact=True).fill(COMMENT)
    v.follow(page.get_by_role("button", name="Add comment"))
    expect(page.get_by_role("status")).to_contain_text(
        "Your comment has been added for the governing board.")
    comments = page.get_by_role("region", name="Governing board comments")
    expect(comments).to_contain_text("Grace Okafor")
    expect(comments).to_contain_text(COMMENT)
    v.screenshot("14-governor-board-comment")

    for path in ("/cases/", f"/cases/{hillside.case_id}", f"/cases/pupils/{hillside.pupil_id}"):
        response = v.goto(path)
        assert response.status == 403, f"{path} answered {response.status} to a governor"
        expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
        expect(page.get_by_text("Zoë")).to_have_count(0)
    v.screenshot("15-governor-refused-cases")


def test_senior_leader_replies_to_a_board_comment(visitor, hillside):
    """The question waits on the leader's home page; the reply is dated, named and shown below it."""
    v, page = visitor, visitor.page
    v.log_in(hillside.leader, PASSWORD)
    waiting = page.get_by_role("heading", name="Governing board comments awaiting a reply")
    expect(waiting).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("attendance policy")
    v.screenshot("16-senior-leader-home-comments-awaiting-reply")

    v.follow(page.get_by_role("link", name=re.compile("^Reply to Tom Reed's comment")))
    comments = page.get_by_role("region", name="Governing board comments")
    question = comments.locator("[id^=comment-]").filter(has_text="Tom Reed")
    expect(question.get_by_text("attendance policy", exact=True)).to_have_js_property("tagName", "STRONG")
    question.get_by_label("Reply to this comment").fill(REPLY)
    v.screenshot("17-board-comment-reply-form", of=comments)
    v.follow(question.get_by_role("button", name=re.compile("^Reply")))
    expect(page.get_by_role("status")).to_contain_text("Your reply has been added for the governing board.")
    expect(question).to_contain_text("Reply from Dana Brooks")
    expect(question).to_contain_text(REPLY)
    expect(question.get_by_label("Reply to this comment")).to_have_count(0)
    v.screenshot("18-board-comment-with-reply", of=comments)

    v.nav("Home")
    expect(page.get_by_role("link", name=re.compile("^Reply to Tom Reed's comment"))).to_have_count(0)


def test_the_accessibility_check_fails_on_a_violation(visitor, hillside):
    """The axe check is live: an image without a text alternative fails it."""
    v, page = visitor, visitor.page
    v.goto("/login")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    with pytest.raises(AssertionError, match="image-alt"):
        v.check()
