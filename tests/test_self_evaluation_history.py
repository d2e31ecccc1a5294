"""A self-evaluation's history page: every change from the audit trail."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import time_machine

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.factories import SchoolFactory, UserFactory, login, without_govuk_classes
from tests.self_evaluation_factories import FIRST, RATING, make_action, make_evaluation, rate
from tests.test_self_evaluation_governance import count_queries

WHERE_NOW = "sa_01_read_guidance__where_now"


def test_history_lists_saves_with_who_and_what(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Jo Whitfield")
    evaluation = make_evaluation(school)
    db.session.commit()
    login(client, head)
    response = client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}", data={
        RATING: "developing", "sa_01_read_guidance__where_now": "Policy read by SLT in June.",
        "version": "0"})
    assert response.status_code == 302
    page = client.get(f"/self-evaluation/{evaluation.id}/history").get_data(as_text=True)
    assert "Jo Whitfield" in page
    assert "Answered checkpoint 1 (Our school leadership team" in page and "Developing" in page
    assert "Policy read by SLT in June." in page


RAW = re.compile(r"CheckpointAnswer|SelfEvaluation|Create |\{'|\d{4}-\d{2}-\d{2}|where_now|"
                 r"next_steps|sign_off|item_id|reviewed_this_term|person_completing|_id\b")


def test_history_reads_in_the_schools_words(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Jo Whitfield")
    evaluation = make_evaluation(school)
    rate(evaluation, {FIRST: None})
    url = f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}"
    with time_machine.travel(datetime(2026, 11, 22, 14, 5, tzinfo=UTC)):
        login(client, head)
        client.post(url, data={RATING: "developing", WHERE_NOW: "Read in June.", "version": "0"})
        client.post(url, data={RATING: "established", WHERE_NOW: "Read again in November.",
                               "version": "1"})
        sign = {"school_name": "Oak", "person_completing": "Jo Whitfield", "role": "Head",
                "date": "2026-11-21", "next_review_date": "2027-03-26",
                "version": str(evaluation.version), "intent": "finalise"}
        response = client.post(f"/self-evaluation/{evaluation.id}/sign-off", data=sign)
        assert response.status_code == 302
        response = client.post(f"/self-evaluation/{evaluation.id}/reopen",
                               data={"reason": "Governors asked for the June data."})
        revision_url = response.headers["Location"]
        page = client.get(f"/self-evaluation/{evaluation.id}/history").get_data(as_text=True)
        newer = client.get(revision_url + "/history").get_data(as_text=True)
    assert "22 November 2026 at 14:05" in page
    assert "Changed checkpoint 1 (Our school leadership team" in page
    bare = without_govuk_classes(page)  # old beside new, in a table
    assert re.search(r'<td class="diff-old">(<div class="app-prose"><p>)?Read in June\.(</p></div>)?</td>'
                     r'<td class="diff-new">(<div class="app-prose"><p>)?Read again in November\.', bare)
    assert re.search(r'<td class="diff-old">Developing</td><td class="diff-new">Established', bare)
    assert "Finalised and signed off the self-evaluation" in page
    assert "Person completing" in page and "21 November 2026" in page
    assert "Governors asked for the June data." in page
    assert not RAW.search(page), RAW.search(page)
    assert "Governors asked for the June data." in newer and not RAW.search(newer)


def test_history_takes_a_few_queries_however_long(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER)
    evaluation = make_evaluation(school)
    make_action(evaluation, text="The first action")
    login(client, head)
    url = f"/self-evaluation/{evaluation.id}/history"
    few = _statements(client, url)
    rate(evaluation)
    for n in range(5):
        make_action(evaluation, text=f"Action {n}")
    page = client.get(url).get_data(as_text=True)
    # Made together, they are folded under one heading each, every one still listed.
    assert "Answered 25 checkpoints" in page and "Opened 5 actions" in page
    assert page.count('<h4 class="govuk-heading-s">Checkpoint ') == 25
    assert '<h4 class="govuk-heading-s">Action 6 (Action 4)</h4>' in page
    assert _statements(client, url) == few


def _statements(client, url: str) -> int:
    client.get(url)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_governors_cannot_see_the_history_of_a_draft(app, client):
    school = SchoolFactory()
    governor = UserFactory(school=school, role=Role.GOVERNOR)
    evaluation = make_evaluation(school)
    db.session.commit()
    login(client, governor)
    assert client.get(f"/self-evaluation/{evaluation.id}/history").status_code == 404


def test_history_and_reopen_reasons_show_typed_markdown_formatted(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Jo Whitfield")
    governor = UserFactory(school=school, role=Role.GOVERNOR, name="Priya Shah")
    evaluation = make_evaluation(school)
    rate(evaluation, {FIRST: None})
    db.session.commit()
    login(client, head)
    client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}", data={
        RATING: "developing", WHERE_NOW: "**Policy** read by SLT.", "version": "0"})
    response = client.post(f"/self-evaluation/{evaluation.id}/actions/new", data={
        "version": "0", "action_point": "**Call** every family", "checkpoint_ids": [FIRST],
        "owner_user_id": "0", "owner_name": "Sam Lee", "review_date": "2027-01-29",
        "status": "not_started", "comments": "Use the *new* script"})
    assert response.status_code == 302
    response = client.post(f"/self-evaluation/{evaluation.id}/sign-off", data={
        "school_name": "Oak", "person_completing": "Jo Whitfield", "role": "Head",
        "date": "2026-11-21", "next_review_date": "2027-03-26", "comments": "Agreed at **SLT**.",
        "version": str(evaluation.version), "intent": "finalise"})
    assert response.status_code == 302
    client.post("/logout")
    login(client, governor)
    client.post(f"/self-evaluation/{evaluation.id}/board-comments",
                data={"body": "Why is checkpoint 1 **developing**?"})
    client.post("/logout")
    login(client, head)
    response = client.post(f"/self-evaluation/{evaluation.id}/reopen",
                           data={"reason": "Governors asked for the **June** data."})
    revision_url = response.headers["Location"]

    page = client.get(f"/self-evaluation/{evaluation.id}/history").get_data(as_text=True)
    assert "**" not in page and "*new*" not in page
    for html in ("<strong>Policy</strong> read by SLT.", "<strong>Call</strong> every family",
                 "Use the <em>new</em> script", "Agreed at <strong>SLT</strong>.",
                 "Why is checkpoint 1 <strong>developing</strong>?",
                 "Governors asked for the <strong>June</strong> data."):
        assert html in page, html
    # Plain values stay plain: dates, names and ratings (what was set where there was nothing before).
    for value in ("21 November 2026", "Sam Lee", "Developing"):
        assert f'<dd class="govuk-summary-list__value">{value}</dd>' in page, value
    assert not RAW.search(page), RAW.search(page)
    overview = client.get(revision_url).get_data(as_text=True)
    assert "**" not in overview
    assert overview.count("Governors asked for the <strong>June</strong> data.") == 2  # top, revisions
