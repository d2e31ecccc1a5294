"""Attendance thresholds and unauthorised-session counts of the process (R13, R21, R28, R29)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from checklist_app.casework.process.dates import add_days
from checklist_app.casework.process.facts import FigureFact

#: R28: persistent absence is attendance of 90% or below; severe absence 50% or below.
PERSISTENT_ABSENCE_PERCENT = 90.0
SEVERE_ABSENCE_PERCENT = 50.0
#: R13: unauthorised sessions inside a review period that may trigger a review meeting (7a).
REVIEW_TRIGGER_SESSIONS = 6
#: R29: the national penalty-notice threshold: 10 unauthorised sessions in 10 school weeks.
PENALTY_THRESHOLD_SESSIONS = 10
PENALTY_WINDOW_WEEKS = 10


def is_improvement(baseline: float, current: float) -> bool:
    """R21: improvement is judged against the pupil's attendance at the start (80% → 87% is)."""
    return round(current - baseline, 1) > 0


def unauthorised_between(figures: Sequence[FigureFact], start: date,
                         end: date | None = None) -> int:
    """Unauthorised sessions of the figures whose period lies inside ``start``–``end``."""
    return sum(x.unauthorised for x in figures
               if x.period_start >= start and (end is None or x.period_end <= end))


def review_trigger_date(figures: Sequence[FigureFact], period_start: date) -> date | None:
    """R13: when unauthorised sessions since ``period_start`` reached 6, else None."""
    total = 0
    for figure in sorted(figures, key=lambda x: x.period_end):
        if figure.period_start < period_start:
            continue
        total += figure.unauthorised
        if total >= REVIEW_TRIGGER_SESSIONS:
            return figure.recorded_on or figure.period_end
    return None


def penalty_threshold_window(figures: Sequence[FigureFact]) -> tuple[date, date, int] | None:
    """R29: a window of 10 school weeks holding 10 or more unauthorised sessions, if any.

    School weeks are approximated as calendar weeks: a window that spans a holiday is then
    shorter than 10 school weeks, so the flag can miss a threshold reached across a holiday
    (check the register). Figures only count when their whole period lies inside the window.
    This only flags the threshold; the product never issues fines.
    """
    for anchor in sorted(figures, key=lambda x: x.period_end):
        start = add_days(anchor.period_end, -7 * PENALTY_WINDOW_WEEKS + 1)
        total = unauthorised_between(figures, start, anchor.period_end)
        if total >= PENALTY_THRESHOLD_SESSIONS:
            return start, anchor.period_end, total
    return None
