"""Run every benchmark and write BENCHMARKS.md at the repository root.

    .venv/bin/python -m benchmarks.run            # the full run: small and large data (minutes)
    .venv/bin/python benchmarks/run.py --quick    # a quicker check that everything works

Generates the datasets (benchmarks/dataset.py) into a temporary folder (``--keep DIR`` keeps them),
counts SQL statements per page, times the pages against /healthz and the PDF exports.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.runner import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
