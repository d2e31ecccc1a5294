"""Creating schools and users, and checking log-ins."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.extensions import db


class AccountError(ValueError):
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
    if password is not None and len(password) < 10:
        raise AccountError("Passwords must be at least 10 characters long.")
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


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (the same answer for every failure)."""
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user
