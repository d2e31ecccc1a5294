"""A carried-forward term: each checkpoint confirmed "reviewed this term" before finalising, and
changed checkpoints showing their old wording beside the new."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from checklist_app.extensions import db
from checklist_app.self_evaluation.models import CheckpointAnswer, EvaluationStatus, SelfEvaluation
from tests.self_evaluation_factories import FIRST, RATING, finalise, make_evaluation, rate, this_term

ROOT = Path(__file__).resolve().parent.parent
KEY = "school-attendance-self-evaluation"
ETHOS = "sa-02-attendance-ethos"
SIGN_OFF = {"school_name": "Oak Primary", "person_completing": "Jo Head", "role": "Headteacher",
            "date": "2026-11-20", "next_review_date": "2027-03-26", "intent": "finalise"}


def _carried(client, school) -> SelfEvaluation:
    last = make_evaluation(school, this_term().previous())
    rate(last)
    finalise(last)
    assert client.post("/self-evaluation/next-term").status_code == 302
    return db.session.scalar(db.select(SelfEvaluation).where(SelfEvaluation.id != last.id))


def _answers(evaluation: SelfEvaluation) -> dict[str, CheckpointAnswer]:
    return {a.item_id: a for a in db.session.scalars(db.select(CheckpointAnswer).where(
        CheckpointAnswer.self_evaluation_id == evaluation.id))}


def test_carried_checkpoints_must_be_confirmed_reviewed_before_finalising(client, leader, school):
    new = _carried(client, school)
    answers = _answers(new)
    assert len(answers) == 25 and not any(a.reviewed_this_term for a in answers.values())

    response = client.post(f"/self-evaluation/{new.id}/sign-off",
                           data={**SIGN_OFF, "version": str(new.version)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "need confirming as reviewed this term: 1 (Our school leadership team" in page
    assert "; 25 (" in page
    assert new.status is EvaluationStatus.DRAFT

    url = f"/self-evaluation/{new.id}/checkpoints/{FIRST}"
    page = client.get(url).get_data(as_text=True)
    assert "I have reviewed this checkpoint this term" in page and "carried forward" in page
    # Saving without the tick keeps it waiting; with the tick confirms it.
    client.post(url, data={RATING: "established", "version": str(answers[FIRST].version)})
    assert answers[FIRST].reviewed_this_term is False
    client.post(url, data={RATING: "established", "reviewed": "y",
                           "version": str(answers[FIRST].version)})
    assert answers[FIRST].reviewed_this_term is True
    page = client.get(url).get_data(as_text=True)
    box = re.search(r'<input[^>]*name="reviewed"[^>]*>', page)
    assert box and "checked" in box.group(0)

    page = client.post(f"/self-evaluation/{new.id}/sign-off",
                       data={**SIGN_OFF, "version": str(new.version)}).get_data(as_text=True)
    assert "reviewed this term: 2 (" in page and "1 (Our school leadership team" not in page

    for answer in answers.values():
        answer.reviewed_this_term = True
    db.session.commit()
    response = client.post(f"/self-evaluation/{new.id}/sign-off",
                           data={**SIGN_OFF, "version": str(new.version)})
    assert response.status_code == 302 and new.status is EvaluationStatus.FINALISED


def test_a_fresh_term_and_a_reopened_one_ask_no_confirmation(client, leader, school):
    evaluation = make_evaluation(school)
    rate(evaluation)
    page = client.get(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}").get_data(as_text=True)
    assert "I have reviewed this checkpoint this term" not in page
    response = client.post(f"/self-evaluation/{evaluation.id}/sign-off",
                           data={**SIGN_OFF, "version": str(evaluation.version)})
    assert response.status_code == 302
    response = client.post(f"/self-evaluation/{evaluation.id}/reopen", data={"reason": "Typo"})
    revision = db.session.scalar(db.select(SelfEvaluation).where(SelfEvaluation.revision == 2))
    assert all(a.reviewed_this_term for a in _answers(revision).values())


# --- changed wording: old beside new (fixture definitions in a tmp folder) -----------------

@pytest.fixture
def app_config(tmp_path):
    root = tmp_path / "checklists"
    (root / KEY).mkdir(parents=True)
    shutil.copy(ROOT / "checklists" / KEY / "2022.1.yaml", root / KEY / "2022.1.yaml")
    return {"CHECKLISTS_DIR": str(root)}


def publish_reworded_edition(app) -> None:
    """Edition 2026.1 with checkpoint 2 reworded."""
    folder = Path(app.config["CHECKLISTS_DIR"]) / KEY
    data = yaml.safe_load((folder / "2022.1.yaml").read_text(encoding="utf-8"))
    data.update(version="2026.1", supersedes="2022.1", edition_date=date(2026, 9, 1))
    by_id = {item["id"]: item for item in data["sections"][0]["items"]}
    by_id[ETHOS]["text"] = "Attendance is everyone's business here. (Reworded in 2026.)"
    (folder / "2026.1.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                        encoding="utf-8")


def test_changed_checkpoint_shows_old_wording_beside_new(client, leader, school, app):
    last = make_evaluation(school, this_term().previous())
    rate(last)
    finalise(last)
    publish_reworded_edition(app)
    assert client.post("/self-evaluation/next-term").status_code == 302
    new = db.session.scalar(db.select(SelfEvaluation).where(SelfEvaluation.id != last.id))
    page = client.get(f"/self-evaluation/{new.id}/checkpoints/{ETHOS}").get_data(as_text=True)
    assert "Wording in edition 2022.1" in page and "Wording in edition 2026.1" in page
    assert "Reworded in 2026." in page
    assert "Our school has a strong ethos" in page  # the old wording, shown beside
    unchanged = client.get(f"/self-evaluation/{new.id}/checkpoints/{FIRST}").get_data(as_text=True)
    assert "Wording in edition 2022.1" not in unchanged
