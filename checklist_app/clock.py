"""One clock for the whole application: the school's today (Europe/London) and the current moment.

Everything that needs "today" or "now" asks this module, never ``date.today()`` or
``datetime.now()``: the server may run in UTC while a school's day starts at midnight in London,
and tests move time with time-machine, which this module honours because it reads the system clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SCHOOL_TIMEZONE = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current moment, timezone-aware, in UTC (what is stored)."""
    return datetime.now(UTC)


def school_now() -> datetime:
    """The current moment on the school's clock (Europe/London)."""
    return now().astimezone(SCHOOL_TIMEZONE)


def today() -> date:
    """The school's date today: the calendar day in Europe/London, whatever the server's zone."""
    return school_now().date()
