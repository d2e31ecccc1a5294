"""A fully filled self-evaluation prints in under 35 pages (issue 14's aim), with every word.

Filled as benchmarks/pdf_page_count.py fills it: all 25 checkpoints rated with 700 words of
evidence each (markdown with bold and a list), 12 actions with comments, sign-off with comments.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from benchmarks.pdf_page_count import fill
from checklist_app.extensions import db
from checklist_app.reporting import services as reports
from checklist_app.self_evaluation import services
from checklist_app.self_evaluation.models import Action
from tests.reporting_factories import flat, pdf_pages, school_with_leader
from tests.self_evaluation_factories import make_evaluation

DAY = date(2026, 11, 22)
AIM = 35


@pytest.fixture
def app_config(tmp_path):
    return {"REPORT_CACHE_DIR": str(tmp_path / "report-cache")}


@pytest.fixture
def full(app):
    school, _leader = school_with_leader()
    evaluation = make_evaluation(school, "2026-27-autumn")
    fill(school.id, evaluation, actions=12)
    db.session.commit()
    return evaluation


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9'%]+", text)


def test_fully_filled_self_evaluation_is_under_35_pages_with_every_word(full):
    pages = pdf_pages(reports.action_plan_pdf(full, DAY).data)
    assert len(pages) < AIM, f"{len(pages)} pages"
    printed = _words(flat("\n".join(pages)))
    typed = [c.answer.answers[p] for c in services.checkpoints_of(full)
             for p in ("where_now", "next_steps", "impact")]
    actions = db.session.scalars(db.select(Action).where(Action.school_id == full.school_id)).all()
    assert len(actions) == 12
    typed += [text for a in sorted(actions, key=lambda a: a.number)
              for text in (a.action_point, a.comments)]  # a row: action point, then comments
    expected = [w for text in typed for w in _words(text)]  # "**Now:**" is the word "Now"
    assert len(expected) > 18_000
    remaining = iter(printed)
    missing = [w for w in expected if w not in remaining]  # in order: each found after the last
    assert missing == [], " ".join(missing[:40])


def test_board_pack_of_the_same_fills_its_first_page(full):
    pages = pdf_pages(reports.board_pack_pdf(full, DAY).data)
    assert len(pages) <= AIM, f"{len(pages)} pages"  # two pages of summary, then the same
    assert "Change since last term, by checkpoint" in flat(pages[0])  # not pushed to page 2
