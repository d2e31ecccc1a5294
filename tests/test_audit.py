"""The audit trail: written on every change, secrets hidden, searchable by admins only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
    assert change.changes == {"password_hash": ["(hidden)", "(changed)"],
                              "session_token": ["(hidden)", "(changed)"]}  # sessions end too
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


# --- the filter: GOV.UK date inputs through a form -------------------------------------------


@pytest.fixture
def admin_with_events(app, client):
    """An admin of a school with entries either side of midnight in London in summer time."""
    school = SchoolFactory(name="Oak")
    admin = UserFactory(school=school, role=Role.ADMIN)
    db.session.commit()
    for who, at in (("Late May", datetime(2026, 5, 31, 22, 30, tzinfo=UTC)),   # 23:30 on 31 May
                    ("Early June", datetime(2026, 5, 31, 23, 30, tzinfo=UTC)),  # 00:30 on 1 June
                    ("Late June", datetime(2026, 6, 30, 22, 59, tzinfo=UTC))):  # 23:59 on 30 June
        db.session.add(AuditEvent(school_id=school.id, user_name=who, action="update",
                                  record_type="Pupil", record_id="1", changes={}, at=at))
    db.session.commit()
    login(client, admin)
    return admin


def _who(page: str) -> set[str]:
    return {name for name in ("Late May", "Early June", "Late June") if name in page}


def test_the_filter_uses_govuk_date_inputs_not_browser_date_boxes(client, admin_with_events):
    page = client.get("/audit/").get_data(as_text=True)
    assert 'type="date"' not in page
    for box in ("from-day", "from-month", "from-year", "to-day", "to-month", "to-year"):
        assert f'name="{box}"' in page
    assert 'class="govuk-date-input"' in page and "<legend" in page


def test_dates_are_school_days_in_london_time(client, admin_with_events):
    june = client.get("/audit/", query_string={"from-day": "1", "from-month": "6", "from-year": "2026",
                                                "to-day": "30", "to-month": "6", "to-year": "2026"})
    assert june.status_code == 200
    assert _who(june.get_data(as_text=True)) == {"Early June", "Late June"}
    may = client.get("/audit/", query_string={"to-day": "31", "to-month": "5", "to-year": "2026"})
    assert _who(may.get_data(as_text=True)) == {"Late May"}
    old_link = client.get("/audit/?from=2026-06-01&to=2026-06-01")  # one ISO box still works
    assert _who(old_link.get_data(as_text=True)) == {"Early June"}


@pytest.mark.parametrize(("query", "message"), [
    ({"from-day": "31", "from-month": "2", "from-year": "2026"}, "From must be a real date"),
    ({"from-day": "3", "from-year": "2026"}, "From must include a month"),
    ({"to-day": "x", "to-month": "y", "to-year": "z"}, "To must be a real date"),
    ({"from": "0001-01-01", "to": "9999-12-31"}, "Enter a date between 1 January 2000 and 31 December 2100."),
    ({"from-day": "1", "from-month": "7", "from-year": "2026", "to-day": "1", "to-month": "6",
      "to-year": "2026"}, "The ‘to’ date must be the same as or after the ‘from’ date."),
    ({"q": "a" * 201}, "Words to find must be 200 characters or fewer. You have entered 201 characters"),
])
def test_impossible_filters_are_explained_and_what_was_typed_is_kept(client, admin_with_events, query,
                                                                      message):
    response = client.get("/audit/", query_string=query)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in page and message in page
    for name, value in query.items():
        if name.endswith(("-day", "-month", "-year")):
            assert f'name="{name}" type="text" inputmode="numeric" value="{value}"' in page


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=st.dictionaries(
    st.sampled_from(["q", "record_type", "from", "to", "from-day", "from-month", "from-year",
                     "to-day", "to-month", "to-year", "page"]),
    st.one_of(st.text(max_size=30), st.sampled_from(
        ["0", "-1", "99999999999999999999", "1e309", "NaN", "29", "2", "2027", "10000", "\x00",
         "2026-02-30", "0000-00-00", "x" * 300, "Pupil"])), max_size=8))
def test_no_filter_input_breaks_the_page(client, admin_with_events, query):
    response = client.get("/audit/", query_string=query)
    assert response.status_code in (200, 400), query
    if response.status_code == 400:
        assert "There is a problem" in response.get_data(as_text=True), query
