"""Fuzzing every form: generated values never cause a 500, a refused save changes nothing, and the
user is told what is wrong.

The forms are found by reading the real pages (every <form method="post"> with its fields), so a new
form is fuzzed as soon as a page shows it.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.factories import SchoolFactory, UserFactory, login
from tests.self_evaluation_factories import make_evaluation, this_term
from tests.test_access_matrix import _routes, _url, _world

pytestmark = pytest.mark.slow  # run by the full suite; left out of the quick loop (-m "not slow")

SKIP_ACTIONS = ("/logout", "/switch-school")


class FormCollector(HTMLParser):
    """Every POST form on a page: its action and its fields (name -> (type, [values]))."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[tuple[str, dict[str, tuple[str, list[str]]]]] = []
        self._fields: dict[str, tuple[str, list[str]]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = {}
            self.forms.append(((a.get("action") or self.page_url).split("?")[0], self._fields))
        elif self._fields is None or not a.get("name") or a["name"] == "csrf_token":
            return
        elif tag == "input":
            kind, values = a.get("type", "text"), [a.get("value") or ""]
            old = self._fields.get(a["name"], (kind, []))
            self._fields[a["name"]] = (kind, old[1] + values if kind in ("radio", "checkbox")
                                       else values)
        elif tag == "textarea":
            self._fields[a["name"]] = ("textarea", [""])
        elif tag == "select":
            self._select = a["name"]
            self._fields[a["name"]] = ("select", [])
        if tag == "option" and self._select and self._fields is not None:
            self._fields[self._select][1].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200),
    st.sampled_from(["", " ", "\x00", "\x07\x1b[31m", "<script>alert(1)</script>", "=1+1",
                     "-1", "101", "100.0001", "1e309", "NaN", "2026-02-30", "31/12/2026",
                     "0000-00-00", "9999-99-99", "yes", "true", "[]", "{}", "ZoË Ó Briain"]),
    st.builds(lambda n: "x" * n, st.sampled_from([501, 20_001, 300_000])),
    st.integers(min_value=-10**9, max_value=10**9).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def _value(kind: str, values: list[str]):
    choices = [v for v in values if v]
    if kind in ("radio", "select", "checkbox", "hidden") and choices:
        return st.one_of(st.sampled_from(choices), HOSTILE_TEXT)
    return HOSTILE_TEXT


def _form_data(fields: dict[str, tuple[str, list[str]]]):
    """Each field: a sensible value, a hostile one, or missing altogether."""
    parts = {name: st.one_of(st.none(), _value(kind, values)) for name, (kind, values) in fields.items()}
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _collect_forms(app, client, ids) -> dict[str, dict]:
    forms: dict[str, dict] = {}
    for rule, view, method in _routes(app):
        if method != "GET" or getattr(view, "is_public", False) or "GET" not in rule.methods:
            continue
        url = _url(app, rule, ids)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        collector = FormCollector(url)
        collector.feed(response.get_data(as_text=True))
        for action, fields in collector.forms:
            if not action.endswith(SKIP_ACTIONS):
                forms.setdefault(action, fields)
    return forms


@pytest.fixture
def fuzz_world(app, client):
    school = SchoolFactory(name="Fuzz School")
    ids = _world(school)
    admin = UserFactory(school=school, role=Role.ADMIN)
    draft = make_evaluation(school, this_term().next())
    db.session.commit()
    login(client, admin)
    forms = _collect_forms(app, client, ids)
    forms.update(_collect_forms(app, client, {**ids, "evaluation_id": draft.id}))
    return forms


def test_the_fuzzer_finds_the_forms(fuzz_world):
    actions = " ".join(fuzz_world)
    for expected in ("/self-evaluation/start", "/checkpoints/", "/actions/new", "/sign-off",
                     "/cases/pupils/new", "/figures/new", "/contacts/new", "/meetings/new"):
        assert expected in actions, expected
    assert len(fuzz_world) >= 20


def _check(client, action: str, values: dict) -> int:
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post(action, data=values)
    after = db.session.scalar(select(func.count()).select_from(AuditEvent))
    page = response.get_data(as_text=True)
    assert response.status_code < 500, (action, values)
    if response.status_code in (400, 409):
        assert after == before, f"a refused save to {action} still changed records"
    if response.status_code == 400:
        assert "There is a problem" in page or "not right" in page, (action, values)
    return response.status_code


def _fuzzer(client, action: str, fields: dict, statuses: dict[int, int]):
    """A Hypothesis test posting generated values to one form."""

    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(values=_form_data(fields))
    def fuzz(values):
        status = _check(client, action, values)
        statuses[status] = statuses.get(status, 0) + 1

    return fuzz


def test_generated_input_never_breaks_a_form(fuzz_world, client):
    statuses: dict[int, int] = {}
    for action, fields in sorted(fuzz_world.items()):
        _fuzzer(client, action, fields, statuses)()
    assert statuses.get(400, 0) > 50, statuses  # the fuzzer really reaches the validation paths
