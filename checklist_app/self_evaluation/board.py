"""The governing board's dated comments on finalised self-evaluations, carried across revisions,
and the school's reply to each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from checklist_app.auth.models import User
from checklist_app.concurrency import check_version
from checklist_app.errors import Locked, NotFound
from checklist_app.extensions import db
from checklist_app.self_evaluation.models import BoardComment, SelfEvaluation
from checklist_app.self_evaluation.services import SelfEvaluationError
from checklist_app.self_evaluation.terms import Season, Term


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


def comment_on(evaluation: SelfEvaluation, comment_id: int) -> BoardComment:
    """One of the comments shown with this self-evaluation (its term, this revision or earlier), or 404."""
    comment = next((c for c in board_comments(evaluation) if c.id == comment_id), None)
    if comment is None:
        raise NotFound()
    return comment


def already_replied(comment: BoardComment) -> Locked:
    """The refusal for a second reply: a reply is never changed."""
    return Locked(f"{comment.reply_author_name} has already replied to this comment. A reply is not "
                  "changed afterwards: add anything further to the next self-evaluation.")


def reply_to_comment(comment: BoardComment, body: str, user: User, submitted_version: Any,
                     at: datetime) -> BoardComment:
    """The school's dated reply to a board comment, recorded as the senior leader's; never changed."""
    if not comment.awaiting_reply:
        raise already_replied(comment)
    check_version(comment, submitted_version)
    if not body.strip():
        raise SelfEvaluationError("Write the reply.")
    comment.reply, comment.reply_author_id = body.strip(), user.id
    comment.reply_author_name, comment.replied_at = user.name, at
    db.session.flush()
    return comment


def awaiting_reply(school_id: int, limit: int) -> tuple[list[tuple[BoardComment, str]], int]:
    """The school's board comments with no reply yet, oldest first (up to ``limit``, with each one's
    term), and how many there are."""
    where = (BoardComment.school_id == school_id, BoardComment.replied_at.is_(None))
    total = db.session.scalar(select(func.count(BoardComment.id)).where(*where)) or 0
    rows = db.session.execute(
        select(BoardComment, SelfEvaluation.academic_year, SelfEvaluation.season)
        .join(SelfEvaluation, SelfEvaluation.id == BoardComment.self_evaluation_id)
        .where(*where).order_by(BoardComment.created_at, BoardComment.id).limit(limit)).all()
    return [(c, Term(year, Season(season)).label) for c, year, season in rows], total
