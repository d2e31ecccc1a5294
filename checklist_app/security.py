"""Who may see what: the current school, role checks on every view, and security headers.

Every view is declared with :func:`allow` (the roles that may use it) or :func:`public`; the
access-matrix test fails for a route that has neither. Governors are read-only: a governor's POST is
refused unless the view says ``governor_may_post=True`` (board comments).

A local-authority officer has a membership in each school that shares its self-evaluations with
them. The role is in :data:`READERS` only (finalised self-evaluations, board packs, the home page and
the table of schools): never in :data:`EVERYONE`, so nothing about pupils or staff is open to it, and
it may never POST.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, request, session
from flask_login import current_user

from checklist_app.auth.models import Role, School

F = TypeVar("F", bound=Callable[..., Any])

EVERYONE = frozenset(Role) - {Role.LOCAL_AUTHORITY}
READERS = frozenset(Role)
READ_ONLY = frozenset({Role.GOVERNOR, Role.LOCAL_AUTHORITY})
TRUST_VIEWERS = frozenset({Role.ADMIN, Role.LOCAL_AUTHORITY})
STAFF = frozenset({Role.ADMIN, Role.SENIOR_LEADER, Role.ATTENDANCE_LEAD, Role.STAFF})
LEADERS = frozenset({Role.ADMIN, Role.SENIOR_LEADER})
CASEWORKERS = STAFF
ADMINS = frozenset({Role.ADMIN})
# Pupil-level register data: not governors, staff without a lead role or local-authority officers.
REGISTER_READERS = frozenset({Role.ADMIN, Role.SENIOR_LEADER, Role.ATTENDANCE_LEAD})


def public(view: F) -> F:
    """Mark a view as open to anonymous visitors (log-in page, error pages)."""
    view.access_roles = None  # type: ignore[attr-defined]
    view.is_public = True  # type: ignore[attr-defined]
    return view


def allow(roles: frozenset[Role], *, governor_may_post: bool = False) -> Callable[[F], F]:
    """Require log-in and one of ``roles`` in the current school."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            role = current_role()
            if role is None or role not in roles:
                abort(403)
            if role in READ_ONLY and request.method not in ("GET", "HEAD") \
                    and not governor_may_post:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_roles = roles  # type: ignore[attr-defined]
        wrapped.governor_may_post = governor_may_post  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def load_current_school() -> None:
    """Before each request: the school the user is working in (kept in the session)."""
    g.school = None
    g.role = None
    if not current_user.is_authenticated:
        return
    memberships = {m.school_id: m for m in current_user.active_memberships}
    if not memberships:
        return
    chosen = session.get("school_id")
    if chosen not in memberships:
        chosen = min(memberships, key=lambda sid: memberships[sid].school.name)
        session["school_id"] = chosen
    g.school = memberships[chosen].school
    g.role = memberships[chosen].role


def current_school() -> School:
    """The school of the current request; views behind :func:`allow` always have one."""
    if g.get("school") is None:
        abort(403)
    return g.school


def current_role() -> Role | None:
    """The user's role in the current school."""
    return g.get("role")


def can(roles: frozenset[Role]) -> bool:
    """Whether the current user's role is one of ``roles`` (for templates: show a link or not)."""
    role = current_role()
    return role is not None and role in roles


def schools_in_view(user: Any) -> list[School]:
    """The schools a user sees across: where they administer, or where they are the local authority.

    Follows the role in the current school: an administrator sees the schools they administer, a
    local-authority officer the schools that share with them. By name.
    """
    role = current_role()
    wanted = Role.LOCAL_AUTHORITY if role is Role.LOCAL_AUTHORITY else Role.ADMIN
    return sorted((m.school for m in user.memberships if m.role is wanted), key=lambda s: s.name)


def set_security_headers(response: Any) -> Any:
    """Strict headers on every response: no inline script, no framing, no sniffing."""
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("CHECKLIST_ENV") == "production":
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if current_user and getattr(current_user, "is_authenticated", False):
        response.headers.setdefault("Cache-Control", "no-store")
    return response
