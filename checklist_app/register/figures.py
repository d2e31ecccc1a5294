"""Figures from the register for pages, the command line and casework.

The aggregation happens in SQL (one ``GROUP BY pupil, week`` query with a conditional sum per
category), so no page loads every mark. Casework calls :func:`pupil_summary` (baseline, current
attendance, improvement, the worst 10-school-week window) and :func:`unauthorised_sessions`
(unauthorised sessions inside a contract's review period).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select

from checklist_app.extensions import db
from checklist_app.register import calc
from checklist_app.register.codes import Category, code_set
from checklist_app.register.models import RegisterWeek, SessionMark, TypedWeek

LOOK_BACK = timedelta(weeks=30)  # windows may begin in the previous school year (R34)


@dataclass(frozen=True)
class PupilFigures:
    """One pupil's figures over a period, with the windows behind the penalty-notice flag."""

    pupil_id: int
    start: date
    end: date
    weeks: tuple[calc.Week, ...]
    attendance: float | None
    possible: int
    unauthorised: int
    worst: calc.Window | None
    latest: calc.Window | None
    baseline: float | None = None
    attended: int = 0

    @property
    def persistent(self) -> bool:
        """Persistent absence over the period (R28)."""
        return calc.is_persistent(self.attendance)

    @property
    def severe(self) -> bool:
        """Severe absence over the period (R28)."""
        return calc.is_severe(self.attendance)

    @property
    def worst_unauthorised(self) -> int:
        """The most unauthorised sessions in any 10-school-week window ending in the period."""
        return self.worst.unauthorised if self.worst else 0

    @property
    def penalty_threshold(self) -> bool:
        """Whether any such window reached 10 unauthorised sessions (R29, R34)."""
        return bool(self.worst and self.worst.reaches_threshold)

    @property
    def improvement(self) -> float | None:
        """Percentage points above (or below) the baseline (R21)."""
        return calc.improvement(self.baseline, self.attendance)

    @property
    def at_risk(self) -> bool:
        """Whether the pupil crossed any threshold."""
        return self.persistent or self.penalty_threshold


def _count(codes: list[str]):
    return func.sum(case((SessionMark.code.in_(codes), 1), else_=0))


def week_sums() -> list:
    """Possible, attended and unauthorised sessions as SQL sums over marks (R32, R33)."""
    codes = code_set()
    return [_count([c.code for c in codes.codes if c.category.possible]),
            _count([c.code for c in codes.codes if c.category.attended]),
            _count(codes.codes_in(Category.UNAUTHORISED))]


def weekly(school_id: int, start: date, end: date, pupil_ids: list[int] | None = None,
           from_summaries: bool = False) -> dict[int, list[calc.Week]]:
    """Each pupil's weeks between ``start`` and ``end``: marks first, typed weeks where none.

    For named pupils the marks are summed to the exact dates; for the whole school the weekly
    summaries kept by each import are read (whole weeks from the Monday of ``start``), as they
    are for named pupils with ``from_summaries``.
    """
    if pupil_ids is None or from_summaries:
        query = select(RegisterWeek.pupil_id, RegisterWeek.week_start, RegisterWeek.possible,
                       RegisterWeek.attended, RegisterWeek.unauthorised).where(
            RegisterWeek.school_id == school_id, RegisterWeek.week_start >= calc.monday(start),
            RegisterWeek.week_start <= end).order_by(RegisterWeek.pupil_id, RegisterWeek.week_start)
        if pupil_ids is not None:
            query = query.where(RegisterWeek.pupil_id.in_(pupil_ids))
    else:
        query = (select(SessionMark.pupil_id, SessionMark.week_start, *week_sums())
                 .where(SessionMark.school_id == school_id, SessionMark.date >= start,
                        SessionMark.date <= end, SessionMark.pupil_id.in_(pupil_ids))
                 .group_by(SessionMark.pupil_id, SessionMark.week_start))
    typed_query = select(TypedWeek).where(
        TypedWeek.school_id == school_id, TypedWeek.withdrawn.is_(False),
        TypedWeek.week_start >= calc.monday(start), TypedWeek.week_start <= end)
    if pupil_ids is not None:
        typed_query = typed_query.where(TypedWeek.pupil_id.in_(pupil_ids))
    marked: dict[int, list[calc.Week]] = defaultdict(list)
    for pupil_id, week_start, pos, att, unauth in db.session.execute(query):
        marked[pupil_id].append(calc.Week(week_start, int(pos or 0), int(att or 0), int(unauth or 0)))
    typed: dict[int, list[calc.Week]] = defaultdict(list)
    for row in db.session.scalars(typed_query):
        typed[row.pupil_id].append(calc.Week(row.week_start, row.possible_sessions,
                                             row.attended_sessions, row.unauthorised_sessions))
    return {pid: calc.merge(marked.get(pid, []), typed.get(pid, [])) for pid in {*marked, *typed}}


def figures_from_weeks(pupil_id: int, weeks: list[calc.Week], start: date, end: date,
                       baseline: float | None = None) -> PupilFigures:
    """A pupil's figures for ``start``..``end`` from weeks that may reach further back."""
    inside = calc.between(weeks, start, end)
    return PupilFigures(
        pupil_id=pupil_id, start=start, end=end, weeks=tuple(inside),
        attendance=calc.percent(inside), possible=sum(w.possible for w in inside),
        unauthorised=sum(w.unauthorised for w in inside), attended=sum(w.attended for w in inside),
        worst=calc.worst_window(weeks, ending_on_or_after=start),
        latest=calc.latest_window(weeks), baseline=baseline)


def pupil_summary(school_id: int, pupil_id: int, start: date, end: date,
                  baseline: float | None = None) -> PupilFigures:
    """One pupil's figures over any range (R28, R33, R34), with improvement on ``baseline`` (R21)."""
    weeks = weekly(school_id, start - LOOK_BACK, end, [pupil_id]).get(pupil_id, [])
    return figures_from_weeks(pupil_id, weeks, start, end, baseline)


def school_figures(school_id: int, start: date, end: date) -> dict[int, PupilFigures]:
    """Every pupil's figures over a range, from the weekly summaries, in four statements.

    Totals come from one ``GROUP BY pupil``; the weeks (for the 10-school-week windows) are read
    only for the pupils who may be at risk: attendance at or below 90%, 10 or more unauthorised
    sessions since the look-back began, or typed weeks. For everyone else ``worst`` is ``None``:
    no window of theirs can reach the threshold.
    """
    first, back = calc.monday(start), calc.monday(start - LOOK_BACK)
    in_school = (RegisterWeek.school_id == school_id, RegisterWeek.week_start <= end)
    totals = db.session.execute(
        select(RegisterWeek.pupil_id, func.sum(RegisterWeek.possible),
               func.sum(RegisterWeek.attended), func.sum(RegisterWeek.unauthorised))
        .where(*in_school, RegisterWeek.week_start >= first).group_by(RegisterWeek.pupil_id)).all()
    candidates = set(db.session.scalars(
        select(RegisterWeek.pupil_id).where(*in_school, RegisterWeek.week_start >= back)
        .group_by(RegisterWeek.pupil_id)
        .having(func.sum(RegisterWeek.unauthorised) >= calc.PENALTY_SESSIONS)))
    candidates |= set(db.session.scalars(select(TypedWeek.pupil_id).where(
        TypedWeek.school_id == school_id, TypedWeek.withdrawn.is_(False)).distinct()))
    result: dict[int, PupilFigures] = {}
    for pupil_id, possible, attended, unauthorised in totals:
        possible, attended = int(possible or 0), int(attended or 0)
        attendance = round(100 * attended / possible, 1) if possible else None
        if calc.is_persistent(attendance):
            candidates.add(pupil_id)
        if pupil_id not in candidates:
            result[pupil_id] = PupilFigures(pupil_id, start, end, (), attendance, possible,
                                            int(unauthorised or 0), None, None, attended=attended)
    if candidates:
        by_pupil = weekly(school_id, start - LOOK_BACK, end, sorted(candidates), from_summaries=True)
        for pupil_id, weeks in by_pupil.items():
            result[pupil_id] = figures_from_weeks(pupil_id, weeks, start, end)
    return result


def school_weekly(school_id: int, start: date, end: date) -> list[tuple[date, float, float | None]]:
    """Each week: the school's attendance and the share of pupils persistently absent so far.

    One statement: a running sum per pupil (a window function), then a ``GROUP BY week``.
    """
    window = {"partition_by": RegisterWeek.pupil_id, "order_by": RegisterWeek.week_start}
    running = (select(RegisterWeek.week_start, RegisterWeek.possible, RegisterWeek.attended,
                      func.sum(RegisterWeek.possible).over(**window).label("so_far_possible"),
                      func.sum(RegisterWeek.attended).over(**window).label("so_far_attended"))
               .where(RegisterWeek.school_id == school_id,
                      RegisterWeek.week_start >= calc.monday(start), RegisterWeek.week_start <= end)
               .subquery())
    counted = running.c.so_far_possible > 0
    flagged = counted & (running.c.so_far_attended * 100 <= running.c.so_far_possible * calc.PERSISTENT_AT)
    rows = db.session.execute(
        select(running.c.week_start, func.sum(running.c.possible), func.sum(running.c.attended),
               func.sum(case((flagged, 1), else_=0)), func.sum(case((counted, 1), else_=0)))
        .group_by(running.c.week_start).order_by(running.c.week_start))
    found = []
    for week, possible, attended, persistent, pupils in rows:
        if possible:
            rate = round(100 * int(persistent) / int(pupils), 1) if pupils else None
            found.append((week, round(100 * int(attended) / int(possible), 1), rate))
    return found


def year_to_date(day: date) -> tuple[date, date]:
    """The school year so far: 1 September to ``day``."""
    return calc.school_year_start(day), day


def unauthorised_sessions(school_id: int, pupil_id: int, start: date, end: date) -> int:
    """Unauthorised sessions between two dates, counted from the marks (R13)."""
    codes = code_set().codes_in(Category.UNAUTHORISED)
    return int(db.session.scalar(select(func.count()).where(
        SessionMark.school_id == school_id, SessionMark.pupil_id == pupil_id,
        SessionMark.date >= start, SessionMark.date <= end, SessionMark.code.in_(codes))) or 0)


def unauthorised_marks(school_id: int, pupil_id: int, start: date,
                       end: date) -> list[tuple[date, str, str]]:
    """The unauthorised sessions (date, AM/PM, code) that make up a window, in order."""
    codes = code_set().codes_in(Category.UNAUTHORISED)
    return [tuple(r) for r in db.session.execute(
        select(SessionMark.date, SessionMark.session, SessionMark.code).where(
            SessionMark.school_id == school_id, SessionMark.pupil_id == pupil_id,
            SessionMark.date >= start, SessionMark.date <= end, SessionMark.code.in_(codes))
        .order_by(SessionMark.date, SessionMark.session))]
