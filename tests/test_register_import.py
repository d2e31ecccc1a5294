"""Importing the roll and the marks: header recognition, every problem with its row and column,
all or nothing, idempotent re-import, wide and XLSX files, and the command line."""

from __future__ import annotations

import io
from datetime import date

import time_machine
from openpyxl import Workbook
from sqlalchemy import func, select

from checklist_app.audit.models import AuditEvent
from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.register import generator, importing
from checklist_app.register.models import ImportRun, RollDetails, SessionMark
from tests.register_helpers import import_text, load_roll, write

TODAY = date(2026, 3, 2)


def _marks() -> int:
    return db.session.scalar(select(func.count()).select_from(SessionMark))


def test_roll_import_creates_then_updates_and_audits(app, school, tmp_path):
    rows = load_roll(school, tmp_path)
    assert db.session.scalar(select(func.count()).select_from(Pupil)) == 6
    assert db.session.scalar(select(func.count()).select_from(RollDetails)) == 6
    rows[0]["Legal Surname"] = "Changed"
    path = generator.write_roll_csv(tmp_path / "roll2.csv", rows)
    checked = importing.preview(school, TODAY, io.BytesIO(path.read_bytes()), "roll2.csv")
    assert (checked.pupils_new, checked.pupils_changed) == (0, 6)
    run = importing.confirm(school, None, TODAY, checked)
    db.session.commit()
    assert (run.pupils_created, run.pupils_updated) == (0, 1)
    changed = db.session.scalar(select(AuditEvent).where(
        AuditEvent.record_type == "Pupil", AuditEvent.action == "update"))
    assert changed.changes["last_name"][1] == "Changed"


def test_every_problem_has_its_row_and_column(app, school, tmp_path):
    rows = load_roll(school, tmp_path, count=2)
    good, other = rows[0]["UPN"], rows[1]["UPN"]
    bad_letter = ("B" if good[0] != "B" else "C") + good[1:]
    text = ("UPN,Date,Session,Mark\n"
            f"{good},02/02/2026,AM,/\n"
            f"{good},02/02/2026,AM,O\n"          # row 3: two codes for one session
            f"{good},03/02/2026,PM,F\n"          # row 4: F was retired in 2024
            f"{bad_letter},03/02/2026,AM,/\n"    # row 5: check letter
            f"A12345,03/02/2026,AM,/\n"          # row 6: too short
            f"{generator.make_upn(999, 1, 1)},03/02/2026,AM,/\n"  # row 7: not on roll
            f"{other},01/08/2023,AM,/\n"         # row 8: outside the school years
            f"{other},31/02/2026,AM,/\n"         # row 9: not a date
            f"{other},04/02/2026,Eve,/\n")       # row 10: not a session
    checked = import_text(school, text)
    found = {(p.row, p.column.split(" ")[0]) for p in checked.problems}
    assert found == {(3, "D"), (4, "D"), (5, "A"), (6, "A"), (7, "A"), (8, "D"), (9, "B"), (10, "C")}
    messages = " | ".join(str(p) for p in checked.problems)
    assert "row 3, column D (Mark): two codes (/ and O)" in messages
    assert "F is not an attendance code" in messages
    assert "check letter" in messages and "13 characters" in messages
    assert "not on the school's roll" in messages and "outside the school years" in messages
    assert _marks() == 0  # all or nothing


def test_reimport_replaces_only_those_sessions(app, school, tmp_path):
    upn = load_roll(school, tmp_path, count=1)[0]["UPN"]
    first = "UPN,Date,Session,Mark\n" + "".join(
        f"{upn},{d:02d}/02/2026,{s},{'/' if s == 'AM' else chr(92)}\n"
        for d in (2, 3, 4) for s in ("AM", "PM"))
    assert import_text(school, first).ok
    assert _marks() == 6
    again = import_text(school, first)
    assert again.marks_already_held == 6 and _marks() == 6
    overlap = f"UPN,Date,Session,Mark\n{upn},04/02/2026,PM,O\n{upn},05/02/2026,AM,I\n"
    assert import_text(school, overlap).ok
    codes = dict(((d.day, s), c) for d, s, c in db.session.execute(
        select(SessionMark.date, SessionMark.session, SessionMark.code)))
    assert codes[(4, "PM")] == "O" and codes[(5, "AM")] == "I" and codes[(4, "AM")] == "/"
    assert len(codes) == 7
    assert db.session.scalar(select(func.count()).select_from(ImportRun)) == 4  # roll + 3 marks


def test_wide_xlsx_with_iso_dates_and_a_mapped_column(app, school, tmp_path):
    upn = load_roll(school, tmp_path, count=1)[0]["UPN"]
    book = Workbook()
    sheet = book.active
    sheet.append(["Pupil number", "Name", "Mon 02/02/2026 AM", "2026-02-02 PM", "03/02/2026 AM"])
    sheet.append([upn, "Someone", "/", "\\", "N"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    checked = importing.preview(school, TODAY, buffer, "wide.xlsx", {"Pupil number": "upn"})
    assert checked.kind == "marks-wide" and checked.ok and checked.marks == 3
    importing.confirm(school, None, TODAY, checked)
    db.session.commit()
    assert _marks() == 3
    # The mapping is remembered: next time the header needs no --map.
    buffer.seek(0)
    assert importing.preview(school, TODAY, buffer, "wide.xlsx").ok


def test_cli_import_dry_run_problems_and_at_risk(app, school, tmp_path):
    runner = app.test_cli_runner()
    rows = generator.generate_roll(3)
    roll = generator.write_roll_csv(tmp_path / "roll.csv", rows)
    with time_machine.travel(date(2026, 3, 2)):
        result = runner.invoke(args=["register", "import", school.urn, str(roll)])
        assert result.exit_code == 0, result.output
        bad = write(tmp_path / "bad.csv", f"UPN,Date,Session,Mark\n{rows[0]['UPN']},02/02/2026,AM,F\n")
        result = runner.invoke(args=["register", "import", school.urn, str(bad)])
        assert result.exit_code == 1
        assert "bad.csv: row 2, column D (Mark): F is not an attendance code" in result.output
        upn = rows[0]["UPN"]
        body = "".join(f"{upn},{d.strftime('%d/%m/%Y')},{s},O\n"
                       for d in generator.school_days(date(2026, 1, 5), date(2026, 1, 9))
                       for s in ("AM", "PM"))
        marks = write(tmp_path / "m.csv", "Pupil,Day,AM/PM,Code\n" + body)
        args = ["register", "import", school.urn, str(marks), "--map", "Pupil=upn", "--map", "Day=date"]
        result = runner.invoke(args=[*args, "--dry-run"])
        assert result.exit_code == 0 and "Dry run" in result.output, result.output
        assert _marks() == 0
        assert runner.invoke(args=args).exit_code == 0
        assert _marks() == 10
        result = runner.invoke(args=["register", "at-risk", school.urn, "--as-of", "2026-01-31",
                                     "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("upn,surname,forename,year_group,attendance_percent,persistent,severe,"
                               "worst_10_week_unauthorised,penalty_threshold")
    assert len(lines) == 2 and lines[1].startswith(upn)
    assert ",0.0,yes,yes,10,yes," in lines[1]


def test_cli_recompute_restores_weekly_figures_from_the_marks(app, school, tmp_path):
    """After a change to the codes file the weekly figures are recomputed from the marks kept."""
    from checklist_app.register.models import RegisterWeek

    runner = app.test_cli_runner()
    rows = load_roll(school, tmp_path, count=2)
    upn = rows[0]["UPN"]
    days = generator.school_days(date(2026, 1, 5), date(2026, 1, 9))
    import_text(school, "UPN,Date,Session,Mark\n" + "".join(
        f"{upn},{d.strftime('%d/%m/%Y')},{s},{'O' if d.day == 5 else '/'}\n"
        for d in days for s in ("AM", "PM")))
    week = db.session.scalar(db.select(RegisterWeek))
    assert (week.possible, week.attended, week.unauthorised) == (10, 8, 2)
    week.attended, week.unauthorised = 10, 0  # figures summed under an earlier codes file
    db.session.commit()
    assert runner.invoke(args=["register", "recompute"]).exit_code == 2
    result = runner.invoke(args=["register", "recompute", school.urn])
    assert result.exit_code == 0, result.output
    assert f"{school.name}: 1 pupil-weeks recomputed, 1 changed." in result.output
    db.session.expire_all()
    week = db.session.scalar(db.select(RegisterWeek))
    assert (week.possible, week.attended, week.unauthorised) == (10, 8, 2)
    again = runner.invoke(args=["register", "recompute", "--all"])
    assert "1 pupil-weeks recomputed, 0 changed." in again.output
