"""The school's reply to a governing board comment: once, dated, named, in the board pack and history."""

from __future__ import annotations

import re

import pytest

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from checklist_app.self_evaluation import board
from checklist_app.self_evaluation.models import BoardComment
from tests.conftest import make_app
from tests.factories import PASSWORD, SchoolFactory, UserFactory, login
from tests.reporting_factories import flat, pdf_text
from tests.self_evaluation_factories import finalise, make_evaluation, rate

QUESTION = "Why is checkpoint 4 still **developing**?"
ANSWER = "Our attendance lead started in October; we expect *established* by spring."


@pytest.fixture
def commented(client, school):
    """A finalised self-evaluation with one governor's comment; a senior leader logged in."""
    evaluation = make_evaluation(school)
    rate(evaluation)
    finalise(evaluation)
    governor = UserFactory(school=school, role=Role.GOVERNOR, name="Priya Shah")
    leader = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Jo Head")
    comment = board.add_board_comment(evaluation, QUESTION, governor)
    db.session.commit()
    login(client, leader)
    return evaluation, comment, governor, leader


def _reply(client, evaluation, comment, body: str, version: int | None = None):
    return client.post(f"/self-evaluation/{evaluation.id}/board-comments/{comment.id}/reply",
                       data={f"reply-{comment.id}-body": body,
                             f"reply-{comment.id}-version": str(version or comment.version)})


def test_a_comment_awaits_a_reply_on_the_leaders_home_until_answered(client, commented):
    evaluation, comment, governor, _ = commented
    home = client.get("/").get_data(as_text=True)
    assert "Governing board comments awaiting a reply" in home
    assert "1 comment from the governing board is waiting" in home and "Priya Shah" in home
    assert f"/self-evaluation/{evaluation.id}#comment-{comment.id}" in home
    overview = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert f'id="reply-{comment.id}-body"' in overview and "Reply to this comment" in overview

    response = _reply(client, evaluation, comment, ANSWER)
    assert response.status_code == 302 and response.location.endswith(f"#comment-{comment.id}")
    home = client.get("/").get_data(as_text=True)
    assert "No comment from the governing board is waiting for a reply." in home
    overview = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "Reply from Jo Head" in overview and "<em>established</em>" in overview
    assert f'id="reply-{comment.id}-body"' not in overview

    client.post("/logout")
    login(client, governor)
    seen = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "Reply from Jo Head" in seen and "<em>established</em>" in seen
    history = client.get(f"/self-evaluation/{evaluation.id}/history").get_data(as_text=True)
    assert "Replied to a governing board comment" in history and "expect *established*" in history


def test_a_reply_is_given_once_and_never_changed(client, commented):
    evaluation, comment, _, _ = commented
    assert _reply(client, evaluation, comment, ANSWER).status_code == 302
    again = _reply(client, evaluation, comment, "A different answer.", version=comment.version + 1)
    assert again.status_code == 409
    assert "Jo Head has already replied to this comment" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(BoardComment, comment.id).reply == ANSWER


def test_a_reply_from_an_out_of_date_page_is_a_conflict_keeping_the_text(client, commented):
    evaluation, comment, _, _ = commented
    stale = _reply(client, evaluation, comment, ANSWER, version=comment.version + 5)
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "expect *established* by spring" in page
    assert db.session.get(BoardComment, comment.id).replied_at is None


def test_a_reply_over_the_limit_is_refused_with_a_count_and_kept(client, commented):
    evaluation, comment, _, _ = commented
    response = _reply(client, evaluation, comment, "word " * 1001)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page
    assert "5,000" in page and page.count("word ") >= 1001
    empty = _reply(client, evaluation, comment, "  ")
    assert empty.status_code == 400 and "Write the reply." in empty.get_data(as_text=True)
    assert db.session.get(BoardComment, comment.id).replied_at is None


def test_governors_cannot_reply_and_other_schools_comments_are_not_found(client, commented):
    evaluation, comment, governor, leader = commented
    other = SchoolFactory(name="Elm Academy")
    theirs = make_evaluation(other)
    rate(theirs)
    finalise(theirs)
    their_comment = board.add_board_comment(theirs, "Elsewhere", UserFactory(school=other,
                                                                             role=Role.GOVERNOR))
    db.session.commit()
    assert _reply(client, theirs, their_comment, ANSWER).status_code == 404
    assert _reply(client, evaluation, their_comment, ANSWER).status_code == 404
    client.post("/logout")
    login(client, governor)
    assert _reply(client, evaluation, comment, ANSWER).status_code == 403
    overview = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "Reply to this comment" not in overview and "Awaiting a reply" in overview
    assert db.session.get(BoardComment, their_comment.id).replied_at is None


def test_a_comment_on_revision_one_is_answered_from_the_reopened_draft(client, commented):
    evaluation, comment, _, _ = commented
    reopened = client.post(f"/self-evaluation/{evaluation.id}/reopen",
                           data={"version": str(evaluation.version), "reason": "Board asked."})
    draft_url = reopened.location
    draft_page = client.get(draft_url).get_data(as_text=True)
    assert QUESTION.replace("**developing**", "<strong>developing</strong>") in draft_page
    draft_id = int(re.search(r"/self-evaluation/(\d+)", draft_url).group(1))
    assert draft_id != evaluation.id
    response = client.post(f"/self-evaluation/{draft_id}/board-comments/{comment.id}/reply",
                           data={f"reply-{comment.id}-body": ANSWER,
                                 f"reply-{comment.id}-version": str(comment.version)})
    assert response.status_code == 302


def test_the_board_pack_prints_each_comment_with_its_reply(client, commented):
    evaluation, comment, _, _ = commented
    url = f"/reports/self-evaluation/{evaluation.id}/board-pack.pdf"
    before = flat(pdf_text(client.get(url).data))
    assert "Why is checkpoint 4 still developing?" in before
    assert "The school has not yet replied." in before
    _reply(client, evaluation, comment, ANSWER)
    after = flat(pdf_text(client.get(url).data))
    assert "Reply from Jo Head" in after and "we expect established by spring" in after
    assert "The school has not yet replied." not in after


def test_the_reply_form_carries_its_own_csrf_token(database_url):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        school = SchoolFactory()
        evaluation = make_evaluation(school)
        rate(evaluation)
        finalise(evaluation)
        leader = UserFactory(school=school, role=Role.SENIOR_LEADER)
        comment = board.add_board_comment(evaluation, QUESTION, UserFactory(school=school,
                                                                            role=Role.GOVERNOR))
        db.session.commit()
        client = app.test_client()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                          client.get("/login").get_data(as_text=True)).group(1)
        client.post("/login", data={"email": leader.email, "password": PASSWORD,
                                    "csrf_token": token})
        page = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
        field = f"reply-{comment.id}-csrf_token"
        form_token = re.search(rf'name="{field}" type="hidden" value="([^"]+)"', page).group(1)
        url = f"/self-evaluation/{evaluation.id}/board-comments/{comment.id}/reply"
        data = {f"reply-{comment.id}-body": ANSWER,
                f"reply-{comment.id}-version": str(comment.version)}
        assert client.post(url, data=data).status_code == 400
        assert client.post(url, data={**data, field: form_token}).status_code == 302
        db.session.expire_all()
        assert db.session.get(BoardComment, comment.id).reply == ANSWER
        db.session.remove()
        db.engine.dispose()  # as the app fixture does: no connection left for the collector
