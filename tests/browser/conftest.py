"""Fixtures for the browser journeys: one live server and one Chromium for the run, a new browser
context per test. Skips, saying why, where Chromium or Playwright is not installed."""

from __future__ import annotations

import shutil

import pytest
from flask_migrate import upgrade

from checklist_app.extensions import db
from tests.browser.support import (
    AXE_REPORT,
    CHROMIUM,
    LAUNCH_ARGS,
    SCREENSHOTS,
    Findings,
    LiveServer,
    Visitor,
    axe_script,
)
from tests.conftest import make_app

_findings = Findings()


def _require_browser() -> None:
    """Skip with the reason when the tools are missing (e.g. apt could not install Chromium)."""
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed "
                        "(pip install -e '.[test]'): browser tests skipped")
    pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed "
                        "(pip install -e '.[test]'): browser tests skipped")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium): "
                    "browser tests skipped")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app on a temporary SQLite database made by the migrations, CSRF on, no rate limits."""
    _require_browser()
    folder = tmp_path_factory.mktemp("browser")
    app = make_app(f"sqlite:///{folder / 'browser.sqlite3'}", WTF_CSRF_ENABLED=True,
                   RATELIMIT_ENABLED=False, REPORT_CACHE_DIR=str(folder / "report-cache"))
    with app.app_context():
        upgrade()
    server = LiveServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser(live_server):
    """One headless Chromium for the whole run (Debian's, never a downloaded build)."""
    from playwright.sync_api import sync_playwright

    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # this run's pictures only
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_js(live_server) -> str:
    """The axe-core script, read once."""
    return axe_script()


@pytest.fixture
def setup(live_server):
    """Run test-data setup in the app (factories and services): ``with setup(): UserFactory(school=...)``."""
    def context():
        return live_server.app.app_context()

    return context


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so a fixture can tell that the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def visitor(request, browser, live_server, axe_js):
    """A fresh browser context (no cookies) with a page, checked with axe on every navigation."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(script=axe_js)  # axe-core in every page (CSP does not apply)
    page = context.new_page()
    person = Visitor(page, _findings, live_server.url)
    errors_before = len(live_server.errors)
    yield person
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        person.screenshot(f"failed-{request.node.name}")
    context.close()
    assert live_server.errors[errors_before:] == [], "The server raised while the browser used it"
    assert person.csp_errors == [], "The page broke the Content Security Policy"


def pytest_terminal_summary(terminalreporter):
    """Print the lesser axe findings (moderate, minor) and keep them with the screenshots."""
    if not _findings.pages_checked:
        return
    lines = _findings.lines()
    terminalreporter.write_sep("-", "accessibility (axe-core)")
    for line in lines:
        terminalreporter.write_line(line)
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
