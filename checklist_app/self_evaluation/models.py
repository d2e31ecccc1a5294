"""Self-evaluations by term, their checkpoint answers, the school's actions and board comments."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checklist_app.audit.services import Audited
from checklist_app.auth.models import User
from checklist_app.checklist_engine.models import DefinitionSnapshot
from checklist_app.extensions import db, utcnow
from checklist_app.mixins import SchoolScoped, Versioned, enum_column
from checklist_app.self_evaluation.terms import Season, Term


class EvaluationStatus(enum.StrEnum):
    """A self-evaluation is worked on as a draft, then finalised (locked)."""

    DRAFT = "draft"
    FINALISED = "finalised"

    @property
    def label(self) -> str:
        """Draft or Finalised."""
        return self.value.title()


class ActionStatus(enum.StrEnum):
    """Where an action has got to."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        """Not started, In progress, Done or Dropped."""
        return self.value.replace("_", " ").capitalize()

    @property
    def is_open(self) -> bool:
        """Not started or in progress: the action carries into the next term."""
        return self in OPEN_STATUSES


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class SelfEvaluation(Audited, SchoolScoped, Versioned, db.Model):
    """A school's self-evaluation for one term, pinned to one edition of the checklist.

    A reopened self-evaluation becomes a new revision; the finalised one stays readable.
    ``current_term`` holds the term's slug only on the term's current revision, so the unique
    constraint allows one current self-evaluation per school and term.
    """

    __tablename__ = "self_evaluation"
    __table_args__ = (
        UniqueConstraint("school_id", "current_term"),
        UniqueConstraint("school_id", "academic_year", "season", "revision",
                         name="uq_self_evaluation_school_term_revision"),
    )

    academic_year: Mapped[str] = mapped_column(String(7))
    season: Mapped[Season] = mapped_column(enum_column(Season, 10))
    current_term: Mapped[str | None] = mapped_column(String(20))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("definition_snapshot.id"))
    status: Mapped[EvaluationStatus] = mapped_column(enum_column(EvaluationStatus, 12),
                                                     default=EvaluationStatus.DRAFT)
    revision: Mapped[int] = mapped_column(default=1)
    previous_revision_id: Mapped[int | None] = mapped_column(ForeignKey("self_evaluation.id"))
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    sign_off: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    carry_notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    frozen_actions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    frozen_local_items: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    finalised_at: Mapped[datetime | None]
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    snapshot: Mapped[DefinitionSnapshot] = relationship(lazy="joined")
    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id], lazy="joined")

    @property
    def term(self) -> Term:
        """The term this self-evaluation is for."""
        return Term(self.academic_year, self.season)

    @property
    def is_finalised(self) -> bool:
        """Finalised self-evaluations are locked."""
        return self.status is EvaluationStatus.FINALISED

    @property
    def is_current(self) -> bool:
        """Whether this is the term's current revision (not superseded by a reopen)."""
        return self.current_term is not None

    def audit_subject(self) -> tuple[str, int]:
        """History is shown per self-evaluation."""
        return ("self_evaluation", self.id)


class CheckpointAnswer(Audited, SchoolScoped, Versioned, db.Model):
    """One checkpoint's rating and evidence in one self-evaluation (one row per checkpoint)."""

    __tablename__ = "checkpoint_answer"
    __table_args__ = (UniqueConstraint("self_evaluation_id", "item_id",
                                       name="uq_checkpoint_answer_evaluation_item"),)

    self_evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("self_evaluation.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(80))
    rating: Mapped[str | None] = mapped_column(String(40))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    needs_review: Mapped[bool] = mapped_column(default=False)
    reviewed_this_term: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship(lazy="joined")

    def audit_subject(self) -> tuple[str, int]:
        """Shown in its self-evaluation's history."""
        return ("self_evaluation", self.self_evaluation_id)


class Action(Audited, SchoolScoped, Versioned, db.Model):
    """An action of the school's action plan (rule R3). It belongs to the school, not one term."""

    __tablename__ = "self_evaluation_action"
    __table_args__ = (UniqueConstraint("school_id", "number",
                                       name="uq_self_evaluation_action_school_number"),)

    number: Mapped[int]
    action_point: Mapped[str] = mapped_column(Text)
    checkpoint_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    review_date: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, 20),
                                                 default=ActionStatus.NOT_STARTED)
    comments: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None]
    opened_in_self_evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("self_evaluation.id", ondelete="SET NULL"))
    opened_term: Mapped[str] = mapped_column(String(20))
    closed_term: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User | None] = relationship(lazy="joined")

    @property
    def owner_label(self) -> str:
        """The responsible person(s): the user's name or the free text given."""
        names = [n for n in ((self.owner.name if self.owner else ""), self.owner_name) if n]
        return ", ".join(names) or "Not yet given"

    def is_overdue(self, today: date) -> bool:
        """Open and its review date has passed."""
        return self.status.is_open and self.review_date is not None and self.review_date < today

    def audit_subject(self) -> tuple[str, int] | None:
        """Shown in the history of the self-evaluation that opened it."""
        if self.opened_in_self_evaluation_id is None:
            return None
        return ("self_evaluation", self.opened_in_self_evaluation_id)


class BoardComment(Audited, SchoolScoped, Versioned, db.Model):
    """A governing board member's dated comment on a finalised self-evaluation (never edited), and
    the school's reply to it."""

    __tablename__ = "self_evaluation_board_comment"

    self_evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("self_evaluation.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The school's one reply (by a senior leader), dated and never changed afterwards.
    reply: Mapped[str] = mapped_column(Text, default="")
    reply_author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reply_author_name: Mapped[str] = mapped_column(String(200), default="")
    replied_at: Mapped[datetime | None]

    @property
    def awaiting_reply(self) -> bool:
        """The school has not yet replied."""
        return self.replied_at is None

    def audit_subject(self) -> tuple[str, int]:
        """Shown in its self-evaluation's history."""
        return ("self_evaluation", self.self_evaluation_id)
