"""The history page stays short enough to scan: a heading per day, runs made at once folded under
one heading (every entry still listed), long texts folded behind "Show the full text", and a filter
by checkpoint or kind of change."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import time_machine

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.factories import SchoolFactory, UserFactory, login
from tests.self_evaluation_factories import FIRST, RATING, make_action, make_evaluation, rate

WHERE_NOW = "sa_01_read_guidance__where_now"
SECOND = "sa-02-attendance-ethos"


def _save(client, evaluation, where: str, version: int, rating: str = "developing") -> None:
    response = client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}",
                           data={RATING: rating, WHERE_NOW: where, "version": str(version)})
    assert response.status_code == 302


def _history(client, evaluation, query: str = "") -> str:
    return client.get(f"/self-evaluation/{evaluation.id}/history{query}").get_data(as_text=True)


def test_entries_come_under_a_heading_for_each_day(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Jo Whitfield")
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=UTC)):
        evaluation = make_evaluation(school)
        rate(evaluation, {FIRST: None})
        login(client, head)
        _save(client, evaluation, "Read in June.", 0)
    with time_machine.travel(datetime(2026, 11, 23, 15, 30, tzinfo=UTC)):
        login(client, head)
        _save(client, evaluation, "Read again.", 1, "established")
        page = _history(client, evaluation)
    days = re.findall(r'<h2 class="govuk-heading-m" id="day-\d+">([^<]+) <span', page)
    assert days == ["20 November 2026", "23 November 2026"]
    assert "Jo Whitfield, 20 November 2026 at 10:00" in page
    assert "Jo Whitfield, 23 November 2026 at 15:30" in page


def test_a_run_made_at_once_is_folded_but_answers_typed_apart_are_not(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Jo Whitfield")
    evaluation = make_evaluation(school)
    rate(evaluation, {FIRST: None})  # 24 answers in the same minute, as carrying forward does
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=UTC)):
        login(client, head)
        _save(client, evaluation, "First thoughts.", 0)
    with time_machine.travel(datetime(2026, 11, 20, 10, 7, tzinfo=UTC)):
        _save(client, evaluation, "Second thoughts.", 1, "established")
        page = _history(client, evaluation)
    assert "Answered 24 checkpoints" in page and "Show the 24 checkpoints and what was saved" in page
    assert page.count('<h4 class="govuk-heading-s">Checkpoint ') == 24
    assert "Evidence for 25" in page  # folded, not lost
    assert "Answered checkpoint 1 (Our school leadership team" in page
    assert "Changed checkpoint 1 (Our school leadership team" in page


def test_a_long_text_shows_its_first_line_and_the_whole_text_one_click_away(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER)
    evaluation = make_evaluation(school)
    rate(evaluation, {FIRST: None})
    login(client, head)
    long_text = "Policy read by the whole staff in June.\n\n" + " ".join(["Evidence kept."] * 40)
    _save(client, evaluation, long_text, 0)
    page = _history(client, evaluation)
    entry = page[page.index("Answered checkpoint 1"):]
    assert '<p class="govuk-body-s app-history-summary">Policy read by the whole staff in June.</p>' in entry
    details = entry[entry.index('<details class="govuk-details app-history-details">'):]
    assert "Show the full text" in details
    assert details.index("Evidence kept. Evidence kept.") < details.index("</details>")
    short = _history(client, evaluation)  # a short text is shown whole, with no fold
    assert short.count("Show the full text") == 1


def test_the_history_narrows_to_one_checkpoint_or_one_kind_of_change(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER)
    evaluation = make_evaluation(school)
    rate(evaluation, {FIRST: None})
    make_action(evaluation, text="Call every family")
    db.session.commit()
    login(client, head)
    _save(client, evaluation, "Read in June.", 0)
    everything = _history(client, evaluation)
    assert 'name="show"' in everything and f'value="checkpoint:{FIRST}"' in everything
    one = _history(client, evaluation, f"?show=checkpoint:{FIRST}")
    assert "Answered checkpoint 1 (" in one and "Answered 24 checkpoints" not in one
    assert "Call every family" not in one
    assert re.search(r"Showing 1 of \d+ changes", one) and "Show every change" in one
    actions = _history(client, evaluation, "?show=actions")
    assert "Opened action 1 (Call every family)" in actions and "Answered" not in actions
    unknown = _history(client, evaluation, "?show=nothing-like-this")
    assert "Answered 24 checkpoints" in unknown and "Showing" not in unknown
    second = _history(client, evaluation, f"?show=checkpoint:{SECOND}")
    assert "Checkpoint 2 (" in second and "Answered checkpoint 1 (" not in second
