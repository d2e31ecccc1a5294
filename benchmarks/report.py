"""BENCHMARKS.md: the machine, the datasets and the tables of figures from one run."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

IN_LIST = re.compile(r"IN \(\?(?:, \?)*\)")
RERUN = "`.venv/bin/python -m benchmarks.run` (or `.venv/bin/python benchmarks/run.py`)"
SHOWN_TABLES = (("school", "Schools"), ("user", "Users"), ("self_evaluation", "Self-evaluations"),
                ("checkpoint_answer", "Checkpoint answers"), ("self_evaluation_action", "Actions"),
                ("pupil", "Pupils"), ("parent", "Parents and carers"), ("case", "Cases, all schools"),
                ("meeting", "Meetings"), ("attendee", "Meeting attendees"), ("contract", "Contracts"),
                ("agreement", "Agreements"), ("signature", "Signatures"), ("letter", "Letters"),
                ("attendance_figure", "Attendance figures"), ("contact", "Contacts"),
                ("audit_event", "Audit events"))


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", IN_LIST.sub("IN (…)", sql)).strip()


def growth_note(small: list[str], large: list[str]) -> str:
    """Why a page's statement count differs between the datasets (or "same")."""
    if len(small) == len(large):
        return "same"
    known = {_normal(s) for s in small}
    extra = Counter(map(_normal, large)) - Counter(map(_normal, small))
    diff = len(large) - len(small)
    if diff > 0 and all(statement in known for statement in extra):
        return (f"+{diff}: the same eager loads, split by SQLAlchemy into IN-lists of at most 500 ids "
                "(one more statement per 500 rows, not one per row)")
    return f"{diff:+d}: **different statements – look for a query per row**"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value / 1024 / 1024:.1f}"


def _datasets(small: Any, large: Any) -> list[str]:
    lines = ["| | small | large |", "| --- | ---: | ---: |"]
    lines.append(f"| Size | {_size(small.ds.size)} | {_size(large.ds.size)} |")
    lines.append(f"| Cases in the largest school (open) | {small.extra['cases']:,} "
                 f"({small.extra['open_cases']:,}) | {large.extra['cases']:,} "
                 f"({large.extra['open_cases']:,}) |")
    lines.append(f"| Busiest case | {small.extra['busy']} | {large.extra['busy']} |")
    for table, label in SHOWN_TABLES:
        lines.append(f"| {label} | {small.ds.rows.get(table, 0):,} | {large.ds.rows.get(table, 0):,} |")
    lines.append(f"| **Rows in all tables** | {small.ds.total_rows:,} | {large.ds.total_rows:,} |")
    lines.append(f"| Database file | {small.db_bytes / 1e6:.1f} MB | {large.db_bytes / 1e6:.1f} MB |")
    lines.append(f"| **Generation time** | {small.ds.seconds:.1f} s | {large.ds.seconds:.1f} s |")
    return lines


def _size(size: Any) -> str:
    return (f"{size.schools} school{'s' if size.schools != 1 else ''}, {size.terms} terms, "
            f"{size.cases:,} cases in the largest")


def _statements(small: Any, large: Any) -> list[str]:
    lines = ["| Page | Small | Large | Difference |", "| --- | ---: | ---: | --- |"]
    for name, (_status, count, sql) in small.counts.items():
        big = large.counts[name]
        lines.append(f"| {name} | {count} | {big[1]} | {growth_note(sql, big[2])} |")
    return lines


def _latency(small: Any, large: Any) -> list[str]:
    lines = ["| Page | Small median ms | Small p95 ms | **Small × trivial** | Large median ms | "
             "Large p95 ms | **Large × trivial** | Large p95 × trivial p95 | Samples |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for a, b in zip(small.timings, large.timings, strict=True):
        lines.append(f"| {a.name} | {_ms(a.median)} | {_ms(a.p95)} | **{a.ratio:.1f}** | "
                     f"{_ms(b.median)} | {_ms(b.p95)} | **{b.ratio:.1f}** | {b.ratio_p95:.1f} | "
                     f"{len(a.samples)} / {len(b.samples)} |")
    return lines


def _trivial(result: Any) -> str:
    trivial = [t for timing in result.timings for t in timing.trivial]
    from benchmarks.latency import percentile

    ordered = sorted(trivial)
    return (f"{result.label}: median {_ms(ordered[len(ordered) // 2])} ms, "
            f"p95 {_ms(percentile(trivial, 95))} ms over {len(trivial)} requests")


def _trust(small: Any, large: Any) -> list[str]:
    lines = ["| Data | Schools the admin administers | Statements | Median ms | p95 ms | × trivial |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for result in (small, large):
        timing = next(t for t in result.timings if t.name == "Trust view")
        lines.append(f"| {result.label} | {len(result.ds.school_ids)} | "
                     f"{result.counts['Trust view'][1]} | {_ms(timing.median)} | {_ms(timing.p95)} | "
                     f"{timing.ratio:.1f} |")
    return lines


def _pdfs(small: Any, large: Any) -> list[str]:
    lines = ["| Export | Data | Pages | Size KB | First export s | Median of next s | Cached s | "
             "Peak RSS added MiB | tracemalloc peak MiB |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    names = {"self-evaluation": "Full self-evaluation with action plan (finalised term)",
             "evidence-pack": "Case evidence pack (busiest case)"}
    for kind in names:
        for result in (small, large):
            p = next(x for x in result.pdfs if x["kind"] == kind)
            cached = "–" if p["cached_s"] is None else f"{p['cached_s']:.3f}"
            added = None if p["rss_added_kib"] is None else p["rss_added_kib"] * 1024
            lines.append(f"| {names[kind]} | {result.label} | {p['pages'] or 'n/a'} | "
                         f"{p['bytes'] / 1024:.0f} | {p['cold_s']:.2f} | {p['warm_median_s']:.2f} | "
                         f"{cached} | {_mib(added)} | {_mib(p['tracemalloc_peak_bytes'])} |")
    return lines


def _findings(small: Any, large: Any) -> list[str]:
    """What the tables say, worked out from them (so it always matches the run)."""
    notes = [growth_note(sql, large.counts[name][2]) for name, (_s, _c, sql) in small.counts.items()]
    same = sum(1 for note in notes if note == "same")
    batched = [name for name, note in zip(small.counts, notes, strict=True) if "IN-lists" in note]
    suspect = [name for name, note in zip(small.counts, notes, strict=True) if "look for" in note]
    lines = [f"- **Statements per request:** {same} of {len(notes)} pages send exactly the same number "
             "of statements at large data as at small data."]
    if batched:
        lines.append(f"- {', '.join(batched)}: one or two more statements at large data, because "
                     "SQLAlchemy's `selectinload` puts at most 500 ids in one IN-list; the count "
                     "grows by one per 500 rows loaded, not by one per row.")
    if suspect:
        lines.append(f"- **Query per row suspected** on {', '.join(suspect)}: the extra statements "
                     "are not batches of ones seen at small data.")
    grown = sorted(((b.ratio / a.ratio, a, b) for a, b in zip(small.timings, large.timings, strict=True)
                    if b.ratio / a.ratio >= 5), key=lambda row: -row[0])
    for factor, a, b in grown:
        lines.append(f"- **{a.name}** takes {factor:.0f} times as long (relative to the trivial "
                     f"endpoint) at large data: {_ms(b.median)} ms against {_ms(a.median)} ms, "
                     "with the same loads as at small data (no query per row): the time goes on "
                     "the rows it loads and renders.")
    return lines


def markdown(results: list[Any], machine: dict[str, str], elapsed: float, load: tuple[str, str],
             quick: bool = False) -> str:
    """The whole report."""
    small, large = results
    lines = ["# Benchmarks", "",
             "Written by `benchmarks/run.py` from the run described below; every figure comes from "
             f"that run. To rerun (about {elapsed / 60:.0f} minutes on this machine): {RERUN}. It "
             "generates the datasets into a temporary folder and rewrites this file.", ""]
    if quick:
        lines += ["> **Quick run** (`--quick`): the \"large\" dataset is reduced; do not quote these "
                  "figures.", ""]
    lines += ["## Machine", "", "| | |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in machine.items()]
    lines += [f"| Load average (1 min) at start / end | {load[0]} / {load[1]} |",
              f"| Whole run | {elapsed / 60:.1f} minutes |", "",
              "## Datasets", "",
              "Generated by `benchmarks/dataset.py` through the models with bulk inserts. Each school "
              "has one self-evaluation per term (25 checkpoints rated with 100–300 words of evidence "
              "each; the current term a draft with 20 rated, the rest finalised with the action plan "
              "frozen), actions opened and closed term by term, board comments, and casework. The "
              "trust administrator is an admin of every school and works in the largest one.", ""]
    lines += _datasets(small, large)
    lines += ["", "## SQL statements per request", "",
              "Every statement sent to the database while serving one GET (a "
              "`before_cursor_execute` listener; BEGIN not counted), logged in as the trust "
              "administrator, after one warm-up request. `tests/test_query_counts.py` enforces equal "
              "counts for every page between a small and a larger dataset (2 against 8 terms, 3 "
              "against 30 cases, 1 against 5 schools).", ""]
    lines += _statements(small, large)
    lines += ["", "## Latency of the main pages", "",
              "Each page sample is paired with a sample of the trivial endpoint `GET /healthz` "
              "(anonymous: no session, no database) in the same process, so both see the same machine "
              "load. **The figure is the ratio page ÷ trivial** (median ÷ median; the p95 column "
              "divides the 95th percentiles); milliseconds are given for reference. Requests go "
              "through Flask's test client (no network, no web server), up to 40 samples or 6 "
              "seconds per page, at least 7. The first row is `/healthz` requested by the logged-in "
              "administrator: what loading the user and their memberships (one per school: 100 at "
              "large data) adds to every request.", "",
              f"Trivial endpoint: {_trivial(small)}; {_trivial(large)}.", ""]
    lines += _latency(small, large)
    lines += ["", "## Trust view", "",
              "`/self-evaluation/trust` for an administrator of every school: ratings per checkpoint "
              "this term and overdue actions across the schools.", ""]
    lines += _trust(small, large)
    lines += ["", "## PDF exports", "",
              "Each export is measured in a fresh process (`benchmarks/pdf_probe.py`): load the "
              "record, build the report values, render with xhtml2pdf; the PDF cache is emptied "
              "before each, so every export does the whole work. *First export* includes loading "
              "fonts and templates; *median of next* is the following exports; *cached* is a second "
              "download of the finalised self-evaluation, served from the PDF cache. *Peak RSS added* "
              "is the growth of the process's peak resident memory during the first export (Linux "
              "VmHWM, reset just before); *tracemalloc peak* is the peak of Python allocations "
              "during one more export.", ""]
    lines += _pdfs(small, large)
    lines += ["", "## Findings", ""] + _findings(small, large) + [""]
    return "\n".join(lines)
