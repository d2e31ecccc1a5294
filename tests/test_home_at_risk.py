"""The attendance lead's home page lists the pupils newly at risk since the last register import
(from the at-risk page's figures), with their case or a link to open one, and links to the
at-risk page; staff who may not see the register, and schools without marks, get no panel."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from checklist_app.auth.models import Role
from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.register import generator
from tests.casework_factories import make_case
from tests.factories import UserFactory, login
from tests.register_helpers import import_text, load_roll

TODAY = date(2026, 3, 2)
HEADING = "New pupils at risk"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY):
        yield


def marks(upns: list[str], start: date, end: date, away) -> str:
    """A long marks file: ``away(pupil number, day)`` says who missed a day without authority."""
    days = generator.school_days(start, end)
    return "UPN,Date,Session,Mark\n" + "".join(
        f"{upn},{d:%d/%m/%Y},{s},{'O' if away(n, d) else '/'}\n"
        for n, upn in enumerate(upns) for d in days for s in ("AM", "PM"))


@pytest.fixture
def two_imports(app, school, tmp_path):
    """January's import puts pupil 0 at risk (away every Friday); February's adds pupils 1 and 3
    (away most of February); pupil 1 already has an open case; pupil 2 attends throughout."""
    upns = [row["UPN"] for row in load_roll(school, tmp_path, count=4, today=TODAY)]
    assert import_text(school, marks(upns, date(2026, 1, 5), date(2026, 1, 30),
                                     lambda n, d: n == 0 and d.weekday() == 4),
                       today=date(2026, 2, 2)).ok
    assert import_text(school, marks(upns, date(2026, 2, 2), date(2026, 2, 27),
                                     lambda n, d: (n == 0 and d.weekday() == 4)
                                     or (n in (1, 3) and d.weekday() < 4)),
                       today=TODAY).ok
    pupils = {p.upn: p for p in db.session.scalars(select(Pupil).where(Pupil.school_id == school.id))}
    found = [pupils[upn] for upn in upns]
    case = make_case(found[1], opened_on=date(2026, 2, 20))
    return found, case


def test_attendance_lead_sees_pupils_newly_at_risk_with_their_case_or_a_way_to_open_one(
        client, school, two_imports):
    pupils, case = two_imports
    login(client, UserFactory(school=school, role=Role.ATTENDANCE_LEAD))
    page = client.get("/").get_data(as_text=True)
    assert HEADING in page
    panel = page[page.index(HEADING):]
    assert "2 pupils newly at risk since the register import of" in panel
    assert f"/register/pupils/{pupils[1].id}\"" in panel and f"/register/pupils/{pupils[3].id}\"" in panel
    assert f"/register/pupils/{pupils[0].id}\"" not in panel  # at risk since January: not new
    assert f"/register/pupils/{pupils[2].id}\"" not in panel  # not at risk
    assert f"/cases/{case.id}\"" in panel and "Case open" in panel
    assert f"/cases/pupils/{pupils[3].id}/open?baseline=" in panel
    assert f"/cases/pupils/{pupils[1].id}/open" not in panel
    assert "Persistent absence" in panel
    assert 'href="/register/at-risk">All pupils at risk (3)' in panel


def test_staff_who_may_not_see_the_register_get_no_panel(client, school, two_imports):
    login(client, UserFactory(school=school, role=Role.STAFF))
    assert HEADING not in client.get("/").get_data(as_text=True)


def test_no_panel_before_the_first_marks_import(client, school):
    login(client, UserFactory(school=school, role=Role.ATTENDANCE_LEAD))
    page = client.get("/").get_data(as_text=True)
    assert "Overdue next steps" in page and HEADING not in page
