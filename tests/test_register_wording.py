"""What the register's pages and messages say: counts with a thousands separator (3,060), year
groups as staff say them whether the export wrote "8" or a person chose "Year 8", attendance codes
with their meaning, and a sentence instead of an empty chart."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from checklist_app import formatting
from checklist_app.auth.models import Role
from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.register import generator
from checklist_app.register.atrisk import at_risk, cohort_summary
from tests.factories import UserFactory, login
from tests.register_helpers import write

TODAY = date(2026, 1, 30)
PUPILS = 30


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY):
        yield


def test_numbers_and_year_groups_as_people_write_them():
    assert [formatting.number(n) for n in (0, 999, 3060, 74400, 1234567)] == [
        "0", "999", "3,060", "74,400", "1,234,567"]
    assert formatting.number(None) == "" and formatting.number(None, "none") == "none"
    assert [formatting.year_group(y) for y in ("8", " Year 8 ", "Y8", "year 10", "R", "N2",
                                                "Reception", "Mixed 5/6", "")] == [
        "Year 8", "Year 8", "Year 8", "Year 10", "Reception", "Nursery", "Reception", "Mixed 5/6", ""]


def _upload(client, name: str, data: bytes) -> str:
    response = client.post("/register/import", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def imported(app, client, school, tmp_path):
    """An attendance lead who imported a roll of 30 and their marks since 1 September 2025
    through the pages; the marks' session count."""
    login(client, UserFactory(school=school, role=Role.ATTENDANCE_LEAD))
    rows = generator.generate_roll(PUPILS, seed=3)
    roll = generator.write_roll_csv(tmp_path / "roll.csv", rows).read_bytes()
    location = _upload(client, "roll.csv", roll)
    columns = {f"column_{i}": v for i, v in enumerate(
        ["upn", "surname", "forename", "date_of_birth", "year_group", "send", "free_school_meals",
         "looked_after", "medical_needs"])}
    assert client.post(location, data={**columns, "action": "confirm"}).status_code == 302
    marks = generator.write_marks_csv(tmp_path / "marks.csv", generator.generate_marks(
        [r["UPN"] for r in rows], date(2025, 9, 1), TODAY, seed=3)).read_bytes()
    sessions = 2 * PUPILS * len(generator.school_days(date(2025, 9, 1), TODAY))
    assert sessions > 999
    location = _upload(client, "marks.csv", marks)
    check = _text(client.get(location))
    assert f"{sessions:,} sessions for 30 pupils" in check, check
    columns = {"column_0": "upn", "column_1": "date", "column_2": "session", "column_3": "code"}
    done = client.post(location, data={**columns, "action": "confirm"}, follow_redirects=True)
    assert f"Marks imported: {sessions:,} sessions." in _text(done)
    return sessions


def test_counts_have_a_thousands_separator(client, imported):
    overview = _text(client.get("/register/"))
    assert f"({imported:,} sessions, 4 September 2025 to 30 January 2026)" in overview


def test_year_groups_are_named_once_however_they_were_written(app, client, school, imported):
    assert set(db.session.scalars(select(Pupil.year_group))) == {f"Year {n}" for n in range(7, 12)}
    # A pupil typed on a case as "Year 8" and one left from an older roll import as "8".
    for year, upn in (("Year 8", ""), ("8", generator.make_upn(201, 4000, 99))):
        db.session.add(Pupil(school_id=school.id, first_name="Ada", last_name="Lee", upn=upn,
                             date_of_birth=date(2013, 1, 1), year_group=year))
    db.session.commit()
    page = client.get("/register/at-risk").get_data(as_text=True)
    options = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', page)
    years = [label for value, label in options if value.startswith("Year")]
    assert years == [f"Year {n}" for n in range(7, 12)], options
    assert "Year Year" not in page and "Year 8" in page
    old_link = client.get("/register/at-risk?year_group=8&cohort=send")
    assert '<option selected value="Year 8">' in old_link.get_data(as_text=True)
    _cohorts, by_year = cohort_summary(school.id, TODAY)
    assert [row.name for row in by_year] == [f"Year {n}" for n in range(7, 12)]
    pupil = db.session.scalar(select(Pupil).where(Pupil.year_group == "8"))
    page = _text(client.get(f"/register/pupils/{pupil.id}"))
    assert "Ada Lee Year 8. Figures from" in page
    assert "No week in this period had a possible session." in page and "<svg" not in page


def test_the_worst_window_lists_each_code_with_its_meaning(app, client, school, imported):
    pupil = next(a.entry.pupil for a in at_risk(school.id, TODAY) if a.figures.worst_unauthorised)
    page = _text(client.get(f"/register/pupils/{pupil.id}"))
    listed = page[page.index("The unauthorised sessions in the worst 10 school weeks"):]
    codes = re.findall(r"(Morning|Afternoon) (\S+) ", listed)
    assert codes and all(code in {"G", "U", "O", "N"} for _s, code in codes)
    meanings = {"G": "Holiday not granted by the school", "U": "Arrived in school after the "
                "register closed", "O": "Absent in other or unknown circumstances",
                "N": "Reason for absence not yet provided"}
    for _session, code in codes:
        assert f"{code} – {meanings[code]}" in listed


def test_command_line_counts_have_a_thousands_separator(app, school, tmp_path):
    runner = app.test_cli_runner()
    rows = generator.generate_roll(PUPILS, seed=4)
    roll = generator.write_roll_csv(tmp_path / "roll.csv", rows)
    assert runner.invoke(args=["register", "import", school.urn, str(roll)]).exit_code == 0
    marks = generator.write_marks_csv(tmp_path / "marks.csv", generator.generate_marks(
        [r["UPN"] for r in rows], date(2025, 9, 1), TODAY, seed=4))
    sessions = 2 * PUPILS * len(generator.school_days(date(2025, 9, 1), TODAY))
    result = runner.invoke(args=["register", "import", school.urn, str(marks)])
    assert result.exit_code == 0, result.output
    assert (f"Marks: {sessions:,} sessions for 30 pupils from 4 September 2025 to 30 January 2026; "
            "0 sessions already held") in result.output
    assert f"{sessions:,} marks written." in result.output
    bad = write(tmp_path / "bad.csv", "UPN,Date,Session,Mark\n" + "".join(
        f"{r['UPN']},05/01/2026,{s},F\n" for r in rows for s in ("AM", "PM")) * 20)
    result = runner.invoke(args=["register", "import", school.urn, str(bad)])
    assert result.exit_code == 1 and "Nothing imported: 1,200 problems." in result.output


@pytest.mark.parametrize(("stored", "shown"), [("8", "Year 8"), ("Y14", "Year 14"), ("Year 3", "Year 3")])
def test_editing_a_pupil_keeps_a_year_group_from_an_older_roll_import(client, school, stored, shown):
    """Saving other details never changes the year group to the first choice in the list."""
    pupil = Pupil(school_id=school.id, first_name="Ada", last_name="Lovelace",
                  date_of_birth=date(2014, 3, 1), year_group=stored)
    db.session.add(pupil)
    login(client, UserFactory(school=school, role=Role.ATTENDANCE_LEAD))
    db.session.commit()
    page = client.get(f"/cases/pupils/{pupil.id}/edit").get_data(as_text=True)
    assert re.search(rf'<option[^>]*selected[^>]*>{shown}</option>|<option[^>]*value="{shown}"'
                     rf'[^>]*selected', page), page
    response = client.post(f"/cases/pupils/{pupil.id}/edit", data={
        "first_name": "Ada", "last_name": "Byron", "date_of_birth-day": "1",
        "date_of_birth-month": "3", "date_of_birth-year": "2014", "year_group": shown,
        "version": str(pupil.version)})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(pupil)
    assert (pupil.last_name, pupil.year_group) == ("Byron", shown)
