"""Start next term: carry the last self-evaluation forward, onto a newer edition if one exists.

Answers move by stable checkpoint id. Checkpoints whose wording changed are flagged for re-review;
withdrawn ones are listed on the new self-evaluation with the answer they had, so nothing is lost
silently. Open actions need no copying: they belong to the school (see actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from checklist_app.auth.models import School, User
from checklist_app.checklist_engine.diff import ChangeKind, diff, needs_review
from checklist_app.checklist_engine.pinning import definition_of, with_local_items
from checklist_app.checklist_engine.schema import Definition, Item
from checklist_app.extensions import db
from checklist_app.formatting import summary
from checklist_app.self_evaluation.models import OPEN_STATUSES, Action, SelfEvaluation
from checklist_app.self_evaluation.services import (
    SelfEvaluationError,
    answers_by_item,
    commit_new,
    copy_answers,
    create,
    latest_current,
    newest_edition,
)
from checklist_app.self_evaluation.terms import Term


def next_term_for(school_id: int) -> tuple[SelfEvaluation | None, Term | None]:
    """The school's latest self-evaluation and the term after it (None when there is none)."""
    last = latest_current(school_id)
    return last, (last.term.next() if last else None)


def _short(text: str) -> str:
    return summary(text, 140)


def _edition_changes(old: Definition, new: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """What moving from ``old`` to ``new`` means for the answers carried."""
    changes = diff(old, new)
    withdrawn = []
    for change in changes:
        if change.kind not in (ChangeKind.WITHDRAWN, ChangeKind.REPLACED) or change.old is None:
            continue
        replacement = new.item(change.new.replaced_by) if change.new and change.new.replaced_by else None
        answer = answers.get(change.item_id)
        withdrawn.append({
            "id": change.item_id, "number": change.old.number, "text": _short(change.old.text),
            "replaced_by": replacement.id if replacement else None,
            "replaced_by_number": replacement.number if replacement else None,
            "rating": answer.rating if answer else None,
            "answers": dict(answer.answers) if answer else {},
        })
    return {
        "from_version": old.version, "to_version": new.version,
        "changed": [{"id": c.item_id, "number": c.new.number, "detail": c.detail}
                    for c in changes if c.kind is ChangeKind.CHANGED and c.new],
        "added": [{"id": c.item_id, "number": c.new.number, "text": _short(c.new.text)}
                  for c in changes if c.kind is ChangeKind.ADDED and c.new],
        "withdrawn": withdrawn,
        "review": sorted(needs_review(changes)),
    }


@dataclass(frozen=True)
class Earlier:
    """What a checkpoint of the new edition is compared with: ``item`` as worded in edition
    ``version`` (last term's), either this checkpoint's old wording or, when ``replaces`` is true,
    the withdrawn checkpoint it replaces."""

    version: str
    item: Item
    replaces: bool = False


def earlier_wording(evaluation: SelfEvaluation, item_id: str) -> Earlier | None:
    """For a checkpoint whose wording changed in the new edition, or that replaces a withdrawn
    one: the checkpoint to show beside it, from the edition carried from (None for any other)."""
    notes = evaluation.carry_notes or {}
    replaced = next((w["id"] for w in notes.get("withdrawn", []) if w.get("replaced_by") == item_id),
                    None)
    changed = item_id in {c["id"] for c in notes.get("changed", [])}
    if not (replaced or changed) or not notes.get("from_id"):
        return None
    earlier = db.session.scalar(select(SelfEvaluation).where(
        SelfEvaluation.id == notes["from_id"], SelfEvaluation.school_id == evaluation.school_id))
    old = definition_of(earlier.snapshot).item(replaced or item_id) if earlier else None
    return Earlier(earlier.snapshot.version, old, bool(replaced)) if earlier and old else None


def start_next_term(school: School, user: User | None) -> SelfEvaluation:
    """The next term's draft, with the last term's answers, on the newest published edition."""
    last, term = next_term_for(school.id)
    if last is None or term is None:
        raise SelfEvaluationError("There is no earlier self-evaluation to carry forward. Start one "
                                  "by choosing the academic year and term.")
    if not last.is_finalised:
        raise SelfEvaluationError(f"Finalise the self-evaluation for {last.term.label} before "
                                  f"starting {term.label}, so its record is complete.")
    old = definition_of(last.snapshot)
    newest = newest_edition()
    answers = answers_by_item(last)
    notes: dict[str, Any] = {"from_id": last.id, "from_term": last.term.label,
                             "from_version": old.version, "to_version": old.version}
    target = old
    if newest.version_tuple > old.version_tuple:
        target = newest
        notes.update(_edition_changes(old, newest, answers))
    notes["open_actions"] = db.session.scalar(select(func.count(Action.id)).where(
        Action.school_id == school.id, Action.status.in_(OPEN_STATUSES))) or 0
    evaluation = create(school, term, user, target, carry_notes=notes)
    live_ids = {i.id for i in with_local_items(target, school.id).items()}
    rename = {w["id"]: w["replaced_by"] for w in notes.get("withdrawn", [])
              if w["replaced_by"] and w["replaced_by"] not in answers and w["rating"]}
    carried = [a for a in answers.values() if rename.get(a.item_id, a.item_id) in live_ids]
    copy_answers(carried, evaluation, review=set(notes.get("review", [])) | set(rename.values()),
                 rename=rename, carried=True)
    return commit_new(evaluation)
