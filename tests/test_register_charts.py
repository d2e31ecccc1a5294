"""The charts as a reader sees them: every axis label inside the picture and none touching
another, the latest week always labelled, long group names wrapped, only school weeks plotted,
and the table beside each chart in words ("0.0% (0 of 2 sessions)", "No sessions")."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from checklist_app.register import chartdata, charts
from checklist_app.register.atrisk import CohortRow
from checklist_app.register.calc import Week
from checklist_app.register.figures import figures_from_weeks

SVG = "{http://www.w3.org/2000/svg}"
FIRST_MONDAY = date(2026, 8, 31)  # term starts on Friday 4 September: one school day that week


def weeks_from(first: date, count: int) -> list[str]:
    return [chartdata.week_label(first + timedelta(weeks=i)) for i in range(count)]


def parse(svg: str) -> ET.Element:
    """The chart's own SVG (built by the app from escaped text), as elements."""
    return ET.fromstring(svg)  # noqa: S314  (our markup, not a user's file)


def axis_labels(svg: str) -> tuple[float, list[tuple[float, float, str]]]:
    """The picture's width and each text under the x axis: (left, right, words), estimated with
    the widest character a sans-serif face draws (0.6 em), never less than the chart assumes."""
    root = parse(svg)
    width = float(root.get("viewBox").split()[2])
    axis_y = charts.HEIGHT - charts.BOTTOM + 16
    found = []
    for text in root.iter(f"{SVG}text"):
        if float(text.get("y")) != axis_y:
            continue
        lines = [t.text or "" for t in text.iter(f"{SVG}tspan")] or [text.text or ""]
        span = max(0.6 * float(text.get("font-size")) * len(line) for line in lines)
        x = float(text.get("x"))
        left = {"start": x, "middle": x - span / 2, "end": x - span}[text.get("text-anchor")]
        found.append((left, left + span, " ".join(lines)))
    return width, found


def assert_readable(svg: str) -> list[str]:
    width, labels = axis_labels(svg)
    assert labels
    for left, right, words in labels:
        assert left >= 0 and right <= width, f"{words!r} is cut off ({left:.0f} to {right:.0f})"
    ordered = sorted(labels)
    for (_l, right, words), (left, _r, after) in zip(ordered, ordered[1:], strict=False):
        assert right < left, f"{words!r} runs into {after!r}"
    return [words for _l, _r, words in ordered]


def test_the_last_week_label_of_a_term_fits_inside_the_picture():
    labels = weeks_from(FIRST_MONDAY, 12)  # 31 Aug .. 16 Nov, as on the pupil page
    chart = charts.Chart("Weekly attendance", labels, [charts.Series("Attendance", [95.0] * 12)])
    shown = assert_readable(str(charts.line_chart(chart)))
    assert shown[0] == "31 Aug" and shown[-1] == "16 Nov"


def test_a_whole_year_of_weeks_labels_the_latest_week_without_crowding():
    for count in (15, 23, 39, 40, 41, 120):
        labels = weeks_from(date(2025, 9, 1), count)
        chart = charts.Chart("Weekly attendance", labels, [charts.Series("A", [90.0] * count)])
        shown = assert_readable(str(charts.line_chart(chart)))
        assert shown[-1] == labels[-1] and len(shown) >= 5


def test_cohort_names_are_wrapped_under_their_bars_not_run_together():
    rows = [CohortRow(name, 10, 94.0, 10.0) for name in [
        "All pupils", "Pupils with SEND", "Eligible for free school meals",
        "Looked after or with a social worker", "With medical conditions",
        *(f"Year group {n}" for n in range(7, 12))]]
    svg = str(charts.bar_chart(chartdata.cohort_chart(rows), "cohort-chart"))
    shown = assert_readable(svg)
    assert "Looked after or with a social worker" in shown and shown[-1] == "Year group 11"
    root = parse(svg)
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text in ("Attendance", "Persistently absent")]
    assert legend == ["Attendance", "Persistently absent"]
    bottom = max(float(t.get("y")) for t in root.iter(f"{SVG}text"))
    assert bottom < float(root.get("viewBox").split()[3])  # the legend below the wrapped names


def test_school_trend_labels_fit_too():
    weeks = [(FIRST_MONDAY + timedelta(weeks=i), 94.5, 10.0) for i in range(13)]
    assert_readable(str(charts.line_chart(chartdata.school_chart(weeks), "school-chart")))


def test_the_pupil_chart_plots_school_weeks_only_and_says_how_many_sessions_each_held():
    holiday = Week(FIRST_MONDAY - timedelta(weeks=1), 0, 0, 0)  # no possible session
    first = Week(FIRST_MONDAY, 2, 0, 2)  # only Friday 4 September, missed
    half_term = Week(date(2026, 10, 26), 0, 0, 0)
    weeks = [holiday, first, Week(date(2026, 9, 7), 10, 9, 1), half_term,
             Week(date(2026, 11, 2), 10, 10, 0)]
    summary = figures_from_weeks(1, weeks, date(2026, 8, 24), date(2026, 11, 6), baseline=80.0)
    chart = chartdata.pupil_chart("Ada Lee", summary)
    assert chart.labels == ["31 Aug", "7 Sep", "2 Nov"]  # neither the holiday nor half term
    assert charts.table_rows(chart) == [
        ("31 Aug", ["0.0% (0 of 2 sessions)", "80.0%"]),
        ("7 Sep", ["90.0% (9 of 10 sessions)", "80.0%"]),
        ("2 Nov", ["100.0% (10 of 10 sessions)", "80.0%"])]
    svg = str(charts.line_chart(chart, "pupil-chart"))
    points = parse(svg).find(f"{SVG}polyline").get("points").split()
    assert len(points) == 3
    pdf = str(charts.pdf_bars(chart))
    assert "0.0% (0 of 2 sessions)" in pdf


def test_a_value_without_sessions_is_written_no_sessions():
    chart = charts.Chart("Cohorts", ["All pupils", "Looked after"],
                         [charts.Series("Attendance", [94.0, None])])
    assert charts.table_rows(chart)[1] == ("Looked after", ["No sessions"])
    assert "<td>No sessions</td>" in str(charts.pdf_bars(chart))

