"""A file cache for the PDFs of records that no longer change (finalised, issued, signed).

A cached PDF is keyed by the record's kind, id and version, a fingerprint of the report layouts
(``reports/pdf/`` and ``static/pdf/``) and a digest of the plain values it was made from (less the
production date). Any change to the record, the layouts or the data shown makes a new key, so a stale
PDF is never served; older files of the same record are removed when a new one is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app

from checklist_app.reporting.pdf import ASSETS_DIR

_fingerprints: dict[tuple, str] = {}


def cache_dir() -> Path:
    """Where cached PDFs live: ``REPORT_CACHE_DIR`` or ``<instance>/report-cache``."""
    folder = current_app.config.get("REPORT_CACHE_DIR") or os.path.join(current_app.instance_path,
                                                                        "report-cache")
    return Path(folder)


def _layout_files() -> list[Path]:
    reports_pdf = Path(current_app.config["REPORTS_DIR"]) / "pdf"
    files = [p for folder in (reports_pdf, ASSETS_DIR) if folder.is_dir()
             for p in folder.rglob("*") if p.is_file()]
    return sorted(files)


def template_fingerprint() -> str:
    """A digest of every layout and asset file (recomputed only when one of them changes)."""
    files = _layout_files()
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if stamp not in _fingerprints:
        digest = hashlib.sha256()
        for path in files:
            digest.update(str(path.name).encode())
            digest.update(path.read_bytes())
        _fingerprints.clear()
        _fingerprints[stamp] = digest.hexdigest()[:16]
    return _fingerprints[stamp]


def cache_key(kind: str, record_id: int, version: int, context: dict[str, Any]) -> str:
    """The file name a PDF of this record, this version and these values is kept under."""
    values = {k: v for k, v in context.items() if k != "produced_on"}
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()
    return f"{kind}-{record_id}-v{version}-{template_fingerprint()}-{digest[:24]}.pdf"


def cached_pdf(kind: str, record_id: int, version: int, context: dict[str, Any],
               render: Callable[[], bytes]) -> bytes:
    """The cached PDF for this key, or ``render()``'s result, kept for next time."""
    folder = cache_dir()
    path = folder / cache_key(kind, record_id, version, context)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{kind}-{record_id}-v*.pdf"):
        old.unlink(missing_ok=True)
    # Write then rename, so a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    return data


def clear_cache() -> int:
    """Remove every cached PDF (returns how many)."""
    removed = 0
    for path in cache_dir().glob("*.pdf"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def remove_cached(kind: str, record_ids: list[int]) -> int:
    """Remove every cached PDF of these records of one kind (returns how many)."""
    folder = cache_dir()
    removed = 0
    for record_id in record_ids:
        for path in folder.glob(f"{kind}-{int(record_id)}-v*.pdf"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
