"""Erasing a pupil and everything about them; the retention review list; no personal data in logs."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import Role
from checklist_app.casework import letter_operations, operations
from checklist_app.casework.enums import CaseStatus
from checklist_app.casework.models import Case, Letter, Parent, Pupil
from checklist_app.data_protection.services import ErasureError, erase_pupil, retention_due
from checklist_app.extensions import db
from tests.casework_factories import family_case, held_meeting, signed_contract
from tests.factories import UserFactory, login


@pytest.fixture
def school_name():
    return "Oakfield"


def _family(school):
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    case, parents = family_case(school, lead, parents=2)
    meeting = held_meeting(case, parents, date.today() - timedelta(days=3))
    signed_contract(meeting, parents)
    letter = letter_operations.draft_letter(case, "contract-outcome", parents[0], None, date.today())
    del letter
    operations.add_figure(case, {"period_start": date.today() - timedelta(days=20),
                               "period_end": date.today() - timedelta(days=10),
                               "attendance_percent": 71.5, "unauthorised_sessions": 4},
                             date.today())
    db.session.commit()
    return case


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_erasing_a_pupil_removes_everything_about_them(school):
    case = _family(school)
    other = _family(school)
    pupil = case.pupil
    name, pupil_id, last_name, case_id = pupil.full_name, pupil.id, pupil.last_name, case.id
    counts = erase_pupil(school.id, pupil.id, name.upper(), "Subject access ref 2026/17")
    assert counts["cases"] == 1 and counts["parents or carers"] == 2
    db.session.expire_all()
    assert db.session.get(Pupil, pupil_id) is None
    assert _count(Case) == 1 and db.session.get(Case, other.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Parent)
                             .where(Parent.pupil_id == pupil_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Letter)
                             .where(Letter.case_id == case_id)) == 0
    trail = json.dumps([e.changes for e in db.session.scalars(select(AuditEvent))])
    assert last_name not in trail  # the erased family's name is gone from the trail
    assert other.pupil.last_name in trail  # another family's history is untouched
    erasure = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase"))
    assert erasure.reason == "Subject access ref 2026/17" and erasure.record_id == str(pupil_id)


def test_erasure_needs_the_name_and_a_reason(school):
    case = _family(school)
    with pytest.raises(ErasureError, match="full name"):
        erase_pupil(school.id, case.pupil_id, "someone else", "Because")
    with pytest.raises(ErasureError, match="reason"):
        erase_pupil(school.id, case.pupil_id, case.pupil.full_name, "")
    with pytest.raises(ErasureError, match="no such pupil"):
        erase_pupil(school.id + 1, case.pupil_id, case.pupil.full_name, "Valid reason")
    assert db.session.get(Pupil, case.pupil_id) is not None


def test_erase_page_for_admins_only(school, client):
    case = _family(school)
    admin = UserFactory(school=school, role=Role.ADMIN)
    lead = UserFactory(school=school, role=Role.SENIOR_LEADER)
    db.session.commit()
    login(client, lead)
    assert client.get(f"/data-protection/pupils/{case.pupil_id}/erase").status_code == 403
    client.post("/logout")
    login(client, admin)
    page = client.get(f"/cases/pupils/{case.pupil_id}").get_data(as_text=True)
    assert "Erase all records about this pupil" in page
    response = client.post(f"/data-protection/pupils/{case.pupil_id}/erase",
                           data={"confirmation": "wrong name", "reason": "Request 17"})
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert "Request 17" in response.get_data(as_text=True)  # what was typed is kept
    pupil_id, name = case.pupil_id, case.pupil.full_name
    response = client.post(f"/data-protection/pupils/{pupil_id}/erase",
                           data={"confirmation": name, "reason": "Request 17"},
                           follow_redirects=True)
    assert "have been erased" in response.get_data(as_text=True)
    assert db.session.get(Pupil, pupil_id) is None


def test_retention_lists_closed_cases_older_than_the_setting(school, client, app):
    old, recent, still_open = _family(school), _family(school), _family(school)
    for case, closed in ((old, date.today() - timedelta(days=365 * 6 + 30)),
                         (recent, date.today() - timedelta(days=300))):
        case.status, case.closed_on = CaseStatus.CLOSED, closed
    db.session.commit()
    assert [c.id for c in retention_due(school.id, date.today())] == [old.id]
    app.config["RETENTION_YEARS"] = 0
    assert {c.id for c in retention_due(school.id, date.today())} == {old.id, recent.id}
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    login(client, admin)
    page = client.get("/data-protection/retention").get_data(as_text=True)
    assert old.pupil.full_name in page and still_open.pupil.full_name not in page


def test_no_personal_data_in_logs(school, client, caplog):
    case = _family(school)
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD)
    db.session.commit()
    caplog.set_level(logging.DEBUG)
    login(client, lead)
    client.get(f"/cases/{case.id}")
    client.post(f"/cases/{case.id}/contacts/new", data={"method": "phone"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert case.pupil.last_name not in logged and case.pupil.first_name not in logged
