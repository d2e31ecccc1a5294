"""Creating schools and users, and checking log-ins (with per-account throttling).

A refused log-in takes the same time whether the e-mail address is known or not: an unknown address
is checked against a dummy hash, so both paths run scrypt once (:func:`verify_password`).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.errors import Refused
from checklist_app.extensions import db, utcnow

FREE_ATTEMPTS = 5
MAX_LOCK = timedelta(hours=24)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200


class AccountError(Refused):
    """A school or user could not be created; the message says why."""


def create_school(name: str, urn: str, local_authority: str = "", **details: str) -> School:
    """Add a school; URNs are unique."""
    name, urn = name.strip(), urn.strip()
    if not name or not urn:
        raise AccountError("A school needs a name and a URN.")
    if db.session.scalar(select(School).where(School.urn == urn)):
        raise AccountError(f"A school with URN {urn} already exists.")
    school = School(name=name, urn=urn, local_authority=local_authority.strip(), **details)
    db.session.add(school)
    db.session.flush()
    return school


def find_user(email: str) -> User | None:
    """The user with this e-mail address, matched without regard to case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, name: str, password: str | None, role: Role | str,
                school: School) -> tuple[User, str]:
    """Add a user (or give an existing one a role in another school).

    Returns the user and the password set: the one given, or a generated one to pass on once.
    """
    role = Role(role)
    if password is not None:
        check_password_strength(password, email)
    user = find_user(email)
    password = password or secrets.token_urlsafe(12)
    if user is None:
        if not name.strip():
            raise AccountError("A new user needs a name.")
        user = User(email=email.strip().lower(), name=name.strip())
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
    elif user.role_in(school.id) is not None:
        raise AccountError(f"{user.email} already has a role at {school.name}.")
    user.memberships.append(Membership(school=school, role=role))
    db.session.flush()
    return user, password


def accept_first_memberships(user: User) -> None:
    """At log-in, someone with no school yet (a new account) accepts what they were added to."""
    if not user.active_memberships:
        for membership in user.invitations:
            membership.accepted = True
        db.session.flush()


def answer_invitation(user: User, membership_id: int, accept: bool) -> Membership | None:
    """Accept or decline one of the user's pending memberships; None when there is no such one."""
    membership = next((m for m in user.invitations if m.id == membership_id), None)
    if membership is None:
        return None
    if accept:
        membership.accepted = True
    else:
        db.session.delete(membership)
    db.session.flush()
    return membership


def change_password_of(user: User, new_password: str) -> None:
    """Set a new password (already checked for strength); every other session of the user ends."""
    user.set_password(new_password)
    security_event("password changed", user)
    db.session.flush()


def check_password_strength(password: str, email: str = "") -> None:
    """Refuse a weak password with a plain reason: short, one repeated character, or the e-mail."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords must be at least {MIN_PASSWORD_LENGTH} characters long "
                           f"(this one has {len(password)}).")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Passwords can be at most {MAX_PASSWORD_LENGTH} characters long "
                           f"(this one has {len(password)}).")
    if len(set(password)) < 4:
        raise AccountError("That password repeats too few characters; choose a longer phrase.")
    local = email.strip().lower().split("@")[0]
    lowered = password.lower()
    if email.strip() and (email.strip().lower() in lowered or (len(local) >= 4 and local in lowered)):
        raise AccountError("A password must not contain your e-mail address.")
    if re.fullmatch(r"(password|qwerty|letmein|welcome|123456789)\d*!?", lowered):
        raise AccountError("That password is too common; choose a phrase of several words.")


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against a hash; with no hash, check a dummy one so it takes as long."""
    if not password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


def security_event(action: str, user: User | None, reason: str = "",
                   school_id: int | None = None) -> None:
    """Write a security event (log-in, lock-out, password change...) to the audit trail.

    The event goes to every school the user belongs to (or ``school_id`` alone when given).
    """
    schools = [school_id] if school_id is not None else \
        sorted({m.school_id for m in user.memberships}) if user is not None else []
    for sid in schools or [None]:
        db.session.add(AuditEvent(
            at=utcnow(), school_id=sid, user_id=user.id if user else None,
            user_name=user.name if user else "", action=action, record_type="User",
            record_id=str(user.id) if user else "", subject_type=None, subject_id=None,
            changes={}, reason=reason))
    db.session.flush()


def lock_remaining(user: User, now: datetime) -> timedelta | None:
    """How long the account stays locked after too many wrong attempts, or None."""
    if user.locked_until is None:
        return None
    locked_until = user.locked_until
    if locked_until.tzinfo is None:  # SQLite gives naive datetimes back
        locked_until = locked_until.replace(tzinfo=now.tzinfo)
    return locked_until - now if locked_until > now else None


def record_failure(user: User, now: datetime, reason: str) -> None:
    """Count a wrong password or code on the account; from the sixth, lock it for 1, 2, 4... min."""
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= FREE_ATTEMPTS:
        minutes = 2 ** min(user.failed_logins - FREE_ATTEMPTS, 11)
        user.locked_until = now + min(timedelta(minutes=minutes), MAX_LOCK)
        security_event("account locked", user, f"{user.failed_logins} wrong attempts in a row; "
                       f"locked for {minutes} minutes")
    security_event("log-in refused", user, reason)


def record_success(user: User) -> None:
    """A full log-in: clear the failure count and give the user a session token if they lack one."""
    user.failed_logins = 0
    user.locked_until = None
    if not user.session_token:
        user.end_sessions()
    accept_first_memberships(user)
    security_event("logged in", user)


def authenticate(email: str, password: str, now: datetime) -> User | None:
    """The active, unlocked user with these credentials, or None (the same answer for every failure).

    Every path checks one password hash, so a known and an unknown address take the same time. A
    wrong password counts against the account; the caller commits.
    """
    user = find_user(email)
    if user is None:
        verify_password(None, password)
        return None
    correct = verify_password(user.password_hash, password)
    if lock_remaining(user, now) is not None:
        security_event("log-in refused", user, "account locked after too many wrong attempts")
        return None
    if not user.active:
        security_event("log-in refused", user, "account deactivated")
        return None
    if not correct:
        record_failure(user, now, "wrong password")
        return None
    return user
