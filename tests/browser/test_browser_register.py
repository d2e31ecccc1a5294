"""Journey 5: an attendance lead imports the pupil roll and the term's marks exported from the MIS
(checking each file before it is saved), reads the pupils at risk and one pupil's figures, types a
week the export does not hold yet, and sees the new pupils at risk on the home page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped")

from playwright.sync_api import expect  # noqa: E402

from checklist_app.auth.models import Role  # noqa: E402
from checklist_app.extensions import db  # noqa: E402
from checklist_app.register import generator  # noqa: E402
from tests.browser.support import fill_date  # noqa: E402
from tests.factories import PASSWORD, SchoolFactory, UserFactory  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PUPILS = 30
TERM_START, LAST_EXPORTED = date(2026, 9, 1), date(2026, 11, 20)  # the autumn term to last Friday
TYPED_WEEK = date(2026, 11, 23)  # the week the export does not hold yet


@dataclass(frozen=True)
class Register:
    email: str
    roll: Path
    marks: Path


@pytest.fixture(scope="module")
def meadow(setup, tmp_path_factory) -> Register:
    """A school with its attendance lead, and the MIS's roll and marks exports on the lead's disk."""
    folder = tmp_path_factory.mktemp("mis-export")
    rows = generator.generate_roll(PUPILS, seed=3)
    roll = generator.write_roll_csv(folder / "roll.csv", rows)
    marks = generator.write_marks_csv(folder / "marks.csv", generator.generate_marks(
        [r["UPN"] for r in rows], TERM_START, LAST_EXPORTED, seed=3))
    with setup():
        school = SchoolFactory(name="Meadow Lane School", urn="140401")
        lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Nia Evans")
        db.session.commit()
        return Register(email=lead.email, roll=roll, marks=marks)


def import_file(v, path: Path, expected: str, screenshot: str | None = None) -> None:
    """From the register: choose the export, check what it would change, import it."""
    page = v.page
    v.follow(page.get_by_role("link", name="Import the roll or marks"))
    if screenshot:
        v.screenshot(screenshot)
    page.get_by_label("Roll or marks export (CSV or Excel)").set_input_files(path)
    v.follow(page.get_by_role("button", name="Check the file"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check the import of {path.name}")
    expect(page.get_by_role("main")).to_contain_text(expected)


def test_attendance_lead_imports_the_register_and_reads_who_is_at_risk(visitor, meadow):
    v, page = visitor, visitor.page
    v.log_in(meadow.email, PASSWORD)
    v.nav("Register")
    expect(page.get_by_role("main")).to_contain_text("No marks have been imported yet")

    import_file(v, meadow.roll, f"{PUPILS} new pupils will be added", screenshot="31-register-import")
    v.screenshot("32-register-import-check")
    v.follow(page.get_by_role("button", name="Import", exact=True))
    expect(page.get_by_role("status")).to_contain_text(f"Roll imported: {PUPILS} pupils added")

    import_file(v, meadow.marks, f"for {PUPILS} pupils, from 4 September 2026 to 20 November 2026")
    v.follow(page.get_by_role("button", name="Import", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Marks imported")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pupils at risk")
    at_risk = page.get_by_role("table", name=re.compile("at risk$"))
    expect(at_risk).to_contain_text("New since the last import")
    v.screenshot("33-pupils-at-risk")
    at_risk_path = v.path

    first = at_risk.get_by_role("rowheader").first.get_by_role("link")
    name = first.inner_text()
    v.follow(first)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name="Week by week")).to_be_visible()
    v.screenshot("34-register-pupil")
    pupil_path = v.path

    v.follow(page.get_by_role("link", name=re.compile("^Typed weeks")))
    fill_date(page, "Week beginning", TYPED_WEEK)
    page.get_by_label("Possible sessions", exact=True).fill("10")
    page.get_by_label("Sessions attended", exact=True).fill("6")
    page.get_by_label("Unauthorised sessions", exact=True).fill("4")
    v.follow(page.get_by_role("button", name="Add the week"))
    weeks = page.get_by_role("table")
    expect(weeks.get_by_role("row", name=re.compile("^23 November 2026"))).to_contain_text("Counted")
    v.screenshot("35-register-typed-weeks")
    typed_path = v.path

    v.nav("Register")
    expect(page.get_by_role("heading", name="Cohorts")).to_be_visible()
    v.screenshot("36-register-overview")

    v.nav("Home")
    new = page.get_by_role("table", name="Pupils newly at risk since the last register import")
    expect(new.get_by_role("link", name=name, exact=True)).to_be_visible()
    v.screenshot("37-attendance-lead-home-new-pupils-at-risk")

    page.set_viewport_size({"width": 360, "height": 800})  # a phone: no page scrolls sideways
    for path in ("/", "/register/", at_risk_path, pupil_path, typed_path, "/register/import"):
        v.goto(path)
