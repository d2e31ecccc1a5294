"""Run every benchmark at small and large data and write ``BENCHMARKS.md`` (see ``run.py``)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from benchmarks import latency, machine, report
from benchmarks.dataset import LARGE, SMALL, Dataset, Size, generate
from benchmarks.pages import ROOT, logged_in_client, main_pages, make_bench_app, statements_per_page
from checklist_app.casework.models import (
    AttendanceFigure,
    Case,
    CaseStatus,
    Contact,
    Contract,
    Letter,
    Meeting,
)
from checklist_app.extensions import db

#: ``--quick``: a check that everything runs, in a minute or two (not for BENCHMARKS.md).
QUICK = Size(schools=10, terms=3, cases=100, other_cases=10, busy_cycles=3)


@dataclass
class Result:
    """Everything measured on one dataset."""

    label: str
    ds: Dataset
    db_bytes: int
    counts: dict[str, tuple[int, int, list[str]]]
    timings: list[latency.Timing]
    pdfs: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def log(message: str) -> None:
    """Progress, on stderr."""
    print(message, file=sys.stderr, flush=True)


def _probe(url: str, kind: str, record_id: int, repeat: int) -> dict:
    """One PDF export measured in a fresh process (so its memory is its own)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.pdf_probe", url, kind, str(record_id),
                           str(repeat)], capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"PDF probe {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def describe_largest(ds: Dataset) -> dict:
    """Cases (and open ones) in the largest school, and what the busiest case holds."""
    school = Case.school_id == ds.school_id
    cases = db.session.scalar(select(func.count(Case.id)).where(school))
    open_cases = db.session.scalar(select(func.count(Case.id)).where(school,
                                                                     Case.status == CaseStatus.OPEN))
    held = {model.__tablename__: db.session.scalar(select(func.count(model.id)).where(
        model.case_id == ds.busy_case_id)) for model in (Meeting, Contract, Letter, AttendanceFigure,
                                                          Contact)}
    busy = (f"{held['meeting']} meetings, {held['contract']} contract revisions, {held['letter']} "
            f"letters, {held['attendance_figure']} figures, {held['contact']} contacts")
    return {"cases": cases, "open_cases": open_cases, "busy": busy}


def run_size(label: str, size: Size, folder: Path, samples: int, budget: float,
             repeat: int) -> Result:
    """Generate one dataset, then count statements, time the pages and the PDF exports."""
    path = folder / f"{label}.sqlite3"
    url = f"sqlite:///{path}"
    app = make_bench_app(url, str(folder / f"{label}-pdf-cache"))
    log(f"[{label}] generating {size}")
    with app.app_context():
        db.create_all()
        ds = generate(size, report=log)
        db.session.remove()
    log(f"[{label}] {ds.total_rows:,} rows in {ds.seconds:.1f} s")
    client = logged_in_client(app, ds)
    pages = main_pages(ds)
    counts = statements_per_page(app, client, pages, keep=True)
    log(f"[{label}] statements counted; timing {len(pages)} pages")
    timings = latency.measure(app, client, pages, samples=samples, budget=budget)
    with app.app_context():
        extra = describe_largest(ds)
        db.engine.dispose()
    result = Result(label, ds, path.stat().st_size, counts, timings, extra=extra)
    for kind, record_id in (("self-evaluation", ds.finalised_id), ("evidence-pack", ds.busy_case_id)):
        log(f"[{label}] PDF export: {kind}")
        result.pdfs.append(_probe(url, kind, record_id, repeat))
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: run everything, print where the report went."""
    parser = argparse.ArgumentParser(description="Run the benchmarks and write BENCHMARKS.md.")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"),
                        help="where to write the report (default: BENCHMARKS.md at the repository root)")
    parser.add_argument("--quick", action="store_true",
                        help="a smaller 'large' dataset and fewer samples: checks the run works")
    parser.add_argument("--keep", metavar="DIR", help="keep the generated databases in DIR")
    args = parser.parse_args(argv)
    started, load_before = time.perf_counter(), machine.load_average()
    large = QUICK if args.quick else LARGE
    samples, budget, repeat = (10, 2.0, 1) if args.quick else (40, 6.0, 2)
    with tempfile.TemporaryDirectory(prefix="checklist-bench-") as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        results = [run_size("small", SMALL, folder, samples, budget, repeat),
                   run_size("large", large, folder, samples, budget, repeat)]
    elapsed = time.perf_counter() - started
    text = report.markdown(results, machine.describe(), elapsed, (load_before, machine.load_average()),
                           quick=args.quick)
    Path(args.output).write_text(text, encoding="utf-8")
    log(f"Done in {elapsed / 60:.1f} minutes: {args.output}")
    return 0
