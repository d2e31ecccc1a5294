"""What casework reads from the register: a case's weekly chart, and figures for the process rules.

When the pupil has register data (marks, or weeks typed into the register) the rules read one
:class:`FigureFact` per school week from it (Monday to Friday, with that week's attendance and
unauthorised sessions), and "attendance now" is the attendance since the case opened. Otherwise
the figures typed on the case are used, as before. The pure rules in ``casework.process`` never
see where the figures came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from checklist_app.casework.models import Case
from checklist_app.casework.process.facts import FigureFact
from checklist_app.register import calc, chartdata, charts
from checklist_app.register import figures as register_figures
from checklist_app.register.charts import Chart

#: How far before the case opened the register is read, so a 10-school-week window (R29, R34)
#: that began before the case is seen whole.
LOOK_BACK = timedelta(weeks=calc.WINDOW_WEEKS + 6)


@dataclass(frozen=True)
class RegisterFigures:
    """A pupil's register figures for one case: one fact a school week, and attendance since
    the case opened (``None`` when there was no possible session since)."""

    figures: tuple[FigureFact, ...]
    attendance_now: float | None


def week_facts(weeks: list[calc.Week]) -> tuple[FigureFact, ...]:
    """One figure a school week (weeks without a possible session are left out)."""
    return tuple(FigureFact(w.week_start, w.week_start + timedelta(days=4), w.percent or 0.0,
                            w.unauthorised) for w in calc.school_weeks(weeks))


def from_weeks(weeks: list[calc.Week], opened_on: date) -> RegisterFigures | None:
    """A case's register figures from the pupil's weeks, or ``None`` without a school week."""
    facts = week_facts([w for w in weeks if w.week_start >= calc.monday(opened_on) - LOOK_BACK])
    if not facts:
        return None
    return RegisterFigures(facts, calc.percent(calc.between(weeks, opened_on, date.max)))


def for_cases(school_id: int, cases: list[tuple[int, int, date]],
              today: date) -> dict[int, RegisterFigures]:
    """Register figures by case id for ``(case id, pupil id, opened on)`` rows of one school.

    Two statements however many cases (the weekly summaries and the typed weeks); cases whose
    pupil has no register data are left out, so their typed figures stand.
    """
    if not cases:
        return {}
    start = min(opened for _c, _p, opened in cases) - LOOK_BACK
    weeks = register_figures.weekly(school_id, start, today, sorted({p for _c, p, _o in cases}),
                                    from_summaries=True)
    found = {}
    for case_id, pupil_id, opened_on in cases:
        figures = from_weeks(weeks.get(pupil_id, []), opened_on)
        if figures is not None:
            found[case_id] = figures
    return found


@dataclass(frozen=True)
class CaseChart:
    """The case page's chart: the SVG, the chart behind it and its rows for the table."""

    chart: Chart
    svg: str
    rows: list[tuple[str, list[str]]]
    #: The Monday of each week the chart shows, in the chart's order.
    mondays: tuple[date, ...] = ()


def case_chart(case: Case, today: date) -> CaseChart | None:
    """The pupil's weekly attendance this school year (from the school year of the case's opening)
    against the case's baseline, with the 90% and 50% lines; ``None`` without register data."""
    start = calc.school_year_start(min(case.opened_on, today))
    summary = register_figures.pupil_summary(case.school_id, case.pupil_id, start, today,
                                             baseline=float(case.baseline_attendance))
    if not calc.school_weeks(summary.weeks):
        return None
    chart = chartdata.pupil_chart(case.pupil.full_name, summary)
    return CaseChart(chart, charts.line_chart(chart, "case-chart"), charts.table_rows(chart),
                     tuple(w.week_start for w in calc.school_weeks(summary.weeks)))
