"""Schools, users and the memberships that give a user a role in a school."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from checklist_app.audit.services import Audited
from checklist_app.extensions import db, utcnow


class Role(enum.StrEnum):
    """What a member of a school may do there."""

    ADMIN = "admin"
    SENIOR_LEADER = "senior_leader"
    ATTENDANCE_LEAD = "attendance_lead"
    STAFF = "staff"
    GOVERNOR = "governor"
    LOCAL_AUTHORITY = "local_authority"

    @property
    def label(self) -> str:
        """The role as school staff would say it."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.SENIOR_LEADER: "Senior leader",
    Role.ATTENDANCE_LEAD: "Attendance lead",
    Role.STAFF: "Staff",
    Role.GOVERNOR: "Governor",
    Role.LOCAL_AUTHORITY: "Local authority officer",
}
NOT_STAFF = (Role.GOVERNOR, Role.LOCAL_AUTHORITY)  # never offered as a case lead or action owner
# Roles the Users page gives; local-authority officers are added on the Sharing page.
SCHOOL_ROLES = tuple(r for r in Role if r is not Role.LOCAL_AUTHORITY)


class School(Audited, db.Model):
    """A school, identified by its unique reference number (URN)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    urn: Mapped[str] = mapped_column(String(20), unique=True)
    local_authority: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    attendance_policy_url: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="school")

    def audit_school_id(self) -> int | None:
        """A school's own changes belong to its trail."""
        return self.id


class User(Audited, UserMixin, db.Model):
    """A person who logs in. Passwords are stored as Werkzeug scrypt hashes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        """Hash and store a new password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this on every request
        return self.active

    def role_in(self, school_id: int) -> Role | None:
        """The user's role in a school, or None when they are not a member."""
        for membership in self.memberships:
            if membership.school_id == school_id:
                return membership.role
        return None


class Membership(Audited, db.Model):
    """A user's role in one school. A trust-level admin has one per school."""

    __table_args__ = (UniqueConstraint("user_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20,
                                            values_callable=lambda e: [m.value for m in e]))

    user: Mapped[User] = relationship(back_populates="memberships")
    school: Mapped[School] = relationship(back_populates="memberships", lazy="joined")
