"""The audit trail: written on every change, secrets hidden, searchable by admins only."""

from __future__ import annotations

from sqlalchemy import select

from checklist_app.audit.models import AuditEvent
from checklist_app.audit.services import labelled
from checklist_app.auth.models import Role
from checklist_app.extensions import db
from tests.factories import SchoolFactory, UserFactory, login


def _events(record_type: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == record_type)
                              .order_by(AuditEvent.id)).all()


def test_create_update_delete_are_recorded_with_before_and_after(app):
    school = SchoolFactory(name="Old name")
    db.session.commit()
    school.name = "New name"
    db.session.commit()
    db.session.delete(school)
    db.session.commit()
    create, update, delete = _events("School")
    assert create.action == "create" and create.changes["name"] == [None, "Old name"]
    assert update.action == "update" and update.changes == {"name": ["Old name", "New name"]}
    assert delete.action == "delete" and delete.changes["name"] == ["New name", None]
    assert create.record_id == update.record_id == delete.record_id
    assert create.user_name == "command line"


def test_password_changes_are_recorded_without_the_hash(app):
    user = UserFactory(school=SchoolFactory())
    db.session.commit()
    user.set_password("another long password")
    db.session.commit()
    change = _events("User")[-1]
    assert change.changes == {"password_hash": ["(hidden)", "(changed)"]}
    assert "scrypt" not in str([e.changes for e in _events("User")])


def test_labelled_steps_carry_their_name_and_reason(app):
    school = SchoolFactory()
    db.session.commit()
    school.local_authority = "Kent"
    with labelled(db.session, "finalise", "End of term"):
        pass
    db.session.commit()
    event = _events("School")[-1]
    assert (event.action, event.reason) == ("finalise", "End of term")


def test_rolled_back_changes_leave_no_event(app):
    SchoolFactory(name="Never saved")
    db.session.rollback()
    assert _events("School") == []


def test_admin_searches_their_school_only(app, client):
    school, other = SchoolFactory(name="Oak"), SchoolFactory(name="Elm")
    admin = UserFactory(school=school, role=Role.ADMIN, name="Ada Admin")
    db.session.commit()
    school.phone = "01234 000000"
    other.phone = "09999 999999"
    db.session.commit()
    login(client, admin)
    page = client.get("/audit/?q=01234").get_data(as_text=True)
    assert "01234 000000" in page and "09999" not in page
    assert "09999" not in client.get("/audit/").get_data(as_text=True)


def test_only_admins_see_the_audit_trail(app, client):
    school = SchoolFactory()
    lead = UserFactory(school=school, role=Role.SENIOR_LEADER)
    db.session.commit()
    login(client, lead)
    assert client.get("/audit/").status_code == 403
