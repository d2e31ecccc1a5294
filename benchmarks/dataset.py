"""The benchmark dataset: schools, staff, termly self-evaluations with actions, and casework.

``generate(LARGE)`` writes 100 schools, each with six terms of self-evaluations (25 checkpoint
answers of 100–300 words of evidence, the action plan, board comments) and casework, the largest
school holding 1,000 cases with pupils, parents, meetings, contracts, letters, contacts and
attendance figures. ``SMALL`` is one school, two terms and five cases. Tests pass their own
:class:`Size`. Rows go in through the models with bulk inserts (see :mod:`benchmarks.writer`);
definitions are pinned with :func:`checklist_engine.pinning.pin`, as the app does.

To explore the data in the app: ``python -m benchmarks.dataset sqlite:////tmp/large.sqlite3``, then
``CHECKLIST_DATABASE_URL=sqlite:////tmp/large.sqlite3 checklist-app run`` and log in as the trust
administrator it prints.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from benchmarks import casework_data, self_evaluation_data, text
from benchmarks.writer import Writer
from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.checklist_engine.pinning import pin
from checklist_app.checklist_engine.registry import registry
from checklist_app.extensions import db
from checklist_app.self_evaluation import DEFINITION_KEY

PASSWORD = "benchmark password 2026"
ADMIN_EMAIL = "trust.admin@benchmark.example"


@dataclass(frozen=True)
class Size:
    """How much to generate. The first school is the largest; the admin administers every school."""

    schools: int = 1
    terms: int = 2
    cases: int = 5            # cases in the first (largest) school
    other_cases: int = 0      # about this many in each other school
    busy_cycles: int = 1      # review cycles of the busiest case (its contract has this many revisions)
    actions_per_term: int = 3
    evidence_words: tuple[int, int] = (100, 300)
    seed: int = 2026


SMALL = Size(schools=1, terms=2, cases=5, other_cases=0, busy_cycles=1)
LARGE = Size(schools=100, terms=6, cases=1000, other_cases=20, busy_cycles=8, actions_per_term=4)


@dataclass
class Dataset:
    """What was generated, and the ids the benchmarks open."""

    size: Size
    school_id: int
    school_ids: list[int]
    admin_email: str
    password: str
    draft_id: int
    finalised_id: int
    busy_case_id: int
    busy_pupil_id: int
    contract_id: int
    meeting_id: int
    letter_id: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        """Rows written, all tables together."""
        return sum(self.rows.values())


@cache
def password_hash() -> str:
    """One scrypt hash for every generated user (scrypt is slow on purpose)."""
    return generate_password_hash(PASSWORD, method="scrypt")


@dataclass
class Staff:
    """A school's generated staff: user ids and names."""

    head: tuple[int, str]
    leads: list[tuple[int, str]]
    governor: tuple[int, str]


def _user(w: Writer, email: str, name: str, school_id: int, role: Role) -> tuple[int, str]:
    user_id = w.add(User, email=email, name=name, password_hash=password_hash(), active=True,
                    calendar_token=None, created_at=datetime(2024, 9, 1, tzinfo=UTC))
    w.add(Membership, user_id=user_id, school_id=school_id, role=role)
    return user_id, name


def _school(w: Writer, rng: random.Random, n: int, cases: int) -> tuple[int, str, Staff]:
    name = text.school_name(n)
    school_id = w.add(School, name=name, urn=f"{700000 + n}", local_authority="Benchmark Borough",
                      address=f"{n + 1} School Lane\nBenchmark Town", phone="01234 567890",
                      email=f"office@school{n}.benchmark.example", attendance_policy_url="",
                      created_at=datetime(2024, 9, 1, tzinfo=UTC))
    domain = f"school{n}.benchmark.example"
    head = _user(w, f"head@{domain}", "{} {}".format(*text.person(rng)), school_id,
                 Role.SENIOR_LEADER)
    leads = [_user(w, f"lead{k}@{domain}", "{} {}".format(*text.person(rng)), school_id,
                   Role.ATTENDANCE_LEAD) for k in range(max(2, cases // 150))]
    _user(w, f"staff@{domain}", "{} {}".format(*text.person(rng)), school_id, Role.STAFF)
    governor = _user(w, f"governor@{domain}", "{} {}".format(*text.person(rng)), school_id,
                     Role.GOVERNOR)
    return school_id, name, Staff(head, leads, governor)


def _other_cases(rng: random.Random, size: Size) -> int:
    """Cases in a school other than the largest: about ``size.other_cases``, varying by school."""
    return max(1, round(size.other_cases * rng.uniform(0.5, 1.5))) if size.other_cases else 0


def _snapshots() -> dict[str, int]:
    """Pin the newest published edition of every definition the records use."""
    reg, found = registry(), {}
    for key in (DEFINITION_KEY, *casework_data.DEFINITION_KEYS):
        definition = reg.newest_published(key)
        if definition is None:
            raise RuntimeError(f"No published definition {key}: check CHECKLISTS_DIR")
        found[key] = pin(definition).id
    db.session.commit()
    return found


def generate(size: Size, today: date | None = None, report: Callable[[str], None] | None = None,
             admin_email: str = ADMIN_EMAIL) -> Dataset:
    """Write a dataset of ``size`` into the app's database (inside an app context); commits.

    A database may hold several datasets (each with its own ``admin_email``): schools are numbered
    on from those already there.
    """
    started = time.perf_counter()
    today = today or date.today()
    rng = random.Random(size.seed)
    snapshots = _snapshots()
    w = Writer()
    first = db.session.scalar(select(func.count(School.id))) or 0
    admin_id = w.add(User, email=admin_email, name="Trust Administrator", active=True,
                     password_hash=password_hash(), calendar_token=None,
                     created_at=datetime(2024, 9, 1, tzinfo=UTC))
    school_ids: list[int] = []
    main: dict = {}
    for n in range(size.schools):
        cases = size.cases if n == 0 else _other_cases(rng, size)
        school_id, name, staff = _school(w, rng, first + n, cases)
        w.add(Membership, user_id=admin_id, school_id=school_id, role=Role.ADMIN)
        school_ids.append(school_id)
        evaluations = self_evaluation_data.write(
            w, rng, school_id, name, staff, snapshots[DEFINITION_KEY], size, today, main=n == 0)
        records = casework_data.write(w, rng, school_id, name, staff, snapshots, cases,
                                      size.busy_cycles if n == 0 else 0, today)
        if n == 0:
            main = {**evaluations, **records}
        w.flush()
        if report and (n + 1) % 10 == 0:
            report(f"  {n + 1} of {size.schools} schools written")
    db.session.commit()
    return Dataset(size=size, school_id=school_ids[0], school_ids=school_ids,
                   admin_email=admin_email, password=PASSWORD, rows=dict(w.written),
                   seconds=time.perf_counter() - started, **main)


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.dataset [--size large] DATABASE_URL``: fill an empty database."""
    from benchmarks.pages import make_bench_app

    parser = argparse.ArgumentParser(description="Generate the benchmark dataset into an empty "
                                                 "database (tables are created from the models).")
    parser.add_argument("database_url", help="for example sqlite:////tmp/benchmark.sqlite3")
    parser.add_argument("--size", choices=("small", "large"), default="large")
    args = parser.parse_args(argv)
    app = make_bench_app(args.database_url)
    with app.app_context():
        db.create_all()
        ds = generate(SMALL if args.size == "small" else LARGE, report=print)
    print(f"{ds.total_rows:,} rows in {ds.seconds:.1f} s. Log in as {ds.admin_email} with the "
          f"password {ds.password!r} (administrator of every school: {len(ds.school_ids)}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
