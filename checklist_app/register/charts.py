"""Server-rendered charts: SVG for pages (no JavaScript, presentation attributes only so the
strict content-security policy holds) and an HTML bar table for PDFs (xhtml2pdf cannot draw SVG).

Every chart is built from a :class:`Series` list; pages show the same data as a table beside it,
so screen-reader users get every number. The case page, evidence pack and board pack can embed
:func:`line_chart` / :func:`bar_chart` (pages) or :func:`pdf_bars` (PDFs) the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

WIDTH, HEIGHT = 680, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 40
COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738", "#505a5f"]


@dataclass
class Series:
    """A named line or set of bars: one value (a percentage, or ``None``) per label."""

    name: str
    values: list[float | None]
    dashed: bool = False


@dataclass
class Chart:
    """What a chart shows: its title, the x labels, the series and reference lines."""

    title: str
    labels: list[str]
    series: list[Series]
    references: list[tuple[float, str]] = field(default_factory=list)
    low: float = 0.0
    high: float = 100.0


def _y(chart: Chart, value: float) -> float:
    span = (chart.high - chart.low) or 1
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - chart.low) / span)


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)


def _frame(chart: Chart, chart_id: str, body: list[str],
           label_x: Callable[[int], float] | None = None) -> Markup:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'class="chart" role="img" aria-labelledby="{chart_id}-title">',
             f'<title id="{chart_id}-title">{escape(chart.title)}</title>']
    for tick in range(int(chart.low), int(chart.high) + 1, 25):
        y = _y(chart, tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#e5e6e7"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{tick}%</text>')
    for value, label in chart.references:
        y = _y(chart, value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#505a5f" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{WIDTH - RIGHT}" y="{y - 4:.1f}" text-anchor="end" font-size="11">'
                     f'{escape(label)}</text>')
    parts.extend(body)
    step = max(1, len(chart.labels) // 8)
    for index in range(0, len(chart.labels), step):
        x = label_x(index) if label_x else _x(index, len(chart.labels))
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                     f'text-anchor="middle" font-size="11">{escape(chart.labels[index])}</text>')
    legend_x = LEFT
    for number, series in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        parts.append(f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="12" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 16}" y="{HEIGHT - 8}" font-size="11">'
                     f'{escape(series.name)}</text>')
        legend_x += 24 + 7 * len(series.name)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text above is escaped)


def line_chart(chart: Chart, chart_id: str = "chart") -> Markup:
    """An SVG line chart; gaps (``None``) break the line."""
    body = []
    count = len(chart.labels)
    for number, series in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        runs: list[list[str]] = [[]]
        for index, value in enumerate(series.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{_x(index, count):.1f},{_y(chart, value):.1f}")
        dash = ' stroke-dasharray="3 3"' if series.dashed else ""
        for run in runs:
            if len(run) > 1:
                body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} '
                            f'points="{" ".join(run)}"/>')
            elif run:
                x, y = run[0].split(",")
                body.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{colour}"/>')
    return _frame(chart, chart_id, body)


def bar_chart(chart: Chart, chart_id: str = "chart") -> Markup:
    """An SVG grouped bar chart: one group per label, one bar per series (side by side)."""
    body = []
    groups = max(1, len(chart.labels))
    inner = WIDTH - LEFT - RIGHT
    slot = inner / groups
    bar = slot * 0.8 / max(1, len(chart.series))
    base = _y(chart, chart.low)
    for number, series in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        for index, value in enumerate(series.values):
            if value is None:
                continue
            x = LEFT + slot * index + slot * 0.1 + bar * number
            y = _y(chart, value)
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{base - y:.1f}" '
                        f'fill="{colour}"/>')
    return _frame(chart, chart_id, body, label_x=lambda i: LEFT + slot * i + slot / 2)


def pdf_bars(chart: Chart, notes: list[str] | None = None, notes_heading: str = "") -> Markup:
    """The chart's data as an HTML table with proportional bars, which xhtml2pdf can render.

    With ``notes`` (one text per label) a last column headed ``notes_heading`` sets them beside
    the bars, such as the case events of each week.
    """
    rows = []
    for index, label in enumerate(chart.labels):
        cells = []
        for number, series in enumerate(chart.series):
            value = series.values[index] if index < len(series.values) else None
            if value is None:
                cells.append("<td>no sessions</td>")
                continue
            width = max(1, round(2 * value))
            colour = COLOURS[number % len(COLOURS)]
            cells.append(f'<td><span style="display:inline-block;width:{width}px;height:8px;'
                         f'background:{colour}"></span> {value:.1f}%</td>')
        if notes is not None:
            cells.append(f"<td>{escape(notes[index] if index < len(notes) else '')}</td>")
        rows.append(f"<tr><th scope=\"row\">{escape(label)}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th scope=\"col\">{escape(s.name)}</th>" for s in chart.series)
    if notes is not None:
        head += f"<th scope=\"col\">{escape(notes_heading)}</th>"
    return Markup(f"<table class=\"chart-table\"><caption>{escape(chart.title)}</caption>"  # noqa: S704
                  f"<thead><tr><th scope=\"col\">Week</th>{head}</tr></thead>"
                  f"<tbody>{''.join(rows)}</tbody></table>")


def table_rows(chart: Chart) -> list[tuple[str, list[float | None]]]:
    """(label, one value per series) for the accessible table that goes with a chart."""
    return [(label, [s.values[i] if i < len(s.values) else None for s in chart.series])
            for i, label in enumerate(chart.labels)]
