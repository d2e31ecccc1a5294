"""How a carried-forward term labels its checkpoints: "to review this term" rather than "not yet
rated", and a checkpoint that replaced a withdrawn one shown beside the checkpoint it replaced."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from checklist_app.extensions import db
from checklist_app.self_evaluation.models import CheckpointAnswer, SelfEvaluation
from tests.factories import without_govuk_classes
from tests.self_evaluation_factories import FIRST, RATING, finalise, make_evaluation, rate, this_term

ROOT = Path(__file__).resolve().parent.parent
KEY = "school-attendance-self-evaluation"
ETHOS = "sa-02-attendance-ethos"
GUIDED = "sa-03-la-expectations"
OLD_PLAN = "sa-19-attendance-improvement-plan"
NEW_PLAN = "sa-26-attendance-action-plan"


@pytest.fixture
def app_config(tmp_path):
    root = tmp_path / "checklists"
    (root / KEY).mkdir(parents=True)
    shutil.copy(ROOT / "checklists" / KEY / "2022.1.yaml", root / KEY / "2022.1.yaml")
    return {"CHECKLISTS_DIR": str(root)}


def _publish_new_edition(app) -> None:
    """Edition 2026.1: checkpoint 2 reworded, 3's guidance changed, 19 withdrawn and replaced by a
    new 26."""
    folder = Path(app.config["CHECKLISTS_DIR"]) / KEY
    data = yaml.safe_load((folder / "2022.1.yaml").read_text(encoding="utf-8"))
    data.update(version="2026.1", supersedes="2022.1", edition_date=date(2026, 9, 1))
    items = data["sections"][0]["items"]
    by_id = {item["id"]: item for item in items}
    by_id[ETHOS]["text"] = "Attendance is everyone's business here. (Reworded in 2026.)"
    by_id[GUIDED]["guidance"] = [{"label": "WTTISA", "reference": "Section 4 (2026 edition)"}]
    by_id[OLD_PLAN].update(withdrawn=True, replaced_by=NEW_PLAN)
    items.append({"id": NEW_PLAN, "number": "26",
                  "text": "Our attendance action plan is part of the school improvement plan.",
                  "response": {"type": "self-evaluation"}})
    (folder / "2026.1.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                        encoding="utf-8")


def _carry(client, school, app=None, ratings=None) -> SelfEvaluation:
    last = make_evaluation(school, this_term().previous())
    rate(last, ratings)
    finalise(last)
    if app is not None:
        _publish_new_edition(app)
    assert client.post("/self-evaluation/next-term").status_code == 302
    return db.session.scalar(db.select(SelfEvaluation).where(SelfEvaluation.id != last.id))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _status(page: str, number: str) -> tuple[str, str]:
    """The task list's status and hint for a checkpoint, as words."""
    item = re.search(rf'<li class="govuk-task-list__item[^"]*">\s*'
                     rf'<div class="govuk-task-list__name-and-hint">\s*<a [^>]*>{number}\. .*?</li>',
                     page, re.S)
    assert item, f"checkpoint {number} is not in the task list"
    status = re.search(r'<div class="govuk-task-list__status"[^>]*>(.*?)</div>', item.group(0), re.S)
    hint = re.search(r'<div class="govuk-task-list__hint">(.*?)</div>', item.group(0), re.S)
    return _text(status.group(1)), _text(hint.group(1)) if hint else ""


def test_carried_answers_are_to_review_not_unrated(client, leader, school):
    new = _carry(client, school, ratings={FIRST: "embedded"})
    page = client.get(f"/self-evaluation/{new.id}").get_data(as_text=True)
    words = _text(page)
    assert "not yet rated" not in page
    assert "Checkpoint 1</a>: carried forward from last term, to review this term" in page
    assert "Carried forward, still to review this term 25" in words
    assert "Not yet rated 0" in words
    status, hint = _status(page, "1")
    assert status == "To review"
    assert hint == "Rating carried forward from last term: Embedded"

    answer = db.session.scalar(db.select(CheckpointAnswer).where(
        CheckpointAnswer.self_evaluation_id == new.id, CheckpointAnswer.item_id == FIRST))
    response = client.post(f"/self-evaluation/{new.id}/checkpoints/{FIRST}",
                           data={RATING: "embedded", "sa_01_read_guidance__impact": "Termly data",
                                 "reviewed": "y", "version": str(answer.version)})
    assert response.status_code == 302, _text(response.get_data(as_text=True))
    page = client.get(f"/self-evaluation/{new.id}").get_data(as_text=True)
    words = _text(page)
    assert "Carried forward, still to review this term 24" in words
    assert "Checkpoint 1</a>:" not in page
    assert _status(page, "1") == ("Embedded", "")


def test_a_fresh_term_counts_only_unrated_checkpoints(client, leader, school):
    evaluation = make_evaluation(school)
    rate(evaluation, {FIRST: None})
    page = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    words = _text(page)
    assert "Not yet rated 1" in words and "still to review" not in words
    assert "Checkpoint 1</a>: not yet rated" in page
    assert _status(page, "1") == ("Not rated", "")
    assert _status(page, "2") == ("Established", "")


def test_the_leaders_home_says_how_many_are_still_to_review(client, leader, school):
    _carry(client, school)
    words = _text(client.get("/").get_data(as_text=True))
    assert "25 of 25 checkpoints rated, 25 carried forward still to review this term" in words
    assert "still needing attention" not in words


def test_a_replacement_checkpoint_shows_the_withdrawn_one_it_replaces(client, leader, school, app):
    new = _carry(client, school, app, ratings={OLD_PLAN: "embedded"})
    page = client.get(f"/self-evaluation/{new.id}/checkpoints/{NEW_PLAN}").get_data(as_text=True)
    words = _text(page)
    assert "wording or guidance of this checkpoint changed" not in words
    assert "new in edition 2026.1 and replaces checkpoint 19, which was withdrawn" in words
    assert "Checkpoint 19 in edition 2022.1 (withdrawn)" in words
    assert "Checkpoint 26 in edition 2026.1 (this term)" in words
    assert "Our school has an additional action / improvement plan" in words  # checkpoint 19's text
    assert "Our attendance action plan is part of the school improvement plan." in words
    overview = _text(client.get(f"/self-evaluation/{new.id}").get_data(as_text=True))
    assert "Review: replaces checkpoint 19" in overview


def test_a_reworded_checkpoint_shows_old_wording_beside_new(client, leader, school, app):
    new = _carry(client, school, app)
    page = client.get(f"/self-evaluation/{new.id}/checkpoints/{ETHOS}").get_data(as_text=True)
    words = _text(page)
    assert "The wording or guidance of this checkpoint changed in the new edition" in words
    assert "replaces checkpoint" not in words
    old = re.search(r'<td class="diff-old app-prose">(.*?)</td>\s*<td class="diff-new app-prose">(.*?)</td>',
                    without_govuk_classes(page), re.S)
    assert old and "Our school has a strong ethos" in old.group(1)
    assert "Reworded in 2026." in old.group(2)
    unchanged = _text(client.get(f"/self-evaluation/{new.id}/checkpoints/{FIRST}")
                      .get_data(as_text=True))
    assert "Wording in edition" not in unchanged and "replaces checkpoint" not in unchanged


def test_a_checkpoint_whose_guidance_alone_changed_shows_no_wording_table(client, leader, school, app):
    new = _carry(client, school, app)
    page = client.get(f"/self-evaluation/{new.id}/checkpoints/{GUIDED}").get_data(as_text=True)
    words = _text(page)
    assert "The wording or guidance of this checkpoint changed in the new edition" in words
    assert "diff-old" not in page
    assert "The wording is the same as in edition 2022.1 (last term)" in words
    assert "Section 4 (2026 edition)" in words
