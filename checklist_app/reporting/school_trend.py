"""The governing-board pack's attendance trend: the school's weekly attendance and the share of
pupils persistently absent so far, from the register, as a bar table (xhtml2pdf cannot draw SVG).

One statement (``register.figures.school_weekly``); never writes. A school without marks for the
term's school year has no trend.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checklist_app.register import chartdata, charts, figures
from checklist_app.self_evaluation.terms import Season, Term, start_year_of


def term_end(term: Term) -> date:
    """The last day of a term (31 December, 31 March or 31 August)."""
    year = start_year_of(term.academic_year)
    return {Season.AUTUMN: date(year, 12, 31), Season.SPRING: date(year + 1, 3, 31),
            Season.SUMMER: date(year + 1, 8, 31)}[term.season]


def school_trend(school_id: int, term: Term, today: date) -> dict[str, Any] | None:
    """The school year up to the end of ``term`` (or today, if sooner): the bar table, the
    period and the latest week's figures; ``None`` when the register has no marks for it."""
    start = date(start_year_of(term.academic_year), 9, 1)
    end = min(term_end(term), today)
    if end < start:
        return None
    weeks = figures.school_weekly(school_id, start, end)
    if not weeks:
        return None
    last_monday, attendance, persistent = weeks[-1]
    return {"bars": charts.pdf_bars(chartdata.school_chart(weeks)), "start": start, "end": end,
            "weeks": len(weeks), "last_week": last_monday, "attendance": attendance,
            "persistent": persistent}
