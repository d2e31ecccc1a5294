"""One import, start to finish, shared by the upload pages and the command line: read the file,
map its columns (recognised headers, the school's remembered mapping, explicit overrides), check
every row, describe what would change, and, when asked and nothing is wrong, write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import IO

from sqlalchemy import func, select

from checklist_app.auth.models import School, User
from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.register import calc, operations
from checklist_app.register.codes import code_set
from checklist_app.register.models import ImportRun, SessionMark
from checklist_app.register.parsing import (
    MarksResult,
    Problem,
    RollRow,
    detect_kind,
    guess_mapping,
    missing_fields,
    open_table,
)
from checklist_app.register.readers import MarkRules, parse_marks, parse_roll


@dataclass
class Preview:
    """What a file holds and would change, or every problem that stops it importing."""

    file_name: str
    kind: str
    headers: list[str]
    mapping: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    rows_read: int = 0
    pupils_new: int = 0
    pupils_changed: int = 0
    marks: int = 0
    pupils_with_marks: int = 0
    first_date: date | None = None
    last_date: date | None = None
    marks_already_held: int = 0
    roll: list[RollRow] = field(default_factory=list, repr=False)
    result: MarksResult | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """Whether the file can be imported as it is."""
        return self.problem_count == 0


def importable_dates(today: date) -> tuple[date, date]:
    """Marks may be imported from the start of last school year up to today."""
    this_year = calc.school_year_start(today)
    return this_year.replace(year=this_year.year - 1), today


def preview(school: School, today: date, stream: IO[bytes], file_name: str,
            overrides: dict[str, str] | None = None) -> Preview:
    """Read and check a file without writing anything."""
    table = open_table(stream, file_name)
    first_guess = guess_mapping(table.headers, overrides=overrides)
    kind = detect_kind(table.headers, first_guess)
    mapping = guess_mapping(table.headers, operations.remembered_mapping(school, kind), overrides)
    kind = detect_kind(table.headers, mapping)
    result = Preview(file_name, kind, table.headers, mapping)
    missing = missing_fields(kind, mapping)
    if missing:
        result.problems = [Problem(1, "", f"no column is mapped to {name}") for name in missing]
        result.problem_count = len(missing)
        return result
    if kind == "roll":
        rows, problems = parse_roll(table, mapping)
        result.roll, result.problems, result.problem_count = rows, problems, len(problems)
        result.rows_read = len(rows) + len({p.row for p in problems})
        known = dict(db.session.execute(select(Pupil.upn, Pupil.id).where(
            Pupil.school_id == school.id, Pupil.upn.in_([r.upn for r in rows]))).all())
        result.pupils_new = sum(1 for r in rows if r.upn not in known)
        result.pupils_changed = len(rows) - result.pupils_new
        return result
    upns = frozenset(db.session.scalars(select(Pupil.upn).where(
        Pupil.school_id == school.id, Pupil.upn != "")))
    earliest, latest = importable_dates(today)
    marks = parse_marks(table, mapping, kind, MarkRules(frozenset(code_set().by_code), upns,
                                                        earliest, latest))
    result.result, result.problems, result.problem_count = marks, marks.problems, marks.problem_count
    result.rows_read, result.marks = marks.rows_read, marks.mark_count
    result.pupils_with_marks = len(marks.marks)
    result.first_date, result.last_date = marks.dates()
    if result.first_date and result.ok:
        ids = select(Pupil.id).where(Pupil.school_id == school.id, Pupil.upn.in_(list(marks.marks)))
        result.marks_already_held = int(db.session.scalar(
            select(func.count()).select_from(SessionMark).where(
                SessionMark.school_id == school.id, SessionMark.pupil_id.in_(ids),
                SessionMark.date >= result.first_date, SessionMark.date <= result.last_date)) or 0)
    return result


def confirm(school: School, user: User | None, today: date, checked: Preview) -> ImportRun:
    """Write a checked file (all or nothing) and remember its column mapping for next time."""
    if not checked.ok:
        raise operations.RegisterError("The file has problems; nothing was imported.")
    operations.remember_mapping(school, user, today, checked.kind, checked.mapping)
    if checked.kind == "roll":
        return operations.import_roll(school, user, today, checked.file_name, checked.roll)
    assert checked.result is not None  # noqa: S101  (marks previews always carry their result)
    run = operations.import_marks(school, user, today, checked.file_name, checked.result)
    from checklist_app.register.atrisk import at_risk_ids

    run.at_risk_pupil_ids = sorted(at_risk_ids(school.id, today))
    db.session.flush()
    return run


def last_marks_import(school_id: int) -> ImportRun | None:
    """The school's most recent marks import."""
    return db.session.scalar(select(ImportRun).where(
        ImportRun.school_id == school_id, ImportRun.kind == "marks")
        .order_by(ImportRun.at.desc(), ImportRun.id.desc()).limit(1))

