"""The health check that load balancers poll: public, tiny, never cached, no database needed."""

from __future__ import annotations

from sqlalchemy import event

from checklist_app.extensions import db


def test_healthz_answers_ok_without_log_in_or_database(app, client):
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert statements == []


def test_healthz_is_get_only(client):
    assert client.post("/healthz").status_code == 405
