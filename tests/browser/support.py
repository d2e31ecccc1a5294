"""What the browser journeys share: launching Chromium, the live server, and a person at the browser.

A :class:`Visitor` wraps a Playwright page. Every page it lands on is checked with axe-core (no
serious or critical violations; lesser ones are kept for the run's summary), and it can keep a
screenshot of the page under ``artifacts/screenshots/`` (committed: see its README.md). axe-core is
added to every page by the browser context (an init script, so the page's Content Security Policy
does not block it).

The journeys run on a fixed school day (:data:`JOURNEY_MOMENT`, the clock moving on from there), so
the screenshots show the same terms and dates whenever they are made again.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Flask, got_request_exception
from PIL import Image  # comes with xhtml2pdf
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"  # committed; README.md there lists every one
FAILURES = ROOT / "artifacts" / "failures"  # the page as it was when a journey failed (not committed)
# Wide enough for GOV.UK's 960 px page width; keeps the committed pictures small.
VIEWPORT = {"width": 1024, "height": 768}
# Monday of the second half of the autumn term, 09:30 in London: every journey starts here.
JOURNEY_MOMENT = datetime.fromisoformat("2026-11-30T09:30:00+00:00")
AXE_REPORT = ROOT / "artifacts" / "accessibility.txt"
BLOCKING_IMPACTS = ("serious", "critical")

# The kinds of element on a page: each element's tag, class and role under its parent's tag and class.
# Colour contrast (most of axe's time) is checked again on a page only when a new kind appears there.
KINDS = """() => {
  const kinds = new Set();
  for (const e of document.body.querySelectorAll('*')) {
    const p = e.parentElement;
    kinds.add(`${p.tagName}.${p.getAttribute('class') || ''}>` +
              `${e.tagName}.${e.getAttribute('class') || ''}[${e.getAttribute('role') || ''}]`);
  }
  return [...kinds];
}"""
EVERY_RULE = {"resultTypes": ["violations"]}
# How wide the page is against the window (wider means the whole page scrolls sideways), and the
# innermost elements that stick out, to say where.
WIDTHS = """() => {
  const out = [...document.body.querySelectorAll('*')].filter(e =>
    e.getBoundingClientRect().right > window.innerWidth + 1 &&
    (!e.closest('.app-table-wrap') || getComputedStyle(e).position === 'absolute') &&
    ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1));
  return [document.documentElement.scrollWidth, window.innerWidth,
          out.slice(0, 5).map(e =>
            `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)];
}"""
WITHOUT_CONTRAST = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": False}}}

# The network is closed here: without these Chromium keeps trying to reach Google's services.
# Playwright gives every launch a fresh temporary profile (its own --user-data-dir).
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class LiveServer:
    """The real app served by werkzeug on 127.0.0.1 and a free port, in a background thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.errors: list[str] = []
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        got_request_exception.connect(self._record_error, app)
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server",
                                        daemon=True)

    def _record_error(self, _sender: Any, exception: BaseException, **_extra: Any) -> None:
        self.errors.append(f"{type(exception).__name__}: {exception}")

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        got_request_exception.disconnect(self._record_error, self.app)


@dataclass
class Findings:
    """Axe violations of lesser impact, by page, printed at the end of the run (not failures)."""

    minor: dict[str, set[str]] = field(default_factory=dict)
    pages_checked: int = 0
    contrast_checked: dict[str, set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, page: str, violations: list[dict]) -> None:
        self.pages_checked += 1
        for v in violations:
            self.minor.setdefault(f"{v['id']} ({v['impact']}): {v['help']}", set()).add(page)

    def lines(self) -> list[str]:
        lines = [f"axe-core checked {self.pages_checked} page loads; no serious or critical "
                 "violations allowed."]
        lines += self.notes
        if not self.minor:
            return [*lines, "No moderate or minor violations."]
        for rule, pages in sorted(self.minor.items()):
            lines.append(f"- {rule} on {len(pages)} page(s): {', '.join(sorted(pages)[:6])}")
        return lines


def describe(violations: list[dict]) -> str:
    """Violations as readable text for an assertion message."""
    out = []
    for v in violations:
        targets = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:5])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} [{targets}]")
    return "\n".join(out)


def axe_script() -> str:
    """axe-core as bundled by axe-playwright-python, added to every page the context opens."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


class Visitor:
    """A person using the app in one browser context: navigates, and every page is checked."""

    def __init__(self, page: Any, findings: Findings, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.findings = findings
        self.csp_errors: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    @property
    def path(self) -> str:
        """The current page's path and query, without the server."""
        return self.page.url.removeprefix(self.base_url)

    def goto(self, path: str) -> Any:
        """Type an address into the browser; returns the response (for its status)."""
        response = self.page.goto(path)
        self.check()
        return response

    def follow(self, locator: Any) -> None:
        """Click a link or a submit button that loads a new page, and check that page."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def check(self) -> None:
        """Run axe-core on the page as it is now: serious or critical violations fail the test, and
        so does a page wider than the window (only a table's own box may scroll sideways).

        Colour contrast, most of axe's time, is skipped on a page already checked with the same
        kinds of element (the case page again with one more row); every other rule always runs.
        """
        route = re.sub(r"/\d+", "/<id>", self.path.split("?")[0])
        kinds = set(self.page.evaluate(KINDS))
        checked = self.findings.contrast_checked.setdefault(route, set())
        violations = self.page.evaluate("options => axe.run(options).then(r => r.violations)",
                                        EVERY_RULE if kinds - checked else WITHOUT_CONTRAST)
        checked |= kinds
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"Accessibility violations on {self.path}:\n{describe(blocking)}"
        page_width, window, sticking_out = self.page.evaluate(WIDTHS)
        assert page_width <= window, (f"{self.path} is {page_width} px wide in a {window} px window: "
                                      f"the page scrolls sideways because of {sticking_out}")
        self.findings.add(route, [v for v in violations if v["impact"] not in BLOCKING_IMPACTS])

    def screenshot(self, name: str, of: Any = None, folder: Path = SCREENSHOTS) -> Path:
        """Keep a picture of the whole page (or of the element ``of``) as ``<name>.png``."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        shot = of.screenshot() if of is not None else self.page.screenshot(full_page=True)
        path.write_bytes(small_png(shot))
        return path

    def log_in(self, email: str, password: str) -> None:
        """Log in through the form, as anyone would."""
        self.goto("/login")
        self.page.get_by_label("E-mail address").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.follow(self.page.get_by_role("button", name="Log in"))

    def nav(self, name: str) -> None:
        """Follow a link of the main navigation."""
        self.follow(self.page.get_by_role("navigation", name="Main").get_by_role("link", name=name))


def small_png(png: bytes) -> bytes:
    """The screenshot in at most 256 colours: median cut keeps the page's main colours exact (white,
    GOV.UK's blues and greys) and text looks the same, in about 40 % of the bytes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG")  # optimize=True saves 5 % more at twice the time
    return out.getvalue()


def fill_date(page: Any, legend: str, on: date, exact: bool = True) -> None:
    """Type a date into a GOV.UK date input (day, month and year boxes in a fieldset)."""
    group = page.get_by_role("group", name=legend, exact=exact)
    for box, value in (("Day", on.day), ("Month", on.month), ("Year", on.year)):
        group.get_by_label(box, exact=True).fill(str(value))
