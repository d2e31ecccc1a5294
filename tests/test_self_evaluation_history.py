"""A self-evaluation's history page: every change from the audit trail."""

from __future__ import annotations

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.factories import SchoolFactory, UserFactory, login
from tests.self_evaluation_factories import FIRST, RATING, make_evaluation


def test_history_lists_saves_with_who_and_what(app, client):
    school = SchoolFactory()
    head = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Jo Whitfield")
    evaluation = make_evaluation(school)
    db.session.commit()
    login(client, head)
    response = client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}", data={
        RATING: "developing", "sa_01_read_guidance__where_now": "Policy read by SLT in June.",
        "version": "0"})
    assert response.status_code == 302
    page = client.get(f"/self-evaluation/{evaluation.id}/history").get_data(as_text=True)
    assert "Jo Whitfield" in page
    assert "Create CheckpointAnswer" in page and "developing" in page
    assert "Policy read by SLT in June." in page


def test_governors_cannot_see_the_history_of_a_draft(app, client):
    school = SchoolFactory()
    governor = UserFactory(school=school, role=Role.GOVERNOR)
    evaluation = make_evaluation(school)
    db.session.commit()
    login(client, governor)
    assert client.get(f"/self-evaluation/{evaluation.id}/history").status_code == 404
