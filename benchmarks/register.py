"""Register benchmark: import a year of marks for a large school, then time the register pages.

    .venv/bin/python benchmarks/register.py                       # SQLite, 1,500 pupils
    .venv/bin/python benchmarks/register.py --pupils 300          # a quicker run
    .venv/bin/python benchmarks/register.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Prints: file size, the time to read and check the file (preview), the time to write it (confirm,
all or nothing, one commit), the time of a second identical import (idempotent), and for the
pupils-at-risk page and the school overview (both charts) the median time and SQL statements.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import time_machine  # noqa: E402
from sqlalchemy import create_engine, event, func, select, text  # noqa: E402

from checklist_app import create_app  # noqa: E402
from checklist_app.auth.models import Membership, Role, School, User  # noqa: E402
from checklist_app.extensions import db  # noqa: E402
from checklist_app.register import generator, importing  # noqa: E402
from checklist_app.register.models import SessionMark  # noqa: E402

TODAY = date(2025, 7, 21)  # the end of a school year: a full year of marks
PASSWORD = "benchmark password 1"  # noqa: S105


def _postgres_db(url: str) -> tuple[str, callable]:
    name = f"register_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{url.rpartition('/')[0]}/{name}", drop


def _import(school, path: Path) -> tuple[float, float, int]:
    started = time.perf_counter()
    with path.open("rb") as stream:
        checked = importing.preview(school, TODAY, stream, path.name)
    read = time.perf_counter() - started
    assert checked.ok, checked.problems[:5]
    started = time.perf_counter()
    importing.confirm(school, None, TODAY, checked)
    db.session.commit()
    return read, time.perf_counter() - started, checked.marks


def _page(client, url: str, runs: int = 5) -> tuple[float, int]:
    counter = {"n": 0}

    def seen(*_args):
        counter["n"] += 1

    times = []
    for _ in range(runs):
        counter["n"] = 0
        event.listen(db.engine, "before_cursor_execute", seen)
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        event.remove(db.engine, "before_cursor_execute", seen)
        assert response.status_code == 200, response.status_code
    return statistics.median(times) * 1000, counter["n"]


def run(pupils: int, postgres: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="register-bench-"))
    drop = None
    if postgres:
        url, drop = _postgres_db(postgres)
    else:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SECRET_KEY": "benchmark-secret-key-long-enough"})
    try:
        with app.app_context():
            db.create_all()
            school = School(name="Benchmark Academy", urn="999001", local_authority="Bench")
            from werkzeug.security import generate_password_hash

            user = User(email="lead@bench.example", name="Lead",
                        password_hash=generate_password_hash(PASSWORD))
            user.memberships.append(Membership(school=school, role=Role.SENIOR_LEADER))
            db.session.add_all([school, user])
            db.session.commit()
            roll = generator.generate_roll(pupils, seed=7)
            roll_path = generator.write_roll_csv(folder / "roll.csv", roll)
            read, write, _ = _import(school, roll_path)
            started = time.perf_counter()
            for _ in range(10**6):
                pass
            loop = (time.perf_counter() - started) * 1000
            print(f"Database: {db.engine.dialect.name}; pupils: {pupils}; load average "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; an empty million-step "
                  f"Python loop took {loop:.0f} ms (about 20 ms on an idle machine)")
            print(f"Roll import: read {read:.2f} s, write {write:.2f} s")
            marks_path = generator.write_marks_csv(folder / "marks.csv", generator.generate_marks(
                [r["UPN"] for r in roll], date(2024, 9, 1), TODAY, seed=7))
            size = marks_path.stat().st_size / 1024 / 1024
            read, write, count = _import(school, marks_path)
            print(f"Marks import ({count:,} marks, {size:.1f} MB CSV): read and check {read:.2f} s, "
                  f"write {write:.2f} s, total {read + write:.2f} s")
            read, write, count = _import(school, marks_path)
            held = db.session.scalar(select(func.count()).select_from(SessionMark))
            print(f"Same file again (idempotent, {held:,} marks held): read {read:.2f} s, "
                  f"write {write:.2f} s")
            client = app.test_client()
            with time_machine.travel(TODAY):  # log in on the same day the pages are read
                client.post("/login", data={"email": user.email, "password": PASSWORD})
                for label, url in (("Pupils at risk", "/register/at-risk"),
                                   ("Overview (school and cohort charts)", "/register/"),
                                   ("Pupil register page", f"/register/pupils/{_first_pupil()}")):
                    median, statements = _page(client, url)
                    print(f"{label}: median {median:.0f} ms, {statements} SQL statements")
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop:
            drop()


def _first_pupil() -> int:
    from checklist_app.casework.models import Pupil

    return db.session.scalar(select(Pupil.id).order_by(Pupil.id).limit(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=1500)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose server may create a database")
    args = parser.parse_args()
    run(args.pupils, args.postgres)
    return 0


if __name__ == "__main__":
    sys.exit(main())
