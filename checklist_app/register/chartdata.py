"""The data behind each chart, from the figures: a pupil's weeks against the baseline, the
school's weekly attendance and persistent-absence trend, cohorts side by side."""

from __future__ import annotations

from datetime import date

from checklist_app.register import calc
from checklist_app.register.atrisk import CohortRow
from checklist_app.register.charts import Chart, Series
from checklist_app.register.figures import PupilFigures

REFERENCES = [(90.0, "90%: persistent absence"), (50.0, "50%: severe absence")]


def week_label(monday: date) -> str:
    """A week as staff say it: 8 Sep."""
    return f"{monday.day} {monday:%b}"


def pupil_chart(name: str, figures: PupilFigures) -> Chart:
    """A pupil's weekly attendance with the 90% and 50% lines and their baseline.

    Only school weeks are plotted (a week without a possible session, in a holiday or before
    term, has no attendance to show); the table says how many sessions each week held, so a
    first week of one day reads "0.0% (0 of 2 sessions)"."""
    weeks = calc.school_weeks(figures.weeks)
    series = [Series("Attendance that week", [w.percent for w in weeks],
                     details=[f"{w.attended} of {w.possible} sessions" for w in weeks])]
    if figures.baseline is not None:
        series.append(Series("Baseline when the case opened", [figures.baseline] * len(weeks),
                             dashed=True))
    return Chart(f"Weekly attendance of {name}", [week_label(w.week_start) for w in weeks], series,
                 REFERENCES)


def school_chart(weeks: list[tuple[date, float, float | None]]) -> Chart:
    """The school's attendance each week and the share of pupils persistently absent so far."""
    return Chart("School attendance each week and pupils persistently absent so far this year",
                 [week_label(m) for m, _a, _p in weeks],
                 [Series("Attendance that week", [a for _m, a, _p in weeks]),
                  Series("Pupils persistently absent (year to date)", [p for _m, _a, p in weeks])],
                 [REFERENCES[0]])


def cohort_chart(rows: list[CohortRow]) -> Chart:
    """Cohorts side by side: attendance and persistent-absence rate."""
    return Chart("Attendance and persistent absence by cohort (year to date)",
                 [r.name for r in rows],
                 [Series("Attendance", [r.attendance for r in rows]),
                  Series("Persistently absent", [r.persistent_rate for r in rows])])
