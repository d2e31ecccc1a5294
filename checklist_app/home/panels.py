"""What each role's home page shows, read in a fixed number of queries (never one per row).

- Senior leader: this term's self-evaluation progress, overdue actions, next review date and the
  governing board's comments awaiting a reply.
- Attendance lead (and staff): overdue next steps on cases and draft letters waiting to be issued.
- Governor: the latest finalised self-evaluation, its board pack and what changed since the term
  before.
- Administrator of several schools or local-authority officer: one row per school
  (:func:`school_rows`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from checklist_app.auth.models import School
from checklist_app.casework.dashboard import open_case_rows
from checklist_app.casework.models import Case, Letter, LetterStatus, Pupil
from checklist_app.extensions import db
from checklist_app.self_evaluation import board, insights, rating_changes, services
from checklist_app.self_evaluation.models import (
    OPEN_STATUSES,
    Action,
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)
from checklist_app.self_evaluation.terms import Season, Term

RATING_ORDER = ("not-in-place", "developing", "established", "embedded")
LIST_LIMIT = 10


@dataclass
class SchoolRow:
    """One school on the trust or local-authority table."""

    school: School
    this_term_id: int | None = None
    this_term_status: str = "Not started"
    rated: int = 0
    last_finalised_id: int | None = None
    last_finalised_term: str = ""
    last_finalised_at: datetime | None = None
    next_review: date | None = None
    overdue_actions: int = 0
    ratings: list[tuple[str, int]] = field(default_factory=list)

    @property
    def lowest_rating(self) -> str | None:
        """The lowest rating any checkpoint has in the last finalised self-evaluation (for colour)."""
        return next((value for value, count in self.ratings if count), None)


def _review_date(sign_off: dict[str, Any] | None) -> date | None:
    try:
        value = (sign_off or {}).get("next_review_date")
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def school_rows(schools: list[School], today: date) -> list[SchoolRow]:
    """Per school: this term's status, last finalised, next review, overdue actions, ratings."""
    rows = {s.id: SchoolRow(school=s) for s in schools}
    if not rows:
        return []
    term = Term.for_date(today)
    found = db.session.execute(select(
        SelfEvaluation.id, SelfEvaluation.school_id, SelfEvaluation.academic_year, SelfEvaluation.season,
        SelfEvaluation.current_term, SelfEvaluation.status, SelfEvaluation.finalised_at,
        SelfEvaluation.sign_off, SelfEvaluation.created_at).where(SelfEvaluation.school_id.in_(rows)))
    latest_final: dict[int, Any] = {}
    for ev in found:
        row = rows[ev.school_id]
        if ev.current_term == term.slug:
            row.this_term_id = ev.id
            row.this_term_status = EvaluationStatus(ev.status).label
        best = latest_final.get(ev.school_id)
        if ev.status == EvaluationStatus.FINALISED and (
                best is None or (ev.finalised_at or ev.created_at) > (best.finalised_at or best.created_at)):
            latest_final[ev.school_id] = ev
    for school_id, ev in latest_final.items():
        row = rows[school_id]
        row.last_finalised_id, row.last_finalised_at = ev.id, ev.finalised_at or ev.created_at
        row.last_finalised_term = Term(ev.academic_year, Season(ev.season)).label
        row.next_review = _review_date(ev.sign_off)
    counted: dict[int, Counter[str]] = defaultdict(Counter)
    wanted = [r.this_term_id for r in rows.values() if r.this_term_id] + \
        [r.last_finalised_id for r in rows.values() if r.last_finalised_id]
    for evaluation_id, rating, count in db.session.execute(
            select(CheckpointAnswer.self_evaluation_id, CheckpointAnswer.rating, func.count())
            .where(CheckpointAnswer.self_evaluation_id.in_(wanted), CheckpointAnswer.rating.is_not(None))
            .group_by(CheckpointAnswer.self_evaluation_id, CheckpointAnswer.rating)):
        counted[evaluation_id][rating] += count
    for school_id, count in db.session.execute(
            select(Action.school_id, func.count(Action.id)).where(
                Action.school_id.in_(rows), Action.status.in_(OPEN_STATUSES), Action.review_date < today)
            .group_by(Action.school_id)):
        rows[school_id].overdue_actions = count
    for row in rows.values():
        if row.this_term_id:
            row.rated = sum(counted[row.this_term_id].values())
        if row.last_finalised_id:
            row.ratings = [(value, counted[row.last_finalised_id][value]) for value in RATING_ORDER]
    return sorted(rows.values(), key=lambda r: r.school.name.casefold())


def overdue_actions(school_id: int, today: date) -> tuple[list[Action], int]:
    """The school's open actions past their review date, oldest first (up to 10) and how many."""
    where = (Action.school_id == school_id, Action.status.in_(OPEN_STATUSES), Action.review_date < today)
    total = db.session.scalar(select(func.count(Action.id)).where(*where)) or 0
    shown = list(db.session.scalars(select(Action).where(*where)
                                    .order_by(Action.review_date, Action.number).limit(LIST_LIMIT)))
    return shown, total


def leader_panel(school: School, today: date) -> dict[str, Any]:
    """This term's progress, overdue actions, next review date and board comments awaiting a reply."""
    term = Term.for_date(today)
    evaluation = services.current_for_term(school.id, term)
    progress = None
    if evaluation is not None:
        definition = services.definition_for(evaluation)
        progress = insights.progress(services.checkpoints_of(evaluation, definition),
                                     definition.rating_scale)
    actions, overdue_total = overdue_actions(school.id, today)
    row = school_rows([school], today)[0]
    awaiting, awaiting_total = board.awaiting_reply(school.id, LIST_LIMIT)
    return {"term": term, "evaluation": evaluation, "progress": progress, "actions": actions,
            "overdue_total": overdue_total, "row": row, "awaiting": awaiting,
            "awaiting_total": awaiting_total}


def casework_panel(school: School, today: date) -> dict[str, Any]:
    """Open cases whose next step is overdue, and draft letters still to be issued."""
    overdue = [r for r in open_case_rows(school.id, None, None, today) if r.overdue]
    letters = db.session.execute(
        select(Letter.id, Letter.case_id, Letter.title, Letter.created_at, Pupil.first_name,
               Pupil.last_name)
        .join(Case, Case.id == Letter.case_id).join(Pupil, Pupil.id == Case.pupil_id)
        .where(Letter.school_id == school.id, Letter.status == LetterStatus.DRAFT)
        .order_by(Letter.created_at)).all()
    return {"overdue": overdue[:LIST_LIMIT], "overdue_total": len(overdue), "letters": letters}


def governor_panel(school: School) -> dict[str, Any]:
    """The latest finalised self-evaluation and what changed since the one before: ratings that
    moved, and across a new edition the checkpoints withdrawn, reworded or replaced."""
    finalised = [e for e in services.list_self_evaluations(school, None) if e.is_finalised and e.is_current]
    latest = finalised[0] if finalised else None
    previous = next((e for e in finalised[1:] if e.term != latest.term), None) if latest else None
    changes: list[dict[str, Any]] = []
    if latest is not None and previous is not None:
        definition = services.definition_for(latest)
        ratings: dict[int, dict[str, str | None]] = {latest.id: {}, previous.id: {}}
        for evaluation_id, item_id, rating in db.session.execute(
                select(CheckpointAnswer.self_evaluation_id, CheckpointAnswer.item_id, CheckpointAnswer.rating)
                .where(CheckpointAnswer.self_evaluation_id.in_([latest.id, previous.id]))):
            ratings[evaluation_id][item_id] = rating
        # The checkpoints the latest lists, as services.checkpoints_of picks them for a finalised one.
        shown = [item.id for item in definition.items(include_withdrawn=True)
                 if item.id in ratings[latest.id] or not (item.withdrawn or item.local)]
        rows = rating_changes.compare(services.definition_for(previous), definition, shown,
                                      ratings[previous.id], ratings[latest.id])
        changes = [_governor_row(row) for row in rows if row.changed]
    return {"latest": latest, "previous": previous, "changes": changes}


def _governor_row(row: rating_changes.RatingChange) -> dict[str, Any]:
    withdrawn = row.kind is rating_changes.Kind.WITHDRAWN
    before = row.before.label if row.before else "Not rated"
    return {"number": row.number, "title": row.text, "item_id": None if withdrawn else row.item_id,
            "before": "Not listed" if row.kind is rating_changes.Kind.NEW else before,
            "now": "Withdrawn" if withdrawn else (row.now.label if row.now else "Not rated"),
            "up": {1: True, -1: False}.get(row.movement) if row.movement is not None else None,
            "note": "" if row.kind is rating_changes.Kind.SAME and not row.altered and not row.old_number
            else row.description}
