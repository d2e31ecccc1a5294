"""Date arithmetic of the process: weeks and months added, review periods and review windows.

Pure functions of dates and :class:`CaseworkSettings`; rule numbers refer to ``docs/RULES.md``.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from checklist_app.casework.enums import DurationUnit
from checklist_app.casework.settings import CaseworkSettings


def add_weeks(start: date, weeks: int) -> date:
    """``start`` plus whole weeks (31 January + 3 weeks = 21 February); stops at the calendar's end
    (a date stored out of range, such as 31 December 9999, must not break a page)."""
    return add_days(start, weeks * 7)


def add_days(start: date, days: int) -> date:
    """``start`` plus days, held within the calendar (date.min..date.max)."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day (31 January + 1 month = 28/29 Feb)."""
    years, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month_index + 1
    if not 1 <= year <= 9999:
        return date.max if months > 0 else date.min
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def review_period_weeks(baseline: float, s: CaseworkSettings) -> int:
    """R13: the review period after a contract, shorter when attendance at the start is lower."""
    for below, weeks in s.review_period_bands:
        if baseline < below:
            return max(s.review_period_min_weeks, min(weeks, s.review_period_max_weeks))
    return s.review_period_max_weeks


def meeting_review_window(held_on: date, s: CaseworkSettings) -> tuple[date, date, date]:
    """R26: earliest, latest and suggested review date of a meeting's plan (2–4 weeks, 3 suggested)."""
    return (add_weeks(held_on, s.meeting_review_min_weeks),
            add_weeks(held_on, s.meeting_review_max_weeks),
            add_weeks(held_on, s.meeting_review_suggested_weeks))


def latest_next_review(review_held_on: date, s: CaseworkSettings) -> date:
    """R27: after a review meeting the next review is no more than 3 weeks later."""
    return add_weeks(review_held_on, s.review_within_weeks)


def duration_in_months(value: int | None, unit: DurationUnit) -> float | None:
    """A contract's expected duration in months (weeks counted as 52/12 a month)."""
    if not value:
        return None
    return float(value) if unit is DurationUnit.MONTHS else value * 12 / 52


def needs_monthly_reviews(value: int | None, unit: DurationUnit, s: CaseworkSettings) -> bool:
    """R9: review meetings once a month for contracts of 3 months or more (a setting)."""
    months = duration_in_months(value, unit)
    return months is not None and months >= s.monthly_review_min_months - 1e-9
