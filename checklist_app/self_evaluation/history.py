"""A self-evaluation's history in the school's words, built from the audit trail (rule R30).

Each audit event becomes an entry: who, when, what happened to which checkpoint or action (by its
number and title), and each changed part's old and new text side by side. Record types, field
names, ids and stored forms never reach the page. Four queries in all, whatever the length; the
audit page reads the events of any number of self-evaluations the same way
(:class:`SelfEvaluationDescriber`), also in four queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from checklist_app.audit.models import AuditEvent
from checklist_app.audit.readable import Entry, Reader, words
from checklist_app.audit.services import history as audit_history
from checklist_app.checklist_engine.pinning import definition_of, local_rows_by_key, with_local_items
from checklist_app.checklist_engine.schema import Definition
from checklist_app.extensions import db
from checklist_app.formatting import long_date, summary
from checklist_app.self_evaluation.models import Action, ActionStatus, CheckpointAnswer, SelfEvaluation
from checklist_app.self_evaluation.services import definition_for

ACTION_FIELDS = {"action_point": "Action point", "owner_name": "Responsible person(s)",
                 "review_date": "Review date", "status": "Status", "comments": "Comments",
                 "completed_on": "Completed on", "checkpoint_ids": "Checkpoints"}
#: What the app keeps on a self-evaluation by itself, in words (never shown as stored).
KEPT = {"frozen_actions": "kept the action plan as it stood at sign-off",
        "frozen_local_items": "kept the school's own checkpoints as they stood at sign-off",
        "carry_notes": "noted what was carried forward from the term before"}
STEPS = {"finalise": "Finalised and signed off the self-evaluation",
         "reopen": "Reopened the self-evaluation"}


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4:5] == "-" == value[7:8]


def _text(value: Any) -> Any:
    """A stored value as the school would write it ("—" for nothing; typed text as it reads)."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if _is_date(value):
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    return words(value) if isinstance(value, str) else str(value)


def _pairs(changes: dict[str, list[Any]], key: str) -> tuple[Any, Any]:
    old, new = changes.get(key, [None, None])
    return old, new


def _dict_rows(changes: dict[str, list[Any]], key: str,
               labels: dict[str, str]) -> list[tuple[str, Any, Any]]:
    """The parts of a stored dict that changed, by their labels; typed text whole, old beside new
    (the history page folds a long one under "Show the full text")."""
    old, new = _pairs(changes, key)
    old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
    rows = []
    for k, label in labels.items():
        before, after = old.get(k), new.get(k)
        if (before or "") == (after or ""):
            continue
        typed = isinstance(before or after, str) and not _is_date(before or after)
        rows.append((label, words(before), words(after)) if typed
                    else (label, _text(before), _text(after)))
    return rows


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
            entry.changes.append(("Rating", self.ratings.get(old, _text(old)),
                                  self.ratings.get(new, _text(new))))
        entry.changes += _dict_rows(event.changes, "answers", self.prompts)
        old, new = _pairs(event.changes, "reviewed_this_term")
        if "reviewed_this_term" in event.changes and event.action != "create":
            entry.changes.append(("Reviewed this term", _text(old), _text(new)))
        return entry

    def evaluation_event(self, event: AuditEvent) -> Entry:
        changed = set(event.changes)
        if event.action in STEPS:
            what = STEPS[event.action]
        elif event.action == "create":
            what = f"Started the self-evaluation for {self.evaluation.term.label}"
        elif _pairs(event.changes, "status")[1] == "finalised":
            what = STEPS["finalise"]
        elif changed and changed <= KEPT.keys():
            what = " and ".join(KEPT[key] for key in sorted(changed))
            what = what[:1].upper() + what[1:]
        else:
            what = "Changed the sign-off"
        if int(event.record_id) != self.evaluation.id and event.action == "reopen":
            what = "Reopened the earlier revision"
        entry = Entry(event.at, event.user_name, what, event.reason)
        entry.changes += _dict_rows(event.changes, "sign_off", self.sign_off)
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
            entry.changes.append((label_text, _text(old), _text(new)))
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
                             changes=[("Reply", "—", _text(reply))], topic="board")
            body = _pairs(event.changes, "body")[1]
            return Entry(event.at, event.user_name, "Added a governing board comment",
                         changes=[("Comment", "—", _text(body))], topic="board")
        return None


def _answer_items(evaluation_ids: set[int]) -> dict[str, str]:
    return {str(row.id): row.item_id for row in db.session.execute(
        select(CheckpointAnswer.id, CheckpointAnswer.item_id).where(
            CheckpointAnswer.self_evaluation_id.in_(evaluation_ids)))}


def _actions(school_id: int) -> dict[str, str]:
    return {str(row.id): f"action {row.number} ({summary(row.action_point, 90)})"
            for row in db.session.execute(select(Action.id, Action.number, Action.action_point)
                                          .where(Action.school_id == school_id))}


def readable_history(evaluation: SelfEvaluation) -> list[Entry]:
    """The self-evaluation's history, oldest first, as the school would describe it."""
    events = audit_history(evaluation.school_id, "self_evaluation", evaluation.id)
    reader = _Reader(evaluation, definition_for(evaluation), _answer_items({evaluation.id}),
                     _actions(evaluation.school_id))
    entries = [reader.entry(event) for event in events]
    return [e for e in entries if e is not None and (e.changes or e.reason or
                                                     not e.what.startswith("Changed"))]


class SelfEvaluationDescriber:
    """The events of any number of the school's self-evaluations (the audit page), each read as
    its own history reads it, with everything looked up once: four queries in all."""

    record_types = frozenset({"SelfEvaluation", "CheckpointAnswer", "Action", "BoardComment"})

    def __init__(self, events: list[AuditEvent], reader: Reader) -> None:
        school_id = reader.school_id
        ids = {e.subject_id for e in events if e.subject_type == "self_evaluation" and e.subject_id}
        evaluations = db.session.scalars(select(SelfEvaluation).where(
            SelfEvaluation.school_id == school_id, SelfEvaluation.id.in_(ids))
            .options(lazyload(SelfEvaluation.finalised_by))).all()  # (its memberships unneeded)
        local, answer_items, actions = local_rows_by_key(school_id), _answer_items(ids), \
            _actions(school_id)
        parsed: dict[int, Definition] = {}
        self.readers: dict[int, _Reader] = {}
        for evaluation in evaluations:
            if evaluation.snapshot_id not in parsed:
                parsed[evaluation.snapshot_id] = definition_of(evaluation.snapshot)
            official = parsed[evaluation.snapshot_id]
            frozen = evaluation.frozen_local_items if evaluation.is_finalised else None
            definition = with_local_items(official, school_id,
                                          frozen if frozen is not None else local.get(official.key, []))
            self.readers[evaluation.id] = _Reader(evaluation, definition, answer_items, actions)

    def entry(self, event: AuditEvent) -> Entry | None:
        """The event as its self-evaluation's history tells it, and which self-evaluation."""
        reader = self.readers.get(event.subject_id or 0) if event.subject_type == "self_evaluation" \
            else None
        entry = reader.entry(event) if reader is not None else None
        if entry is not None and reader is not None:
            entry.about = f"Self-evaluation, {reader.evaluation.term.label}"
        return entry
