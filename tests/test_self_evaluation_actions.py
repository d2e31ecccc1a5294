"""The action plan: add, change, close, filters, overdue, carry-forward and the frozen copy."""

from __future__ import annotations

import re
from datetime import date, timedelta

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import Action, ActionStatus
from checklist_app.self_evaluation.terms import Term
from tests.factories import UserFactory
from tests.self_evaluation_factories import FIRST, finalise, make_action, make_evaluation, this_term

TODAY = date.today()


def _action_data(**overrides):
    data = {"version": "0", "action_point": "Publish register times on the gates.",
            "checkpoint_ids": [FIRST, "sa-22-register-times"], "owner_user_id": "0",
            "owner_name": "Sam Lee (attendance officer)", "review_date": "2027-01-29",
            "status": "not_started", "comments": ""}
    data.update(overrides)
    return data


def test_add_an_action_and_see_it_in_the_plan(client, leader, school):
    evaluation = make_evaluation(school)
    response = client.post(f"/self-evaluation/{evaluation.id}/actions/new", data=_action_data())
    assert response.status_code == 302
    action = db.session.scalar(db.select(Action))
    assert action.number == 1 and action.opened_term == evaluation.term.slug
    assert action.checkpoint_ids == [FIRST, "sa-22-register-times"]
    page = client.get(f"/self-evaluation/{evaluation.id}/action-plan").get_data(as_text=True)
    assert "Publish register times on the gates." in page
    assert "29 January 2027" in page and "Sam Lee (attendance officer)" in page
    assert "1, 22" in page  # checkpoint numbers, not ids


def test_action_with_a_school_user_as_owner(client, leader, school):
    evaluation = make_evaluation(school)
    client.post(f"/self-evaluation/{evaluation.id}/actions/new",
                data=_action_data(owner_user_id=str(leader.id), owner_name=""))
    assert db.session.scalar(db.select(Action)).owner_label == "Jo Head"


def test_action_validation_keeps_values(client, leader, school):
    evaluation = make_evaluation(school)
    response = client.post(f"/self-evaluation/{evaluation.id}/actions/new",
                           data=_action_data(owner_name="", review_date=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "type the responsible person&#39;s name" in page
    assert "Enter a review date" in page
    assert "Publish register times on the gates." in page
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 0


def test_edit_and_close_an_action(client, leader, school):
    evaluation = make_evaluation(school)
    action = make_action(evaluation, text="Train tutors")
    url = f"/self-evaluation/actions/{action.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Train tutors" in page
    response = client.post(url + f"?from={evaluation.id}", data=_action_data(
        version=str(action.version), action_point="Train all tutors", status="in_progress",
        comments="Half done"))
    assert response.headers["Location"].endswith(f"/self-evaluation/{evaluation.id}/action-plan")
    assert action.status is ActionStatus.IN_PROGRESS and action.comments == "Half done"
    client.post(f"/self-evaluation/actions/{action.id}/close",
                data={"version": str(action.version), "status": "done"})
    assert action.status is ActionStatus.DONE
    assert action.completed_on == TODAY and action.closed_term == Term.for_date(TODAY).slug
    plan = client.get(f"/self-evaluation/{evaluation.id}/action-plan").get_data(as_text=True)
    # closed actions stay, struck through
    assert re.search(r'class="govuk-table__cell struck"><div class="app-prose"><p>Train all tutors', plan)


def test_conflicting_action_edit_shows_both_versions(client, leader, school):
    evaluation = make_evaluation(school)
    action = make_action(evaluation, text="Original")
    stale = str(action.version)
    url = f"/self-evaluation/actions/{action.id}/edit"
    client.post(url, data=_action_data(version=stale, action_point="Colleague's wording"))
    response = client.post(url, data=_action_data(version=stale, action_point="My wording"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this action" in page
    assert "Colleague&#39;s wording" in page and "My wording" in page
    assert action.action_point == "Colleague's wording"


def test_filters_by_owner_status_and_overdue(client, leader, school):
    evaluation = make_evaluation(school)
    other = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Ali Lead")
    make_action(evaluation, text="Overdue one", review=TODAY - timedelta(days=1), owner=other)
    make_action(evaluation, text="Due later", review=TODAY + timedelta(days=30),
                owner_name="Chair of governors")
    make_action(evaluation, text="Done late", review=TODAY - timedelta(days=40),
                status=ActionStatus.DONE, owner=other)
    page = client.get("/self-evaluation/actions?overdue=1").get_data(as_text=True)
    assert "Overdue one" in page and "Due later" not in page and "Done late" not in page
    assert 'class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    page = client.get(f"/self-evaluation/actions?owner=u{other.id}").get_data(as_text=True)
    assert "Overdue one" in page and "Done late" in page and "Due later" not in page
    page = client.get("/self-evaluation/actions?owner=nChair of governors").get_data(as_text=True)
    assert "Due later" in page and "Overdue one" not in page
    page = client.get("/self-evaluation/actions?status=done").get_data(as_text=True)
    assert "Done late" in page and "Overdue one" not in page
    page = client.get("/self-evaluation/actions?status=open").get_data(as_text=True)
    assert "Done late" not in page and "Due later" in page
    assert "3 actions shown" in client.get("/self-evaluation/actions").get_data(as_text=True)


def test_open_actions_carry_into_the_next_term(client, leader, school):
    term = this_term().previous()
    earlier = make_evaluation(school, term)
    make_action(earlier, text="Still open", status=ActionStatus.IN_PROGRESS)
    make_action(earlier, text="Closed last term", status=ActionStatus.DONE,
                closed=date(*_a_day_in(term)))
    finalise(earlier)
    current = make_evaluation(school, term.next())
    plan = client.get(f"/self-evaluation/{current.id}/action-plan").get_data(as_text=True)
    assert "Still open" in plan and "Closed last term" not in plan
    old_plan = client.get(f"/self-evaluation/{earlier.id}/action-plan").get_data(as_text=True)
    assert "Closed last term" in old_plan and "Still open" in old_plan


def _a_day_in(term: Term) -> tuple[int, int, int]:
    start = int(term.academic_year[:4])
    return {"autumn": (start, 10, 1), "spring": (start + 1, 2, 1), "summer": (start + 1, 5, 1)}[
        term.season.value]


def test_finalised_plan_shows_actions_as_they_were(client, leader, school):
    term = this_term().previous()
    earlier = make_evaluation(school, term)
    action = make_action(earlier, text="Write the policy", status=ActionStatus.IN_PROGRESS)
    finalise(earlier)
    action.status, action.completed_on, action.action_point = ActionStatus.DONE, TODAY, "Changed"
    db.session.commit()
    page = client.get(f"/self-evaluation/{earlier.id}/action-plan").get_data(as_text=True)
    assert "Write the policy" in page and "In progress" in page and "Changed" not in page
    assert "as it stood when the self-evaluation was finalised" in page


def test_no_actions_added_to_a_finalised_self_evaluation(client, leader, school):
    evaluation = finalise(make_evaluation(school))
    response = client.post(f"/self-evaluation/{evaluation.id}/actions/new", data=_action_data())
    assert response.status_code == 409
    assert "has been finalised" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 0


def test_numbers_run_on_per_school(client, leader, school):
    evaluation = make_evaluation(school)
    for _ in range(2):
        client.post(f"/self-evaluation/{evaluation.id}/actions/new", data=_action_data())
    numbers = db.session.scalars(db.select(Action.number).order_by(Action.number)).all()
    assert numbers == [1, 2]
    page = client.get("/self-evaluation/actions").get_data(as_text=True)
    assert len(re.findall(r'<th class="govuk-table__header" scope="row">\d+</th>', page)) == 2
