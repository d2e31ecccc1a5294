"""Test data for the self-evaluation feature: self-evaluations, ratings, actions."""

from __future__ import annotations

from datetime import date

from checklist_app.auth.models import School, User
from checklist_app.checklist_engine.pinning import local_rows
from checklist_app.extensions import db
from checklist_app.self_evaluation import services
from checklist_app.self_evaluation.actions import freeze_plan
from checklist_app.self_evaluation.models import (
    Action,
    ActionStatus,
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)
from checklist_app.self_evaluation.terms import Term
from tests.factories import SelfEvaluationFactory

FIRST = "sa-01-read-guidance"
RATING = "sa_01_read_guidance__rating"


def this_term() -> Term:
    """The term today falls in (actions closed today are closed in it)."""
    return Term.for_date(date.today())


def make_evaluation(school: School, term: Term | str | None = None, user: User | None = None) \
        -> SelfEvaluation:
    """A draft self-evaluation on the newest edition."""
    evaluation = SelfEvaluationFactory(school=school, term=term or this_term(), user=user)
    db.session.commit()
    return evaluation


def rate(evaluation: SelfEvaluation, ratings: dict[str, str] | None = None,
         default: str | None = "established") -> None:
    """Answer checkpoints directly (``ratings`` by item id; the rest get ``default``)."""
    ratings = ratings or {}
    for checkpoint in services.checkpoints_of(evaluation):
        level = ratings.get(checkpoint.item.id, default)
        if level is None:
            continue
        db.session.add(CheckpointAnswer(
            school_id=evaluation.school_id, self_evaluation_id=evaluation.id,
            item_id=checkpoint.item.id, rating=level,
            answers={"where_now": f"Evidence for {checkpoint.item.number}", "next_steps": "",
                     "impact": "Termly data"}))
    db.session.commit()


def finalise(evaluation: SelfEvaluation, today: date | None = None) -> SelfEvaluation:
    """Mark finalised directly (with the action plan frozen), as the service would."""
    evaluation.status = EvaluationStatus.FINALISED
    evaluation.frozen_actions = freeze_plan(evaluation, today or date.today())
    evaluation.frozen_local_items = local_rows(evaluation.school_id, evaluation.snapshot.key)
    evaluation.sign_off = {"school_name": "Test", "person_completing": "Head", "role": "Head",
                           "date": date.today().isoformat()}
    db.session.commit()
    return evaluation


def make_action(evaluation: SelfEvaluation, number: int | None = None, text: str = "Do something",
                status: ActionStatus = ActionStatus.NOT_STARTED, review: date | None = None,
                owner: User | None = None, owner_name: str = "", closed: date | None = None) -> Action:
    """An action of the school opened in ``evaluation``."""
    if number is None:
        number = (db.session.query(db.func.max(Action.number)).filter(
            Action.school_id == evaluation.school_id).scalar() or 0) + 1
    action = Action(school_id=evaluation.school_id, number=number, action_point=text,
                    checkpoint_ids=[FIRST], review_date=review or date(2030, 1, 1),
                    owner_user_id=owner.id if owner else None,
                    owner_name=owner_name or ("" if owner else "Someone"), status=status,
                    opened_in_self_evaluation_id=evaluation.id, opened_term=evaluation.term.slug)
    if not status.is_open:
        action.completed_on = closed or date.today()
        action.closed_term = Term.for_date(action.completed_on).slug
    db.session.add(action)
    db.session.commit()
    return action
