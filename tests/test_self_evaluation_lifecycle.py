"""Sign-off and finalise (locks), reopen (new revision), and start next term (carry-forward)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import Role
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import (
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)
from tests.factories import UserFactory, login
from tests.self_evaluation_factories import (
    FIRST,
    RATING,
    finalise,
    make_action,
    make_evaluation,
    rate,
    this_term,
)

ROOT = Path(__file__).resolve().parent.parent
KEY = "school-attendance-self-evaluation"
SIGN_OFF = {"school_name": "Oak Primary", "person_completing": "Jo Head", "role": "Headteacher",
            "date": "2026-11-20", "next_review_date": "2027-03-26", "comments": "Agreed at SLT."}


def _finalise_by_form(client, evaluation):
    return client.post(f"/self-evaluation/{evaluation.id}/sign-off",
                       data={**SIGN_OFF, "version": str(evaluation.version), "intent": "finalise"})


def test_sign_off_can_be_saved_without_finalising(client, leader, school):
    evaluation = make_evaluation(school)
    page = client.get(f"/self-evaluation/{evaluation.id}/sign-off").get_data(as_text=True)
    assert 'value="Oak Primary"' in page and 'value="Jo Head"' in page  # pre-filled
    response = client.post(f"/self-evaluation/{evaluation.id}/sign-off",
                           data={"school_name": "Oak Primary", "version": str(evaluation.version),
                                 "intent": "save"})
    assert response.status_code == 302
    assert evaluation.sign_off["school_name"] == "Oak Primary"
    assert evaluation.status is EvaluationStatus.DRAFT


def test_finalise_needs_every_checkpoint_rated(client, leader, school):
    evaluation = make_evaluation(school)
    rate(evaluation, {"sa-25-dfe-data-sharing": None, "sa-24-services-beyond-school": None})
    response = _finalise_by_form(client, evaluation)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "These checkpoints need a rating: 24 (" in page and "; 25 (" in page
    assert "carried forward" not in page
    assert 'value="Headteacher"' in page  # typed sign-off kept
    assert evaluation.status is EvaluationStatus.DRAFT


def test_finalise_checks_the_sign_off(client, leader, school):
    evaluation = make_evaluation(school)
    rate(evaluation)
    response = client.post(f"/self-evaluation/{evaluation.id}/sign-off", data={
        **SIGN_OFF, "person_completing": "", "next_review_date": "2026-01-01",
        "version": str(evaluation.version), "intent": "finalise"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the person completing this form to finalise." in page
    assert "The date of next review must be after the date of sign-off." in page


def test_finalise_locks_and_refuses_later_posts(client, leader, school):
    evaluation = make_evaluation(school)
    rate(evaluation)
    make_action(evaluation, text="Open action")
    assert _finalise_by_form(client, evaluation).status_code == 302
    assert evaluation.status is EvaluationStatus.FINALISED
    assert evaluation.finalised_by_id == leader.id
    assert evaluation.sign_off["next_review_date"] == "2027-03-26"
    assert evaluation.frozen_actions[0]["action_point"] == "Open action"
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "finalise", AuditEvent.record_type == "SelfEvaluation"))
    overview = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "Finalised" in overview and "26 March 2027" in overview

    before = db.session.scalar(db.select(CheckpointAnswer).where(CheckpointAnswer.item_id == FIRST))
    saved = client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}",
                        data={"version": str(before.version), RATING: "not-in-place"})
    assert saved.status_code == 409
    assert "has been finalised, so it can no longer be changed" in saved.get_data(as_text=True)
    again = client.post(f"/self-evaluation/{evaluation.id}/sign-off",
                        data={**SIGN_OFF, "version": str(evaluation.version), "intent": "save"})
    assert again.status_code == 409
    assert before.rating == "established"


def test_reopen_makes_a_new_revision_and_keeps_the_old_one(client, leader, school):
    evaluation = make_evaluation(school)
    rate(evaluation)
    _finalise_by_form(client, evaluation)
    refused = client.post(f"/self-evaluation/{evaluation.id}/reopen", data={"reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.get_data(as_text=True)
    response = client.post(f"/self-evaluation/{evaluation.id}/reopen",
                           data={"reason": "Governors asked us to revisit checkpoint 13."})
    assert response.status_code == 302
    revisions = db.session.scalars(db.select(SelfEvaluation).order_by(SelfEvaluation.revision)).all()
    old, new = revisions
    assert old.status is EvaluationStatus.FINALISED and not old.is_current
    assert new.status is EvaluationStatus.DRAFT and new.is_current and new.revision == 2
    assert new.previous_revision_id == old.id
    assert db.session.scalar(db.select(db.func.count(CheckpointAnswer.id)).where(
        CheckpointAnswer.self_evaluation_id == new.id)) == 25
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "reopen")).reason \
        == "Governors asked us to revisit checkpoint 13."
    # The new revision can be edited; the old one is still readable and still locked.
    answer = db.session.scalar(db.select(CheckpointAnswer).where(
        CheckpointAnswer.self_evaluation_id == new.id, CheckpointAnswer.item_id == FIRST))
    assert client.post(f"/self-evaluation/{new.id}/checkpoints/{FIRST}", data={
        "version": str(answer.version), RATING: "developing"}).status_code == 302
    old_page = client.get(f"/self-evaluation/{old.id}").get_data(as_text=True)
    assert "Superseded by a later revision" in old_page
    assert client.post(f"/self-evaluation/{old.id}/checkpoints/{FIRST}",
                       data={"version": "1", RATING: "developing"}).status_code == 409
    old_rating = db.session.scalar(db.select(CheckpointAnswer.rating).where(
        CheckpointAnswer.self_evaluation_id == old.id, CheckpointAnswer.item_id == FIRST))
    assert old_rating == "established"
    new_page = client.get(f"/self-evaluation/{new.id}").get_data(as_text=True)
    assert "Governors asked us to revisit checkpoint 13." in new_page


def test_only_leaders_reopen(client, school):
    evaluation = finalise(make_evaluation(school))
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    db.session.commit()
    login(client, lead)
    assert client.post(f"/self-evaluation/{evaluation.id}/reopen",
                       data={"reason": "x"}).status_code == 403


def test_start_next_term_on_the_same_edition(client, leader, school):
    last = make_evaluation(school, this_term().previous())
    rate(last, {FIRST: "embedded"})
    make_action(last, text="Carried action")
    finalise(last)
    response = client.post("/self-evaluation/next-term")
    assert response.status_code == 302
    new = db.session.scalar(db.select(SelfEvaluation).where(SelfEvaluation.id != last.id))
    assert new.term == this_term()
    assert new.snapshot.version == "2022.1"
    answers = {a.item_id: a for a in db.session.scalars(db.select(CheckpointAnswer).where(
        CheckpointAnswer.self_evaluation_id == new.id))}
    assert len(answers) == 25 and answers[FIRST].rating == "embedded"
    assert not any(a.needs_review for a in answers.values())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Carried forward from" in page and "1 open action carried" in page
    plan = client.get(f"/self-evaluation/{new.id}/action-plan").get_data(as_text=True)
    assert "Carried action" in plan


def test_next_term_refused_while_the_last_is_a_draft(client, leader, school):
    make_evaluation(school)
    response = client.post("/self-evaluation/next-term", follow_redirects=True)
    assert "Finalise the self-evaluation for" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SelfEvaluation.id))) == 1


# --- carrying forward onto a new edition (fixture definitions in a tmp folder) --------------

@pytest.fixture
def app_config(tmp_path):
    root = tmp_path / "checklists"
    (root / KEY).mkdir(parents=True)
    shutil.copy(ROOT / "checklists" / KEY / "2022.1.yaml", root / KEY / "2022.1.yaml")
    return {"CHECKLISTS_DIR": str(root)}


def _publish_new_edition(app) -> None:
    folder = Path(app.config["CHECKLISTS_DIR"]) / KEY
    data = yaml.safe_load((folder / "2022.1.yaml").read_text(encoding="utf-8"))
    data.update(version="2026.1", supersedes="2022.1", edition_date=date(2026, 9, 1))
    items = data["sections"][0]["items"]
    by_id = {item["id"]: item for item in items}
    by_id["sa-02-attendance-ethos"]["text"] = "Our school has a strong ethos where attendance is " \
        "everyone's business, with a 'support first' approach. (Reworded in 2026.)"
    by_id["sa-19-attendance-improvement-plan"].update(withdrawn=True,
                                                      replaced_by="sa-26-attendance-action-plan")
    items.append({"id": "sa-26-attendance-action-plan", "number": "26",
                  "text": "Our attendance action plan is part of the school improvement plan.",
                  "response": {"type": "self-evaluation"}})
    (folder / "2026.1.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                        encoding="utf-8")


def test_start_next_term_moves_to_a_new_edition(client, leader, school, app):
    last = make_evaluation(school, this_term().previous())
    assert last.snapshot.version == "2022.1"
    rate(last, {"sa-02-attendance-ethos": "developing",
                "sa-19-attendance-improvement-plan": "embedded"})
    finalise(last)
    _publish_new_edition(app)

    response = client.post("/self-evaluation/next-term")
    assert response.status_code == 302
    new = db.session.scalar(db.select(SelfEvaluation).where(SelfEvaluation.id != last.id))
    assert new.snapshot.version == "2026.1"
    answers = {a.item_id: a for a in db.session.scalars(db.select(CheckpointAnswer).where(
        CheckpointAnswer.self_evaluation_id == new.id))}
    assert answers["sa-02-attendance-ethos"].rating == "developing"  # carried by stable id
    assert answers["sa-02-attendance-ethos"].needs_review is True     # its wording changed
    assert answers[FIRST].needs_review is False
    assert "sa-19-attendance-improvement-plan" not in answers
    assert answers["sa-26-attendance-action-plan"].rating == "embedded"  # moved to its replacement
    assert answers["sa-26-attendance-action-plan"].needs_review is True
    notes = new.carry_notes
    assert [c["id"] for c in notes["changed"]] == ["sa-02-attendance-ethos"]
    assert notes["withdrawn"][0]["id"] == "sa-19-attendance-improvement-plan"

    page = client.get(f"/self-evaluation/{new.id}").get_data(as_text=True)
    assert "new edition 2026.1" in page
    assert "Checkpoints withdrawn in edition 2026.1" in page
    assert "Our school has an additional action / improvement plan" in page
    assert "Replaced by checkpoint 26" in page
    assert "carried over, wording changed: please review" in page
    # Checkpoint 26 replaced 19: it is new, not "wording changed".
    assert "new, replacing withdrawn checkpoint 19: review the answer copied from it" in page
    assert page.count("carried over, wording changed") == 1
    # The previous term stays pinned to its edition.
    old_page = client.get(f"/self-evaluation/{last.id}/checkpoints/sa-02-attendance-ethos")
    assert "Reworded in 2026" not in old_page.get_data(as_text=True)
    # Saving the flagged checkpoint confirms it.
    client.post(f"/self-evaluation/{new.id}/checkpoints/sa-02-attendance-ethos", data={
        "version": str(answers["sa-02-attendance-ethos"].version),
        "sa_02_attendance_ethos__rating": "established"})
    assert answers["sa-02-attendance-ethos"].needs_review is False


def test_a_fresh_start_uses_the_newest_edition(client, leader, school, app):
    _publish_new_edition(app)
    client.post("/self-evaluation/start", data={"academic_year": "2026/27", "season": "autumn"})
    evaluation = db.session.scalar(db.select(SelfEvaluation))
    assert evaluation.snapshot.version == "2026.1"
    page = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "0 of 25 checkpoints" in page  # 25 official, one withdrawn and one added


def test_sign_off_conflict_shows_both_versions(client, leader, school):
    evaluation = make_evaluation(school)
    stale = str(evaluation.version)
    client.post(f"/self-evaluation/{evaluation.id}/sign-off",
                data={"role": "Deputy head", "version": stale, "intent": "save"})
    response = client.post(f"/self-evaluation/{evaluation.id}/sign-off",
                           data={"role": "Headteacher", "version": stale, "intent": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The saved sign-off and yours" in page
    assert "Deputy head" in page and "Headteacher" in page
