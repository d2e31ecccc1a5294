"""Reading across self-evaluations: progress, term-on-term comparison and the trust view.

Each page is built from a fixed number of queries, however many terms, checkpoints or actions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from checklist_app.auth.models import Role, School, User
from checklist_app.checklist_engine.pinning import definition_of, local_items, local_rows
from checklist_app.checklist_engine.schema import Definition, RatingLevel
from checklist_app.extensions import db
from checklist_app.formatting import summary
from checklist_app.self_evaluation import DEFINITION_KEY, rating_changes
from checklist_app.self_evaluation.models import (
    OPEN_STATUSES,
    Action,
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)
from checklist_app.self_evaluation.services import Checkpoint
from checklist_app.self_evaluation.terms import Term


@dataclass
class Progress:
    """How far a self-evaluation has got.

    ``attention`` lists the checkpoints still to do, in order: each is either in ``unrated`` or in
    ``to_review`` (rated, but carried forward from last term and not yet confirmed "reviewed this
    term", or carried onto a checkpoint whose wording changed)."""

    total: int
    rated: int
    by_rating: list[tuple[RatingLevel, int]]
    attention: list[Checkpoint]
    unrated: list[Checkpoint] = field(default_factory=list)
    to_review: list[Checkpoint] = field(default_factory=list)


def progress(checkpoints: list[Checkpoint], scale: tuple[RatingLevel, ...]) -> Progress:
    """Rated / total, the count at each rating, and the checkpoints still needing attention."""
    live = [c for c in checkpoints if not c.item.withdrawn]
    counts = Counter(c.rating.value for c in live if c.rating)
    attention = [c for c in live if c.needs_attention]
    return Progress(total=len(live), rated=sum(counts.values()),
                    by_rating=[(level, counts.get(level.value, 0)) for level in scale],
                    attention=attention,
                    unrated=[c for c in attention if c.rating is None],
                    to_review=[c for c in attention if c.rating is not None])


@dataclass
class ComparisonRow:
    """One checkpoint across terms: a rating level (or None) per term column."""

    item_id: str
    number: str
    text: str
    local: bool
    cells: list[RatingLevel | None] = field(default_factory=list)


@dataclass
class Comparison:
    """Checkpoints by term, and actions opened and closed each term."""

    terms: list[SelfEvaluation]
    rows: list[ComparisonRow]
    opened: dict[str, int]
    closed: dict[str, int]
    notes: dict[str, list[str]] = field(default_factory=dict)  # by checkpoint id, across editions


def _short(text: str) -> str:
    return summary(text, 110)


def comparison(school_id: int, finalised_only: bool = False) -> Comparison:
    """Every current self-evaluation's ratings side by side, oldest term first."""
    query = select(SelfEvaluation).where(SelfEvaluation.school_id == school_id,
                                         SelfEvaluation.current_term.is_not(None))
    if finalised_only:
        query = query.where(SelfEvaluation.status == EvaluationStatus.FINALISED)
    terms = sorted(db.session.scalars(query), key=lambda e: e.term.sort_key)
    ratings: dict[tuple[int, str], str] = {}
    if terms:
        for row in db.session.execute(select(
                CheckpointAnswer.self_evaluation_id, CheckpointAnswer.item_id, CheckpointAnswer.rating)
                .where(CheckpointAnswer.self_evaluation_id.in_([t.id for t in terms]))):
            if row.rating:
                ratings[(row.self_evaluation_id, row.item_id)] = row.rating
    snapshots = {t.snapshot_id: t.snapshot for t in terms}
    definitions = {sid: definition_of(snapshot) for sid, snapshot in snapshots.items()}
    rows: dict[str, ComparisonRow] = {}
    # Newest edition first, so its wording and order lead; older-only checkpoints follow.
    for evaluation in reversed(terms):
        for item in definitions[evaluation.snapshot_id].items(include_withdrawn=True):
            rows.setdefault(item.id, ComparisonRow(item.id, item.number, _short(item.text), False))
    for items in local_items(local_rows(school_id, DEFINITION_KEY)).values():
        for item in items:
            rows.setdefault(item.id, ComparisonRow(item.id, item.number, _short(item.text), True))
    for row in rows.values():
        for evaluation in terms:
            scale = {lvl.value: lvl for lvl in definitions[evaluation.snapshot_id].rating_scale}
            row.cells.append(scale.get(ratings.get((evaluation.id, row.item_id), "")))
    shown = [r for r in rows.values() if any(r.cells)] or list(rows.values())
    opened: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for opened_term, closed_term in db.session.execute(select(Action.opened_term, Action.closed_term)
                                                       .where(Action.school_id == school_id)):
        opened[opened_term] += 1
        if closed_term:
            closed[closed_term] += 1
    notes = rating_changes.edition_notes(definitions[t.snapshot_id] for t in terms)
    return Comparison(terms, shown, dict(opened), dict(closed), notes)


@dataclass
class TrustOverview:
    """Across the schools a user administers: ratings this term and overdue actions."""

    term: Term
    schools: list[School]
    scale: tuple[RatingLevel, ...]
    rows: list[dict[str, Any]]
    overdue: list[tuple[School, int]]
    not_started: list[School]


def admin_schools(user: User) -> list[School]:
    """The schools where this user is an administrator, by name."""
    return sorted((m.school for m in user.memberships if m.role is Role.ADMIN), key=lambda s: s.name)


def trust_overview(user: User, term: Term, definition: Definition, today: date,
                   schools: list[School] | None = None) -> TrustOverview:
    """Per checkpoint, how many schools gave each rating this term; who has overdue actions.

    ``schools`` defaults to the schools the user administers.
    """
    schools = admin_schools(user) if schools is None else schools
    ids = [s.id for s in schools]
    counts: dict[tuple[str, str], int] = {}
    for row in db.session.execute(
            select(CheckpointAnswer.item_id, CheckpointAnswer.rating,
                   func.count(func.distinct(SelfEvaluation.school_id)).label("schools"))
            .join(SelfEvaluation, SelfEvaluation.id == CheckpointAnswer.self_evaluation_id)
            .where(SelfEvaluation.school_id.in_(ids), SelfEvaluation.current_term == term.slug,
                   CheckpointAnswer.rating.is_not(None))
            .group_by(CheckpointAnswer.item_id, CheckpointAnswer.rating)):
        counts[(row.item_id, row.rating)] = row.schools
    rows = [{"number": item.number, "text": _short(item.text),
             "counts": [counts.get((item.id, lvl.value), 0) for lvl in definition.rating_scale]}
            for item in definition.items()]
    started = set(db.session.scalars(select(SelfEvaluation.school_id).where(
        SelfEvaluation.school_id.in_(ids), SelfEvaluation.current_term == term.slug)))
    overdue_counts = {school_id: count for school_id, count in db.session.execute(
        select(Action.school_id, func.count(Action.id)).where(
            Action.school_id.in_(ids), Action.status.in_(OPEN_STATUSES), Action.review_date < today)
        .group_by(Action.school_id))}
    return TrustOverview(
        term=term, schools=schools, scale=definition.rating_scale, rows=rows,
        overdue=[(s, overdue_counts[s.id]) for s in schools if s.id in overdue_counts],
        not_started=[s for s in schools if s.id not in started])
