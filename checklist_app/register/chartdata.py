"""The data behind each chart, from the figures: a pupil's weeks against the baseline, the
school's weekly attendance and persistent-absence trend, cohorts side by side."""

from __future__ import annotations

from collections import defaultdict
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
    """A pupil's weekly attendance with the 90% and 50% lines and their baseline."""
    weeks = calc.school_weeks(figures.weeks)
    series = [Series("Attendance that week", [w.percent for w in weeks])]
    if figures.baseline is not None:
        series.append(Series("Baseline when the case opened", [figures.baseline] * len(weeks),
                             dashed=True))
    return Chart(f"Weekly attendance of {name}", [week_label(w.week_start) for w in weeks], series,
                 REFERENCES)


def school_chart(figures: dict[int, PupilFigures]) -> Chart:
    """The school's attendance each week and the share of pupils persistently absent so far."""
    by_week: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    per_pupil = {pid: {w.week_start: w for w in f.weeks} for pid, f in figures.items()}
    for weeks in per_pupil.values():
        for monday, week in weeks.items():
            by_week[monday][0] += week.possible
            by_week[monday][1] += week.attended
    mondays = sorted(m for m, (possible, _a) in by_week.items() if possible)
    running = {pid: [0, 0] for pid in per_pupil}
    attendance, persistent = [], []
    for monday in mondays:
        possible, attended = by_week[monday]
        attendance.append(round(100 * attended / possible, 1))
        for pid, weeks in per_pupil.items():
            week = weeks.get(monday)
            if week:
                running[pid][0] += week.possible
                running[pid][1] += week.attended
        counted = [(p, a) for p, a in running.values() if p]
        flagged = sum(1 for p, a in counted if calc.is_persistent(100 * a / p))
        persistent.append(round(100 * flagged / len(counted), 1) if counted else None)
    return Chart("School attendance each week and pupils persistently absent so far this year",
                 [week_label(m) for m in mondays],
                 [Series("Attendance that week", attendance),
                  Series("Pupils persistently absent (year to date)", persistent)], [REFERENCES[0]])


def cohort_chart(rows: list[CohortRow]) -> Chart:
    """Cohorts side by side: attendance and persistent-absence rate."""
    return Chart("Attendance and persistent absence by cohort (year to date)",
                 [r.name for r in rows],
                 [Series("Attendance", [r.attendance for r in rows]),
                  Series("Persistently absent", [r.persistent_rate for r in rows])])
