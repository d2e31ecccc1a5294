"""Writes of sharing: they flush and never commit (the caller commits once)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.auth.services import AccountError, create_user, find_user
from checklist_app.errors import Refused
from checklist_app.extensions import db
from checklist_app.sharing.models import LocalAuthorityShare


class SharingError(Refused):
    """A share that cannot be made or ended; the message is for the user."""


def active_shares(school: School) -> list[LocalAuthorityShare]:
    """The school's current shares, by officer name."""
    rows = db.session.scalars(select(LocalAuthorityShare).where(
        LocalAuthorityShare.school_id == school.id, LocalAuthorityShare.ended_on.is_(None)))
    return sorted(rows, key=lambda s: s.officer.name.casefold())


def share(school: School, actor: User, today: date, email: str,
          name: str) -> tuple[LocalAuthorityShare, str | None]:
    """Share the school's finalised self-evaluations with an officer (making an account if needed).

    Returns the share and, for a new account, the password to pass on once.
    """
    existing = find_user(email)
    if existing is not None and existing.role_in(school.id) is not None:
        role = existing.role_in(school.id)
        if role is Role.LOCAL_AUTHORITY:
            raise SharingError(f"{school.name} already shares with {existing.name}.")
        raise SharingError(f"{existing.email} already has a role at {school.name} "
                           f"({role.label.lower()}); use another address for the local authority.")
    try:
        officer, password = create_user(email, name, None, Role.LOCAL_AUTHORITY, school)
    except AccountError as error:
        raise SharingError(str(error)) from error
    record = LocalAuthorityShare(school_id=school.id, officer_id=officer.id, shared_by_id=actor.id,
                                 local_authority=school.local_authority, shared_on=today)
    db.session.add(record)
    db.session.flush()
    return record, (password if existing is None else None)


def stop_sharing(school: School, actor: User, today: date, share_id: int) -> LocalAuthorityShare:
    """End a share: the officer's access to this school goes; the record stays with its end date."""
    record = db.session.scalar(select(LocalAuthorityShare).where(
        LocalAuthorityShare.id == share_id, LocalAuthorityShare.school_id == school.id,
        LocalAuthorityShare.ended_on.is_(None)))
    if record is None:
        raise SharingError("That share has already ended.")
    membership = db.session.scalar(select(Membership).where(
        Membership.school_id == school.id, Membership.user_id == record.officer_id,
        Membership.role == Role.LOCAL_AUTHORITY))
    if membership is not None:
        db.session.delete(membership)
    record.ended_on, record.ended_by_id = today, actor.id
    db.session.flush()
    return record
