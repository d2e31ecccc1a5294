"""A self-evaluation's history in the school's words, built from the audit trail (rule R30).

Each audit event becomes an entry: who, when, what happened to which checkpoint or action (by its
number and title), and each changed part's old and new text side by side. Record types, field
names, ids and stored forms never reach the page. Four queries in all, whatever the length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import select

from checklist_app.audit.models import AuditEvent
from checklist_app.audit.services import history as audit_history
from checklist_app.checklist_engine.schema import Definition
from checklist_app.extensions import db
from checklist_app.formatting import long_date, summary
from checklist_app.self_evaluation.models import Action, ActionStatus, CheckpointAnswer, SelfEvaluation
from checklist_app.self_evaluation.services import definition_for

ACTION_FIELDS = {"action_point": "Action point", "owner_name": "Responsible person(s)",
                 "review_date": "Review date", "status": "Status", "comments": "Comments",
                 "completed_on": "Completed on", "checkpoint_ids": "Checkpoints"}
TYPED_ACTION_FIELDS = {"action_point", "comments"}
STEPS = {"finalise": "Finalised and signed off the self-evaluation",
         "reopen": "Reopened the self-evaluation"}


class Change(NamedTuple):
    """One changed part, old beside new. ``typed`` marks text the school typed (evidence, action
    points, comments), which the page shows as formatted markdown; other values are plain words."""

    label: str
    old: str
    new: str
    typed: bool = False


@dataclass
class Entry:
    """One readable line of the history (``reason`` is typed text, like a reopen reason).

    ``topic`` says what the entry is about, for the page's filter ("checkpoint:<item id>",
    "actions", "sign-off" or "board"); ``kind`` and ``subject`` let the page fold a run of like
    entries made at once (carrying 21 checkpoints forward) under one heading.
    """

    at: datetime
    who: str
    what: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)
    topic: str = "sign-off"
    kind: str = ""
    subject: str = ""


def _text(value: Any) -> str:
    """A stored value as the school would write it ("—" for nothing)."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" == value[7:8]:
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _pairs(changes: dict[str, list[Any]], key: str) -> tuple[Any, Any]:
    old, new = changes.get(key, [None, None])
    return old, new


def _dict_rows(changes: dict[str, list[Any]], key: str, labels: dict[str, str],
               typed: set[str]) -> list[Change]:
    old, new = _pairs(changes, key)
    old, new = old or {}, new or {}
    return [Change(label, _text(old.get(k)), _text(new.get(k)), k in typed)
            for k, label in labels.items() if (old.get(k) or "") != (new.get(k) or "")]


class _Reader:
    """Turns one self-evaluation's audit events into entries, with names looked up once."""

    def __init__(self, evaluation: SelfEvaluation, definition: Definition,
                 answer_items: dict[str, str], actions: dict[str, str]) -> None:
        self.evaluation = evaluation
        self.definition = definition
        self.answer_items = answer_items
        self.actions = actions
        self.ratings = {level.value: level.label for level in definition.rating_scale}
        self.prompts = {p.id: p.label for p in definition.evidence_prompts}
        self.sign_off = {f.id: f.label for f in definition.sign_off}
        self.typed_sign_off = {f.id for f in definition.sign_off if f.type == "long_text"}

    def checkpoint_name(self, item_id: str | None) -> str:
        item = self.definition.item(item_id) if item_id else None
        return f"checkpoint {item.number} ({summary(item.text, 90)})" if item else "a checkpoint"

    def answer(self, event: AuditEvent) -> Entry:
        item_id = self.answer_items.get(event.record_id) or _pairs(event.changes, "item_id")[1]
        name = self.checkpoint_name(item_id)
        kind = {"create": "answered", "reopen": "revision"}.get(event.action, "changed")
        if event.action == "create" and _pairs(event.changes, "reviewed_this_term")[1] is False:
            kind = "carried"
        what = {"answered": f"Answered {name}", "revision": f"Carried {name} into the new revision",
                "carried": f"Carried {name} forward from last term"}.get(kind, f"Changed {name}")
        entry = Entry(event.at, event.user_name, what, event.reason, topic=f"checkpoint:{item_id}",
                      kind=f"checkpoint-{kind}", subject=name[0].upper() + name[1:])
        old, new = _pairs(event.changes, "rating")
        if "rating" in event.changes:
            entry.changes.append(Change("Rating", self.ratings.get(old, _text(old)),
                                        self.ratings.get(new, _text(new))))
        entry.changes += _dict_rows(event.changes, "answers", self.prompts, set(self.prompts))
        old, new = _pairs(event.changes, "reviewed_this_term")
        if "reviewed_this_term" in event.changes and event.action != "create":
            entry.changes.append(Change("Reviewed this term", _text(old), _text(new)))
        return entry

    def evaluation_event(self, event: AuditEvent) -> Entry:
        if event.action in STEPS:
            what = STEPS[event.action]
        elif event.action == "create":
            what = f"Started the self-evaluation for {self.evaluation.term.label}"
        else:
            what = "Changed the sign-off"
        if int(event.record_id) != self.evaluation.id and event.action == "reopen":
            what = "Reopened the earlier revision"
        entry = Entry(event.at, event.user_name, what, event.reason)
        entry.changes += _dict_rows(event.changes, "sign_off", self.sign_off, self.typed_sign_off)
        return entry

    def action(self, event: AuditEvent) -> Entry:
        label = self.actions.get(event.record_id, "an action")
        kind = "opened" if event.action == "create" else "changed"
        what = f"Opened {label}" if kind == "opened" else f"Changed {label}"
        entry = Entry(event.at, event.user_name, what, event.reason, topic="actions",
                      kind=f"action-{kind}", subject=label[0].upper() + label[1:])
        for key, label_text in ACTION_FIELDS.items():
            if key not in event.changes:
                continue
            old, new = event.changes[key]
            if key == "status":
                old, new = (ActionStatus(v).label if v else v for v in (old, new))
            if key == "checkpoint_ids":
                old, new = (", ".join(self._numbers(v or [])) for v in (old, new))
            entry.changes.append(Change(label_text, _text(old), _text(new),
                                        key in TYPED_ACTION_FIELDS))
        return entry

    def _numbers(self, ids: list[str]) -> list[str]:
        return [item.number for i in ids if (item := self.definition.item(i))]

    def entry(self, event: AuditEvent) -> Entry | None:
        if event.record_type == "CheckpointAnswer":
            return self.answer(event)
        if event.record_type == "SelfEvaluation":
            return self.evaluation_event(event)
        if event.record_type == "Action":
            return self.action(event)
        if event.record_type == "BoardComment":
            reply = _pairs(event.changes, "reply")[1]
            if reply:
                return Entry(event.at, event.user_name, "Replied to a governing board comment",
                             changes=[Change("Reply", "—", _text(reply), True)], topic="board")
            body = _pairs(event.changes, "body")[1]
            return Entry(event.at, event.user_name, "Added a governing board comment",
                         changes=[Change("Comment", "—", _text(body), True)], topic="board")
        return None


def readable_history(evaluation: SelfEvaluation) -> list[Entry]:
    """The self-evaluation's history, oldest first, as the school would describe it."""
    events = audit_history(evaluation.school_id, "self_evaluation", evaluation.id)
    answer_items = {str(row.id): row.item_id for row in db.session.execute(
        select(CheckpointAnswer.id, CheckpointAnswer.item_id).where(
            CheckpointAnswer.self_evaluation_id == evaluation.id))}
    actions = {str(row.id): f"action {row.number} ({summary(row.action_point, 90)})"
               for row in db.session.execute(select(Action.id, Action.number, Action.action_point)
                                             .where(Action.school_id == evaluation.school_id))}
    reader = _Reader(evaluation, definition_for(evaluation), answer_items, actions)
    entries = [reader.entry(event) for event in events]
    return [e for e in entries if e is not None and (e.changes or e.reason or
                                                     not e.what.startswith("Changed"))]
