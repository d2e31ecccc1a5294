"""The access matrix: every route × every role × this school's and another school's records.

Generated from the application's URL map, so a new route is checked as soon as it exists: a route
with no access rule, or with an id parameter this test does not know, fails here.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from checklist_app.auth.models import Membership, Role
from checklist_app.casework import letter_operations
from checklist_app.casework.models import AttendanceFigure
from checklist_app.checklist_engine.models import LocalCheckpoint
from checklist_app.extensions import db
from checklist_app.register import operations as register_operations
from checklist_app.self_evaluation import board
from tests.casework_factories import family_case, held_meeting, signed_contract
from tests.factories import SchoolFactory, UserFactory, login
from tests.self_evaluation_factories import FIRST, finalise, make_action, make_evaluation, rate

pytestmark = pytest.mark.slow  # run by the full suite; left out of the quick loop (-m "not slow")

SKIPPED_ENDPOINTS = {"static"}
# Permitted writes that remove the records later checks use (or the session) run last.
LAST = ("staff.remove", "data_protection.erase", "auth.logout")
# Parameters that are not record ids: the same value in every school.
SHARED_PARAMS = {"item_id": FIRST, "key": "school-attendance-self-evaluation", "version": "2022.1"}


def _world(school) -> dict[str, int]:
    """One of everything a route can name, in ``school``."""
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    evaluation = make_evaluation(school)
    rate(evaluation)
    action = make_action(evaluation)
    finalise(evaluation)
    local = LocalCheckpoint(school_id=school.id, definition_key="school-attendance-self-evaluation",
                            section_id="checkpoints", item_id="local-1", number="L1",
                            text="Breakfast club attendance is tracked.")
    db.session.add(local)
    comment = board.add_board_comment(evaluation, "Why is checkpoint 4 developing?",
                                      UserFactory(school=school, role=Role.GOVERNOR))
    case, (mum,) = family_case(school, lead)
    meeting = held_meeting(case, [mum], date.today() - timedelta(days=3))
    contract = signed_contract(meeting, [mum])
    letter = letter_operations.draft_letter(case, "contract-outcome", mum, None, date.today())
    job = _finished_job(school)
    invitee = UserFactory(school=school, role=Role.STAFF)  # added by the admin, not yet accepted
    invitee.memberships[0].accepted = False
    figure = AttendanceFigure(school_id=school.id, case_id=case.id, recorded_on=date.today(),
                              period_start=date.today() - timedelta(days=11),
                              period_end=date.today() - timedelta(days=7), attendance_percent=85.0,
                              unauthorised_sessions=1)
    db.session.add(figure)
    typed = register_operations.type_week(school, lead, date.today(), case.pupil,
                                          date.today() - timedelta(days=7), 10, 8, 1)
    db.session.commit()
    return {"job_id": job.id, "figure_id": figure.id,
            "evaluation_id": evaluation.id, "action_id": action.id, "comment_id": comment.id,
            "checkpoint_id": local.id,
            "case_id": case.id, "meeting_id": meeting.id, "contract_id": contract.id,
            "agreement_id": contract.agreements[0].id, "letter_id": letter.id,
            "pupil_id": case.pupil_id, "typed_week_id": typed.id, "parent_id": mum.id, "user_id": lead.id,
            "membership_id": lead.memberships[0].id,
            "invitation_id": invitee.memberships[0].id}


def _finished_job(school):
    """A finished bulk-letters job with its result file."""
    from checklist_app.jobs.models import Job, JobState
    from checklist_app.jobs.tasks import jobs_dir

    job = Job(school_id=school.id, kind="bulk-letters", title="Letters to print", on_date=date.today(),
              params={}, state=JobState.DONE, errors=[], result_name="letters.pdf")
    db.session.add(job)
    db.session.flush()
    job.result_file = f"job-{job.id}-matrix-{school.urn}.pdf"
    jobs_dir().mkdir(parents=True, exist_ok=True)
    (jobs_dir() / job.result_file).write_bytes(b"%PDF-1.4 matrix")
    return job


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, view, method


def _url(app, rule, ids: dict[str, int]) -> str | None:
    values = {}
    for name in rule.arguments:
        if name in SHARED_PARAMS:
            values[name] = SHARED_PARAMS[name]
        elif name in ids:
            values[name] = ids[name]
        else:
            pytest.fail(f"{rule.rule}: unknown parameter {name!r}; add a record for it to _world")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _call(client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, data={})


def test_every_route_has_an_access_rule(app):
    missing = [rule.rule for rule, view, _ in _routes(app)
               if getattr(view, "access_roles", None) is None and not getattr(view, "is_public", False)]
    assert missing == []


def test_anonymous_visitors_are_sent_to_log_in(app, client):
    ids = _world(SchoolFactory())
    wrong = []
    for rule, view, method in _routes(app):
        if getattr(view, "is_public", False):
            continue
        response = _call(client, method, _url(app, rule, ids))
        if response.status_code != 302 or "/login" not in response.headers.get("Location", ""):
            wrong.append(f"{method} {rule.rule}: {response.status_code}")
    assert wrong == []


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_matrix_with_this_and_another_schools_records(app, client, role):
    ours, theirs = SchoolFactory(name="Ours"), SchoolFactory(name="Theirs")
    own_ids, other_ids = _world(ours), _world(theirs)
    user = UserFactory(school=ours, role=role)
    invitation = Membership(school=SchoolFactory(name="Inviting"), role=Role.STAFF, accepted=False)
    user.memberships.append(invitation)
    db.session.commit()
    own_ids["invitation_id"] = invitation.id  # the user's own invitation (others' are a 404)
    login(client, user)
    wrong: list[str] = []
    checks = list(_routes(app))
    # Reads first, then refused writes, then permitted writes (which may change records);
    # removals and logging out come last of all.
    ordered = sorted(checks, key=lambda c: (c[0].endpoint in LAST, LAST.index(c[0].endpoint)
                                            if c[0].endpoint in LAST else 0, c[2] != "GET"))
    for rule, view, method in ordered:
        if getattr(view, "is_public", False):
            continue
        roles = view.access_roles
        allowed = role in roles and (method == "GET" or role is not Role.GOVERNOR
                                     or view.governor_may_post)
        scoped = any(name in own_ids for name in rule.arguments)
        if not allowed:
            status = _call(client, method, _url(app, rule, own_ids)).status_code
            if status != 403:
                wrong.append(f"{method} {rule.rule}: {status}, expected 403 for {role.value}")
            continue
        if scoped:
            status = _call(client, method, _url(app, rule, other_ids)).status_code
            if status != 404:
                wrong.append(f"{method} {rule.rule} with another school's ids: {status}, "
                             "expected 404")
        if method == "GET":
            status = _call(client, method, _url(app, rule, own_ids)).status_code
            if status in (403, 404) or status >= 500:
                wrong.append(f"{method} {rule.rule}: {status} for {role.value} on own records")
    for rule, view, method in ordered:
        if method == "GET" or getattr(view, "is_public", False) or role not in view.access_roles:
            continue
        if role is Role.GOVERNOR and not view.governor_may_post:
            continue
        status = _call(client, method, _url(app, rule, own_ids)).status_code
        if status in (403, 404) or status >= 500:
            wrong.append(f"{method} {rule.rule}: {status} for {role.value} on own records")
    assert wrong == []
