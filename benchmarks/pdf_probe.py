"""Time one PDF export and its peak memory, in a fresh process (run by ``benchmarks/run.py``).

``python -m benchmarks.pdf_probe DATABASE_URL KIND RECORD_ID [REPEAT]`` prints one line of JSON.
KIND is ``self-evaluation`` (the full self-evaluation with its action plan, as downloaded) or
``evidence-pack`` (a case's evidence pack). Each export loads the record from the database, builds
the report values and renders the PDF, with the PDF cache emptied first, so every run does the
whole work; the cached download of a finalised self-evaluation is timed separately.

Memory: the peak resident set size the first export adds to the process (Linux ``VmHWM``, reset
just before it), and tracemalloc's peak of Python allocations during one more export.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from benchmarks.pages import make_bench_app
from checklist_app.extensions import db


def _status_kib(field: str) -> int | None:
    """A VmRSS / VmHWM line of /proc/self/status, in KiB (None where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _export(kind: str, record_id: int) -> bytes:
    """Load the record afresh, build its report values and render the PDF (cache emptied)."""
    from checklist_app.reporting import case_reports, services
    from checklist_app.reporting.cache import clear_cache
    from checklist_app.self_evaluation.models import SelfEvaluation

    db.session.remove()
    clear_cache()
    if kind == "self-evaluation":
        return services.action_plan_pdf(db.session.get(SelfEvaluation, record_id), date.today()).data
    return case_reports.evidence_pack_pdf(case_reports.case_by_id(record_id), date.today()).data


def _cached(record_id: int) -> float:
    """A second download of a finalised self-evaluation: served from the PDF cache."""
    from checklist_app.reporting import services
    from checklist_app.self_evaluation.models import SelfEvaluation

    db.session.remove()
    started = time.perf_counter()
    services.action_plan_pdf(db.session.get(SelfEvaluation, record_id), date.today())
    return time.perf_counter() - started


def _pages(data: bytes) -> int | None:
    try:
        from io import BytesIO

        from pypdf import PdfReader
    except ImportError:  # pypdf is a test dependency; the page count is a nicety
        return None
    return len(PdfReader(BytesIO(data)).pages)


def probe(database_url: str, kind: str, record_id: int, repeat: int = 3) -> dict:
    """Export ``repeat`` + 1 times (the first cold) and once more under tracemalloc."""
    app = make_bench_app(database_url, tempfile.mkdtemp(prefix="bench-pdf-cache-"))
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # connect before measuring memory
        reset = _reset_peak()
        rss_before = _status_kib("VmRSS")
        started = time.perf_counter()
        data = _export(kind, record_id)
        cold = time.perf_counter() - started
        peak = _status_kib("VmHWM") if reset else None
        warm = []
        for _ in range(repeat):
            started = time.perf_counter()
            _export(kind, record_id)
            warm.append(time.perf_counter() - started)
        tracemalloc.start()
        _export(kind, record_id)
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        cached = _cached(record_id) if kind == "self-evaluation" else None
    return {"kind": kind, "record_id": record_id, "bytes": len(data), "pages": _pages(data),
            "cold_s": cold, "warm_s": warm, "warm_median_s": statistics.median(warm),
            "cached_s": cached, "rss_before_kib": rss_before,
            "rss_added_kib": peak - rss_before if peak and rss_before else None,
            "tracemalloc_peak_bytes": traced_peak}


if __name__ == "__main__":
    url, kind, record = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(probe(url, kind, record, int(sys.argv[4]) if len(sys.argv) > 4 else 3)))
