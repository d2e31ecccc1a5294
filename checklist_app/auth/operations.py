"""Staff administration operations: change a member's role, end their access to a school.

Like every operation they take what they act on explicitly, change the session and flush; the
view commits once. (Adding a member is :func:`checklist_app.auth.services.create_user`.)
"""

from __future__ import annotations

from checklist_app.auth.models import Membership, Role
from checklist_app.extensions import db


def change_role(membership: Membership, role: Role) -> None:
    """Give a member another role in their school."""
    membership.role = role
    db.session.flush()


def remove_member(membership: Membership) -> None:
    """End a member's access to the school at once; an account left with no school is switched
    off."""
    user = membership.user
    db.session.delete(membership)
    if len(user.memberships) <= 1:
        user.active = False
    db.session.flush()
