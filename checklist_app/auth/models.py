"""Schools, users and the memberships that give a user a role in a school."""

from __future__ import annotations

import enum
import secrets
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
    require_two_factor: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="school")

    def audit_school_id(self) -> int | None:
        """A school's own changes belong to its trail."""
        return self.id


def new_session_token() -> str:
    """A fresh random token; changing it ends every session of the user."""
    return secrets.token_hex(16)


class User(Audited, UserMixin, db.Model):
    """A person who logs in. Passwords are stored as Werkzeug scrypt hashes.

    ``session_token`` is part of the id kept in the session cookie (:meth:`get_id`): changing it
    (log-out, password change, deactivation) ends every session of the user on the server side.
    """

    __audit_exclude__ = frozenset({"session_token", "totp_secret", "totp_last_counter"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        """Hash and store a new password; every existing session of the user ends."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.end_sessions()

    def end_sessions(self) -> None:
        """Invalidate every session cookie issued for this user."""
        self.session_token = new_session_token()

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: user id and the current session token."""
        return f"{self.id}:{self.session_token}"

    @property
    def two_factor_enabled(self) -> bool:
        """Whether log-in asks for a code from an authenticator app."""
        return bool(self.totp_secret)

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this on every request
        return self.active

    @property
    def active_memberships(self) -> list[Membership]:
        """The memberships the user has accepted: the schools they can work in."""
        return [m for m in self.memberships if m.accepted]

    @property
    def invitations(self) -> list[Membership]:
        """Memberships a school has added but the user has not yet accepted."""
        return [m for m in self.memberships if not m.accepted]

    def role_in(self, school_id: int) -> Role | None:
        """The user's role in a school, or None when they are not an (accepted) member."""
        for membership in self.active_memberships:
            if membership.school_id == school_id:
                return membership.role
        return None


class Membership(Audited, db.Model):
    """A user's role in one school. A trust-level admin has one per school.

    A membership an administrator adds starts unaccepted: it gives no access, and the school sees
    only the name its administrator typed, until the person logs in and accepts it (a brand-new
    account accepts at its first log-in). So adding an address that has an account at another
    school reveals nothing about that account.
    """

    __table_args__ = (UniqueConstraint("user_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20,
                                            values_callable=lambda e: [m.value for m in e]))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    accepted: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship(back_populates="memberships")
    school: Mapped[School] = relationship(back_populates="memberships", lazy="joined")

    @property
    def name(self) -> str:
        """The name this school knows the member by (typed by the admin who added them)."""
        return self.display_name or self.user.name


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app; only its hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="recovery_codes")
