"""Journey 4: each role's home page, the trust table across two schools (the header's school
switcher must not break), a local-authority officer who reads only what schools share, and the
school administrator's pages (users, sharing, audit trail, retention, checklists, calendar links,
account)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped")

from playwright.sync_api import expect  # noqa: E402

from checklist_app.auth.models import Membership, Role  # noqa: E402
from checklist_app.extensions import db  # noqa: E402
from tests.casework_factories import family_case  # noqa: E402
from tests.factories import PASSWORD, SchoolFactory, UserFactory  # noqa: E402
from tests.self_evaluation_factories import finalise, make_evaluation, rate, this_term  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass(frozen=True)
class Trust:
    admin: str
    officer: str
    lead: str
    case_id: int


@pytest.fixture(scope="module")
def trust(setup) -> Trust:
    """Two academies with one administrator; the second shares with a local-authority officer."""
    with setup():
        ash = SchoolFactory(name="Ash Academy", urn="140501")
        birch = SchoolFactory(name="Birch Academy with a Long Name", urn="140502")
        admin = UserFactory(school=ash, role=Role.ADMIN, name="Tara Trust", email="tara@oaktrust.example")
        admin.memberships.append(Membership(school=birch, role=Role.ADMIN))
        officer = UserFactory(school=birch, role=Role.LOCAL_AUTHORITY, name="Lee Council",
                              email="lee@council.example")
        lead = UserFactory(school=ash, role=Role.ATTENDANCE_LEAD, name="Ali Lead",
                           email="ali@ash.example")
        evaluation = make_evaluation(birch, this_term().previous(), admin)
        rate(evaluation, default="developing")
        finalise(evaluation)
        case, _ = family_case(ash, lead)
        db.session.commit()
        return Trust(admin=admin.email, officer=officer.email, lead=lead.email, case_id=case.id)


def test_trust_admin_home_and_switcher(visitor, trust):
    v, page = visitor, visitor.page
    v.log_in(trust.admin, PASSWORD)
    table = page.get_by_role("table", name="Self-evaluation by school. Colour shows the lowest rating "
                                           "in the last finalised self-evaluation.")
    expect(table.get_by_role("rowheader", name="Ash Academy")).to_be_visible()
    expect(table).to_contain_text("Birch Academy with a Long Name")
    expect(page.get_by_label("School", exact=True)).to_be_visible()
    v.screenshot("40-trust-admin-home")
    v.follow(page.get_by_role("button", name="Open Birch Academy with a Long Name's self-evaluation"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-evaluation:")
    v.nav("Self-evaluation")
    v.follow(page.get_by_role("link", name="Across my schools"))
    v.screenshot("41-trust-school-table")
    page.set_viewport_size({"width": 360, "height": 800})
    v.goto("/")  # the school table scrolls in its own box; the page does not (Visitor.check)
    table_box = page.get_by_role("region", name="Self-evaluation by school")
    expect(table_box).to_have_attribute("tabindex", "0")
    assert table_box.evaluate("box => box.scrollWidth > box.clientWidth")
    v.screenshot("42-trust-admin-home-narrow")


def test_attendance_lead_home(visitor, trust):
    v, page = visitor, visitor.page
    v.log_in(trust.lead, PASSWORD)
    expect(page.get_by_role("heading", name="Overdue next steps")).to_be_visible()
    expect(page.get_by_role("heading", name="Letters to issue")).to_be_visible()
    v.screenshot("43-attendance-lead-home")


def test_local_authority_officer_reads_shared_self_evaluations_only(visitor, trust):
    v, page = visitor, visitor.page
    v.log_in(trust.officer, PASSWORD)
    expect(page.get_by_role("heading", name="Schools sharing their self-evaluation with you")).to_be_visible()
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Attendance cases")).to_have_count(0)
    v.screenshot("44-local-authority-home")
    v.nav("Self-evaluation")
    v.screenshot("45-local-authority-self-evaluations")
    response = v.goto(f"/cases/{trust.case_id}")
    assert response.status == 403


def test_school_administrator_pages(visitor, trust):
    """Ash Academy's administrator adds a member of staff, shares with the local authority, and
    reads the audit trail, the retention review, the checklists, calendar links and their account."""
    v, page = visitor, visitor.page
    v.log_in(trust.admin, PASSWORD)

    v.nav("Users")
    page.get_by_label("Full name", exact=True).fill("Ravi Kumar")
    page.get_by_label("E-mail address", exact=True).fill("ravi@ash.example")
    page.get_by_label("Staff", exact=True).check()
    v.follow(page.get_by_role("button", name="Add user"))
    expect(page.get_by_role("status")).to_contain_text("Ravi Kumar has been added to Ash Academy")
    v.nav("Users")  # again, so the one-time password is not in the picture
    expect(page.get_by_role("table")).to_contain_text("ravi@ash.example")
    v.screenshot("50-users")

    v.nav("Sharing")
    page.get_by_label("Officer's e-mail address").fill("olu@council.example")
    page.get_by_label("Officer's name").fill("Olu Adebayo")
    v.follow(page.get_by_role("button", name="Share"))
    expect(page.get_by_role("status")).to_contain_text(
        "Ash Academy now shares its finalised self-evaluations with Olu Adebayo.")
    v.nav("Sharing")
    expect(page.get_by_role("table", name="Officers who can read the self-evaluations")).to_contain_text(
        "Olu Adebayo")
    v.screenshot("51-sharing")

    v.nav("Audit trail")
    expect(page.get_by_role("main")).to_contain_text("Ravi Kumar")
    v.screenshot("52-audit-trail")
    v.nav("Retention review")
    v.screenshot("53-retention-review")
    v.nav("Checklists")
    expect(page.get_by_role("main")).to_contain_text(re.compile("self-evaluation", re.I))
    v.screenshot("54-checklists")
    v.nav("Calendar links")
    v.screenshot("55-calendar-links")
    v.follow(page.get_by_role("link", name="Your account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    v.screenshot("56-account")

    page.set_viewport_size({"width": 360, "height": 800})  # a phone: no page scrolls sideways
    for name in ("Users", "Sharing", "Audit trail", "Retention review", "Checklists", "Calendar links",
                 "Printing", "Self-evaluation"):
        v.goto("/")
        page.get_by_role("button", name="Menu").click()
        v.nav(name)
