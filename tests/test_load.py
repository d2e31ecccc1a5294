"""Sixteen concurrent writers against a real threaded server, on SQLite and on PostgreSQL.

Each writer saves its own checkpoint twice and all of them race to save one shared checkpoint:
no request may fail, no accepted write may be lost, and every losing save is a reported conflict.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from checklist_app.auth.models import Role
from checklist_app.checklist_engine.forms import field_name
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import CheckpointAnswer
from checklist_app.self_evaluation.services import checkpoints_of
from tests.conftest import make_app
from tests.factories import PASSWORD, SchoolFactory, UserFactory
from tests.self_evaluation_factories import make_evaluation

pytestmark = pytest.mark.slow  # run by the full suite; left out of the quick loop (-m "not slow")

WRITERS = 16


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _client():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)


def _post(opener, url: str, data: dict) -> int:
    body = urllib.parse.urlencode(data).encode()
    try:
        with opener.open(urllib.request.Request(url, data=body, method="POST"), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def _run(database_url: str) -> None:
    app = make_app(database_url)
    with app.app_context():
        db.create_all()
        school = SchoolFactory()
        users = [UserFactory(school=school, role=Role.SENIOR_LEADER, name=f"Writer {i}")
                 for i in range(WRITERS)]
        evaluation = make_evaluation(school)
        items = [c.item for c in checkpoints_of(evaluation)]
        db.session.commit()
        emails, evaluation_id = [u.email for u in users], evaluation.id
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    results: dict[str, list[int]] = {"own": [], "shared": []}
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)
    lock = threading.Lock()
    shared = items[-1]

    def save(opener, item, version: int, text: str) -> int:
        return _post(opener, f"{base}/self-evaluation/{evaluation_id}/checkpoints/{item.id}", {
            field_name(item.id, "rating"): "developing", field_name(item.id, "where_now"): text,
            "version": str(version)})

    def writer(i: int) -> None:
        try:
            opener = _client()
            assert _post(opener, f"{base}/login", {"email": emails[i], "password": PASSWORD}) == 302
            barrier.wait()
            own = [save(opener, items[i], 0, f"first by writer {i}"),
                   save(opener, items[i], 1, f"second by writer {i}")]
            barrier.wait()
            contested = save(opener, shared, 0, f"shared by writer {i}")
            with lock:
                results["own"] += own
                results["shared"].append(contested)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    server.shutdown()
    assert errors == []
    assert results["own"] == [302] * (2 * WRITERS)
    assert sorted(results["shared"]) == [302] + [409] * (WRITERS - 1)
    with app.app_context():
        answers = {a.item_id: a for a in db.session.scalars(select(CheckpointAnswer))}
        for i in range(WRITERS):
            assert answers[items[i].id].answers["where_now"] == f"second by writer {i}"
            assert answers[items[i].id].version == 2
        assert answers[shared.id].answers["where_now"].startswith("shared by writer ")
        db.session.remove()
        db.engine.dispose()


def test_sixteen_writers_on_sqlite(tmp_path):
    _run(f"sqlite:///{tmp_path / 'load.sqlite3'}")


@pytest.mark.postgres
def test_sixteen_writers_on_postgres(postgres_url):
    _run(postgres_url)
