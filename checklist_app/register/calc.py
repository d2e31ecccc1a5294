"""Pure attendance arithmetic on weekly session counts: no database, no clock.

A *school week* is a week with at least one possible session (R34); windows of 10 school weeks
therefore step over holidays and run across terms and school years.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

PERSISTENT_AT = 90.0  # attendance at or below this is persistent absence (R28)
SEVERE_AT = 50.0  # attendance at or below this is severe absence (R28)
WINDOW_WEEKS = 10  # R29, R34
PENALTY_SESSIONS = 10  # R29


class Week(NamedTuple):
    """One pupil's sessions in one week (Monday ``week_start``); a tuple, as pages build many."""

    week_start: date
    possible: int
    attended: int
    unauthorised: int

    @property
    def percent(self) -> float | None:
        """Attendance this week, or ``None`` when there was no possible session."""
        return round(100 * self.attended / self.possible, 1) if self.possible else None


@dataclass(frozen=True)
class Window:
    """A run of consecutive school weeks and the unauthorised sessions inside it."""

    weeks: tuple[Week, ...]

    @property
    def first(self) -> date:
        """Monday of the first school week."""
        return self.weeks[0].week_start

    @property
    def last(self) -> date:
        """Friday of the last school week."""
        return self.weeks[-1].week_start + timedelta(days=4)

    @property
    def unauthorised(self) -> int:
        """Unauthorised sessions inside the window."""
        return sum(w.unauthorised for w in self.weeks)

    @property
    def reaches_threshold(self) -> bool:
        """Whether this window reaches the penalty-notice threshold (R29)."""
        return self.unauthorised >= PENALTY_SESSIONS


def monday(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def percent(weeks: Iterable[Week]) -> float | None:
    """Attendance % over the weeks (R33), one decimal; ``None`` with no possible session."""
    possible = attended = 0
    for week in weeks:
        possible += week.possible
        attended += week.attended
    return round(100 * attended / possible, 1) if possible else None


def is_persistent(attendance: float | None) -> bool:
    """Persistent absence: missing 10% or more of possible sessions (R28)."""
    return attendance is not None and attendance <= PERSISTENT_AT


def is_severe(attendance: float | None) -> bool:
    """Severe absence: missing 50% or more of possible sessions (R28)."""
    return attendance is not None and attendance <= SEVERE_AT


def school_weeks(weeks: Iterable[Week]) -> list[Week]:
    """The weeks with at least one possible session, in date order."""
    found = [w for w in weeks if w.possible > 0]
    if any(found[i].week_start > found[i + 1].week_start for i in range(len(found) - 1)):
        found.sort(key=lambda w: w.week_start)
    return found


def windows(weeks: Iterable[Week], size: int = WINDOW_WEEKS) -> list[Window]:
    """Every run of ``size`` consecutive school weeks (one shorter run when there are fewer)."""
    ordered = school_weeks(weeks)
    if not ordered:
        return []
    if len(ordered) <= size:
        return [Window(tuple(ordered))]
    return [Window(tuple(ordered[i:i + size])) for i in range(len(ordered) - size + 1)]


def worst_window(weeks: Iterable[Week], ending_on_or_after: date | None = None,
                 size: int = WINDOW_WEEKS) -> Window | None:
    """The window with the most unauthorised sessions (the latest when tied).

    ``ending_on_or_after`` limits the search to windows that end in the period of interest while
    still letting them begin in an earlier term or school year.
    """
    ordered = school_weeks(weeks)
    if len(ordered) <= size:
        return Window(tuple(ordered)) if ordered else None
    limit = monday(ending_on_or_after) if ending_on_or_after else None
    running = sum(w.unauthorised for w in ordered[:size])
    best_end, best_total = -1, -1
    for end in range(size - 1, len(ordered)):  # sliding sum: one pass, whatever the length
        if end >= size:
            running += ordered[end].unauthorised - ordered[end - size].unauthorised
        if (limit is None or ordered[end].week_start >= limit) and running >= best_total:
            best_end, best_total = end, running
    return Window(tuple(ordered[best_end - size + 1:best_end + 1])) if best_end >= 0 else None


def latest_window(weeks: Iterable[Week], size: int = WINDOW_WEEKS) -> Window | None:
    """The last ``size`` school weeks: the window that is current now."""
    found = windows(weeks, size)
    return found[-1] if found else None


def between(weeks: Iterable[Week], start: date, end: date) -> list[Week]:
    """The weeks whose Monday falls between the Mondays of ``start`` and ``end``."""
    first, last = monday(start), monday(end)
    return [w for w in weeks if first <= w.week_start <= last]


def improvement(baseline: float | None, current: float | None) -> float | None:
    """Change in percentage points from the baseline (R21); positive means better."""
    if baseline is None or current is None:
        return None
    return round(current - baseline, 1)


def school_year_start(day: date) -> date:
    """1 September of the school year ``day`` falls in."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def easter_sunday(year: int) -> date:
    """Easter Sunday (Gregorian calendar, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def terms(year_start: date) -> list[tuple[str, date, date]]:
    """The school year's terms: autumn to December, spring to Easter, summer to August."""
    spring_year = year_start.year + 1
    easter = easter_sunday(spring_year)
    return [
        ("Autumn term", year_start, date(year_start.year, 12, 31)),
        ("Spring term", date(spring_year, 1, 1), easter),
        ("Summer term", easter + timedelta(days=1), date(spring_year, 8, 31)),
    ]


def merge(marked: Sequence[Week], typed: Sequence[Week]) -> list[Week]:
    """Weeks from marks, plus typed weeks for the weeks that have no marks."""
    if not typed:
        return sorted(marked, key=lambda w: w.week_start)
    have = {w.week_start for w in marked}
    return sorted([*marked, *(w for w in typed if w.week_start not in have)],
                  key=lambda w: w.week_start)
