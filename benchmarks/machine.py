"""What the benchmarks ran on: CPU, cores, memory, Python, SQLite and library versions, load."""

from __future__ import annotations

import os
import platform
import sqlite3
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def load_average() -> str:
    """The 1-minute load average (other work on the machine slows every figure alike)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def describe() -> dict[str, str]:
    """The machine and software, as rows for the report."""
    return {
        "CPU": _cpu_model(),
        "Cores": str(os.cpu_count()),
        "Memory": _memory_gib(),
        "Operating system": platform.platform(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "SQLAlchemy": _version("SQLAlchemy"),
        "Flask": _version("Flask"),
        "xhtml2pdf": _version("xhtml2pdf"),
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
