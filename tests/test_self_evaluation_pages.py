"""Starting a self-evaluation, the overview, checkpoint pages, validation and conflicts."""

from __future__ import annotations

import re

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import CheckpointAnswer, SelfEvaluation
from tests.factories import UserFactory, login
from tests.self_evaluation_factories import FIRST, RATING, make_evaluation, rate


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_start_a_term_and_refuse_a_duplicate(client, leader):
    response = client.post("/self-evaluation/start", data={"academic_year": "2026/27",
                                                           "season": "autumn"})
    assert response.status_code == 302
    evaluation = db.session.scalar(db.select(SelfEvaluation))
    assert evaluation.term.label == "Autumn term 2026/27"
    assert evaluation.snapshot.version == "2022.1"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Self-evaluation: Autumn term 2026/27" in page
    assert "0 of 25 checkpoints" in page

    again = client.post("/self-evaluation/start", data={"academic_year": "2026/27",
                                                        "season": "autumn"})
    assert again.status_code == 409
    assert "There is already a self-evaluation for Autumn term 2026/27" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SelfEvaluation.id))) == 1


def test_start_needs_a_term(client, leader):
    response = client.post("/self-evaluation/start", data={"academic_year": "2026/27"})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_list_shows_terms_newest_first(client, leader, school):
    make_evaluation(school, "2025-26-spring")
    make_evaluation(school, "2026-27-autumn")
    page = client.get("/self-evaluation/").get_data(as_text=True)
    assert page.index("Autumn term 2026/27") < page.index("Spring term 2025/26")


def test_checkpoint_page_shows_text_guidance_and_prompts(client, leader, school):
    evaluation = make_evaluation(school)
    page = client.get(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}").get_data(as_text=True)
    assert "<em>Working together to improve school attendance</em>" in page  # markdown rendered
    assert "WTTISA [1] and Sections 2 and 3" in page
    for prompt in ("Where are we now?", "What needs to happen next?",
                   "How will we demonstrate impact of our decisions and actions?"):
        assert prompt in page
    assert "This is established, reviewed regularly and we can show its impact." in page


def test_save_a_checkpoint_as_draft(client, leader, school):
    evaluation = make_evaluation(school)
    url = f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}"
    response = client.post(url, data={
        "version": "0", RATING: "developing",
        "sa_01_read_guidance__where_now": "SLT read the guidance in September.",
        "sa_01_read_guidance__next_steps": "Governors to read it.",
        "sa_01_read_guidance__impact": ""})
    assert response.status_code == 302
    answer = db.session.scalar(db.select(CheckpointAnswer))
    assert answer.rating == "developing"
    assert answer.answers["where_now"] == "SLT read the guidance in September."
    assert answer.updated_by_id == leader.id
    overview = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "1 of 25 checkpoints" in overview
    assert re.search(r"Developing</dt><dd class=\"govuk-summary-list__value\">1</dd>", overview)
    # Saved again from the page's version: no conflict.
    page = client.get(url).get_data(as_text=True)
    assert "SLT read the guidance in September." in page
    response = client.post(url, data={"version": _version(page), RATING: "established",
                                      "sa_01_read_guidance__where_now": "Done."})
    assert response.status_code == 302
    assert db.session.scalar(db.select(CheckpointAnswer)).rating == "established"


def test_validation_error_keeps_typed_values_with_summary(client, leader, school):
    evaluation = make_evaluation(school)
    response = client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}", data={
        "version": "0", RATING: "embedded",
        "sa_01_read_guidance__where_now": "Typed evidence that must survive.",
        "sa_01_read_guidance__impact": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "To rate this checkpoint Embedded, say how you will show its impact." in page
    assert "Typed evidence that must survive." in page
    assert re.search(r'value="embedded"[^>]*checked|checked[^>]*value="embedded"', page)
    assert db.session.scalar(db.select(db.func.count(CheckpointAnswer.id))) == 0


def test_too_long_evidence_is_refused(client, leader, school):
    evaluation = make_evaluation(school)
    response = client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}", data={
        "version": "0", "sa_01_read_guidance__where_now": "x" * 20_001})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)


def test_two_people_saving_the_same_checkpoint_get_a_conflict(client, leader, school):
    evaluation = make_evaluation(school)
    url = f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}"
    stale = _version(client.get(url).get_data(as_text=True))
    # A colleague saves first.
    client.post(url, data={"version": stale, RATING: "established",
                           "sa_01_read_guidance__where_now": "Colleague's evidence."})
    response = client.post(url, data={"version": stale, RATING: "developing",
                                      "sa_01_read_guidance__where_now": "My evidence."})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this checkpoint" in page
    assert "Colleague&#39;s evidence." in page and "My evidence." in page
    assert "The saved version and your version" in page
    answer = db.session.scalar(db.select(CheckpointAnswer))
    assert answer.answers["where_now"] == "Colleague's evidence."
    assert _version(page) == str(answer.version)  # saving again now replaces it knowingly


def test_different_checkpoints_never_conflict(client, leader, school):
    evaluation = make_evaluation(school)
    base = f"/self-evaluation/{evaluation.id}/checkpoints/"
    assert client.post(base + FIRST, data={"version": "0", RATING: "developing"}).status_code == 302
    second = client.post(base + "sa-02-attendance-ethos",
                         data={"version": "0", "sa_02_attendance_ethos__rating": "established"})
    assert second.status_code == 302
    assert db.session.scalar(db.select(db.func.count(CheckpointAnswer.id))) == 2


def test_overview_lists_checkpoints_needing_attention(client, leader, school):
    evaluation = make_evaluation(school)
    rate(evaluation, {"sa-25-dfe-data-sharing": None})
    page = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "24 of 25 checkpoints" in page
    assert "Checkpoint 25</a>: not yet rated" in page


def test_staff_read_but_cannot_save(client, school):
    evaluation = make_evaluation(school)
    staff = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    db.session.commit()
    login(client, staff)
    page = client.get(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}")
    assert page.status_code == 200 and "Save draft" not in page.get_data(as_text=True)
    assert client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}",
                       data={"version": "0", RATING: "embedded"}).status_code == 403
    assert client.post("/self-evaluation/start", data={"academic_year": "2026/27",
                                                       "season": "spring"}).status_code == 403


def test_local_checkpoint_added_after_official_ones_and_withdrawn(client, leader, school):
    evaluation = make_evaluation(school)
    response = client.post("/self-evaluation/local-checkpoints", data={
        "text": "Our breakfast club is offered to every pupil with low attendance.",
        "guidance": "School improvement plan 2026"})
    assert response.status_code == 302
    overview = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "0 of 26 checkpoints" in overview
    assert overview.index("Our breakfast club") > overview.index("data sharing system")
    assert 'govuk-tag--purple">Local' in overview
    page = client.get(f"/self-evaluation/{evaluation.id}/checkpoints/local-1").get_data(as_text=True)
    assert "A checkpoint the school added" in page
    assert client.post(f"/self-evaluation/{evaluation.id}/checkpoints/local-1",
                       data={"version": "0", "local_1__rating": "developing"}).status_code == 302
    listing = client.get("/self-evaluation/local-checkpoints").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', listing).group(1)
    client.post("/self-evaluation/local-checkpoints/1/withdraw", data={"version": version})
    overview = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    # Answered here, so still shown (as withdrawn); not counted as a live checkpoint.
    assert "0 of 25 checkpoints" in overview and "Withdrawn" in overview


def test_local_checkpoint_needs_text(client, leader):
    response = client.post("/self-evaluation/local-checkpoints", data={"text": ""})
    assert response.status_code == 400 and "Write the checkpoint." in response.get_data(as_text=True)


def test_local_checkpoint_added_later_does_not_change_a_finalised_one(client, leader, school):
    from tests.self_evaluation_factories import finalise

    evaluation = make_evaluation(school)
    rate(evaluation)
    finalise(evaluation)
    client.post("/self-evaluation/local-checkpoints", data={"text": "Added after finalising."})
    page = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "Added after finalising." not in page and "25 of 25 checkpoints" in page


def test_withdrawing_a_local_checkpoint_later_does_not_relabel_a_finalised_one(client, leader, school):
    """A finalised self-evaluation keeps the local checkpoints as they stood when it was signed off."""
    client.post("/self-evaluation/local-checkpoints", data={"text": "Breakfast club for every pupil."})
    evaluation = make_evaluation(school)
    rate(evaluation, {"local-1": "developing"})
    from tests.self_evaluation_factories import finalise

    finalise(evaluation)
    listing = client.get("/self-evaluation/local-checkpoints").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', listing).group(1)
    client.post("/self-evaluation/local-checkpoints/1/withdraw", data={"version": version})
    client.post("/self-evaluation/local-checkpoints", data={"text": "Added after finalising."})
    page = client.get(f"/self-evaluation/{evaluation.id}").get_data(as_text=True)
    assert "26 of 26 checkpoints" in page and "Breakfast club for every pupil." in page
    assert "Withdrawn" not in page and "Added after finalising." not in page
    checkpoint = client.get(f"/self-evaluation/{evaluation.id}/checkpoints/local-1").get_data(as_text=True)
    assert "has been withdrawn" not in checkpoint and "Withdrawn" not in checkpoint
    from tests.reporting_factories import flat, pdf_text

    pack = flat(pdf_text(client.get(f"/reports/self-evaluation/{evaluation.id}/board-pack.pdf").data))
    assert "Breakfast club for every pupil." in pack and "Added after finalising." not in pack
    assert "Withdrawn" not in pack
