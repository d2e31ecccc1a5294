"""Plain values for the self-evaluation reports: the action plan and the governing board pack.

Builds on :func:`checklist_app.self_evaluation.services.action_plan_context` and adds what the
printed documents need: the report header, checkpoint numbers for actions, and for the board pack
the ratings this term against last term, the action counts (rules R2, R3) and the school's
weekly attendance trend from the register.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select

from checklist_app.extensions import db
from checklist_app.formatting import long_date, summary
from checklist_app.reporting.school_trend import school_trend
from checklist_app.self_evaluation import board, rating_changes, services
from checklist_app.self_evaluation.models import Action as ActionModel
from checklist_app.self_evaluation.models import (
    ActionStatus,
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)


def report_header(school_name: str, title: str, today: date, personal_data: bool = False) -> dict[str, Any]:
    """What reports/pdf/base.html needs on every page."""
    return {"school_name": school_name, "title": title, "produced_on": long_date(today),
            "personal_data": personal_data}


def action_plan_report(evaluation: SelfEvaluation, today: date) -> dict[str, Any]:
    """The printed self-evaluation: sign-off, every checkpoint's rating and evidence, the plan."""
    plan = services.action_plan_context(evaluation, today)
    numbers = {c["id"]: c["number"] for c in plan["checkpoints"]}
    for row in plan["actions"]:
        row["checkpoint_numbers"] = [numbers.get(cid, cid) for cid in row.get("checkpoint_ids", [])]
    finalised_by = evaluation.finalised_by.name if evaluation.finalised_by else ""
    title = f"Self-evaluation and action plan – {plan['term']}"
    return {**plan, **report_header(plan["school_name"], title, today),
            "finalised_by": finalised_by, "frozen": evaluation.frozen_actions is not None,
            "overdue_count": sum(1 for row in plan["actions"] if row.get("overdue"))}


def previous_finalised(evaluation: SelfEvaluation) -> SelfEvaluation | None:
    """The latest earlier term's current self-evaluation that was finalised (last term's baseline)."""
    rows = db.session.scalars(select(SelfEvaluation).where(
        SelfEvaluation.school_id == evaluation.school_id, SelfEvaluation.current_term.is_not(None),
        SelfEvaluation.status == EvaluationStatus.FINALISED))
    earlier = [e for e in rows if e.term.sort_key < evaluation.term.sort_key]
    return max(earlier, key=lambda e: e.term.sort_key, default=None)


def change_row(change: rating_changes.RatingChange) -> dict[str, str]:
    """A row of the board pack's change table: number, title, rating now, change since last term."""
    if change.kind is rating_changes.Kind.WITHDRAWN:
        rating = "Withdrawn"
    else:
        rating = change.now.label if change.now else "Not rated"
    return {"number": change.number, "title": summary(change.text, 70), "rating_label": rating,
            "change": change.description}


def _action_counts(evaluation: SelfEvaluation, today: date) -> dict[str, int]:
    """Actions opened and closed in the term, and those overdue now (one query)."""
    slug = evaluation.term.slug
    rows = db.session.execute(select(
        ActionModel.status, ActionModel.opened_term, ActionModel.closed_term, ActionModel.review_date)
        .where(ActionModel.school_id == evaluation.school_id)).all()
    return {
        "opened": sum(1 for r in rows if r.opened_term == slug),
        "done": sum(1 for r in rows if r.closed_term == slug and r.status is ActionStatus.DONE),
        "dropped": sum(1 for r in rows if r.closed_term == slug and r.status is ActionStatus.DROPPED),
        "open": sum(1 for r in rows if r.status.is_open),
        "overdue": sum(1 for r in rows if r.status.is_open and r.review_date is not None
                       and r.review_date < today),
    }


def board_pack_report(evaluation: SelfEvaluation, today: date) -> dict[str, Any]:
    """The governing board pack: a summary of the term, then the action plan."""
    plan = action_plan_report(evaluation, today)
    definition = services.definition_for(evaluation)
    scale = definition.rating_scale
    baseline = previous_finalised(evaluation)
    before: dict[str, str | None] = {}
    if baseline is not None:
        before = {a.item_id: a.rating for a in db.session.scalars(select(CheckpointAnswer).where(
            CheckpointAnswer.self_evaluation_id == baseline.id))}
    changes = rating_changes.compare(
        services.definition_for(baseline) if baseline else None, definition,
        [c["id"] for c in plan["checkpoints"]], before,
        {c["id"]: c["rating"] for c in plan["checkpoints"]})
    now_counts = Counter(c["rating"] for c in plan["checkpoints"] if c["rating"])
    before_counts = Counter(r for r in before.values() if r)
    next_review = services.sign_off_dates(evaluation).get("next_review_date")
    return {
        **plan,
        "title": f"Governing board pack – {plan['term']}",
        "last_term": baseline.term.label if baseline else "",
        "rating_counts": [{"label": level.label, "now": now_counts.get(level.value, 0),
                           "before": before_counts.get(level.value, 0) if baseline else None}
                          for level in scale],
        "not_rated": sum(1 for c in plan["checkpoints"] if not c["rating"]),
        "board_comments": [{"author": c.author_name, "when": c.created_at, "body": c.body,
                            "revision": c.revision, "reply": c.reply,
                            "reply_author": c.reply_author_name, "reply_when": c.replied_at}
                           for c in board.board_comments(evaluation)],
        "changes": [change_row(c) for c in changes],
        "action_counts": _action_counts(evaluation, today),
        "next_review": next_review if isinstance(next_review, date) else None,
        "attendance_trend": school_trend(evaluation.school_id, evaluation.term, today),
    }
