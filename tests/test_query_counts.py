"""No query per row: every main page sends as many SQL statements with more data as with little.

Two datasets are generated with the benchmark generator (benchmarks/dataset.py): a small one and
one with four times the terms, ten times the cases, a busier case (more meetings, contract
revisions, letters, figures and contacts) and five schools for the trust view. Each main page is
opened as the trust administrator in both; the statement counts must be equal. A page that loads a
relationship per row (a lazy load in a loop) sends more statements with more rows and fails here.
"""

from __future__ import annotations

import re

import pytest

from benchmarks import dataset, pages
from checklist_app.extensions import db
from tests.conftest import make_app

WORDS = (20, 40)  # short evidence keeps generation quick; the pages are the same
SMALL = dataset.Size(schools=1, terms=2, cases=3, busy_cycles=1, evidence_words=WORDS)
LARGER = dataset.Size(schools=5, terms=8, cases=30, other_cases=3, busy_cycles=4,
                      evidence_words=WORDS)


def _measure(app, size: dataset.Size, admin_email: str):
    with app.app_context():
        ds = dataset.generate(size, admin_email=admin_email)
        db.session.remove()
    client = pages.logged_in_client(app, ds)
    found = pages.statements_per_page(app, client, pages.main_pages(ds), keep=True)
    bodies = {p.name: client.get(p.path).get_data(as_text=True) for p in pages.main_pages(ds)
              if p.name in ("Casework dashboard", "Compare terms", "Trust view", "Case page")}
    return ds, found, bodies


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """Statement counts per page for the small and the larger dataset (one database holds both)."""
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('counts') / 'data.sqlite3'}")
    with app.app_context():
        db.create_all()
    try:
        yield (_measure(app, SMALL, "small.admin@benchmark.example"),
               _measure(app, LARGER, "larger.admin@benchmark.example"))
    finally:
        with app.app_context():
            db.engine.dispose()


def test_every_main_page_opens_in_both_datasets(measured):
    for ds, found, _bodies in measured:
        failing = {name: status for name, (status, _count, _sql) in found.items() if status != 200}
        assert failing == {}, f"pages not 200 with {ds.size}"


def test_the_larger_dataset_really_shows_more_rows(measured):
    (_ds, _found, small), (_ds2, _found2, larger) = measured

    def number(pattern: str, html: str) -> int:
        return int(re.search(pattern, html).group(1))

    open_cases = r"<caption class=\"govuk-table__caption govuk-table__caption--s\">(\d+) open case"
    assert number(open_cases, larger["Casework dashboard"]) > 3 * number(open_cases,
                                                                          small["Casework dashboard"])
    column = '<th class="govuk-table__header" scope="col"'
    assert larger["Compare terms"].count(column) > small["Compare terms"].count(column) + 5
    assert larger["Case page"].count("Review meeting") > small["Case page"].count("Review meeting")
    administered = r"Schools where you are an administrator: (.*?)\.</p>"
    assert len(re.search(administered, small["Trust view"]).group(1).split(", ")) == 1
    assert len(re.search(administered, larger["Trust view"]).group(1).split(", ")) == 5


def test_statement_counts_do_not_grow_with_data(measured):
    (_ds, small, _b), (_ds2, larger, _b2) = measured
    grown = {name: (small[name][1], larger[name][1]) for name in small
             if small[name][1] != larger[name][1]}
    detail = ""
    if grown:
        name = next(iter(grown))
        extra = sorted(set(larger[name][2]) - set(small[name][2])) or larger[name][2]
        detail = "\nFirst page's statements with more data:\n" + "\n".join(s[:200] for s in extra)
    assert grown == {}, f"statements per request (small, larger) differ: {grown}{detail}"
