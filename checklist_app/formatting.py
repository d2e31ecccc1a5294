"""How dates, counts and user text are shown: dates as 22 November 2026, counts as 3,060, markdown
sanitised with nh3."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import nh3
from markupsafe import Markup

from checklist_app import markdown_bounds

UK = ZoneInfo("Europe/London")
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code",
                "pre", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def long_date(value: date | datetime | str | None, empty: str = "") -> str:
    """A date the way school staff write it: 22 November 2026 (an ISO date string too)."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = to_uk(value)
    return f"{value.day} {value:%B %Y}"


def number(value: int | None, empty: str = "") -> str:
    """A count the way people write it, with a thousands separator: 3,060 sessions.

    The ``number`` template filter (not ``count``, which Jinja already has for a length).
    """
    if value is None:
        return empty
    return f"{value:,}"


YEAR_NUMBER = re.compile(r"(?:year|yr|y)?\s*(\d{1,2})", re.IGNORECASE)


def year_group(value: str | None) -> str:
    """A year group as staff say it, however the MIS or a person wrote it: "8", "Y8" and
    "Year 8" are all Year 8; "R" is Reception; "N1" and "N2" are Nursery."""
    text = (value or "").strip()
    found = YEAR_NUMBER.fullmatch(text)
    if found:
        return f"Year {int(found.group(1))}"
    if text.upper() in {"R", "REC", "RECEPTION"}:
        return "Reception"
    if text.upper() in {"N", "N1", "N2", "NURSERY"}:
        return "Nursery"
    return text


def to_uk(value: datetime) -> datetime:
    """A stored moment in UK time (naive values, as SQLite returns them, are UTC)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UK)


def long_datetime(value: datetime | None, empty: str = "") -> str:
    """A moment in UK time: 22 November 2026 at 14:05."""
    if value is None:
        return empty
    local = to_uk(value)
    return f"{long_date(local)} at {local:%H:%M}"


def sanitise_markdown(text: str | None) -> str:
    """Markdown to HTML that keeps only an allow-list of tags: no scripts, images or styles.

    The text is bounded first (see :mod:`checklist_app.markdown_bounds`), so any text renders in
    linear time and nests no deeper than a PDF can lay out.
    """
    if not text:
        return ""
    html = markdown_bounds.render(text)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def markdown_text_html(text: str | None) -> Markup:
    """Markdown where any HTML the user typed is shown as the text they typed, not dropped.

    For short texts people type into the app (action points, comments, sign-off comments):
    ``**bold**`` and lists are formatted, and ``<img ...>`` stays visible as words.
    """
    if not text:
        return Markup("")
    html = markdown_bounds.render(text, escape_html=True)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,  # noqa: S704
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer"))


def markdown_html(text: str | None) -> Markup:
    """Template filter: sanitised markdown, safe to insert into a page."""
    return Markup(sanitise_markdown(text))  # noqa: S704 - cleaned by nh3 above


def summary(text: str | None, limit: int = 110) -> str:
    """The first line of a markdown text as plain words, shortened to ``limit`` characters."""
    first = next((line for line in (text or "").strip().splitlines() if line.strip()), "")
    plain = re.sub(r"\*\*|__|\*|`", "", first).strip().lstrip("-#> ").strip()
    if len(plain) <= limit:
        return plain
    return plain[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
