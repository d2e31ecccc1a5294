"""The PDF core: long text flows over pages, names keep their letters, a render reads only our assets."""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import socket
import sys
import urllib.request
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from pypdf import PdfReader

from checklist_app.formatting import markdown_html
from checklist_app.reporting import pdf
from checklist_app.reporting.pdf import ASSETS_DIR, REFUSED

ROOT = Path(__file__).resolve().parent.parent
BASE_CONTEXT = {"school_name": "Ashcombe Primary School", "title": "Attendance casework",
                "produced_on": "22 November 2026", "personal_data": False}
SENSITIVE = ("OFFICIAL–SENSITIVE: contains personal data about a child. "
             "Store and share securely.")
NAMES = ["Zoë Ó Briain", "Łukasz Nowak", "Siân Jones", "Nuñez"]
TEST_TEMPLATE = """{% extends "pdf/base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<dl class="fields">
{% for name in names %}<dt>Pupil</dt><dd>{{ name }}</dd>{% endfor %}
<dt>Notes</dt>
<dd>{% if as_markdown %}{{ text|markdown }}{% else %}<p>{{ text }}</p>{% endif %}</dd>
</dl>
{% endblock %}
"""
HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/x.png">',
    '<link rel=stylesheet href="http://127.0.0.1:9/a.css">',
    "<style>@import url(http://127.0.0.1:9/b.css)</style>",
    "<script>alert(1)</script>",
    "![x](file:///etc/passwd)",
    "[a](javascript:alert(1))",
]
RAW_HOSTILE_HTML = """<html><head><link rel="stylesheet" href="report.css">
<link rel="stylesheet" href="http://127.0.0.1:9/a.css">
<style>@import url(http://127.0.0.1:9/b.css); @import url(../style.css);
@font-face { font-family: Leak; src: url(file:///etc/passwd); }
p { background-image: url(/etc/passwd); }</style></head><body>
<p>Hostile markup that skipped the templates</p>
<img src="file:///etc/passwd"><img src="/etc/passwd"><img src="../../../../etc/passwd">
<img src="http://127.0.0.1:9/x.png"><img src="data:image/png;base64,iVBORw0KGgo=">
<img src="../style.css"><pdf:insertpdf src="/etc/passwd"/></body></html>"""
AUDITED = {"open", "socket.connect", "socket.getaddrinfo", "urllib.Request",
           "http.client.connect"}
_audit_log: list[tuple[str, object]] | None = None


def _audit(event: str, args: tuple) -> None:
    """Record file opens and network calls while a test asks for them."""
    if _audit_log is not None and event in AUDITED:
        _audit_log.append((event, args[0] if args else None))


sys.addaudithook(_audit)


@pytest.fixture
def reports_dir(tmp_path):
    """A reports folder: our real base layout plus a template that shows ``text``."""
    (tmp_path / "pdf").mkdir()
    shutil.copy(ROOT / "reports" / "pdf" / "base.html", tmp_path / "pdf" / "base.html")
    (tmp_path / "notes.html").write_text(TEST_TEMPLATE, encoding="utf-8")
    return tmp_path


@pytest.fixture
def access_log(monkeypatch):
    """Refuse the network outright and record every file opened and URI resolved."""
    global _audit_log
    # A first run imports modules and reads package metadata lazily: not part of a render.
    page_texts(pdf.html_to_pdf(RAW_HOSTILE_HTML))
    markdown_html("*warm up*")
    network: list[str] = []

    def refuse(name):
        def fail(*_args, **_kwargs):
            network.append(name)  # recorded: xhtml2pdf logs and swallows the error
            raise OSError(f"{name} called during a PDF render")
        return fail

    monkeypatch.setattr(urllib.request, "urlopen", refuse("urlopen"))
    monkeypatch.setattr(http.client.HTTPConnection, "connect", refuse("HTTPConnection"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    resolved: list[tuple[object, str]] = []
    real_callback = pdf.link_callback

    def spy(uri, relative_to=None):
        answer = real_callback(uri, relative_to)
        resolved.append((uri, answer))
        return answer

    monkeypatch.setattr(pdf, "link_callback", spy)
    _audit_log = []
    log = {"network": network, "resolved": resolved, "audit": _audit_log}
    yield log
    _audit_log = None


def opened(log: dict) -> list[str]:
    """Every file opened while the log was recording, by its resolved path."""
    return [str(Path(os.fsdecode(arg)).resolve()) for event, arg in log["audit"]
            if event == "open" and isinstance(arg, str | bytes | os.PathLike)]


def opened_outside(log: dict, *allowed: Path) -> list[str]:
    """Files opened during the render that are not inside one of ``allowed``."""
    roots = tuple(str(folder.resolve()) + os.sep for folder in allowed)
    paths = opened(log)
    assert str(ASSETS_DIR / "fonts" / "DejaVuSans.ttf") in paths  # the recorder is live
    return [path for path in paths if not path.startswith(roots)]


def page_texts(data: bytes) -> list[str]:
    """The text pypdf extracts from each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def drawn_sizes(data: bytes, pattern: str) -> set[float]:
    """The sizes, in points on the page, at which text matching ``pattern`` is drawn."""
    sizes: set[float] = set()

    def record(text, cm, tm, _font, size):
        if re.search(pattern, text):
            sizes.add(round(size * tm[3] * cm[3], 1))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=record)
    return sizes


def render_notes_pdf(reports_dir: Path, **context) -> bytes:
    """Render the test template to PDF bytes."""
    data = pdf.render_pdf("notes.html", {**BASE_CONTEXT, "names": [], "text": "",
                                         "as_markdown": False, **context},
                          reports_dir=str(reports_dir))
    assert data.startswith(b"%PDF-")
    return data


def render_notes(reports_dir: Path, **context) -> list[str]:
    """Render the test template and return each page's text."""
    return page_texts(render_notes_pdf(reports_dir, **context))


@pytest.mark.parametrize("as_markdown", [False, True], ids=["escaped", "markdown"])
def test_six_thousand_words_flow_over_pages_completely(reports_dir, as_markdown):
    words = [f"word{number:04d}" for number in range(1, 6001)]
    text = "\n\n".join(" ".join(words[i:i + 250]) for i in range(0, len(words), 250))
    data = render_notes_pdf(reports_dir, text=text, as_markdown=as_markdown)
    pages = page_texts(data)
    assert re.findall(r"word\d{4}", "\n".join(pages)) == words
    # Extraction also finds text that was shrunk to fit a box (what an over-tall table cell
    # gets): every word must be drawn at the body size.
    assert drawn_sizes(data, r"word\d{4}") == {10.0}
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        body = page.replace(BASE_CONTEXT["school_name"], "").replace(BASE_CONTEXT["title"], "")
        body = re.sub(r"Produced 22 November 2026 · Page \d+ of \d+", "", body)
        assert body.strip(), f"page {number} has nothing but its header and footer"


def test_names_keep_their_letters(reports_dir):
    pages = render_notes(reports_dir, names=NAMES, text="Spoke to Zoë’s mother — “fine”.")
    for name in [*NAMES, "Zoë’s mother — “fine”."]:
        assert name in pages[0]


def test_fonts_are_embedded_from_our_assets(reports_dir):
    data = pdf.render_pdf("notes.html", {**BASE_CONTEXT, "names": NAMES, "text": "**bold**",
                                         "as_markdown": True}, reports_dir=str(reports_dir))
    drawn: dict[str, str] = {}

    def record(text, _cm, _tm, font, _size):
        name = str(font.get("/BaseFont")) if font else "none"
        drawn[name] = drawn.get(name, "") + text

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=record)
    # The only Helvetica text is the stamped "Page N of M" (ASCII, see reporting/page_numbers.py).
    helvetica = drawn.pop("/Helvetica", "")
    assert re.fullmatch(r"(Page \d+ of \d+)+", helvetica.strip()), helvetica
    fonts = {name.split("+")[-1] for name, text in drawn.items() if text.strip()}
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}, drawn


@pytest.mark.parametrize("personal_data", [True, False])
def test_header_and_footer_on_every_page(reports_dir, personal_data):
    pages = render_notes(reports_dir, personal_data=personal_data, text="A note. " * 1500)
    assert len(pages) >= 2
    assert "Page 1 of" in pages[0]
    for page in pages:
        assert BASE_CONTEXT["school_name"] in page and BASE_CONTEXT["title"] in page
        assert "Produced 22 November 2026" in page
        assert (SENSITIVE in page) is personal_data
        assert ("OFFICIAL" in page) is personal_data


@pytest.mark.parametrize("as_markdown", [False, True], ids=["escaped", "markdown"])
def test_hostile_user_text_reads_and_fetches_nothing(reports_dir, access_log, as_markdown):
    text = "\n\n".join(HOSTILE)
    names = [] if as_markdown else HOSTILE
    pages = render_notes(reports_dir, names=names, text=text, as_markdown=as_markdown)
    assert access_log["network"] == []
    assert not [event for event, _ in access_log["audit"] if event != "open"]
    assert opened_outside(access_log, ASSETS_DIR, reports_dir) == []
    # Sanitised in the HTML: only our own stylesheet and fonts ever reach the resolver.
    for uri, answer in access_log["resolved"]:
        assert answer != REFUSED and Path(answer).is_relative_to(ASSETS_DIR), uri
    document = "\n".join(pages)
    if as_markdown:
        assert "passwd" not in document and "alert" not in document
    else:
        assert '<img src="file:///etc/passwd">' in document.replace("\n", "")


def test_hostile_markup_that_skipped_the_templates_is_still_refused(access_log):
    data = pdf.html_to_pdf(RAW_HOSTILE_HTML)
    assert "Hostile markup" in page_texts(data)[0]
    assert access_log["network"] == []
    assert not [event for event, _ in access_log["audit"] if event != "open"]
    assert opened_outside(access_log, ASSETS_DIR) == []
    refused = {str(uri) for uri, answer in access_log["resolved"] if answer == REFUSED}
    assert {"file:///etc/passwd", "/etc/passwd", "http://127.0.0.1:9/x.png",
            "http://127.0.0.1:9/a.css", "http://127.0.0.1:9/b.css", "../style.css"} <= refused


def test_resource_policy_alone_blocks_what_the_resolver_lets_through(access_log, monkeypatch):
    # A resolver that answers nothing makes xhtml2pdf use each URI as written: the policy is
    # then the only gate left, and it must still keep the render inside static/pdf/.
    monkeypatch.setattr(pdf, "link_callback", lambda _uri, _relative_to=None: None)
    pdf.html_to_pdf(RAW_HOSTILE_HTML)  # first run: imports the image plugins it may need
    access_log["audit"].clear()
    pdf.html_to_pdf(RAW_HOSTILE_HTML)
    assert access_log["network"] == []
    assert not [event for event, _ in access_log["audit"] if event != "open"]
    assert opened_outside(access_log, ASSETS_DIR) == []
    assert pdf.RESOURCE_POLICY.allow_remote is False
    assert pdf.RESOURCE_POLICY.roots == (ASSETS_DIR,)


@pytest.mark.parametrize("uri", [
    "http://127.0.0.1:9/x.png", "https://example.org/a.css", "//127.0.0.1:9/x.png",
    "file:///etc/passwd", f"file://{ASSETS_DIR}/report.css", "data:image/png;base64,AAAA",
    "javascript:alert(1)", "/etc/passwd", str(ASSETS_DIR / "report.css"),
    str(ASSETS_DIR.parent / "style.css"), str(ASSETS_DIR.parent), "../style.css",
    "../../formatting.py", "fonts/../../style.css", "./../style.css", "..\\style.css",
    "%2e%2e/style.css", "report.css?v=1", "report.css#top", "fonts", "missing.css", "",
    "C:/Windows/win.ini", "report.css\x00.png", None, b"report.css",
])
def test_resolver_refuses_everything_outside_our_folder(uri):
    assert pdf.resolve_asset(uri) is None
    assert pdf.link_callback(uri, str(ASSETS_DIR)) == REFUSED


@pytest.mark.parametrize(("uri", "expected"), [
    ("report.css", "report.css"),
    ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans.ttf"),
    ("./fonts/DejaVuSans-Bold.ttf", "fonts/DejaVuSans-Bold.ttf"),
    ("fonts/../report.css", "report.css"),
])
def test_resolver_finds_our_assets(uri, expected):
    assert pdf.resolve_asset(uri) == str(ASSETS_DIR / expected)


def test_environment_is_sandboxed_strict_and_cached(reports_dir):
    env = pdf.template_environment(str(reports_dir))
    assert isinstance(env, SandboxedEnvironment) and env.autoescape is True
    assert pdf.template_environment(reports_dir) is env
    assert {"long_date", "long_datetime", "markdown"} <= set(env.filters)
    with pytest.raises(UndefinedError):
        env.get_template("notes.html").render({"title": "No school name"})


def test_context_must_be_plain_data(reports_dir):
    with pytest.raises(TypeError, match=r"context\['pupils'\]\[0\] has type object"):
        pdf.render_pdf("notes.html", {**BASE_CONTEXT, "pupils": [object()]},
                       reports_dir=str(reports_dir))


def test_reports_dir_defaults_to_the_app_config(app):
    data = pdf.render_pdf("pdf/base.html", {**BASE_CONTEXT, "personal_data": True})
    text = page_texts(data)[0]
    assert "Ashcombe Primary School" in text and SENSITIVE in text and "Page 1 of 1" in text
