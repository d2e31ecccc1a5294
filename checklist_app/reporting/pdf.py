"""Render report templates to PDF with xhtml2pdf; a render reads nothing but ``static/pdf/``."""

from __future__ import annotations

import encodings.unicode_escape  # noqa: F401  (loaded now: a render opens no file, not even a codec)
import io
import os
import posixpath
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from checklist_app import formatting
from checklist_app.reporting import text_runs
from checklist_app.reporting.page_numbers import number_pages

ASSETS_DIR = Path(__file__).resolve().parent.parent / "static" / "pdf"
#: What xhtml2pdf gets for a URI we refuse: an empty inline resource, so nothing is read or
#: fetched. (Answering None would make xhtml2pdf fall back to the URI as the document wrote it.)
REFUSED = "data:,"

@cache
def resource_policy() -> Any:
    """The second gate, enforced inside xhtml2pdf's own fetcher (fonts and @import included): no
    network at all, local reads confined to our assets folder, and the server limits on size/time.

    xhtml2pdf (and ReportLab) are imported here, on the first export, not when a process starts.
    """
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    text_runs.install()  # one fragment per run of text, however many "&" and "<" it has

    return ResourceAccessPolicy.server(base_dir=ASSETS_DIR, allow_remote=False,
                                       allowed_hosts=frozenset())


def __getattr__(name: str) -> Any:
    """``RESOURCE_POLICY`` stays available as a module attribute, made on first use."""
    if name == "RESOURCE_POLICY":
        return resource_policy()
    raise AttributeError(name)

PLAIN_TYPES = (str, int, float, Decimal, bool, date, datetime, type(None))


class PDFRenderError(RuntimeError):
    """xhtml2pdf reported errors while building a PDF."""


@cache
def _asset_files() -> dict[str, str]:
    """Every regular file in the assets folder, keyed by its path relative to it (read once)."""
    files = {}
    for root, _dirs, names in os.walk(ASSETS_DIR):
        for name in names:
            path = Path(root, name)
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(ASSETS_DIR).as_posix()] = str(path)
    return files


def resolve_asset(uri: object, _relative_to: object = None) -> str | None:
    """The file in ``static/pdf/`` that a relative ``uri`` names; None for any other URI."""
    if not isinstance(uri, str) or "\\" in uri or "\x00" in uri or uri.startswith("/"):
        return None
    parts = urlsplit(uri)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return None
    # A pure lookup in the list made at start-up: no disk access, and ``../`` cannot escape.
    return _asset_files().get(posixpath.normpath(parts.path))


def link_callback(uri: object, relative_to: object = None) -> str:
    """xhtml2pdf's ``link_callback``: our asset's absolute path, or an empty resource."""
    return resolve_asset(uri, relative_to) or REFUSED


def _environment(reports_dir: str) -> SandboxedEnvironment:
    """A sandboxed, autoescaping environment with our date, number and markdown filters."""
    env = SandboxedEnvironment(loader=FileSystemLoader(reports_dir), autoescape=True,
                               undefined=StrictUndefined)
    env.filters["long_date"] = formatting.long_date
    env.filters["long_datetime"] = formatting.long_datetime
    env.filters["number"] = formatting.number
    env.filters["year_group"] = formatting.year_group
    # Markdown as pages show it, with long runs of text cut into pieces a PDF lays out quickly.
    env.filters["markdown"] = text_runs.markdown_html
    env.filters["typed_markdown"] = text_runs.markdown_text_html
    return env


_cached_environment = cache(_environment)


def template_environment(reports_dir: str | os.PathLike[str]) -> SandboxedEnvironment:
    """The Jinja environment for report templates in ``reports_dir`` (one per folder)."""
    return _cached_environment(os.path.abspath(reports_dir))


def check_plain(value: Any, where: str = "context") -> None:
    """Refuse anything but plain data (so no ORM object can query the database mid-render)."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_plain(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_plain(item, f"{where}[{index}]")
    elif not isinstance(value, PLAIN_TYPES):
        raise TypeError(f"{where} has type {type(value).__name__}: reports take plain data only "
                        "(dicts, lists, str, numbers, dates)")


def html_to_pdf(html: str) -> bytes:
    """Convert our rendered HTML to PDF, every resource going through ``link_callback``."""
    from xhtml2pdf import pisa

    out = io.BytesIO()
    # html5lib makes a separate text node of every character reference, and xhtml2pdf spends a
    # fragment on each: a ">" needs no escaping in HTML, so give it plainly (a run of quote
    # marks stays one piece of text). "&amp;gt;" is left alone: its "&" is not next to "gt;".
    html = html.replace("&gt;", ">")
    # ``path`` names a document inside the assets folder so that relative URIs belong there.
    # ``capacity=-1`` keeps the source in memory: over 100 KB (a fully filled self-evaluation)
    # xhtml2pdf would spill it to a temporary file that it never closes.
    status = pisa.CreatePDF(html, dest=out, path=str(ASSETS_DIR / "report.html"),
                            link_callback=link_callback, resource_policy=resource_policy(),
                            encoding="utf-8", capacity=-1)
    if status.err:
        raise PDFRenderError(f"xhtml2pdf reported {status.err} error(s) building the PDF")
    return number_pages(out.getvalue())


def render_pdf(template_name: str, context: dict[str, Any], *,
               reports_dir: str | None = None) -> bytes:
    """Render ``reports_dir/template_name`` with plain-data ``context`` to PDF bytes."""
    check_plain(context)
    directory = reports_dir or current_app.config["REPORTS_DIR"]
    html = template_environment(directory).get_template(template_name).render(context)
    return html_to_pdf(html)
