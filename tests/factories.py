"""Small factories for test data: schools, users with a role, and logging in."""

from __future__ import annotations

import itertools
from functools import cache

from werkzeug.security import generate_password_hash

from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.extensions import db

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@cache
def _password_hash() -> str:
    # scrypt is slow on purpose; hash the shared test password once per run.
    return generate_password_hash(PASSWORD, method="scrypt")


def make_school(name: str | None = None, urn: str | None = None) -> School:
    """A school with a unique URN."""
    n = next(_counter)
    school = School(name=name or f"Test School {n}", urn=urn or f"9{n:05d}",
                    local_authority="Test Borough")
    db.session.add(school)
    db.session.flush()
    return school


def make_user(school: School, role: Role | str = Role.SENIOR_LEADER, name: str | None = None,
              email: str | None = None) -> User:
    """A user with one role in one school, whose password is :data:`PASSWORD`."""
    n = next(_counter)
    user = User(email=email or f"user{n}@example.org", name=name or f"User {n}",
                password_hash=_password_hash())
    user.memberships.append(Membership(school=school, role=Role(role)))
    db.session.add(user)
    db.session.flush()
    return user


def login(client, user: User, password: str = PASSWORD):
    """Log the test client in as ``user``."""
    return client.post("/login", data={"email": user.email, "password": password})
