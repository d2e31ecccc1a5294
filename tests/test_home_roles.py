"""Each role's home page: what to do next, read without a query per row."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine

from checklist_app.auth.models import Role
from checklist_app.casework.models import Letter
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import BoardComment
from tests.casework_factories import family_case
from tests.factories import SchoolFactory, UserFactory, login
from tests.self_evaluation_factories import FIRST, finalise, make_action, make_evaluation, rate

DAY = date(2027, 2, 10)


def _text(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@time_machine.travel(DAY)
def test_senior_leader_sees_progress_overdue_actions_next_review_and_board_comments(app, client, school):
    older = make_evaluation(school, "2026-27-autumn")
    rate(older)
    finalise(older)
    older.sign_off = {**older.sign_off, "next_review_date": "2027-03-20"}
    db.session.add(BoardComment(school_id=school.id, self_evaluation_id=older.id, author_name="Priya Shah",
                                body="Please **explain** the drop in rating 4."))
    current = make_evaluation(school)
    rate(current, {FIRST: "developing"}, default=None)
    make_action(current, text="Call every family on the first day of absence",
                review=DAY - timedelta(days=3))
    make_action(current, text="Not yet due", review=DAY + timedelta(days=3))
    user = UserFactory(school=school, role=Role.SENIOR_LEADER)
    db.session.commit()
    login(client, user)
    page = _text(client)
    assert "1 of 25 checkpoints rated" in page
    assert "Call every family on the first day of absence" in page
    assert "Not yet due" not in page
    assert "20 March 2027" in page
    assert "<strong>explain</strong>" in page and "**" not in page
    assert "Priya Shah" in page


@time_machine.travel(DAY)
def test_attendance_lead_sees_overdue_next_steps_and_letters_to_issue(app, client, school):
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    case, _parents = family_case(school, lead, opened_on=date(2026, 11, 2))
    db.session.add(Letter(school_id=school.id, case_id=case.id, step="S1", key="invite",
                          title="Invitation to a meeting", body_markdown="Dear parent"))
    db.session.commit()
    login(client, lead)
    page = _text(client)
    assert "Overdue next steps" in page
    assert case.pupil.full_name in page
    assert "Invitation to a meeting for" in page
    assert "Self-evaluation this term" not in page


@time_machine.travel(DAY)
def test_governor_sees_latest_finalised_board_pack_and_changes(app, client, school):
    autumn = make_evaluation(school, "2026-27-autumn")
    rate(autumn, {FIRST: "developing"})
    finalise(autumn)
    spring = make_evaluation(school, "2026-27-spring")
    rate(spring, {FIRST: "embedded"})
    finalise(spring)
    draft_summer = make_evaluation(school, "2026-27-summer")
    governor = UserFactory(school=school, role=Role.GOVERNOR)
    db.session.commit()
    login(client, governor)
    page = _text(client)
    assert f"/reports/self-evaluation/{spring.id}/board-pack" in page or "board-pack" in page
    assert "What changed since Autumn term 2026/27" in page
    assert "Developing" in page and "Embedded" in page and ">Up<" in page
    assert f"/self-evaluation/{draft_summer.id}\"" not in page
    assert "Overdue next steps" not in page


@time_machine.travel(DAY)
def test_trust_admin_sees_one_row_per_school(app, client):
    first, second = SchoolFactory(name="Ash Academy"), SchoolFactory(name="Birch Academy")
    admin = UserFactory(school=first, role=Role.ADMIN)
    admin.memberships.append(type(admin.memberships[0])(school=second, role=Role.ADMIN))
    evaluation = make_evaluation(second, "2026-27-autumn")
    rate(evaluation, default="not-in-place")
    finalise(evaluation)
    make_action(evaluation, review=DAY - timedelta(days=1))
    db.session.commit()
    login(client, admin)
    page = _text(client)
    assert page.index("Ash Academy</th>") < page.index("Birch Academy</th>")
    assert "rating-not-in-place" in page
    assert "Open Birch Academy's self-evaluation" in page and "Birch Academy's board pack" in page
    trust = _text(client, "/self-evaluation/trust")
    assert "Birch Academy</th>" in trust and "Ratings across the schools" in trust
