"""The governing board's dated comments on finalised self-evaluations, carried across revisions."""

from __future__ import annotations

from sqlalchemy import select

from checklist_app.auth.models import User
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import BoardComment, SelfEvaluation
from checklist_app.self_evaluation.services import SelfEvaluationError


def add_board_comment(evaluation: SelfEvaluation, body: str, user: User) -> BoardComment:
    """A governor's dated comment on a finalised self-evaluation (recorded as theirs)."""
    if not evaluation.is_finalised:
        raise SelfEvaluationError("The governing board comments on finalised self-evaluations only.")
    comment = BoardComment(school_id=evaluation.school_id, self_evaluation_id=evaluation.id,
                           author_id=user.id, author_name=user.name, body=body.strip())
    db.session.add(comment)
    db.session.flush()
    return comment


def board_comments(evaluation: SelfEvaluation) -> list[BoardComment]:
    """The board's comments on this term's revisions up to this one, oldest first (with ``.revision``)."""
    rows = db.session.execute(
        select(BoardComment, SelfEvaluation.revision)
        .join(SelfEvaluation, SelfEvaluation.id == BoardComment.self_evaluation_id)
        .where(SelfEvaluation.school_id == evaluation.school_id,
               SelfEvaluation.academic_year == evaluation.academic_year,
               SelfEvaluation.season == evaluation.season,
               SelfEvaluation.revision <= evaluation.revision)
        .order_by(BoardComment.created_at, BoardComment.id))
    for comment, revision in (found := rows.all()):
        comment.revision = revision
    return [comment for comment, _ in found]
