"""Staff administration operations: add someone to a school, change a member's role, end their
access to a school, require two-factor log-in for everyone there.

Like every operation they take what they act on explicitly, change the session and flush; the
view commits once. (Creating an account from the CLI is :func:`checklist_app.auth.services.create_user`.)
Also a new password set through a reset link.
"""

from __future__ import annotations

import secrets

from checklist_app.audit.services import labelled
from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.auth.services import AccountError, find_user
from checklist_app.extensions import db


def add_member(school: School, email: str, name: str, role: Role | str) -> tuple[Membership, str]:
    """An administrator adds someone to their school; the answer never depends on other schools.

    A new e-mail address gets a new account with a generated password. An address that already has
    an account (at another school) gets only a membership here: its real name, password and other
    memberships are left alone and nothing about them is returned. Either way the caller gets the
    membership (whose name is the one the administrator typed) and a generated password to show;
    it is the account's password only when the account is new. The membership waits, in both
    cases, until the person logs in and accepts it
    (:func:`checklist_app.auth.services.answer_invitation`).
    """
    role = Role(role)
    name = name.strip()
    if not name:
        raise AccountError("Enter the person's name.")
    password = secrets.token_urlsafe(12)
    user = find_user(email)
    if user is None:
        user = User(email=email.strip().lower(), name=name)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
    elif user.role_in(school.id) is not None:
        raise AccountError(f"{email.strip().lower()} already has a role at {school.name}.")
    memberships = user.memberships  # load before the new membership exists (autoflush)
    membership = Membership(school=school, role=role, display_name=name, accepted=False)
    memberships.append(membership)
    db.session.flush()
    return membership, password


def change_role(membership: Membership, role: Role) -> None:
    """Give a member another role in their school."""
    membership.role = role
    db.session.flush()


def remove_member(membership: Membership) -> None:
    """End someone's access to one school at once; their account and their memberships of other
    schools are untouched (one school's administrator never switches off a shared account)."""
    db.session.delete(membership)
    db.session.flush()


def require_two_factor(school: School, required: bool) -> None:
    """Require (or stop requiring) two-factor log-in for everyone in the school."""
    with labelled(db.session, "two-factor setting"):
        school.require_two_factor = required
    db.session.flush()


def set_new_password(user: User, password: str) -> None:
    """Give ``user`` a new password (which also ends every reset link sent to them before)."""
    user.set_password(password)
    db.session.flush()
