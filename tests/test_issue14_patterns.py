"""GOV.UK patterns that keep what people type: counted refusals, no maxlength cut, typed markdown,
board comments across revisions."""

from __future__ import annotations

from checklist_app.extensions import db
from checklist_app.formatting import markdown_text_html
from checklist_app.self_evaluation import board, services
from checklist_app.self_evaluation.models import BoardComment
from tests.self_evaluation_factories import FIRST, finalise, make_evaluation, rate


def _action(**overrides):
    data = {"version": "0", "action_point": "Publish register times on the gates.",
            "checkpoint_ids": [FIRST], "owner_user_id": "0", "owner_name": "Sam Lee",
            "review_date": "2027-01-29", "status": "not_started", "comments": ""}
    data.update(overrides)
    return data


def test_text_over_its_limit_is_refused_with_a_count_and_kept(client, leader, school):
    evaluation = make_evaluation(school)
    form = client.get(f"/self-evaluation/{evaluation.id}/actions/new").get_data(as_text=True)
    assert " maxlength=" not in form  # the browser never cuts the text
    assert 'data-module="govuk-character-count" data-maxlength="2000"' in form
    owner = "x" * 250
    response = client.post(f"/self-evaluation/{evaluation.id}/actions/new", data=_action(owner_name=owner))
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400)
    assert "must be 200 characters or fewer. You have entered 250 characters (50 too many)." in page
    assert owner in page  # kept for the user to shorten
    assert 'class="govuk-error-summary"' in page


def test_typed_markdown_formats_and_keeps_typed_html_as_words():
    html = markdown_text_html("**Call** every family <b>today</b>\n\n- first\n- second")
    assert "<strong>Call</strong>" in html and "&lt;b&gt;today&lt;/b&gt;" in html
    assert "<li>first</li>" in html and "**" not in html


def test_board_comments_stay_with_the_term_when_it_is_reopened(client, leader, school):
    first = make_evaluation(school, "2026-27-autumn")
    rate(first)
    finalise(first)
    db.session.add(BoardComment(school_id=school.id, self_evaluation_id=first.id, author_name="Priya Shah",
                                body="Why is checkpoint 4 **developing**?"))
    db.session.commit()
    second = services.reopen(first, "Corrected checkpoint 4", leader)
    db.session.commit()
    assert [c.body for c in board.board_comments(second)] == ["Why is checkpoint 4 **developing**?"]
    finalise(second)
    page = client.get(f"/self-evaluation/{second.id}").get_data(as_text=True)
    assert "Priya Shah" in page and "(on revision 1)" in page and "<strong>developing</strong>" in page


def test_a_withdrawn_checkpoint_cannot_be_edited(client, leader, school):
    import re

    evaluation = make_evaluation(school)
    client.post("/self-evaluation/local-checkpoints", data={"text": "Breakfast club for every pupil."})
    assert client.post(f"/self-evaluation/{evaluation.id}/checkpoints/local-1",
                       data={"version": "0", "local_1__rating": "developing"}).status_code == 302
    listing = client.get("/self-evaluation/local-checkpoints").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', listing).group(1)
    client.post("/self-evaluation/local-checkpoints/1/withdraw", data={"version": version})
    page = client.get(f"/self-evaluation/{evaluation.id}/checkpoints/local-1").get_data(as_text=True)
    assert "Save draft" not in page and "Developing" in page
    refused = client.post(f"/self-evaluation/{evaluation.id}/checkpoints/local-1",
                          data={"version": "1", "local_1__rating": "established"})
    assert refused.status_code == 400
    assert "has been withdrawn" in refused.get_data(as_text=True)
    answer = services.answers_by_item(evaluation)["local-1"]
    assert answer.rating == "developing"
