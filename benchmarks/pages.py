"""The main GET pages, a logged-in test client, and counting SQL statements per request.

Shared by ``benchmarks/run.py`` and ``tests/test_query_counts.py``, so both look at the same pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event

from benchmarks.dataset import Dataset
from checklist_app import create_app
from checklist_app.extensions import db
from checklist_app.self_evaluation import DEFINITION_KEY
from checklist_app.self_evaluation.terms import Term

FIRST_CHECKPOINT = "sa-01-read-guidance"
TRIVIAL = "/healthz"
ROOT = Path(__file__).resolve().parent.parent


def make_bench_app(database_url: str, cache_dir: str | None = None) -> Flask:
    """The app as deployed, on ``database_url``, with log-in rate limits off for the benchmark."""
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "benchmark-secret-key-long-enough-1234",
        "RATELIMIT_ENABLED": False, "CHECKLISTS_DIR": str(ROOT / "checklists"),
        "REPORTS_DIR": str(ROOT / "reports"), "REPORT_CACHE_DIR": cache_dir,
    })


@dataclass(frozen=True)
class Page:
    """A page to measure: a short name and its path."""

    name: str
    path: str


def main_pages(ds: Dataset, today: Any = None) -> list[Page]:
    """Every main GET page of the app, opened on the records of the dataset's largest school."""
    from datetime import date

    term = Term.for_date(today or date.today())
    case = f"/cases/{ds.busy_case_id}"
    return [
        Page("Health check, logged in (user and memberships loaded)", TRIVIAL),
        Page("Home", "/"),
        Page("Self-evaluation list", "/self-evaluation/"),
        Page("Self-evaluation overview (finalised)", f"/self-evaluation/{ds.finalised_id}"),
        Page("Self-evaluation overview (draft)", f"/self-evaluation/{ds.draft_id}"),
        Page("Checkpoint", f"/self-evaluation/{ds.draft_id}/checkpoints/{FIRST_CHECKPOINT}"),
        Page("Action plan (draft, live)", f"/self-evaluation/{ds.draft_id}/action-plan"),
        Page("Action plan (finalised, frozen)", f"/self-evaluation/{ds.finalised_id}/action-plan"),
        Page("Sign-off", f"/self-evaluation/{ds.draft_id}/sign-off"),
        Page("Compare terms", "/self-evaluation/compare"),
        Page("School's actions", "/self-evaluation/actions"),
        Page("Trust view", f"/self-evaluation/trust?term={term.slug}"),
        Page("Casework dashboard", "/cases/"),
        Page("Pupils", "/cases/pupils"),
        Page("Case page", case),
        Page("Contract checklist", f"{case}/checklist"),
        Page("Pupil page", f"/cases/pupils/{ds.busy_pupil_id}"),
        Page("Contract page", f"{case}/contracts/{ds.contract_id}"),
        Page("Meeting page", f"{case}/meetings/{ds.meeting_id}"),
        Page("Letter page", f"{case}/letters/{ds.letter_id}"),
        Page("Audit trail", "/audit/"),
        Page("Checklists", "/checklists/"),
        Page("Checklist", f"/checklists/{DEFINITION_KEY}/2022.1"),
        Page("Checklist versions compared", f"/checklists/{DEFINITION_KEY}/compare"),
    ]


def logged_in_client(app: Flask, ds: Dataset):
    """A test client logged in as the trust administrator, working in the largest school."""
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"email": ds.admin_email, "password": ds.password, "csrf_token": token.group(1) if token else ""}
    response = client.post("/login", data=data)
    if response.status_code != 302:
        raise RuntimeError(f"Log-in failed ({response.status_code}): check the dataset's password")
    with client.session_transaction() as session:
        session["school_id"] = ds.school_id
    return client


class StatementCounter:
    """Counts the statements sent to the database (``before_cursor_execute``), BEGIN excepted."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []
        self.keep = False

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.strip().upper().startswith("BEGIN"):
            return
        self.count += 1
        if self.keep:
            self.statements.append(statement)


@contextmanager
def counting(app: Flask) -> Iterator[StatementCounter]:
    """Listen to the app's engine for the duration of the block."""
    counter = StatementCounter()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def statements_per_page(app: Flask, client, pages: list[Page], keep: bool = False) \
        -> dict[str, tuple[int, int, list[str]]]:
    """For each page: (HTTP status, statements sent, the statements if ``keep``)."""
    found = {}
    with counting(app) as counter:
        counter.keep = keep
        for page in pages:
            client.get(page.path)  # warm: first renders compile templates and load definitions
            counter.count, counter.statements = 0, []
            response = client.get(page.path)
            found[page.name] = (response.status_code, counter.count, list(counter.statements))
    return found
