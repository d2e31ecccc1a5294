"""One transaction per request: operations only flush, the caller commits once, and a failure
half-way through leaves nothing behind; a stale write is the conflict page (409), never a 500."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from checklist_app.audit.models import AuditEvent
from checklist_app.casework import contract_operations, letter_operations, operations
from checklist_app.casework.models import Contract, ContractStatus, Letter, LetterStatus
from checklist_app.concurrency import Conflict
from checklist_app.editing import run
from checklist_app.extensions import db
from tests.casework_factories import family_case, held_meeting, signed_contract
from tests.factories import SchoolFactory, UserFactory, login

ON = date(2027, 1, 15)


@pytest.fixture
def school(app):
    return SchoolFactory(name="Oakfield Primary")


@pytest.fixture
def lead(school):
    return UserFactory(school=school, role="attendance_lead", name="Alex Morgan")


def _contract_with_letters(school, lead):
    """A signed contract, an issued 'attendance improved' letter and a draft outcome letter."""
    case, (mum,) = family_case(school, lead)
    contract = signed_contract(held_meeting(case, [mum]), [mum])
    later = ON + timedelta(weeks=6)
    operations.add_figure(case, {"period_start": ON, "period_end": ON + timedelta(days=4),
                                 "attendance_percent": 96, "unauthorised_sessions": 0}, later)
    improved = letter_operations.draft_letter(case, "attendance-improved", mum, None, later)
    letter_operations.issue_letter(improved, lead, later)
    outcome = letter_operations.draft_letter(case, "contract-outcome", mum, None, later)
    db.session.commit()
    return case, contract, improved, outcome


def test_an_operation_failing_half_way_leaves_nothing_behind(school, lead):
    """End the contract, then fail to issue a letter in the same unit of work: all rolled back."""
    case, contract, improved, outcome = _contract_with_letters(school, lead)
    contract_id, outcome_id = contract.id, outcome.id
    events_before = db.session.scalar(select(func.count(AuditEvent.id)))
    later = ON + timedelta(weeks=6)

    def end_then_issue():
        contract_operations.end_contract(contract, "attendance-improved", "Attendance is now 96%",
                                         improved.id, later)
        assert contract.status is ContractStatus.ENDED  # flushed: the first half happened
        # The outcome letter goes with a signed contract in force: now there is none (R14).
        letter_operations.issue_letter(outcome, lead, later)

    with pytest.raises(operations.CaseworkError, match="signed contract"):
        run(end_then_issue)
    db.session.expire_all()
    assert db.session.get(Contract, contract_id).status is ContractStatus.SIGNED
    assert db.session.get(Contract, contract_id).ended_on is None
    assert db.session.get(Letter, outcome_id).status is LetterStatus.DRAFT
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events_before
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "end contract")) is None


def test_operations_flush_but_never_commit(school, lead):
    """Without the caller's commit an operation's change is gone after a rollback."""
    case, _parents = family_case(school, lead)
    operations.add_figure(case, {"period_start": ON, "period_end": ON + timedelta(days=4),
                                 "attendance_percent": 90, "unauthorised_sessions": 0}, ON)
    assert len(case.figures) == 1  # flushed: visible in this transaction
    db.session.rollback()
    assert case.figures == []


def test_run_turns_a_stale_write_into_a_conflict(school, lead):
    case, _parents = family_case(school, lead)

    def stale():
        raise StaleDataError("UPDATE statement on table 'case' expected to update 1 row(s)")

    with pytest.raises(Conflict) as raised:
        run(stale, case)
    assert raised.value.record is case


def test_stale_data_anywhere_in_a_request_is_the_conflict_page(app, client, school, lead):
    """A StaleDataError that escapes a view is a 409 page and the request is rolled back."""
    case, _parents = family_case(school, lead)

    def racing_view():
        case.chair_name = "Changed by a request that lost the race"
        db.session.flush()
        raise StaleDataError("UPDATE statement on table 'case' expected to update 1 row(s)")

    app.add_url_rule("/test-stale", "test_stale", racing_view)
    login(client, lead)
    response = client.get("/test-stale")
    assert response.status_code == 409
    assert "Someone else saved this first" in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.chair_name == "Mrs Helen Carter"
