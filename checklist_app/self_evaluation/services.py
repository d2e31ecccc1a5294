"""Starting, answering, signing off, finalising and reopening self-evaluations (rules R1–R4).

Views call these functions; every rule about what may change, and when, lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from checklist_app import clock, errors
from checklist_app.audit.services import labelled
from checklist_app.auth.models import Role, School, User
from checklist_app.checklist_engine.pinning import definition_of, local_rows, pin, with_local_items
from checklist_app.checklist_engine.registry import registry
from checklist_app.checklist_engine.schema import Definition, Item, RatingLevel
from checklist_app.concurrency import Conflict, check_version
from checklist_app.errors import NotFound
from checklist_app.extensions import db, utcnow
from checklist_app.formatting import summary
from checklist_app.security import READ_ONLY
from checklist_app.self_evaluation import DEFINITION_KEY
from checklist_app.self_evaluation.models import (
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)
from checklist_app.self_evaluation.terms import Term


class SelfEvaluationError(errors.Refused):
    """A step that cannot be taken; the message says why in plain words."""


class AlreadyStarted(SelfEvaluationError):
    """The school already has a self-evaluation for that term."""

    def __init__(self, existing: SelfEvaluation) -> None:
        self.existing = existing
        super().__init__(f"There is already a self-evaluation for {existing.term.label}. "
                         "Open it from the list instead of starting another.")


class Locked(SelfEvaluationError, errors.Locked):
    """The self-evaluation is finalised or superseded, so it cannot change."""

    def __init__(self, evaluation: SelfEvaluation) -> None:
        self.evaluation = evaluation
        super().__init__(f"The self-evaluation for {evaluation.term.label} has been finalised, so "
                         "it can no longer be changed. A senior leader can reopen it, which makes a "
                         "new revision and keeps this one as it was.")


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint of a self-evaluation with its saved answer (if any)."""

    item: Item
    answer: CheckpointAnswer | None
    scale: dict[str, RatingLevel]

    @property
    def rating(self) -> RatingLevel | None:
        """The rating given, as a level of the scale."""
        return self.scale.get(self.answer.rating) if self.answer and self.answer.rating else None

    @property
    def needs_review(self) -> bool:
        """Carried from an edition whose wording has since changed."""
        return bool(self.answer and self.answer.needs_review)

    @property
    def awaiting_review(self) -> bool:
        """Carried forward from last term and not yet confirmed "reviewed this term"."""
        return bool(self.answer and not self.answer.reviewed_this_term)

    @property
    def needs_attention(self) -> bool:
        """Not yet rated, or carried over and waiting to be looked at again."""
        return self.rating is None or self.needs_review or self.awaiting_review


# --- finding records (always scoped to the current school) ---------------------------------

def get_self_evaluation(evaluation_id: int, school: School, role: Role | None) -> SelfEvaluation:
    """The school's self-evaluation, or 404; governors and the local authority see finalised ones only."""
    evaluation = db.session.scalar(select(SelfEvaluation).where(
        SelfEvaluation.id == evaluation_id, SelfEvaluation.school_id == school.id))
    if evaluation is None or (role in READ_ONLY and not evaluation.is_finalised):
        raise NotFound()
    return evaluation


def list_self_evaluations(school: School, role: Role | None) -> list[SelfEvaluation]:
    """Every self-evaluation of the school, newest term first (revisions newest first)."""
    query = select(SelfEvaluation).where(SelfEvaluation.school_id == school.id)
    if role in READ_ONLY:
        query = query.where(SelfEvaluation.status == EvaluationStatus.FINALISED)
    rows = list(db.session.scalars(query))
    return sorted(rows, key=lambda e: (e.term.sort_key, e.revision), reverse=True)


def current_for_term(school_id: int, term: Term) -> SelfEvaluation | None:
    """The term's current self-evaluation (the newest revision)."""
    return db.session.scalar(select(SelfEvaluation).where(
        SelfEvaluation.school_id == school_id, SelfEvaluation.current_term == term.slug))


def latest_current(school_id: int) -> SelfEvaluation | None:
    """The school's current self-evaluation for its most recent term."""
    rows = db.session.scalars(select(SelfEvaluation).where(
        SelfEvaluation.school_id == school_id, SelfEvaluation.current_term.is_not(None)))
    return max(rows, key=lambda e: e.term.sort_key, default=None)


def revisions_of(evaluation: SelfEvaluation) -> list[SelfEvaluation]:
    """Every revision for the same school and term, newest first."""
    return list(db.session.scalars(select(SelfEvaluation).where(
        SelfEvaluation.school_id == evaluation.school_id,
        SelfEvaluation.academic_year == evaluation.academic_year,
        SelfEvaluation.season == evaluation.season).order_by(SelfEvaluation.revision.desc())))


# --- the definition and its checkpoints ---------------------------------------------------

def definition_for(evaluation: SelfEvaluation) -> Definition:
    """The pinned edition plus the school's local checkpoints (after the official ones, R4).

    A finalised self-evaluation shows its local checkpoints as they stood when it was finalised."""
    frozen = evaluation.frozen_local_items if evaluation.is_finalised else None
    return with_local_items(definition_of(evaluation.snapshot), evaluation.school_id, frozen)


def answers_by_item(evaluation: SelfEvaluation) -> dict[str, CheckpointAnswer]:
    """The saved answers of a self-evaluation, by checkpoint id (one query)."""
    return {a.item_id: a for a in db.session.scalars(select(CheckpointAnswer).where(
        CheckpointAnswer.self_evaluation_id == evaluation.id))}


def checkpoints_of(evaluation: SelfEvaluation, definition: Definition | None = None) -> list[Checkpoint]:
    """The checkpoints in order. Withdrawn local ones appear only where answered, and a finalised
    self-evaluation shows only the local checkpoints it answered (none added later)."""
    definition = definition or definition_for(evaluation)
    answers = answers_by_item(evaluation)
    scale = {level.value: level for level in definition.rating_scale}
    return [Checkpoint(item, answers.get(item.id), scale)
            for item in definition.items(include_withdrawn=True)
            if item.id in answers or not (item.withdrawn or (item.local and evaluation.is_finalised))]


def find_checkpoint(definition: Definition, item_id: str) -> Item:
    """A checkpoint of the definition, or 404."""
    item = definition.item(item_id)
    if item is None:
        raise NotFound()
    return item


def ensure_editable(evaluation: SelfEvaluation) -> None:
    """Refuse any change to a finalised or superseded self-evaluation."""
    if evaluation.is_finalised or not evaluation.is_current:
        raise Locked(evaluation)


# --- starting ----------------------------------------------------------------------------

def newest_edition() -> Definition:
    """The newest published edition of the checklist."""
    definition = registry().newest_published(DEFINITION_KEY)
    if definition is None:
        raise SelfEvaluationError("The self-evaluation checklist is not available. Please ask your "
                                  "administrator to check the checklist files.")
    return definition


def create(school: School, term: Term, user: User | None, definition: Definition,
           carry_notes: dict[str, Any] | None = None) -> SelfEvaluation:
    """A new draft for a term on ``definition``; refuses a second one for the same term."""
    existing = current_for_term(school.id, term)
    if existing is not None:
        raise AlreadyStarted(existing)
    evaluation = SelfEvaluation(
        school_id=school.id, academic_year=term.academic_year, season=term.season,
        current_term=term.slug, snapshot=pin(definition), created_by_id=user.id if user else None,
        sign_off={}, carry_notes=carry_notes or {})
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def commit_new(evaluation: SelfEvaluation) -> SelfEvaluation:
    """Flush a new self-evaluation; losing a race for the same term reads as already started.

    The flush runs in a savepoint, so the refusal leaves the caller's transaction usable; the
    caller commits.
    """
    school_id, term = evaluation.school_id, evaluation.term
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise AlreadyStarted(current_for_term(school_id, term)) from None
    return evaluation


def start(school: School, term: Term, user: User | None) -> SelfEvaluation:
    """Start a term's self-evaluation on the newest published edition (it stays pinned to it)."""
    return commit_new(create(school, term, user, newest_edition()))


# --- answering ---------------------------------------------------------------------------

def save_checkpoint(evaluation: SelfEvaluation, item: Item, submitted_version: Any,
                    rating: str | None, evidence: dict[str, str], user: User | None,
                    reviewed: bool = True) -> CheckpointAnswer:
    """Save one checkpoint's rating and evidence as a draft (never a withdrawn one); Conflict if stale.

    ``reviewed`` is the "reviewed this term" confirmation of an answer carried from last term."""
    ensure_editable(evaluation)
    if item.withdrawn:
        raise SelfEvaluationError(f"Checkpoint {item.number} has been withdrawn, so its answer is kept "
                                  "as it was and cannot be changed.")
    answer = db.session.scalar(select(CheckpointAnswer).where(
        CheckpointAnswer.self_evaluation_id == evaluation.id, CheckpointAnswer.item_id == item.id))
    if answer is None:
        if str(submitted_version) != "0":
            raise Conflict(None, "This form is missing its version. Please reload the page.")
        answer = CheckpointAnswer(school_id=evaluation.school_id, self_evaluation_id=evaluation.id,
                                  item_id=item.id)
        db.session.add(answer)
    else:
        check_version(answer, submitted_version)
    answer.rating = rating or None
    answer.answers = {key: (value or "").strip() for key, value in evidence.items()}
    answer.needs_review = False
    answer.reviewed_this_term = reviewed
    answer.updated_by_id = user.id if user else None
    _commit_or_conflict(answer)
    return answer


def _commit_or_conflict(record: Any) -> None:
    """Flush (the caller commits); a save that lost a race with another is reported as a conflict."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except (StaleDataError, IntegrityError):
        raise Conflict(record) from None


# --- sign-off, finalising, reopening -------------------------------------------------------

def save_sign_off(evaluation: SelfEvaluation, submitted_version: Any, values: dict[str, Any]) -> None:
    """Keep the sign-off block as typed, without finalising."""
    ensure_editable(evaluation)
    check_version(evaluation, submitted_version)
    evaluation.sign_off = _plain_sign_off(values)
    _commit_or_conflict(evaluation)


def unready_checkpoints(evaluation: SelfEvaluation) -> list[Checkpoint]:
    """Checkpoints that stop a self-evaluation being finalised: unrated, or waiting for review."""
    return [c for c in checkpoints_of(evaluation) if c.needs_attention and not c.item.withdrawn]


def readiness_message(waiting: list[Checkpoint]) -> str:
    """Why a self-evaluation cannot be finalised yet, naming each checkpoint by number and title."""
    def names(rows: list[Checkpoint]) -> str:
        return "; ".join(f"{c.item.number} ({summary(c.item.text, 60)})" for c in rows)
    unrated = [c for c in waiting if c.rating is None]
    review = [c for c in waiting if c.rating is not None]
    parts = ([f"These checkpoints need a rating: {names(unrated)}."] if unrated else []) + (
        [f"These checkpoints were carried forward and need confirming as reviewed this term: "
         f"{names(review)}."] if review else [])
    return "Every checkpoint must be ready before you finalise. " + " ".join(parts)


def finalise(evaluation: SelfEvaluation, submitted_version: Any, values: dict[str, Any],
             user: User | None, today: date) -> None:
    """Sign off and lock. The action plan is frozen as it stands, so it reads the same later."""
    from checklist_app.self_evaluation.actions import freeze_plan

    ensure_editable(evaluation)
    check_version(evaluation, submitted_version)
    waiting = unready_checkpoints(evaluation)
    if waiting:
        raise SelfEvaluationError(readiness_message(waiting))
    evaluation.sign_off = _plain_sign_off(values)
    evaluation.status = EvaluationStatus.FINALISED
    evaluation.finalised_at = utcnow()
    evaluation.finalised_by_id = user.id if user else None
    evaluation.frozen_actions = freeze_plan(evaluation, today)
    evaluation.frozen_local_items = local_rows(evaluation.school_id, evaluation.snapshot.key)
    try:
        with labelled(db.session, "finalise"):
            pass
    except StaleDataError:
        raise Conflict(evaluation) from None
    db.session.flush()


def reopen(evaluation: SelfEvaluation, reason: str, user: User | None) -> SelfEvaluation:
    """A new draft revision with the same answers; the finalised one stays readable as it was."""
    if not evaluation.is_finalised or not evaluation.is_current:
        raise SelfEvaluationError("Only the current, finalised self-evaluation of a term can be "
                                  "reopened.")
    if not reason.strip():
        raise SelfEvaluationError("Please say why the self-evaluation is being reopened.")
    term = evaluation.term
    with labelled(db.session, "reopen", reason.strip()):
        evaluation.current_term = None
        db.session.flush()
        revision = SelfEvaluation(
            school_id=evaluation.school_id, academic_year=term.academic_year, season=term.season,
            current_term=term.slug, snapshot_id=evaluation.snapshot_id,
            revision=evaluation.revision + 1, previous_revision_id=evaluation.id,
            reopen_reason=reason.strip(), created_by_id=user.id if user else None,
            sign_off={k: v for k, v in evaluation.sign_off.items() if k != "date"},
            carry_notes=dict(evaluation.carry_notes))
        db.session.add(revision)
        db.session.flush()
        copy_answers(answers_by_item(evaluation).values(), revision)
    db.session.flush()
    return revision


def copy_answers(answers: Any, target: SelfEvaluation, review: set[str] = frozenset(),
                 rename: dict[str, str] | None = None, carried: bool = False) -> None:
    """Copy answers into another self-evaluation (``rename`` moves one to a new checkpoint id).

    Answers ``carried`` into a new term wait to be confirmed "reviewed this term"."""
    rename = rename or {}
    for answer in answers:
        item_id = rename.get(answer.item_id, answer.item_id)
        db.session.add(CheckpointAnswer(
            school_id=target.school_id, self_evaluation_id=target.id, item_id=item_id,
            rating=answer.rating, answers=dict(answer.answers),
            needs_review=answer.needs_review or item_id in review or answer.item_id in review,
            reviewed_this_term=answer.reviewed_this_term and not carried,
            updated_by_id=answer.updated_by_id))


def _plain_sign_off(values: dict[str, Any]) -> dict[str, str]:
    return {key: (value.isoformat() if isinstance(value, date) else (value or "").strip())
            for key, value in values.items()}


def sign_off_dates(evaluation: SelfEvaluation) -> dict[str, Any]:
    """The stored sign-off with its dates as dates (to pre-fill the form and show it)."""
    values: dict[str, Any] = {}
    for key, value in (evaluation.sign_off or {}).items():
        try:
            if key.endswith("date"):
                values[key] = date.fromisoformat(value) if value else None
            else:
                values[key] = value
        except ValueError:
            values[key] = value
    return values


# --- for reports --------------------------------------------------------------------------

def action_plan_context(evaluation: SelfEvaluation, today: date | None = None) -> dict[str, Any]:
    """Plain values for a printed self-evaluation and action plan (used by the reports feature)."""
    from checklist_app.self_evaluation.actions import plan_rows

    today = today or clock.today()
    definition = definition_for(evaluation)
    school = db.session.get(School, evaluation.school_id)
    labels = {f.id: f.label for f in definition.sign_off}
    prompts = [(p.id, p.label) for p in definition.evidence_prompts]
    return {
        "school_name": school.name if school else "",
        "term": evaluation.term.label,
        "term_slug": evaluation.term.slug,
        "status": evaluation.status.label,
        "revision": evaluation.revision,
        "edition": f"{definition.title} ({definition.version})",
        "finalised_at": evaluation.finalised_at,
        "sign_off": [{"label": labels.get(k, k), "value": v}
                     for k, v in sign_off_dates(evaluation).items()],
        "checkpoints": [{
            "id": c.item.id, "number": c.item.number, "text": c.item.text, "local": c.item.local,
            "rating": c.rating.value if c.rating else None,
            "rating_label": c.rating.label if c.rating else "Not rated",
            "needs_review": c.needs_review,
            "evidence": [{"label": label, "text": (c.answer.answers.get(pid, "") if c.answer else "")}
                         for pid, label in prompts],
        } for c in checkpoints_of(evaluation, definition)],
        "actions": plan_rows(evaluation, today),
    }
