"""Bulk writing for the generator: rows are collected per table and inserted in batches.

Ids are handed out here (from the table's current maximum), so child rows can point at their
parents before anything is written. Tables are written parents first, so SQLite's foreign-key checks
pass; rows are never committed one by one. Bulk inserts skip the ORM's flush, so they write no audit
events of their own: the generator writes those itself, as rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, insert, select

from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import Membership, School, User
from checklist_app.casework.models import (
    Agreement,
    AttendanceFigure,
    Attendee,
    Case,
    Contact,
    Contract,
    Letter,
    Meeting,
    Parent,
    Pupil,
    Signature,
    contract_parent,
)
from checklist_app.extensions import db, utcnow
from checklist_app.self_evaluation.models import Action, BoardComment, CheckpointAnswer, SelfEvaluation

#: Parents before children (self-references are written in id order within one table).
ORDER: tuple[Any, ...] = (
    School, User, Membership, SelfEvaluation, CheckpointAnswer, Action, BoardComment, Pupil, Parent,
    Case, Meeting, Attendee, Letter, Contract, contract_parent, Agreement, Signature,
    AttendanceFigure, Contact, AuditEvent,
)
BATCH = 5000


def _name(target: Any) -> str:
    return target.name if isinstance(target, Table) else target.__tablename__


class Writer:
    """Collects rows per table and writes them with ``session.execute(insert(Model), rows)``."""

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {target: [] for target in ORDER}
        self.written: dict[str, int] = {}
        self._next: dict[Any, int] = {}

    def new_id(self, model: Any) -> int:
        """The next free primary key of ``model``'s table."""
        if model not in self._next:
            self._next[model] = (db.session.scalar(select(func.max(model.id))) or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value

    def add(self, target: Any, **values: Any) -> int:
        """Queue one row; returns its id (allocated here when not given)."""
        if not isinstance(target, Table):
            if "id" not in values:
                values["id"] = self.new_id(target)
            if "version" in target.__table__.c:
                values.setdefault("version", 1)
        self.rows[target].append(values)
        return values.get("id", 0)

    def update(self, target: Any, row_id: int, **values: Any) -> None:
        """Change a queued row (one not yet written)."""
        next(r for r in reversed(self.rows[target]) if r.get("id") == row_id).update(values)

    def audit(self, school_id: int, subject: tuple[str, int], record_type: str, record_id: int,
              action: str, user_name: str, at: Any = None, changes: dict | None = None) -> None:
        """Queue an audit event, as the app would have written for this change."""
        self.add(AuditEvent, at=at or utcnow(), school_id=school_id, user_id=None,
                 user_name=user_name, action=action, record_type=record_type,
                 record_id=str(record_id), subject_type=subject[0], subject_id=subject[1],
                 changes=changes or {}, reason="")

    def flush(self) -> None:
        """Write every queued row, parents first, in batches (no commit per row)."""
        for target in ORDER:
            rows = self.rows[target]
            for start in range(0, len(rows), BATCH):
                db.session.execute(insert(target), rows[start:start + BATCH])
            if rows:
                name = _name(target)
                self.written[name] = self.written.get(name, 0) + len(rows)
            rows.clear()
