"""The school's action plan (rule R3): actions belong to the school and carry from term to term.

Open actions (not started, in progress) appear in every self-evaluation until they are done or
dropped; a finalised self-evaluation keeps a frozen copy of its plan as it stood when finalised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from checklist_app.auth.models import NOT_STAFF, Membership, School, User
from checklist_app.concurrency import Conflict, check_version
from checklist_app.errors import NotFound
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import OPEN_STATUSES, Action, ActionStatus, SelfEvaluation
from checklist_app.self_evaluation.services import ensure_editable
from checklist_app.self_evaluation.terms import Term


@dataclass
class ActionFilters:
    """What the school's action list is narrowed to."""

    owner: str = ""      # "u<user id>" or "n<free-text name>"
    status: str = ""     # an ActionStatus value, "open" or "" for all
    overdue: bool = False


def get_action(action_id: int, school: School) -> Action:
    """One of the school's actions, or 404."""
    action = db.session.scalar(select(Action).where(Action.id == action_id,
                                                    Action.school_id == school.id))
    if action is None:
        raise NotFound()
    return action


def owner_choices(school_id: int) -> list[tuple[int, str]]:
    """The school's staff who can be responsible for an action (id, name), by name."""
    rows = db.session.execute(
        select(User.id, User.name).join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school_id, Membership.role.not_in(NOT_STAFF),
               Membership.accepted.is_(True), User.active.is_(True)).order_by(User.name))
    return [(row.id, row.name) for row in rows]


def _next_number(school_id: int) -> int:
    return (db.session.scalar(select(func.max(Action.number)).where(
        Action.school_id == school_id)) or 0) + 1


def _apply(action: Action, values: dict[str, Any], today: date) -> None:
    """Copy form values onto an action; closing sets the completion date and term."""
    action.action_point = values["action_point"].strip()
    action.checkpoint_ids = list(values.get("checkpoint_ids") or [])
    action.owner_user_id = values.get("owner_user_id") or None
    action.owner_name = (values.get("owner_name") or "").strip()
    action.review_date = values.get("review_date")
    action.comments = (values.get("comments") or "").strip()
    _set_status(action, ActionStatus(values.get("status") or ActionStatus.NOT_STARTED),
                values.get("completed_on"), today)


def _set_status(action: Action, status: ActionStatus, completed_on: date | None, today: date) -> None:
    action.status = status
    if status.is_open:
        action.completed_on, action.closed_term = None, None
        return
    action.completed_on = completed_on or action.completed_on or today
    action.closed_term = Term.for_date(action.completed_on).slug


def create_action(evaluation: SelfEvaluation, values: dict[str, Any], today: date) -> Action:
    """Add an action to the school's plan, opened in this (draft) self-evaluation."""
    ensure_editable(evaluation)
    action = Action(school_id=evaluation.school_id, number=_next_number(evaluation.school_id),
                    opened_in_self_evaluation_id=evaluation.id, opened_term=evaluation.term.slug)
    _apply(action, values, today)
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: Action, submitted_version: Any, values: dict[str, Any], today: date) -> None:
    """Change an action; a stale version raises Conflict (never a silent overwrite)."""
    check_version(action, submitted_version)
    _apply(action, values, today)
    _commit(action)


def close_action(action: Action, submitted_version: Any, status: ActionStatus, today: date) -> None:
    """Mark an action done or dropped today (it stays listed, struck through, never deleted)."""
    check_version(action, submitted_version)
    if status.is_open:
        raise ValueError("Closing an action marks it done or dropped.")
    _set_status(action, status, today, today)
    _commit(action)


def _commit(action: Action) -> None:
    """Flush (the caller commits); a stale version is reported as a conflict."""
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(action) from None


def school_actions(school_id: int, filters: ActionFilters, today: date) -> list[Action]:
    """The school's actions narrowed by owner, status and overdue (one query, owners joined)."""
    query = select(Action).where(Action.school_id == school_id)
    if filters.owner.startswith("u") and filters.owner[1:].isdigit():
        query = query.where(Action.owner_user_id == int(filters.owner[1:]))
    elif filters.owner.startswith("n") and len(filters.owner) > 1:
        query = query.where(Action.owner_name == filters.owner[1:])
    if filters.status == "open":
        query = query.where(Action.status.in_(OPEN_STATUSES))
    elif filters.status in {s.value for s in ActionStatus}:
        query = query.where(Action.status == ActionStatus(filters.status))
    if filters.overdue:
        query = query.where(Action.status.in_(OPEN_STATUSES), Action.review_date < today)
    return list(db.session.scalars(query.order_by(Action.number)))


def owner_filter_choices(school_id: int) -> list[tuple[str, str]]:
    """Everyone who owns one of the school's actions, for the owner filter."""
    users = db.session.execute(select(User.id, User.name).join(
        Action, Action.owner_user_id == User.id).where(Action.school_id == school_id).distinct())
    names = db.session.scalars(select(Action.owner_name).where(
        Action.school_id == school_id, Action.owner_name != "").distinct())
    choices = [(f"u{row.id}", row.name) for row in users] + [(f"n{name}", name) for name in names]
    return sorted(choices, key=lambda c: c[1].lower())


def live_plan(evaluation: SelfEvaluation) -> list[Action]:
    """The actions of a term's plan: every open action, and those opened or closed this term."""
    return list(db.session.scalars(select(Action).where(
        Action.school_id == evaluation.school_id,
        or_(Action.status.in_(OPEN_STATUSES), Action.closed_term == evaluation.term.slug,
            Action.opened_in_self_evaluation_id == evaluation.id)).order_by(Action.number)))


def as_row(action: Action, today: date) -> dict[str, Any]:
    """An action as plain values (what the plan shows and what a finalised plan keeps)."""
    return {
        "id": action.id, "number": action.number, "action_point": action.action_point,
        "checkpoint_ids": list(action.checkpoint_ids or []), "owner": action.owner_label,
        "review_date": action.review_date, "status": action.status.value,
        "status_label": action.status.label, "comments": action.comments,
        "completed_on": action.completed_on, "overdue": action.is_overdue(today),
        "open": action.status.is_open, "opened_term": action.opened_term,
        "closed_term": action.closed_term,
    }


def freeze_plan(evaluation: SelfEvaluation, today: date) -> list[dict[str, Any]]:
    """The plan as it stands, as JSON (dates as ISO text), kept on a finalised self-evaluation."""
    frozen = []
    for action in live_plan(evaluation):
        row = as_row(action, today)
        for key in ("review_date", "completed_on"):
            row[key] = row[key].isoformat() if row[key] else None
        frozen.append(row)
    return frozen


def _thawed(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for key in ("review_date", "completed_on"):
        row[key] = date.fromisoformat(row[key]) if row.get(key) else None
    return row


def plan_rows(evaluation: SelfEvaluation, today: date) -> list[dict[str, Any]]:
    """The term's action plan: frozen as finalised, or live while it is a draft."""
    if evaluation.frozen_actions is not None:
        return [_thawed(row) for row in evaluation.frozen_actions]
    return [as_row(action, today) for action in live_plan(evaluation)]
