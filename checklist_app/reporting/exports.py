"""The school's actions as CSV and XLSX: every field, one row per action.

Cells that a spreadsheet would read as a formula (starting ``= + - @``, tab or carriage return) are
written with a leading apostrophe in the CSV; in the XLSX every text cell is stored as text.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from checklist_app.checklist_engine.pinning import with_local_items
from checklist_app.extensions import db
from checklist_app.formatting import to_uk
from checklist_app.self_evaluation import services as se_services
from checklist_app.self_evaluation.models import Action

COLUMNS = [
    ("number", "Number"), ("action_point", "Action point"),
    ("checkpoint_numbers", "Checkpoints"), ("checkpoint_ids", "Checkpoint ids"),
    ("responsible", "Responsible person(s)"), ("owner_user", "Responsible member of staff"),
    ("owner_name", "Responsible (as written)"), ("review_date", "Timescale / review date"),
    ("status", "Status"), ("overdue", "Overdue"), ("completed_on", "Completed on"),
    ("comments", "Comments"), ("opened_term", "Opened in term"), ("closed_term", "Closed in term"),
    ("created_at", "Added"), ("id", "Record id"),
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _checkpoint_numbers(school_id: int) -> dict[str, str]:
    """Checkpoint numbers by id, from the latest self-evaluation's edition (or the newest one)."""
    latest = se_services.latest_current(school_id)
    try:
        definition = se_services.definition_for(latest) if latest else \
            with_local_items(se_services.newest_edition(), school_id)
    except se_services.SelfEvaluationError:
        return {}
    return {item.id: item.number for item in definition.items(include_withdrawn=True)}


def action_rows(school_id: int, today: date) -> list[dict[str, Any]]:
    """Every action of the school as plain values, by number (one query, owners joined)."""
    numbers = _checkpoint_numbers(school_id)
    actions = db.session.scalars(select(Action).where(Action.school_id == school_id)
                                 .order_by(Action.number))
    return [{
        "number": a.number, "action_point": a.action_point,
        "checkpoint_numbers": ", ".join(numbers.get(c, c) for c in a.checkpoint_ids or []),
        "checkpoint_ids": ", ".join(a.checkpoint_ids or []), "responsible": a.owner_label,
        "owner_user": a.owner.name if a.owner else "", "owner_name": a.owner_name,
        "review_date": a.review_date, "status": a.status.label,
        "overdue": "Yes" if a.is_overdue(today) else "No", "completed_on": a.completed_on,
        "comments": a.comments, "opened_term": a.opened_term, "closed_term": a.closed_term or "",
        "created_at": to_uk(a.created_at).replace(tzinfo=None) if a.created_at else None, "id": a.id,
    } for a in actions]


def neutralise(value: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value) if isinstance(value, str) else value


def actions_csv(rows: list[dict[str, Any]]) -> bytes:
    """CSV (UTF-8 with a byte-order mark, so Excel reads the accents) with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(row[key]) for key, _label in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def actions_xlsx(rows: list[dict[str, Any]], school_name: str) -> bytes:
    """An XLSX workbook with one sheet of actions; dates are real dates, text stays text.

    openpyxl is imported here, on the first export, not when a process starts.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append([label for _key, label in COLUMNS])
    for row in rows:
        sheet.append([None] * len(COLUMNS))
        for column, (key, _label) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            value = row[key]
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are refused
            cell.value = value
            if isinstance(value, str):
                cell.data_type = TYPE_STRING  # openpyxl would take "=..." for a formula
            elif isinstance(value, datetime):
                cell.number_format = "d mmmm yyyy hh:mm"
            elif isinstance(value, date):
                cell.number_format = "d mmmm yyyy"
    sheet.freeze_panes = "A2"
    book.properties.title = f"Actions – {school_name}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
