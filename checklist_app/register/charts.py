"""Server-rendered charts: SVG for pages (no JavaScript, presentation attributes only so the
strict content-security policy holds) and an HTML bar table for PDFs (xhtml2pdf cannot draw SVG).

Every chart is built from a :class:`Series` list; pages show the same data as a table beside it,
so screen-reader users get every number. The case page, evidence pack and board pack can embed
:func:`line_chart` / :func:`bar_chart` (pages) or :func:`pdf_bars` (PDFs) the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup, escape

WIDTH, HEIGHT = 680, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 16, 40  # room for the last week centred under its point
COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f72af", "#f47738", "#505a5f"]
FONT_SIZE, LINE_HEIGHT, LEGEND_HEIGHT = 11, 13, 16
GAP = 8  # the least space between two axis labels
NO_SESSIONS = "No sessions"


@dataclass
class Series:
    """A named line or set of bars: one value (a percentage, or ``None``) per label.

    ``details`` (optional, one text per label) is shown after the value in the table that goes
    with the chart, such as "0 of 2 sessions" under a week of 0%.
    """

    name: str
    values: list[float | None]
    dashed: bool = False
    details: list[str] | None = None


@dataclass
class Chart:
    """What a chart shows: its title, the x labels, the series and reference lines."""

    title: str
    labels: list[str]
    series: list[Series]
    references: list[tuple[float, str]] = field(default_factory=list)
    low: float = 0.0
    high: float = 100.0


@dataclass(frozen=True)
class AxisLabel:
    """One label under the x axis: where it is anchored, how, and its lines of text."""

    x: float
    anchor: str
    lines: tuple[str, ...]

    @property
    def extent(self) -> tuple[float, float]:
        """The left and right edges the label's widest line takes (estimated)."""
        width = max(text_width(line) for line in self.lines)
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return left, left + width


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """A generous estimate of a text's width in user units (there are no font metrics here)."""
    return 0.6 * size * len(text)


def _y(chart: Chart, value: float) -> float:
    span = (chart.high - chart.low) or 1
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - chart.low) / span)


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)


def _placed(x: float, lines: tuple[str, ...]) -> AxisLabel:
    """A label centred on ``x`` unless that would cross an edge of the picture."""
    width = max(text_width(line) for line in lines)
    if x + width / 2 > WIDTH:
        return AxisLabel(x, "end", lines)
    if x - width / 2 < 0:
        return AxisLabel(x, "start", lines)
    return AxisLabel(x, "middle", lines)


def point_labels(labels: list[str]) -> list[AxisLabel]:
    """Labels under the points of a line chart: as many as fit without touching, always the last
    (the latest week), none crossing the edges of the picture."""
    count = len(labels)
    if not count:
        return []
    spacing = (WIDTH - LEFT - RIGHT) / max(1, count - 1)
    widest = max(text_width(label) for label in labels)
    step = max(1, math.ceil((widest + GAP) / spacing))
    chosen = [_placed(_x(i, count), (labels[i],)) for i in range(0, count, step)]
    if (count - 1) % step:
        chosen.append(_placed(_x(count - 1, count), (labels[-1],)))
    kept = [chosen[-1]]
    for label in reversed(chosen[:-1]):  # from the latest back, dropping any that would touch
        if label.extent[1] + GAP <= kept[-1].extent[0]:
            kept.append(label)
    return kept[::-1]


def wrapped(text: str, width: float) -> tuple[str, ...]:
    """``text`` in lines no wider than ``width`` (a single long word keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def group_labels(labels: list[str], slot: float) -> list[AxisLabel]:
    """Labels under the groups of a bar chart, each wrapped to the width of its group."""
    return [_placed(LEFT + slot * i + slot / 2, wrapped(label, slot - GAP))
            for i, label in enumerate(labels)]


def _legend(chart: Chart, top: float) -> tuple[list[str], float]:
    """The legend's parts from ``top`` (a new row when a name would cross the right edge), and
    where it ends."""
    parts, x, y = [], LEFT, top
    for number, series in enumerate(chart.series):
        width = 16 + text_width(series.name)
        if x > LEFT and x + width > WIDTH:
            x, y = LEFT, y + LEGEND_HEIGHT
        colour = COLOURS[number % len(COLOURS)]
        if series.dashed:  # drawn as the line is, so the baseline is told from the week's line
            parts.append(f'<line x1="{x}" x2="{x + 12}" y1="{y - 4}" y2="{y - 4}" '
                         f'stroke="{colour}" stroke-width="2" stroke-dasharray="3 3"/>')
        else:
            parts.append(f'<rect x="{x}" y="{y - 6}" width="12" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" font-size="{FONT_SIZE}">{escape(series.name)}</text>')
        x += width + 8
    return parts, y


def _frame(chart: Chart, chart_id: str, body: list[str], labels: list[AxisLabel]) -> Markup:
    axis_y = HEIGHT - BOTTOM + 16
    rows = max((len(label.lines) for label in labels), default=1)
    legend, legend_y = _legend(chart, axis_y + LINE_HEIGHT * (rows - 1) + LEGEND_HEIGHT)
    height = round(legend_y + 8)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
             f'class="chart" role="img" aria-labelledby="{chart_id}-title">',
             f'<title id="{chart_id}-title">{escape(chart.title)}</title>']
    for tick in range(int(chart.low), int(chart.high) + 1, 25):
        y = _y(chart, tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#e5e6e7"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="{FONT_SIZE}">{tick}%</text>')
    for value, _label in chart.references:
        y = _y(chart, value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#505a5f" stroke-dasharray="6 4"/>')
    parts.extend(body)
    for value, label in chart.references:  # over the lines, with a white halo to stay legible
        parts.append(f'<text x="{WIDTH - RIGHT}" y="{_y(chart, value) - 4:.1f}" text-anchor="end" '
                     f'font-size="{FONT_SIZE}" stroke="#ffffff" stroke-width="3" '
                     f'paint-order="stroke">{escape(label)}</text>')
    for label in labels:
        lines = "".join(f'<tspan x="{label.x:.1f}" dy="{0 if n == 0 else LINE_HEIGHT}">'
                        f'{escape(line)}</tspan>' for n, line in enumerate(label.lines))
        parts.append(f'<text x="{label.x:.1f}" y="{axis_y}" text-anchor="{label.anchor}" '
                     f'font-size="{FONT_SIZE}">{lines}</text>')
    parts.extend(legend)
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
    return _frame(chart, chart_id, body, point_labels(chart.labels))


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
    return _frame(chart, chart_id, body, group_labels(chart.labels, slot))


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
                cells.append(f"<td>{NO_SESSIONS}</td>")
                continue
            width = max(1, round(2 * value))
            colour = COLOURS[number % len(COLOURS)]
            cells.append(f'<td><span style="display:inline-block;width:{width}px;height:8px;'
                         f'background:{colour}"></span> {escape(cell_text(series, index))}</td>')
        if notes is not None:
            cells.append(f"<td>{escape(notes[index] if index < len(notes) else '')}</td>")
        rows.append(f"<tr><th scope=\"row\">{escape(label)}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th scope=\"col\">{escape(s.name)}</th>" for s in chart.series)
    if notes is not None:
        head += f"<th scope=\"col\">{escape(notes_heading)}</th>"
    return Markup(f"<table class=\"chart-table\"><caption>{escape(chart.title)}</caption>"  # noqa: S704
                  f"<thead><tr><th scope=\"col\">Week</th>{head}</tr></thead>"
                  f"<tbody>{''.join(rows)}</tbody></table>")


def cell_text(series: Series, index: int) -> str:
    """One value as the tables write it: "94.5%", "0.0% (0 of 2 sessions)" or "No sessions"."""
    value = series.values[index] if index < len(series.values) else None
    if value is None:
        return NO_SESSIONS
    detail = series.details[index] if series.details and index < len(series.details) else ""
    return f"{value:.1f}% ({detail})" if detail else f"{value:.1f}%"


def table_rows(chart: Chart) -> list[tuple[str, list[str]]]:
    """(label, one text per series) for the accessible table that goes with a chart."""
    return [(label, [cell_text(s, i) for s in chart.series]) for i, label in enumerate(chart.labels)]
