"""Helpers for register tests: a school with a generated roll, files written on the fly."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from checklist_app.extensions import db
from checklist_app.register import generator, importing


def write(path: Path, text: str) -> Path:
    """Write a small CSV file for a test."""
    path.write_text(text, encoding="utf-8")
    return path


def load_roll(school, tmp_path: Path, count: int = 6, today: date = date(2026, 3, 2)) -> list[dict]:
    """Import a generated roll of ``count`` pupils into ``school``; the rows it used."""
    rows = generator.generate_roll(count)
    path = generator.write_roll_csv(tmp_path / "roll.csv", rows)
    checked = importing.preview(school, today, io.BytesIO(path.read_bytes()), "roll.csv")
    assert checked.ok, checked.problems
    importing.confirm(school, None, today, checked)
    db.session.commit()
    return rows


def import_text(school, text: str, name: str = "marks.csv", today: date = date(2026, 3, 2)):
    """Preview, and when it is clean confirm, a marks file given as text; the preview."""
    checked = importing.preview(school, today, io.BytesIO(text.encode()), name)
    if checked.ok:
        importing.confirm(school, None, today, checked)
        db.session.commit()
    return checked
