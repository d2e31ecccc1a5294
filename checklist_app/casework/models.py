"""Casework records: pupils and their parents or carers, cases, meetings, contracts, letters,
attendance figures and contacts. Every record is scoped by ``school_id`` and audited."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    ForeignKey,
    String,
    Table,
    Text,
    and_,
    event,
    inspect,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checklist_app.audit.services import Audited
from checklist_app.auth.models import School, User
from checklist_app.casework.enums import (  # noqa: F401  (re-exported for callers)
    STAGE_LABELS,
    AgreementStatus,
    AttendeeKind,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    ContractStatus,
    DurationUnit,
    Labelled,
    LetterStatus,
    LetterStep,
    MeetingKind,
    MeetingOutcome,
    Party,
    Stage,
)
from checklist_app.checklist_engine.models import DefinitionSnapshot
from checklist_app.extensions import db, utcnow
from checklist_app.mixins import CaseScoped, SchoolScoped, Versioned, enum_column


class CaseRecord(Audited):
    """Mixin for a record that belongs to a case: its history is shown on the case."""

    def audit_subject(self) -> tuple[str, int] | None:
        return ("case", self.case_id)  # type: ignore[attr-defined]


class Pupil(Audited, SchoolScoped, Versioned, db.Model):
    """A pupil whose attendance is a concern."""

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    year_group: Mapped[str] = mapped_column(String(20))
    upn: Mapped[str] = mapped_column(String(13), default="")
    has_social_worker: Mapped[bool] = mapped_column(default=False)
    social_worker_name: Mapped[str] = mapped_column(String(200), default="")
    social_worker_contact: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parents: Mapped[list[Parent]] = relationship(back_populates="pupil", order_by="Parent.id")
    cases: Mapped[list[Case]] = relationship(back_populates="pupil", order_by="Case.id")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def audit_subject(self) -> tuple[str, int] | None:
        return ("pupil", self.id)


class Parent(Audited, SchoolScoped, Versioned, db.Model):
    """A parent or carer of a pupil, including one who does not live with them."""

    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(20), default="")
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    relationship_to_pupil: Mapped[str] = mapped_column(String(60), default="")
    lives_with_pupil: Mapped[bool] = mapped_column(default=True)
    parental_responsibility: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    reasonable_adjustments: Mapped[str] = mapped_column(Text, default="")

    pupil: Mapped[Pupil] = relationship(back_populates="parents")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def salutation(self) -> str:
        return f"{self.title} {self.full_name}".strip()

    def audit_subject(self) -> tuple[str, int] | None:
        return ("pupil", self.pupil_id)


class Case(Audited, SchoolScoped, Versioned, db.Model):
    """An attendance case for one pupil, from opening to closure."""

    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"), index=True)
    lead_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                     index=True)
    chair_name: Mapped[str] = mapped_column(String(200), default="")
    baseline_attendance: Mapped[float]
    reason_for_concern: Mapped[str] = mapped_column(Text)
    opened_on: Mapped[date]
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus, 10), default=CaseStatus.OPEN)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.OPENED, index=True)
    closed_on: Mapped[date | None]
    closure_reason: Mapped[ClosureReason | None] = mapped_column(enum_column(ClosureReason))
    closure_rationale: Mapped[str] = mapped_column(Text, default="")
    checklist_snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("definition_snapshot.id"))
    checklist_answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School] = relationship()
    pupil: Mapped[Pupil] = relationship(back_populates="cases")
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_user_id])
    checklist_snapshot: Mapped[DefinitionSnapshot | None] = relationship()
    meetings: Mapped[list[Meeting]] = relationship(back_populates="case",
                                                   order_by="Meeting.meeting_date")
    contracts: Mapped[list[Contract]] = relationship(back_populates="case", order_by="Contract.id")
    letters: Mapped[list[Letter]] = relationship(back_populates="case", order_by="Letter.id")
    figures: Mapped[list[AttendanceFigure]] = relationship(
        back_populates="case", order_by="AttendanceFigure.period_end")
    contacts: Mapped[list[Contact]] = relationship(back_populates="case",
                                                   order_by="Contact.occurred_at")

    def audit_subject(self) -> tuple[str, int] | None:
        return ("case", self.id)


class Meeting(CaseRecord, CaseScoped, Versioned, db.Model):
    """A contract, review or professionals meeting, with its record (rules R25–R27)."""

    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind, 20))
    meeting_date: Mapped[date]
    start_time: Mapped[time | None]
    location: Mapped[str] = mapped_column(String(200), default="")
    alternative_offered: Mapped[str] = mapped_column(String(300), default="")
    scheduled_on: Mapped[date]
    outcome: Mapped[MeetingOutcome] = mapped_column(enum_column(MeetingOutcome, 20),
                                                    default=MeetingOutcome.SCHEDULED)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Why a meeting was cancelled (arranged by mistake or no longer needed); kept and shown.
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    record_snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("definition_snapshot.id"))
    record_answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="meetings")
    record_snapshot: Mapped[DefinitionSnapshot | None] = relationship()
    attendees: Mapped[list[Attendee]] = relationship(back_populates="meeting",
                                                     order_by="Attendee.id")

    @hybrid_property
    def parents_attended(self) -> bool:
        """Whether at least one parent or carer was there (R6: no contract otherwise)."""
        return self.outcome is MeetingOutcome.HELD and any(
            a.present and a.kind is AttendeeKind.PARENT for a in self.attendees)

    @parents_attended.inplace.expression
    @classmethod
    def _parents_attended_sql(cls) -> ColumnElement[bool]:
        """The same test in SQL, so a list can read it without loading the attendees."""
        return and_(cls.outcome == MeetingOutcome.HELD, select(Attendee.id).where(
            Attendee.meeting_id == cls.id, Attendee.present.is_(True),
            Attendee.kind == AttendeeKind.PARENT).exists())


class Attendee(CaseRecord, CaseScoped, Versioned, db.Model):
    """Someone invited to a meeting: name and role in full, and whether they were there (R25)."""

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AttendeeKind] = mapped_column(enum_column(AttendeeKind, 10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("parent.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    present: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")


contract_parent = Table(
    "contract_parent", db.metadata,
    Column("contract_id", ForeignKey("contract.id", ondelete="CASCADE"), primary_key=True),
    Column("parent_id", ForeignKey("parent.id", ondelete="CASCADE"), primary_key=True),
)


class Contract(CaseRecord, CaseScoped, Versioned, db.Model):
    """An attendance contract between parent(s) and the governing board (R6–R10).

    A signed contract is locked; changes at a review make a new revision (``previous_id``).
    """

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"))
    revision: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"))
    status: Mapped[ContractStatus] = mapped_column(enum_column(ContractStatus, 12),
                                                   default=ContractStatus.DRAFT)
    duration_value: Mapped[int | None]
    duration_unit: Mapped[DurationUnit] = mapped_column(enum_column(DurationUnit, 10),
                                                        default=DurationUnit.MONTHS)
    review_date: Mapped[date | None]
    signed_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(String(40), default="")
    end_rationale: Mapped[str] = mapped_column(Text, default="")
    end_letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="contracts")
    meeting: Mapped[Meeting] = relationship()
    parents: Mapped[list[Parent]] = relationship(secondary=contract_parent, order_by="Parent.id")
    agreements: Mapped[list[Agreement]] = relationship(back_populates="contract",
                                                       order_by="Agreement.id")
    signatures: Mapped[list[Signature]] = relationship(back_populates="contract",
                                                       order_by="Signature.id")

    @property
    def locked(self) -> bool:
        """Signed (or later) contracts, and drafts someone has signed, never change."""
        return self.status is not ContractStatus.DRAFT or bool(self.signatures)

    @property
    def duration_text(self) -> str:
        if not self.duration_value:
            return "Not stated"
        unit = self.duration_unit.value if self.duration_value != 1 else self.duration_unit.value[:-1]
        return f"{self.duration_value} {unit}"


class Agreement(CaseRecord, CaseScoped, Versioned, db.Model):
    """One thing a party agrees to; complete / not applicable ones are struck through (R9)."""

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    party: Mapped[Party] = mapped_column(enum_column(Party, 10))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None]
    status: Mapped[AgreementStatus] = mapped_column(enum_column(AgreementStatus, 20),
                                                    default=AgreementStatus.OPEN)

    contract: Mapped[Contract] = relationship(back_populates="agreements")

    @property
    def struck(self) -> bool:
        return self.status is not AgreementStatus.OPEN


class Signature(CaseRecord, CaseScoped, Versioned, db.Model):
    """A signature on a contract by someone present at its meeting (R7)."""

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"),
                                             index=True)
    attendee_id: Mapped[int] = mapped_column(ForeignKey("attendee.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("parent.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    on_behalf_of_board: Mapped[bool] = mapped_column(default=False)
    signed_on: Mapped[date]
    #: Why the signature is dated other than the meeting (R7: the meeting's date by default).
    date_reason: Mapped[str] = mapped_column(String(300), default="")

    contract: Mapped[Contract] = relationship(back_populates="signatures")


class AttendanceFigure(CaseRecord, CaseScoped, Versioned, db.Model):
    """Attendance over one period: percentage and unauthorised sessions (R13, R21, R28, R29)."""

    recorded_on: Mapped[date]
    period_start: Mapped[date]
    period_end: Mapped[date]
    attendance_percent: Mapped[float]
    unauthorised_sessions: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: A correction keeps the figure as it was and the reason.
    corrected_from: Mapped[str] = mapped_column(String(200), default="")
    correction_reason: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="figures")


class Contact(CaseRecord, CaseScoped, Versioned, db.Model):
    """A contact or attempted contact with the family or a professional (R23)."""

    occurred_at: Mapped[datetime]
    method: Mapped[ContactMethod] = mapped_column(enum_column(ContactMethod, 12))
    with_whom: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("parent.id", ondelete="SET NULL"))
    with_social_worker: Mapped[bool] = mapped_column(default=False)
    made: Mapped[bool] = mapped_column(default=True)
    outcome: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    #: R20: a discussion with the local authority's attendance officer.
    with_attendance_officer: Mapped[bool] = mapped_column(default=False)
    #: The day it was entered, when later than the day it happened ("recorded later").
    recorded_on: Mapped[date | None]

    case: Mapped[Case] = relationship(back_populates="contacts")


class Letter(CaseRecord, CaseScoped, Versioned, db.Model):
    """A letter of the process: a draft staff may edit (R24), then issued and frozen."""

    step: Mapped[LetterStep] = mapped_column(enum_column(LetterStep, 4))
    key: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    recipient_parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("parent.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    body_markdown: Mapped[str] = mapped_column(Text)
    status: Mapped[LetterStatus] = mapped_column(enum_column(LetterStatus, 10), default=LetterStatus.DRAFT,
                                                 active_history=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime | None]
    issued_on: Mapped[date | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    issued_by_name: Mapped[str] = mapped_column(String(200), default="")
    #: The date on the letter (notice is counted from it); None for letters made before it was kept.
    letter_date: Mapped[date | None]
    withdrawn_on: Mapped[date | None]
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="letters")
    recipient: Mapped[Parent | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()

    @property
    def issued(self) -> bool:
        return self.status is LetterStatus.ISSUED


class FrozenRecord(RuntimeError):
    """An issued letter or a locked contract was about to change."""


@event.listens_for(Letter, "before_update")
def _issued_letters_never_change(_mapper: Any, _connection: Any, target: Letter) -> None:
    """Belt and braces behind the services: an issued letter is never updated (R24)."""
    history = inspect(target).attrs.status.history
    was = history.deleted[0] if history.deleted else target.status
    if was is LetterStatus.ISSUED:
        raise FrozenRecord("An issued letter cannot be changed.")
