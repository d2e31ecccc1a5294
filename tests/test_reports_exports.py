"""Exports read back: actions as CSV and XLSX (every field, formulas neutralised) and the
calendar feeds parsed with icalendar (per token and role; revoked tokens 404)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from checklist_app.auth.models import Membership, Role
from checklist_app.extensions import db
from checklist_app.reporting import exports
from tests.factories import SchoolFactory, UserFactory, login
from tests.reporting_factories import FUTURE, PAST, casework_story, filled_evaluation, people_and_plan
from tests.self_evaluation_factories import finalise, make_action

HOSTILE = ["=HYPERLINK(\"http://127.0.0.1:9/\",\"x\")", "+1+1", "-2", "@SUM(A1)"]


@pytest.fixture
def plan(app):
    school = SchoolFactory(name="St Siân's Primary School")
    leader = UserFactory(school=school, role=Role.SENIOR_LEADER, name="Zoë Ó Briain")
    evaluation = filled_evaluation(school, words=1)
    owner, overdue, future, done = people_and_plan(school, evaluation)
    overdue.comments = "Started with Year 7.\nSecond line."
    hostile = make_action(evaluation, text=HOSTILE[0], owner_name=HOSTILE[1])
    hostile.comments = HOSTILE[2]
    hostile.checkpoint_ids = []
    db.session.commit()
    return {"school": school, "leader": leader, "owner": owner, "evaluation": evaluation,
            "actions": [overdue, future, done, hostile]}


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    return response


def test_actions_csv_has_every_field_and_no_formulas(client, plan):
    login(client, plan["leader"])
    response = _download(client, "/reports/actions.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [label for _key, label in exports.COLUMNS] == list(rows[0].keys())
    assert [r["Number"] for r in rows] == ["1", "2", "3", "4"]
    first, second, third, hostile = rows
    assert first["Action point"] == "Ring every family on the first day of absence"
    assert first["Responsible person(s)"] == "Łukasz Nowak"
    assert first["Responsible member of staff"] == "Łukasz Nowak"
    assert first["Timescale / review date"] == PAST.isoformat() and first["Overdue"] == "Yes"
    assert first["Comments"] == "Started with Year 7.\nSecond line."
    assert first["Checkpoints"] == "1" and first["Checkpoint ids"] == "sa-01-read-guidance"
    assert first["Status"] == "Not started" and first["Opened in term"] == "2026-27-autumn"
    assert second["Responsible (as written)"] == "Siân Ó Briain" and second["Overdue"] == "No"
    assert second["Timescale / review date"] == FUTURE.isoformat()
    assert third["Status"] == "Done" and third["Completed on"] == "2026-10-01"
    assert third["Closed in term"] == "2026-27-autumn" and third["Responsible person(s)"] == "Zoë Hart"
    assert first["Added"] and first["Record id"] == str(plan["actions"][0].id)
    assert hostile["Action point"] == "'" + HOSTILE[0]
    assert hostile["Responsible (as written)"] == "'" + HOSTILE[1]
    assert hostile["Comments"] == "'" + HOSTILE[2]


def test_actions_xlsx_has_every_field_with_text_kept_as_text(client, plan):
    login(client, plan["leader"])
    response = _download(client, "/reports/actions.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [label for _key, label in exports.COLUMNS]
    data = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert len(data) == 4
    assert data[0]["Responsible person(s)"] == "Łukasz Nowak"
    assert data[0]["Timescale / review date"].date() == PAST and data[0]["Overdue"] == "Yes"
    assert data[1]["Responsible (as written)"] == "Siân Ó Briain"
    assert data[2]["Completed on"].date() == date(2026, 10, 1)
    assert data[3]["Action point"] == HOSTILE[0]  # stored as text, never as a formula
    for cell in sheet[5]:
        assert cell.data_type != "f"


def test_the_actions_page_links_to_the_exports(client, plan):
    login(client, plan["leader"])
    html = client.get("/self-evaluation/actions").get_data(as_text=True)
    assert "/reports/actions.csv" in html and "/reports/actions.xlsx" in html


def test_exports_are_for_staff_only(client, plan):
    governor = UserFactory(school=plan["school"], role=Role.GOVERNOR)
    db.session.commit()
    login(client, governor)
    assert client.get("/reports/actions.csv").status_code == 403
    assert client.get("/reports/actions.xlsx").status_code == 403


def _feed(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/calendar" and "no-store" in response.headers["Cache-Control"]
    return Calendar.from_ical(response.data)


def _events(calendar: Calendar) -> dict[str, tuple[date, str]]:
    return {str(e["uid"]).split("@")[0]: (e.decoded("dtstart"), str(e["summary"]))
            for e in calendar.walk("VEVENT")}


@pytest.fixture
def feeds(plan):
    school, evaluation = plan["school"], plan["evaluation"]
    evaluation.sign_off = {"next_review_date": "2027-03-22"}
    db.session.commit()
    finalise(evaluation)
    evaluation.sign_off = {**evaluation.sign_off, "next_review_date": "2027-03-22"}
    db.session.commit()
    story = casework_story(school, plan["owner"])
    other_lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Other Lead")
    db.session.commit()
    return {**plan, **story, "other_lead": other_lead}


def _token(client, user) -> str:
    login(client, user)
    assert client.post("/reports/calendar/token").status_code == 302
    page = client.get("/reports/calendar").get_data(as_text=True)
    assert f"/calendar/{user.calendar_token}/school.ics" in page
    return user.calendar_token


def test_school_and_personal_feeds_for_staff(client, feeds):
    token = _token(client, feeds["owner"])
    events = _events(_feed(client, f"/calendar/{token}/school.ics"))
    overdue, future, done, hostile = feeds["actions"]
    case = feeds["case"]
    assert events[f"self-evaluation-{feeds['evaluation'].id}-review"][0] == date(2027, 3, 22)
    assert events[f"action-{overdue.id}-review"] == (
        PAST, "Action 1 review: Ring every family on the first day of absence")
    assert f"action-{future.id}-review" in events and f"action-{hostile.id}-review" in events
    assert f"action-{done.id}-review" not in events  # done: no longer reviewed
    due, summary = events[f"case-{case.id}-next-step"]
    assert isinstance(due, date) and summary.startswith(f"Case {case.id} (Z. Ó.):")
    assert "Zoë" not in summary
    mine = _events(_feed(client, f"/calendar/{token}/mine.ics"))
    assert set(mine) == {f"action-{overdue.id}-review", f"case-{case.id}-next-step"}


def test_another_leads_personal_feed_has_none_of_their_colleagues_work(client, feeds):
    token = _token(client, feeds["other_lead"])
    assert _events(_feed(client, f"/calendar/{token}/mine.ics")) == {}


def test_governor_feed_has_review_dates_only(client, feeds):
    governor = UserFactory(school=feeds["school"], role=Role.GOVERNOR)
    db.session.commit()
    token = _token(client, governor)
    events = _events(_feed(client, f"/calendar/{token}/school.ics"))
    assert list(events) == [f"self-evaluation-{feeds['evaluation'].id}-review"]
    assert _events(_feed(client, f"/calendar/{token}/mine.ics")) == {}


def test_feed_follows_the_current_role_and_other_schools_stay_out(client, feeds):
    owner = feeds["owner"]
    token = _token(client, owner)
    elsewhere = SchoolFactory(name="Elsewhere")
    filled = filled_evaluation(elsewhere, words=1)
    make_action(filled, text="Elsewhere's action")
    db.session.commit()
    assert not any("Elsewhere" in s for _d, s in _events(_feed(client, f"/calendar/{token}/school.ics"))
                   .values())
    # Demoted to governor: the same link now shows review dates only.
    membership = next(m for m in owner.memberships if m.school_id == feeds["school"].id)
    membership.role = Role.GOVERNOR
    db.session.commit()
    events = _events(_feed(client, f"/calendar/{token}/school.ics"))
    assert list(events) == [f"self-evaluation-{feeds['evaluation'].id}-review"]
    owner.memberships.append(Membership(school=elsewhere, role=Role.GOVERNOR))
    db.session.commit()
    assert all(s.startswith(("Elsewhere: ", "St Siân's Primary School: "))
               for _d, s in _events(_feed(client, f"/calendar/{token}/school.ics")).values())


def test_revoked_regenerated_and_inactive_tokens_stop_working(client, feeds):
    owner = feeds["owner"]
    first = _token(client, owner)
    second = _token(client, owner)
    assert first != second and len(second) >= 40
    assert client.get(f"/calendar/{first}/school.ics").status_code == 404
    assert client.get(f"/calendar/{second}/school.ics").status_code == 200
    assert client.post("/reports/calendar/token/revoke").status_code == 302
    assert client.get(f"/calendar/{second}/school.ics").status_code == 404
    assert client.get(f"/calendar/{second}/mine.ics").status_code == 404
    assert "Create calendar links" in client.get("/reports/calendar").get_data(as_text=True)
    third = _token(client, owner)
    owner.active = False
    db.session.commit()
    assert client.get(f"/calendar/{third}/school.ics").status_code == 404
    assert client.get("/calendar/not-a-token/school.ics").status_code == 404
