"""Benchmark: background jobs, PDF rendering and process start, side by side in one run.

Prints:
  1. process start (import + create_app) and whether xhtml2pdf, openpyxl and pypdf were imported;
  2. the full self-evaluation PDF against a raw xhtml2pdf call on the same HTML (and WeasyPrint when
     it is installed);
  3. 200 letters in one bulk job, in-process on SQLite; and on PostgreSQL + Redis with one and with
     two RQ workers (when CHECKLIST_TEST_POSTGRES_URL is set and Redis answers);
  4. with PostgreSQL + Redis: a light page's p95 idle, during 4 PDF downloads rendered in the web
     processes, and during 4 bulk-letter jobs rendered by the (niced) worker.

Run:  .venv/bin/python benchmarks/jobs.py [--letters 200] [--skip-stack]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEAVY = ("xhtml2pdf", "openpyxl", "pypdf", "reportlab")
ADMIN_EMAIL = "bench-admin@example.org"
START_SNIPPET = (
    "import sys, time; t = time.perf_counter(); from checklist_app import create_app; "
    "create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
    "import json; print(json.dumps([time.perf_counter() - t, "
    f"[m for m in {HEAVY!r} if m in sys.modules]]))")


def quiet_pdf_logging() -> None:
    """xhtml2pdf and WeasyPrint warn about each missing glyph: not figures, so hidden."""
    import logging

    for name in ("xhtml2pdf", "weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)


def process_start(runs: int = 5) -> None:
    """Median of fresh interpreters doing import + create_app()."""
    times, heavy = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", START_SNIPPET], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout
        seconds, heavy = json.loads(out)
        times.append(seconds)
    print(f"process start (import + create_app), median of {runs}: {statistics.median(times):.2f} s; "
          f"export libraries loaded at start: {', '.join(heavy) or 'none'}")


def self_evaluation_pdf(runs: int = 3) -> None:
    """The app's full self-evaluation PDF vs xhtml2pdf (and WeasyPrint) on the same HTML."""
    from xhtml2pdf import pisa

    from benchmarks.export_self_evaluation import build, timed
    from checklist_app import create_app
    from checklist_app.extensions import db
    from checklist_app.reporting import cache, services
    from checklist_app.reporting.pdf import ASSETS_DIR, link_callback, template_environment
    from checklist_app.reporting.self_evaluation_context import action_plan_report
    from checklist_app.self_evaluation.models import SelfEvaluation

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b.sqlite3", "TESTING": True,
                          "REPORT_CACHE_DIR": f"{folder}/cache"})
        with app.app_context():
            db.create_all()
            evaluation = db.session.get(SelfEvaluation, build(1))
            today = date(2026, 11, 22)
            html = template_environment(app.config["REPORTS_DIR"]).get_template(
                "pdf/action_plan.html").render(action_plan_report(evaluation, today))

            def app_pdf():
                cache.clear_cache()
                return services.action_plan_pdf(evaluation, today)

            def raw():  # the same HTML and stylesheet, without our resource policy or page numbers
                out = io.BytesIO()
                pisa.CreatePDF(html, dest=out, path=str(ASSETS_DIR / "report.html"),
                               link_callback=link_callback, encoding="utf-8")
                return out.getvalue()

            app_pdf()
            ours, _ = timed(app_pdf, runs)
            plain, _ = timed(raw, runs)
            line = (f"self-evaluation PDF, median of {runs}: app {ours:.2f} s, raw xhtml2pdf on the "
                    f"same HTML {plain:.2f} s ({ours / plain:.2f}x raw)")
            try:
                import weasyprint
            except ImportError:
                print(line + "; WeasyPrint not installed (pip install weasyprint to compare)")
                return
            base = str(ROOT / "checklist_app" / "static" / "pdf") + "/"
            weasy, _ = timed(lambda: weasyprint.HTML(string=html, base_url=base).write_pdf(), runs)
            print(line + f", WeasyPrint {weasy:.2f} s ({ours / weasy:.2f}x WeasyPrint)")


def _letters_app(url: str, folder: str, letters: int, extra: dict | None = None):
    """An app on ``url`` with a school, a leader and ``letters`` cases with a draft letter each."""
    from checklist_app import create_app
    from checklist_app.extensions import db
    from tests.factories import SchoolFactory, UserFactory
    from tests.jobs_factories import case_with_draft_not_due

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "JOBS_DIR": f"{folder}/jobs",
                      "REPORTS_DIR": str(ROOT / "reports"), "CHECKLISTS_DIR": str(ROOT / "checklists"),
                      **(extra or {})})
    with app.app_context():
        if url.startswith("sqlite"):
            db.create_all()
        else:
            from flask_migrate import upgrade

            upgrade()
        school = SchoolFactory(name="Benchmark Primary")
        user = UserFactory(school=school, role="admin", email=ADMIN_EMAIL)
        ids = [case_with_draft_not_due(school, user)[0].id for _ in range(letters)]
        db.session.commit()
        info = (school.id, user.id, ids)
        db.session.remove()
    return app, info


def _job_summary(app, job_ids: list[int]) -> tuple[int, str]:
    from checklist_app.extensions import db
    from checklist_app.jobs.models import Job

    with app.app_context():
        jobs = [db.session.get(Job, i) for i in job_ids]
        pages = sum(int(j.summary.split(", ")[1].split()[0]) for j in jobs if j.summary)
        return pages, ",".join(j.state.value for j in jobs)


def _start(app, info, case_ids: list[int]) -> int:
    from checklist_app.auth.models import School, User
    from checklist_app.clock import today
    from checklist_app.extensions import db
    from checklist_app.jobs.runner import start_job

    with app.app_context():
        job = start_job(db.session.get(School, info[0]), db.session.get(User, info[1]), today(),
                        "bulk-letters", "Letters", {"case_ids": case_ids})
        db.session.commit()
        return job.id


def letters_in_process(letters: int) -> None:
    """One bulk job of ``letters`` letters, run in this process on SQLite."""
    from checklist_app.jobs.runner import run_job

    with tempfile.TemporaryDirectory() as folder:
        app, info = _letters_app(f"sqlite:///{folder}/b.sqlite3", folder, letters)
        job_id = _start(app, info, info[2])
        started = time.perf_counter()
        run_job(app, job_id)
        seconds = time.perf_counter() - started
        pages, state = _job_summary(app, [job_id])
        print(f"{letters} letters, one job, in-process on SQLite: {seconds:.1f} s, {pages} pages, "
              f"{pages / seconds:.1f} pages/s ({state})")


def _postgres_database() -> tuple[str, object, str] | None:
    url = os.environ.get("CHECKLIST_TEST_POSTGRES_URL")
    if not url:
        print("PostgreSQL + Redis figures skipped: CHECKLIST_TEST_POSTGRES_URL is not set")
        return None
    import uuid

    from sqlalchemy import create_engine, text

    name = f"checklist_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return f"{url.rpartition('/')[0]}/{name}", admin, name


def _drop(admin, name: str) -> None:
    from sqlalchemy import text

    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _wait_jobs(app, job_ids: list[int], timeout: float = 1800) -> None:
    from checklist_app.extensions import db
    from checklist_app.jobs.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            if all(db.session.get(Job, i).finished for i in job_ids):
                return
        time.sleep(0.2)
    raise RuntimeError("jobs did not finish")


def on_the_stack(letters: int) -> None:
    """Letters on PostgreSQL + Redis with one and two workers, and page p95 during exports."""
    import uuid

    from tests.deployment_stack import Stack
    from tests.services import BIN, REDIS_URL

    try:
        from redis import Redis

        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:  # noqa: BLE001
        print(f"PostgreSQL + Redis figures skipped: no Redis at {REDIS_URL} ({error})")
        return
    made = _postgres_database()
    if made is None:
        return
    url, admin, name = made
    folder = tempfile.mkdtemp()
    prefix = uuid.uuid4().hex[:8]
    queue = f"bench-{prefix}"
    app, info = _letters_app(url, folder, letters, {"REDIS_URL": REDIS_URL, "JOB_QUEUE": queue})
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
    env.update({"DATABASE_URL": url, "REDIS_URL": REDIS_URL, "JOB_QUEUE": queue,
                "JOBS_DIR": f"{folder}/jobs", "SECRET_KEY": "benchmark-secret-key-0123456789abcdef",
                "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"bench-{prefix}",
                "PATH": f"{BIN}:{os.environ.get('PATH', '')}"})
    stack = Stack(BIN, env, Path(folder))
    try:
        from checklist_app.jobs.runner import dispatch

        for workers in (1, 2):
            stack.start_worker()
            extra = [stack._spawn([str(BIN / "checklist-app"), "jobs", "worker"], "worker2.log")] \
                if workers == 2 else []
            time.sleep(3)
            halves = [info[2]] if workers == 1 else [info[2][: letters // 2], info[2][letters // 2:]]
            job_ids = [_start(app, info, ids) for ids in halves]
            started = time.perf_counter()
            with app.app_context():
                for job_id in job_ids:
                    dispatch(job_id)
            _wait_jobs(app, job_ids)
            seconds = time.perf_counter() - started
            pages, state = _job_summary(app, job_ids)
            shape = "one job, one worker" if workers == 1 else "two jobs of half each, two workers"
            print(f"{letters} letters, {shape}, PostgreSQL + Redis: {seconds:.1f} s, {pages} pages, "
                  f"{pages / seconds:.1f} pages/s ({state})")
            stack.kill_worker()
            for process in extra:
                os.killpg(process.pid, 9)
                process.wait()
        light_page_p95(stack, info)
    finally:
        stack.stop()
        with app.app_context():
            from checklist_app.extensions import db

            db.session.remove()
            db.engine.dispose()
        _drop(admin, name)
        admin.dispose()


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def light_page_p95(stack, info) -> None:
    """p95 of the home page idle, during 4 PDF downloads, and during 4 bulk jobs in the worker."""
    import threading

    from tests.deployment_stack import Browser
    from tests.factories import PASSWORD

    stack.start_apps()
    stack.start_worker()
    a, b = stack.urls
    user = Browser()
    user.request(a + "/login", {"csrf_token": user.csrf(a + "/login"), "email": ADMIN_EMAIL,
                                "password": PASSWORD})

    def timed(url: str) -> float:
        started = time.perf_counter()
        user.request(url)
        return time.perf_counter() - started

    light = [a + "/", b + "/"]
    for url in light:
        timed(url)
    idle = [timed(light[i % 2]) for i in range(40)]
    case_ids = info[2]
    stop = threading.Event()

    def download(n: int) -> None:
        while not stop.is_set():
            user.request(f"{light[n % 2]}reports/cases/{case_ids[n]}/evidence-pack.pdf")

    threads = [threading.Thread(target=download, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    in_web = [timed(light[i % 2]) for i in range(40)]
    stop.set()
    for thread in threads:
        thread.join()
    for n in range(4):
        token = user.csrf(light[n % 2] + "jobs/")
        user.request(light[n % 2] + "jobs/bulk-letters", {
            "csrf_token": token, "which": "cases", "case_ids": case_ids[n * 25:(n + 1) * 25]})
    time.sleep(1)
    in_worker = [timed(light[i % 2]) for i in range(40)]
    print(f"light page p95: idle {_p95(idle):.1f} ms; during 4 PDF downloads rendered in the web "
          f"processes {_p95(in_web):.1f} ms ({_p95(in_web) / _p95(idle):.1f}x); during 4 bulk-letter "
          f"jobs rendered in the worker {_p95(in_worker):.1f} ms ({_p95(in_worker) / _p95(idle):.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=200, help="letters in the bulk job")
    parser.add_argument("--skip-stack", action="store_true", help="no PostgreSQL + Redis figures")
    args = parser.parse_args()
    quiet_pdf_logging()
    process_start()
    self_evaluation_pdf()
    letters_in_process(args.letters)
    if not args.skip_stack:
        on_the_stack(args.letters)


if __name__ == "__main__":
    main()
