"""Latency of the main pages, measured against a trivial endpoint of the same app in the same run.

Each sample of a page is paired with a sample of ``/healthz`` (anonymous: no session, no database),
so both see the same machine load; the figure reported is the ratio page / trivial, which carries
from one machine to another far better than milliseconds do.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass

from flask import Flask

from benchmarks.pages import TRIVIAL, Page


@dataclass
class Timing:
    """Samples of one page (seconds) and of the trivial endpoint taken alongside."""

    name: str
    samples: list[float]
    trivial: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def trivial_median(self) -> float:
        return statistics.median(self.trivial)

    @property
    def trivial_p95(self) -> float:
        return percentile(self.trivial, 95)

    @property
    def ratio(self) -> float:
        """Median page latency in units of the median trivial request."""
        return self.median / self.trivial_median

    @property
    def ratio_p95(self) -> float:
        """95th-percentile page latency in units of the trivial request's 95th percentile."""
        return self.p95 / self.trivial_p95


def percentile(samples: list[float], pct: float) -> float:
    """The nearest-rank percentile (no interpolation: with few samples it is the slowest ones)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def _timed(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return elapsed


def measure(app: Flask, client, pages: list[Page], *, samples: int = 40, min_samples: int = 7,
            budget: float = 6.0) -> list[Timing]:
    """Time each page up to ``samples`` times or ``budget`` seconds (at least ``min_samples``)."""
    anonymous = app.test_client()
    found = []
    for page in pages:
        _timed(client, page.path)  # warm: templates compiled, definitions loaded
        _timed(anonymous, TRIVIAL)
        timing = Timing(page.name, [], [])
        started = time.perf_counter()
        while len(timing.samples) < samples and (
                len(timing.samples) < min_samples or time.perf_counter() - started < budget):
            timing.trivial.append(_timed(anonymous, TRIVIAL))
            timing.samples.append(_timed(client, page.path))
        found.append(timing)
    return found
