"""Governors, other schools, term-on-term comparison, the trust view, query counts and demo data."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from checklist_app.auth.models import Membership, Role
from checklist_app.extensions import db
from checklist_app.self_evaluation import services
from checklist_app.self_evaluation.models import (
    Action,
    ActionStatus,
    BoardComment,
    CheckpointAnswer,
    SelfEvaluation,
)
from tests.factories import SchoolFactory, UserFactory, login, without_govuk_classes
from tests.self_evaluation_factories import (
    FIRST,
    RATING,
    finalise,
    make_action,
    make_evaluation,
    rate,
    this_term,
)


def _terms(n: int):
    term = this_term()
    terms = [term]
    while len(terms) < n:
        terms.append(terms[-1].previous())
    return list(reversed(terms))


# --- governors ---------------------------------------------------------------------------

@pytest.fixture
def governed(client, school):
    """A finalised and a draft self-evaluation, and a governor logged in."""
    terms = _terms(2)
    final = make_evaluation(school, terms[0])
    rate(final)
    make_action(final, text="Board-visible action")
    finalise(final)
    draft = make_evaluation(school, terms[1])
    governor = UserFactory(school=school, role=Role.GOVERNOR, name="Priya Shah")
    db.session.commit()
    login(client, governor)
    return final, draft, governor


def test_governor_sees_only_finalised(client, governed):
    final, draft, _ = governed
    listing = client.get("/self-evaluation/").get_data(as_text=True)
    assert final.term.label in listing and draft.term.label not in listing
    assert "Start a self-evaluation" not in listing
    assert client.get(f"/self-evaluation/{final.id}").status_code == 200
    assert client.get(f"/self-evaluation/{final.id}/action-plan").status_code == 200
    assert "Board-visible action" in client.get(
        f"/self-evaluation/{final.id}/action-plan").get_data(as_text=True)
    for url in (f"/self-evaluation/{draft.id}", f"/self-evaluation/{draft.id}/action-plan",
                f"/self-evaluation/{draft.id}/checkpoints/{FIRST}"):
        assert client.get(url).status_code == 404
    compare = client.get("/self-evaluation/compare").get_data(as_text=True)
    assert final.term.label in compare and draft.term.label not in compare


def test_governor_can_comment(client, governed):
    final, _, governor = governed
    empty = client.post(f"/self-evaluation/{final.id}/board-comments", data={"body": ""})
    assert empty.status_code == 400 and "Write the comment." in empty.get_data(as_text=True)
    response = client.post(f"/self-evaluation/{final.id}/board-comments",
                           data={"body": "The board will follow up checkpoint 13 in spring."})
    assert response.status_code == 302
    comment = db.session.scalar(db.select(BoardComment))
    assert comment.author_id == governor.id and comment.author_name == "Priya Shah"
    page = client.get(f"/self-evaluation/{final.id}").get_data(as_text=True)
    assert "The board will follow up checkpoint 13 in spring." in page and "Priya Shah" in page


def test_governor_cannot_edit_anything(client, governed, school):
    final, draft, _ = governed
    action = db.session.scalar(db.select(Action))
    posts = {
        "/self-evaluation/start": {"academic_year": "2026/27", "season": "summer"},
        "/self-evaluation/next-term": {},
        f"/self-evaluation/{final.id}/checkpoints/{FIRST}": {"version": "1", RATING: "embedded"},
        f"/self-evaluation/{draft.id}/checkpoints/{FIRST}": {"version": "0", RATING: "embedded"},
        f"/self-evaluation/{draft.id}/sign-off": {"intent": "finalise"},
        f"/self-evaluation/{final.id}/reopen": {"reason": "x"},
        f"/self-evaluation/{draft.id}/actions/new": {"action_point": "x"},
        f"/self-evaluation/actions/{action.id}/edit": {"action_point": "x"},
        f"/self-evaluation/actions/{action.id}/close": {"status": "done", "version": "1"},
        "/self-evaluation/local-checkpoints": {"text": "x"},
        f"/self-evaluation/{draft.id}/board-comments": {"body": "On a draft"},
    }
    for url, data in posts.items():
        status = client.post(url, data=data).status_code
        assert status in (403, 404), url
    assert client.get("/self-evaluation/actions").status_code == 403
    assert db.session.scalar(db.select(db.func.count(SelfEvaluation.id))) == 2
    assert db.session.scalar(db.select(db.func.count(BoardComment.id))) == 0
    assert db.session.scalar(db.select(Action.action_point)) == "Board-visible action"


# --- other schools ----------------------------------------------------------------------

def test_another_schools_records_are_not_found(client, school):
    other = SchoolFactory(name="Elm Academy")
    theirs = make_evaluation(other)
    action = make_action(theirs)
    me = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    login(client, me)
    for url in (f"/self-evaluation/{theirs.id}", f"/self-evaluation/{theirs.id}/action-plan",
                f"/self-evaluation/{theirs.id}/checkpoints/{FIRST}",
                f"/self-evaluation/{theirs.id}/sign-off", f"/self-evaluation/{theirs.id}/reopen",
                f"/self-evaluation/actions/{action.id}/edit"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/self-evaluation/{theirs.id}/checkpoints/{FIRST}",
                       data={"version": "0", RATING: "embedded"}).status_code == 404
    assert client.post(f"/self-evaluation/actions/{action.id}/close",
                       data={"status": "done", "version": "1"}).status_code == 404
    assert "Do something" not in client.get("/self-evaluation/actions").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CheckpointAnswer.id))) == 0


# --- comparison and trust view -----------------------------------------------------------

def test_comparison_table(client, school):
    first, second = _terms(2)
    older = make_evaluation(school, first)
    rate(older, {FIRST: "developing"})
    make_action(older, text="A", status=ActionStatus.DONE, closed=date.today())
    finalise(older)
    newer = make_evaluation(school, second)
    rate(newer, {FIRST: "embedded", "sa-02-attendance-ethos": None})
    make_action(newer, text="B")
    user = UserFactory(school=school, role=Role.STAFF)
    db.session.commit()
    login(client, user)
    page = without_govuk_classes(client.get("/self-evaluation/compare").get_data(as_text=True))
    assert "Checkpoint ratings by term at Oak Primary, oldest term first</caption>" in page
    assert page.index(first.label) < page.index(second.label)
    row = page[page.index('<th scope="row">1. '):]
    row = row[:row.index("</tr>")]
    assert '<td class="rating-developing">Developing</td>' in row
    assert '<td class="rating-embedded">Embedded</td>' in row
    assert '<td class="rating-none">Not rated</td>' in page
    actions_table = page[page.index("Actions opened and closed each term"):]
    assert f'<th scope="row">{second.label}</th><td>1</td><td>1</td>' in actions_table
    assert f'<th scope="row">{first.label}</th><td>1</td><td>0</td>' in actions_table


def test_trust_view_counts_only_the_users_admin_schools(client, school):
    elm, ash = SchoolFactory(name="Elm Academy"), SchoolFactory(name="Ash Academy")
    mine_not = SchoolFactory(name="Pine")
    admin = UserFactory(school=school, role=Role.ADMIN, name="Trust Admin")
    for other in (elm, ash):
        admin.memberships.append(Membership(school=other, role=Role.ADMIN))
    admin.memberships.append(Membership(school=mine_not, role=Role.STAFF))
    db.session.commit()
    for s, level in ((school, "developing"), (elm, "embedded"), (mine_not, "embedded")):
        rate(make_evaluation(s), {FIRST: level})
    overdue = make_action(services.current_for_term(elm.id, this_term()), text="Late",
                          review=date.today() - timedelta(days=3))
    assert overdue.is_overdue(date.today())
    login(client, admin)
    page = without_govuk_classes(client.get("/self-evaluation/trust").get_data(as_text=True))
    page = page[page.index('<main'):]  # the school switcher lists every membership
    assert "Ash Academy, Elm Academy, Oak Primary" in page and "Pine" not in page
    row = page[page.index('<th scope="row">1. '):]
    row = row[:row.index("</tr>")]
    # Not in place, Developing, Established, Embedded: Pine's "embedded" is not counted.
    assert row.endswith("<td>0</td><td>1</td><td>0</td><td>1</td>")
    assert "Elm Academy: 1 overdue action" in page
    assert "No self-evaluation for" in page and "Ash Academy" in page
    staff = UserFactory(school=school, role=Role.SENIOR_LEADER)
    db.session.commit()
    client.post("/logout")
    login(client, staff)
    assert client.get("/self-evaluation/trust").status_code == 403


# --- no query per row --------------------------------------------------------------------

@contextlib.contextmanager
def count_queries():
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _queries(client, url: str) -> int:
    client.get(url)  # warm up (registry scan, session school)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url_kind", ["compare", "overview"])
def test_pages_do_not_query_per_term(client, app, url_kind, tmp_path):
    counts = []
    for n in (2, 6):
        school = SchoolFactory()
        evaluations = [make_evaluation(school, term) for term in _terms(n)]
        for evaluation in evaluations:
            rate(evaluation)
            make_action(evaluation)
        user = UserFactory(school=school, role=Role.SENIOR_LEADER)
        db.session.commit()
        login(client, user)
        url = "/self-evaluation/compare" if url_kind == "compare" \
            else f"/self-evaluation/{evaluations[-1].id}"
        counts.append(_queries(client, url))
        client.post("/logout")
    assert counts[0] == counts[1]


@pytest.mark.parametrize("page", ["plan", "actions"])
def test_action_pages_do_not_query_per_action(client, app, page):
    counts = []
    for n in (5, 25):
        school = SchoolFactory()
        evaluation = make_evaluation(school)
        owner = UserFactory(school=school, role=Role.STAFF)
        for i in range(n):
            make_action(evaluation, owner=owner if i % 2 else None, owner_name="" if i % 2 else "X")
        user = UserFactory(school=school, role=Role.SENIOR_LEADER)
        db.session.commit()
        login(client, user)
        url = f"/self-evaluation/{evaluation.id}/action-plan" if page == "plan" \
            else "/self-evaluation/actions"
        counts.append(_queries(client, url))
        client.post("/logout")
    assert counts[0] == counts[1]


# --- demo and report context -------------------------------------------------------------

def test_demo_is_complete_and_idempotent(app, school):
    from checklist_app.auth.services import find_user
    from checklist_app.self_evaluation.demo import load_demo

    messages: list[str] = []
    load_demo(school, messages.append)
    db.session.commit()
    load_demo(school, messages.append)
    db.session.commit()
    evaluations = db.session.scalars(db.select(SelfEvaluation)).all()
    assert sorted(e.term.label for e in evaluations) == [
        "Autumn term 2026/27", "Spring term 2025/26", "Summer term 2025/26"]
    assert [e.status.value for e in sorted(evaluations, key=lambda e: e.term.sort_key)] == [
        "finalised", "finalised", "draft"]
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 9
    assert find_user("governor@oakfield.example").role_in(school.id) is Role.GOVERNOR
    assert find_user("head@oakfield.example").role_in(school.id) is Role.SENIOR_LEADER
    assert sum("password:" in m for m in messages) == 2  # shown once each
    assert "Demo self-evaluations already present." in messages
    overdue = [a for a in db.session.scalars(db.select(Action)) if a.is_overdue(date(2026, 11, 22))]
    assert overdue and any(a.status is ActionStatus.DONE for a in db.session.scalars(
        db.select(Action)))


def test_demo_text_has_no_rule_codes(app, school):
    """Demo evidence, actions and comments are what a school would write: no rule codes (R1-R35)."""
    import re

    from checklist_app.self_evaluation.demo import load_demo
    from checklist_app.self_evaluation.models import BoardComment, CheckpointAnswer

    load_demo(school, lambda _: None)
    db.session.commit()
    texts = [v for a in db.session.scalars(db.select(CheckpointAnswer)) for v in a.answers.values()]
    texts += [t for a in db.session.scalars(db.select(Action)) for t in (a.action_point, a.comments)]
    texts += [t for c in db.session.scalars(db.select(BoardComment)) for t in (c.body, c.reply)]
    texts += [str(v) for e in db.session.scalars(db.select(SelfEvaluation))
              for v in [*(e.sign_off or {}).values(), e.reopen_reason]]
    assert len(texts) > 100
    coded = [t for t in texts if t and re.search(r"\bR\d{1,2}\b", t)]
    assert not coded, coded


def test_action_plan_context_is_plain_values(app, school):
    evaluation = make_evaluation(school, "2026-27-autumn")
    rate(evaluation, {FIRST: "embedded"})
    owner = UserFactory(school=school, role=Role.STAFF, name="Sam Lee")
    make_action(evaluation, text="Late one", owner=owner, review=date(2026, 10, 1))
    context = services.action_plan_context(evaluation, today=date(2026, 11, 22))
    assert context["school_name"] == "Oak Primary"
    assert context["term"] == "Autumn term 2026/27"
    first = context["checkpoints"][0]
    assert first["rating_label"] == "Embedded" and first["evidence"][0]["text"] == "Evidence for 1"
    assert first["evidence"][0]["label"] == "Where are we now?"
    action = context["actions"][0]
    assert action["owner"] == "Sam Lee" and action["overdue"] is True
    assert action["review_date"] == date(2026, 10, 1) and action["status_label"] == "Not started"


# --- who may do what ---------------------------------------------------------------------

@pytest.mark.parametrize("role", list(Role))
def test_access_matrix(client, school, role):
    draft = make_evaluation(school)
    user = UserFactory(school=school, role=role)
    db.session.commit()
    login(client, user)
    leader = role in (Role.ADMIN, Role.SENIOR_LEADER)
    staff = role not in (Role.GOVERNOR, Role.LOCAL_AUTHORITY)
    expected_get = {
        "/self-evaluation/": 200,
        "/self-evaluation/compare": 200,
        f"/self-evaluation/{draft.id}": 200 if staff else 404,
        f"/self-evaluation/{draft.id}/action-plan": 200 if staff else 404,
        f"/self-evaluation/{draft.id}/sign-off": 200 if leader else 403,
        f"/self-evaluation/{draft.id}/actions/new": 200 if leader else 403,
        "/self-evaluation/actions": 200 if staff else 403,
        "/self-evaluation/local-checkpoints": 200 if leader else 403,
        "/self-evaluation/trust": 200 if role in (Role.ADMIN, Role.LOCAL_AUTHORITY) else 403,
    }
    for url, status in expected_get.items():
        assert client.get(url).status_code == status, url
    saved = client.post(f"/self-evaluation/{draft.id}/checkpoints/{FIRST}",
                        data={"version": "0", RATING: "developing"})
    assert saved.status_code == (302 if leader else 403)
