"""Writes to the register: roll and marks imports, the remembered column mapping, typed weeks.

Every function takes the school, the acting user and ``today`` explicitly, flushes, and never
commits: the view or command that called it commits once (or rolls back).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select

from checklist_app.auth.models import School, User
from checklist_app.casework.models import Pupil
from checklist_app.concurrency import check_version
from checklist_app.errors import Locked, Refused
from checklist_app.extensions import db
from checklist_app.formatting import long_date
from checklist_app.register import calc
from checklist_app.register.models import (
    ColumnMapping,
    ImportRun,
    RegisterWeek,
    RollDetails,
    SessionMark,
    TypedWeek,
)
from checklist_app.register.parsing import MarksResult, RollRow

CHUNK = 20_000


class RegisterError(Refused):
    """A register change that cannot be made, with a plain-English reason."""


def _run(school: School, user: User | None, kind: str, file_name: str) -> ImportRun:
    run = ImportRun(school_id=school.id, kind=kind, user_id=user.id if user else None,
                    user_name=user.name if user else "command line", file_name=file_name[:255])
    db.session.add(run)
    db.session.flush()
    return run


def import_roll(school: School, user: User | None, today: date, file_name: str,
                rows: list[RollRow]) -> ImportRun:
    """Create the new pupils and update the changed ones, matched by UPN (each change audited)."""
    run = _run(school, user, "roll", file_name)
    pupils = {p.upn: p for p in db.session.scalars(
        select(Pupil).where(Pupil.school_id == school.id, Pupil.upn.in_([r.upn for r in rows])))}
    for row in rows:
        pupil = pupils.get(row.upn)
        values = {"last_name": row.surname, "first_name": row.forename,
                  "date_of_birth": row.date_of_birth, "year_group": row.year_group}
        if pupil is None:
            pupils[row.upn] = Pupil(school_id=school.id, upn=row.upn, **values)
            db.session.add(pupils[row.upn])
            run.pupils_created += 1
        elif any(getattr(pupil, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(pupil, key, value)
            run.pupils_updated += 1
    db.session.flush()
    details = {d.pupil_id: d for d in db.session.scalars(
        select(RollDetails).where(RollDetails.school_id == school.id))}
    for row in rows:
        flags = {k: v for k, v in row.flags.items() if v is not None}
        if not flags:
            continue
        pupil_id = pupils[row.upn].id
        record = details.get(pupil_id)
        if record is None:
            record = details[pupil_id] = RollDetails(pupil_id=pupil_id, school_id=school.id)
            db.session.add(record)
        for key, value in flags.items():
            if getattr(record, key) != value:
                setattr(record, key, value)
    run.rows_read = len(rows)
    db.session.flush()
    return run


COPY_INCOMING = ("COPY incoming_mark (pupil_id, date, session, code, school_id, week_start, "
                 "import_run_id) FROM STDIN")
UPSERT_FROM_COPY = (
    "INSERT INTO session_mark (pupil_id, date, session, code, school_id, week_start, import_run_id) "
    "SELECT pupil_id, date, session, code, school_id, week_start, import_run_id FROM incoming_mark "
    "ON CONFLICT (pupil_id, date, session) DO UPDATE SET code = excluded.code, "
    "import_run_id = excluded.import_run_id")
UPSERT_VALUES = (
    "INSERT INTO session_mark (pupil_id, date, session, code, school_id, week_start, import_run_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (pupil_id, date, session) DO UPDATE SET code = excluded.code, "
    "import_run_id = excluded.import_run_id")


def _write_marks(rows: Iterator[tuple]) -> None:
    """Upsert marks in bulk: COPY into a temporary table on PostgreSQL, executemany on SQLite."""
    connection = db.session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS incoming_mark")
            cursor.execute("CREATE TEMPORARY TABLE incoming_mark (pupil_id integer, date date, "
                           "session varchar(2), code varchar(3), school_id integer, "
                           "week_start date, import_run_id integer) ON COMMIT DROP")
            with cursor.copy(COPY_INCOMING) as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(UPSERT_FROM_COPY)
            cursor.execute("DROP TABLE incoming_mark")
        return
    cursor = raw.cursor()
    try:
        batch = []
        for pupil_id, day, session, code, school_id, week, run_id in rows:
            batch.append((pupil_id, day.isoformat(), session, code, school_id, week.isoformat(), run_id))
            if len(batch) >= CHUNK:
                cursor.executemany(UPSERT_VALUES, batch)
                batch = []
        if batch:
            cursor.executemany(UPSERT_VALUES, batch)
    finally:
        cursor.close()


def import_marks(school: School, user: User | None, today: date, file_name: str,
                 result: MarksResult) -> ImportRun:
    """Write a checked marks file: its sessions replace the same sessions, nothing else changes."""
    if result.problem_count:
        raise RegisterError("The file has problems; nothing was imported.")
    run = _run(school, user, "marks", file_name)
    ids = dict(db.session.execute(select(Pupil.upn, Pupil.id).where(
        Pupil.school_id == school.id, Pupil.upn.in_(list(result.marks)))).all())
    first, last = result.dates()
    if first is not None:
        run.marks_replaced = int(db.session.scalar(select(func.count()).select_from(SessionMark).where(
            SessionMark.school_id == school.id, SessionMark.pupil_id.in_(list(ids.values())),
            SessionMark.date >= first, SessionMark.date <= last)) or 0)
    mondays: dict[date, date] = {}

    def rows() -> Iterator[tuple]:
        for upn, marks in result.marks.items():
            pupil_id = ids[upn]
            for (day, session), code in marks.items():
                week = mondays.get(day) or mondays.setdefault(day, calc.monday(day))
                yield pupil_id, day, session, code, school.id, week, run.id

    _write_marks(rows())
    if first is not None:
        refresh_weeks(school.id, list(ids.values()), calc.monday(first), calc.monday(last))
    run.rows_read = result.rows_read
    run.marks_written = result.mark_count
    run.first_date, run.last_date = first, last
    db.session.flush()
    return run


def refresh_weeks(school_id: int, pupil_ids: list[int], first_week: date, last_week: date) -> None:
    """Recompute the weekly summaries of these pupils' weeks from their marks (one statement)."""
    from checklist_app.register.figures import week_sums

    for start in range(0, len(pupil_ids), 5000):
        chunk = pupil_ids[start:start + 5000]
        db.session.execute(delete(RegisterWeek).where(
            RegisterWeek.school_id == school_id, RegisterWeek.pupil_id.in_(chunk),
            RegisterWeek.week_start >= first_week, RegisterWeek.week_start <= last_week))
        summary = (select(SessionMark.pupil_id, SessionMark.week_start, SessionMark.school_id,
                          *week_sums())
                   .where(SessionMark.school_id == school_id, SessionMark.pupil_id.in_(chunk),
                          SessionMark.week_start >= first_week, SessionMark.week_start <= last_week)
                   .group_by(SessionMark.pupil_id, SessionMark.week_start, SessionMark.school_id))
        db.session.execute(insert(RegisterWeek).from_select(
            ["pupil_id", "week_start", "school_id", "possible", "attended", "unauthorised"], summary))


def recompute_summaries(school: School) -> tuple[int, int]:
    """Recompute every weekly summary of the school from its marks, as after a change to the
    attendance codes file. Returns (weeks recomputed, weeks whose figures changed)."""
    columns = (RegisterWeek.pupil_id, RegisterWeek.week_start, RegisterWeek.possible,
               RegisterWeek.attended, RegisterWeek.unauthorised)

    def weeks() -> dict[tuple[int, date], tuple[int, int, int]]:
        return {(r[0], r[1]): (r[2], r[3], r[4]) for r in db.session.execute(
            select(*columns).where(RegisterWeek.school_id == school.id))}

    before = weeks()
    first, last = db.session.execute(select(func.min(SessionMark.week_start),
                                            func.max(SessionMark.week_start))
                                     .where(SessionMark.school_id == school.id)).one()
    pupil_ids = list(db.session.scalars(select(SessionMark.pupil_id).where(
        SessionMark.school_id == school.id).distinct()))
    if first is not None:
        refresh_weeks(school.id, pupil_ids, first, last)
    db.session.flush()
    after = weeks()
    changed = sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    return len(after), changed


def remember_mapping(school: School, user: User | None, today: date, kind: str,
                     mapping: dict[str, str]) -> None:
    """Keep the school's column mapping for this kind of file for next time."""
    kind = "marks" if kind.startswith("marks") else kind
    record = db.session.scalar(select(ColumnMapping).where(
        ColumnMapping.school_id == school.id, ColumnMapping.kind == kind))
    if record is None:
        db.session.add(ColumnMapping(school_id=school.id, kind=kind, mapping=dict(mapping)))
    elif record.mapping != mapping:
        record.mapping = dict(mapping)
    db.session.flush()


def remembered_mapping(school: School, kind: str) -> dict[str, str]:
    """The school's remembered mapping for this kind of file (empty when none)."""
    kind = "marks" if kind.startswith("marks") else kind
    record = db.session.scalar(select(ColumnMapping).where(
        ColumnMapping.school_id == school.id, ColumnMapping.kind == kind))
    return dict(record.mapping) if record else {}


def _check_counts(possible: int, attended: int, unauthorised: int) -> None:
    if not 0 <= possible <= 14:
        raise RegisterError("A week has between 0 and 14 possible sessions (two a day).")
    if not 0 <= attended <= possible:
        raise RegisterError("Sessions attended cannot be more than the possible sessions.")
    if not 0 <= unauthorised <= possible - attended:
        raise RegisterError("Unauthorised sessions cannot be more than the sessions missed.")


def type_week(school: School, user: User | None, today: date, pupil: Pupil, week_start: date,
              possible: int, attended: int, unauthorised: int) -> TypedWeek:
    """Record one pupil's week of session counts for a school without an export."""
    if pupil.school_id != school.id:
        raise RegisterError("That pupil is not on this school's roll.")
    _check_counts(possible, attended, unauthorised)
    week = calc.monday(week_start)
    if week > today:
        raise RegisterError("That week has not started yet.")
    if db.session.scalar(select(TypedWeek.id).where(TypedWeek.pupil_id == pupil.id,
                                                    TypedWeek.week_start == week)):
        raise RegisterError("That week is already recorded: correct it instead.")
    record = TypedWeek(school_id=school.id, pupil_id=pupil.id, week_start=week,
                       possible_sessions=possible, attended_sessions=attended,
                       unauthorised_sessions=unauthorised)
    db.session.add(record)
    db.session.flush()
    return record


def _changeable(school: School, record: TypedWeek, submitted_version: Any) -> None:
    """Refuse another school's record, a withdrawn week, or a form shown before someone else saved."""
    if record.school_id != school.id:
        raise RegisterError("That record belongs to another school.")
    if record.withdrawn:
        raise Locked(f"The week beginning {long_date(record.week_start)} has been withdrawn, so it "
                     "no longer counts and cannot be changed. Add the week again if it should count.")
    if submitted_version is not None:
        check_version(record, submitted_version)


def correct_week(school: School, user: User | None, today: date, record: TypedWeek, possible: int,
                 attended: int, unauthorised: int, reason: str, submitted_version: Any = None) -> None:
    """Correct a typed week; the reason and the old figures stay in the audit trail.

    ``submitted_version`` is the version the form was shown (a view always passes it)."""
    from checklist_app.audit.services import labelled

    _changeable(school, record, submitted_version)
    if not reason.strip():
        raise RegisterError("Say why the figures are being corrected.")
    _check_counts(possible, attended, unauthorised)
    with labelled(db.session, "correct", reason.strip()):
        record.possible_sessions, record.attended_sessions = possible, attended
        record.unauthorised_sessions, record.reason = unauthorised, reason.strip()


def withdraw_week(school: School, user: User | None, today: date, record: TypedWeek,
                  reason: str, submitted_version: Any = None) -> None:
    """Withdraw a typed week (it stops counting) with a reason, kept in the audit trail."""
    from checklist_app.audit.services import labelled

    _changeable(school, record, submitted_version)
    if not reason.strip():
        raise RegisterError("Say why the figures are being withdrawn.")
    with labelled(db.session, "withdraw", reason.strip()):
        record.withdrawn, record.reason = True, reason.strip()
