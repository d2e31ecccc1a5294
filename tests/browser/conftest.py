"""Fixtures for the browser journeys: one live server and one Chromium for the run, a new browser
context per test, the clock set to the same school day for each module. Skips, saying why, where
Chromium or Playwright is not installed. The live server's database is SQLite, or a throw-away
PostgreSQL database when the suite runs on PostgreSQL."""

from __future__ import annotations

import pytest
import time_machine
from flask_migrate import upgrade

from checklist_app.extensions import db
from tests.browser.support import (
    AXE_REPORT,
    CHROMIUM,
    FAILURES,
    JOURNEY_MOMENT,
    LAUNCH_ARGS,
    VIEWPORT,
    Findings,
    LiveServer,
    Visitor,
    axe_script,
)
from tests.conftest import SUITE_ON_POSTGRES, make_app, throwaway_postgres_database

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
def live_database(tmp_path_factory):
    """A temporary SQLite file, or a throw-away PostgreSQL database when the suite runs there."""
    if SUITE_ON_POSTGRES:
        yield from throwaway_postgres_database()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'browser.sqlite3'}"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, live_database):
    """The real app on a database made by the migrations, CSRF on, no rate limits."""
    _require_browser()
    folder = tmp_path_factory.mktemp("browser")
    app = make_app(live_database, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False,
                   REPORT_CACHE_DIR=str(folder / "report-cache"))
    with app.app_context():
        upgrade()
    server = LiveServer(app).start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module", autouse=True)
def journey_clock():
    """Each module's journeys start on the same school day, the clock moving on from there (so the
    screenshots show the same terms and dates whenever they are made). Only while the module runs."""
    with time_machine.travel(JOURNEY_MOMENT, tick=True):
        yield


@pytest.fixture(scope="session")
def browser(live_server):
    """One headless Chromium for the whole run (Debian's, never a downloaded build)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_js(live_server) -> str:
    """The axe-core script, read once."""
    return axe_script()


@pytest.fixture(scope="session")
def setup(live_server):
    """Run test-data setup in the app (factories and services): ``with setup(): UserFactory(school=...)``.
    Session-wide, so a module's fixture can make one world for all its journeys."""
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
                                  viewport=VIEWPORT)
    context.set_default_timeout(15_000)
    context.add_init_script(script=axe_js)  # axe-core in every page (CSP does not apply)
    page = context.new_page()
    person = Visitor(page, _findings, live_server.url)
    errors_before = len(live_server.errors)
    yield person
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        person.screenshot(f"failed-{request.node.name}", folder=FAILURES)
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
