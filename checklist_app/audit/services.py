"""Writes an audit event for every change to an audited record, from the ORM's flush.

Models opt in by inheriting :class:`Audited`. The events are inserted with Core on the flush's own
connection, so they commit or roll back with the change they describe.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Mapper, Session

from checklist_app.audit.models import AuditEvent
from checklist_app.extensions import utcnow

SECRET_FIELDS = {"password_hash", "calendar_token"}


class Audited:
    """Mixin: changes to this model are written to the audit trail."""

    __audit_exclude__: frozenset[str] = frozenset()

    def audit_school_id(self) -> int | None:
        """The school whose trail this change belongs to."""
        return getattr(self, "school_id", None)

    def audit_subject(self) -> tuple[str, int] | None:
        """The record whose history this change belongs to (a case, a self-evaluation)."""
        return None


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


def current_actor() -> tuple[int | None, str]:
    """Who is making the change: the logged-in user, or the command line."""
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.name
    return None, "command line"


def _changes(obj: Audited, kind: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    excluded = SECRET_FIELDS | set(obj.__audit_exclude__)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in excluded or key == "version":
            continue
        history = state.attrs[key].history
        if kind == "create":
            value = getattr(obj, key)
            if value not in (None, ""):
                changes[key] = [None, _plain(value)]
        elif kind == "delete":
            changes[key] = [_plain(getattr(obj, key)), None]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if _plain(before) != _plain(after):
                changes[key] = [_plain(before), _plain(after)]
    for key in excluded & {a.key for a in state.mapper.column_attrs}:
        if kind != "delete" and state.attrs[key].history.has_changes():
            changes[key] = ["(hidden)", "(changed)"]
    return changes


@contextmanager
def labelled(session: Session, action: str, reason: str = "") -> Iterator[None]:
    """Label the changes flushed inside the block as a named step (finalise, sign, issue...)."""
    session.info["audit_label"] = (action, reason)
    try:
        yield
        session.flush()
    finally:
        session.info.pop("audit_label", None)


def _record_id(obj: Audited) -> str:
    # New objects have their primary key but not yet an identity key during after_flush.
    return "/".join(str(v) for v in inspect(obj).mapper.primary_key_from_instance(obj))


def _event_rows(session: Session) -> list[dict[str, Any]]:
    user_id, user_name = current_actor()
    label, reason = session.info.get("audit_label", (None, ""))
    rows = []
    for kind, objects in (("create", session.new), ("update", session.dirty),
                          ("delete", session.deleted)):
        for obj in objects:
            if not isinstance(obj, Audited):
                continue
            if kind == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, kind)
            if kind == "update" and not changes:
                continue
            subject = obj.audit_subject()
            rows.append({
                "at": utcnow(), "school_id": obj.audit_school_id(),
                "user_id": user_id, "user_name": user_name,
                "action": label or kind,
                "record_type": type(obj).__name__, "record_id": _record_id(obj),
                "subject_type": subject[0] if subject else None,
                "subject_id": subject[1] if subject else None,
                "changes": changes, "reason": reason if label else "",
            })
    return rows


def _keep_old_value(_target: Any, value: Any, _old: Any, _initiator: Any) -> Any:
    return value


@event.listens_for(Mapper, "mapper_configured")
def _track_old_values(mapper: Mapper, class_: type) -> None:
    """Load an audited column's old value when it is set, so "before" is known after a commit."""
    if issubclass(class_, Audited):
        for prop in mapper.column_attrs:
            event.listen(getattr(class_, prop.key), "set", _keep_old_value, active_history=True,
                         retval=True)


@event.listens_for(Session, "after_flush")
def _write_audit_events(session: Session, _flush_context: Any) -> None:
    rows = _event_rows(session)
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)


def history(school_id: int, subject_type: str, subject_id: int) -> list[AuditEvent]:
    """The audit events of one record and everything filed under it, oldest first."""
    from sqlalchemy import select

    from checklist_app.extensions import db

    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.school_id == school_id, AuditEvent.subject_type == subject_type,
        AuditEvent.subject_id == subject_id).order_by(AuditEvent.at, AuditEvent.id)))
