"""The casework dashboard and pupils list a page at a time: order before paging, filters and the
search kept by the Previous / Next links, the light facts equal to the full ones, and no record the
dashboard does not show read from the database."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import event, select

from benchmarks import dataset
from checklist_app.auth.models import Role
from checklist_app.casework import dashboard, queries
from checklist_app.casework.facts import facts_for_cases, facts_of
from checklist_app.casework.models import Case
from checklist_app.casework.paging import Pager
from checklist_app.casework.process.facts import CaseFacts
from checklist_app.casework.process.next_step import next_step
from checklist_app.casework.process.scope import whole_case
from checklist_app.casework.process.stage import current_stage
from checklist_app.casework.settings import CaseworkSettings
from checklist_app.extensions import db
from tests.casework_factories import family_case, held_meeting, make_pupil
from tests.factories import SchoolFactory, UserFactory, login

TODAY = date.today()


@pytest.fixture
def school_name():
    return "Oakfield Primary"


@pytest.fixture
def lead(school):
    return UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Alex Morgan")


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def row_names(page: str) -> list[str]:
    """The pupils' names in the table, top to bottom."""
    return re.findall(r'<th scope="row" class="govuk-table__header">'
                      r'<a class="govuk-link" href="/cases/[^"]+">([^<]+)</a>', page)


def links(page: str) -> dict[str, str]:
    """The pager's links by rel (prev / next), query arguments in a fixed order."""
    found = {}
    pager_link = r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="(prev|next)">'
    for href, rel in re.findall(pager_link, page):
        path, _, query = html.unescape(href).partition("?")
        found[rel] = f"{path}?{urlencode(sorted(parse_qsl(query)))}"
    return found


# --- the pager -------------------------------------------------------------------------------

@pytest.mark.parametrize(("total", "requested", "number", "first", "last", "pages"), [
    (389, None, 1, 1, 50, 8),
    (389, 2, 2, 51, 100, 8),
    (389, 8, 8, 351, 389, 8),
    (389, 99, 8, 351, 389, 8),   # past the end: the last page
    (389, -3, 1, 1, 50, 8),
    (50, 2, 1, 1, 50, 1),
    (0, 3, 1, 0, 0, 1),
])
def test_pager_keeps_the_page_in_range(total, requested, number, first, last, pages):
    pager = Pager.of(total, requested, 50)
    assert (pager.number, pager.first, pager.last, pager.pages) == (number, first, last, pages)
    assert pager.previous == (number - 1 or None)
    assert pager.next == (number + 1 if number < pages else None)
    assert pager.slice(list(range(1, total + 1))) == list(range(first, last + 1) if total else [])


# --- the dashboard ---------------------------------------------------------------------------

def _cases_due_in_turn(school, lead, count: int, first_opened: int = 40) -> list[str]:
    """Open cases whose first step falls due a day apart (all overdue), made latest-due first so
    that the order of the ids is not the order of the page; names in due order."""
    names = []
    for n in reversed(range(count)):
        case, _ = family_case(school, lead, opened_on=TODAY - timedelta(days=first_opened - n))
        names.insert(0, case.pupil.full_name)
    return names


def test_dashboard_orders_all_cases_then_shows_page_two(app, client, school, lead, monkeypatch):
    monkeypatch.setattr(dashboard, "CASES_PER_PAGE", 2)
    not_due, _ = family_case(school, lead, opened_on=TODAY)  # due next week: after every overdue case
    due_order = _cases_due_in_turn(school, lead, 5)
    db.session.commit()
    login(client, lead)

    first = page_of(client, "/cases/")
    assert row_names(first) == due_order[:2]
    assert "6 open cases, overdue first: showing 1–2</caption>" in first
    assert "Showing 1–2 of 6 open cases (page 1 of 3)" in first
    assert links(first) == {"next": "/cases/?page=2"}

    second = page_of(client, links(first)["next"])
    assert row_names(second) == due_order[2:4]
    assert "Showing 3–4 of 6 open cases (page 2 of 3)" in second
    assert links(second) == {"prev": "/cases/?page=1", "next": "/cases/?page=3"}
    assert second.count("govuk-tag--red\">Overdue<") == 2

    last = page_of(client, links(second)["next"])
    assert row_names(last) == [due_order[4], not_due.pupil.full_name]
    assert "Overdue" not in last.split(not_due.pupil.full_name, 1)[1].split("</tr>", 1)[0]
    assert links(last) == {"prev": "/cases/?page=2"}
    assert row_names(page_of(client, "/cases/?page=40")) == row_names(last)
    assert row_names(page_of(client, "/cases/?page=nonsense")) == row_names(first)


def test_dashboard_filters_survive_paging(app, client, school, lead, monkeypatch):
    monkeypatch.setattr(dashboard, "CASES_PER_PAGE", 2)
    other = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Helen Carter")
    mine = _cases_due_in_turn(school, lead, 3)
    _cases_due_in_turn(school, other, 3, first_opened=45)  # due before mine: would come first
    db.session.commit()
    login(client, lead)

    first = page_of(client, f"/cases/?lead={lead.id}")
    assert row_names(first) == mine[:2]
    assert "Showing 1–2 of 3 open cases" in first
    assert links(first) == {"next": f"/cases/?lead={lead.id}&page=2"}  # arguments sorted
    second = page_of(client, links(first)["next"])
    assert row_names(second) == mine[2:]
    assert links(second) == {"prev": f"/cases/?lead={lead.id}&page=1"}
    assert f'<option selected value="{lead.id}">' in second  # WTForms writes selected first

    # A held contract meeting moves one of mine to the next stage; the stage filter pages too.
    case = db.session.scalar(select(Case).join(Case.pupil).where(Case.lead_user_id == lead.id)
                             .order_by(Case.opened_on))
    held_meeting(case, case.pupil.parents, TODAY - timedelta(days=1))
    by_stage = page_of(client, f"/cases/?lead={lead.id}&stage=opened")
    assert row_names(by_stage) == mine[1:]
    assert "Showing 1–2 of 2 open cases" in by_stage and links(by_stage) == {}  # one page
    both = page_of(client, "/cases/?stage=opened&page=2")
    assert "Showing 3–4 of 5 open cases" in both
    assert set(links(both)) == {"prev", "next"}
    assert all("stage=opened" in href and "lead=" not in href for href in links(both).values())


def test_dashboard_reads_only_what_it_shows(app, client, school, lead):
    """No letter bodies, agreements, signatures, attendees or whole meeting records are loaded."""
    from tests.test_casework_access import _full_case

    for _ in range(3):
        _full_case(school, lead)
    db.session.commit()
    login(client, lead)
    client.get("/cases/")
    statements: list[str] = []
    listener = lambda _c, _cur, sql, *_a: statements.append(sql)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page = page_of(client, "/cases/")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert "3 open cases" in page
    sql = "\n".join(statements)
    picked = r"JSON_EXTRACT\(meeting\.record_answers|meeting\.record_answers #>>"  # SQLite, PostgreSQL
    assert len(re.findall(picked, sql)) == 4  # the four answers the rules need, picked out in SQL
    sql = re.sub(picked, "", sql)
    for never in ("body_markdown", "FROM agreement", "FROM signature", "contact.outcome",
                  "meeting.record_answers", "meeting.notes", "definition_snapshot.content,",
                  "reason_for_concern"):
        assert never not in sql, never
    assert sql.count("checklist_answers") == 1  # for the page's cases only


def _unordered(facts: dict[int, CaseFacts]) -> dict[int, CaseFacts]:
    """Meetings and contacts in a fixed order: the relationships order them by date only, so two
    on one day may come either way (the rules sort meetings by date and id, and only ask whether
    some contact exists)."""
    return {case_id: replace(f, meetings=tuple(sorted(f.meetings, key=repr)),
                             contacts=tuple(sorted(f.contacts, key=repr)))
            for case_id, f in facts.items()}


def test_light_facts_equal_the_full_facts_for_every_case(app):
    """The dashboard's facts, read column by column, are the facts of the loaded records."""
    ds = dataset.generate(dataset.Size(schools=1, terms=2, cases=40, busy_cycles=3,
                                       evidence_words=(5, 10)))
    ids = select(Case.id).where(Case.school_id == ds.school_id)
    full = {case.id: facts_of(case) for case in db.session.scalars(
        queries.case_query().where(Case.school_id == ds.school_id)).unique()}
    assert len(full) == 40
    assert _unordered(facts_for_cases(ids)) == _unordered(
        {case_id: whole_case(f) for case_id, f in full.items()})
    light = facts_for_cases(ids, contacts=False)
    s, today = CaseworkSettings(), date.today()
    assert sum(1 for f in full.values() if f.contacts) > 20  # contacts really left out, and ...
    for case_id, facts in full.items():  # ... next step and stage never read them
        assert next_step(light[case_id], today, s) == next_step(facts, today, s)
        assert current_stage(light[case_id]) == current_stage(facts)
    steps = {step.step for f in full.values() if (step := next_step(f, today, s))}
    assert len(steps) >= 4 and any(f.closed for f in full.values()), steps  # varied data


def test_hostile_query_arguments_are_ignored(app, client, school, lead):
    family_case(school, lead)
    db.session.commit()
    login(client, lead)
    for url in ("/cases/?lead=99999999999999999999999", "/cases/?page=-5&stage=nonsense",
                "/cases/?page=99999999999999999999999", "/cases/pupils?page=0&q=%00%09Oka%07for",
                "/cases/pupils?q=%25&page=99999999999999999999999"):
        assert client.get(url).status_code == 200, url


# --- the pupils list -------------------------------------------------------------------------

def test_pupils_list_pages_by_last_name(app, client, school, lead):
    for n in range(53):
        make_pupil(school, first=f"Pupil{n:02d}", last=f"Surname{52 - n:02d}")
    db.session.commit()
    login(client, lead)
    first = page_of(client, "/cases/pupils")
    assert len(row_names(first)) == 50
    assert row_names(first)[:2] == ["Pupil52 Surname00", "Pupil51 Surname01"]
    assert "53 pupils with casework records, by last name: showing 1–50</caption>" in first
    assert links(first) == {"next": "/cases/pupils?page=2"}
    second = page_of(client, "/cases/pupils?page=2")
    assert row_names(second) == ["Pupil02 Surname50", "Pupil01 Surname51", "Pupil00 Surname52"]
    assert "Showing 51–53 of 53 pupils (page 2 of 2)" in second
    assert links(second) == {"prev": "/cases/pupils?page=1"}


def test_pupils_search_by_name_or_upn_and_the_search_survives_paging(app, client, school, lead,
                                                                      monkeypatch):
    monkeypatch.setattr(queries, "PUPILS_PER_PAGE", 2)
    for n, first in enumerate(("Amara", "Ben", "Chloe")):
        make_pupil(school, first=first, last="Okafor", upn=f"A1234567890{n}")
    make_pupil(school, first="Dev", last="Patel", upn="B99999999999Z")
    make_pupil(school, first="100%", last="Sure", upn="")
    make_pupil(SchoolFactory(name="Birchwood Academy"), first="Amara", last="Okafor", upn="A12345678900")
    db.session.commit()
    login(client, lead)

    page = page_of(client, "/cases/pupils")
    assert '<label class="govuk-label govuk-label--s" for="q">Search by name or UPN</label>' in page
    assert '<form method="get" action="/cases/pupils"' in page and 'name="q"' in page

    first = page_of(client, "/cases/pupils?q=okafor")
    assert row_names(first) == ["Amara Okafor", "Ben Okafor"]
    assert "3 pupils with casework records matching “okafor”" in first
    assert links(first) == {"next": "/cases/pupils?page=2&q=okafor"}
    second = page_of(client, links(first)["next"])
    assert row_names(second) == ["Chloe Okafor"]
    assert 'value="okafor"' in second
    assert links(second) == {"prev": "/cases/pupils?page=1&q=okafor"}

    assert row_names(page_of(client, "/cases/pupils?q=b99999")) == ["Dev Patel"]
    assert row_names(page_of(client, "/cases/pupils?q=a12345678901")) == ["Ben Okafor"]
    assert row_names(page_of(client, "/cases/pupils?q=Okafor+Chloe")) == ["Chloe Okafor"]
    assert row_names(page_of(client, "/cases/pupils?q=100%25")) == ["100% Sure"]  # % is literal
    nothing = page_of(client, "/cases/pupils?q=Zebedee")
    assert row_names(nothing) == [] and "No pupils match “Zebedee”." in nothing
    assert "0 pupils with casework records" in nothing and "Showing" not in nothing
