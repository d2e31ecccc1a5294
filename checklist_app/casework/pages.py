"""Helpers shared by the casework route modules: the form page, the edit round trip on it, the
saved record beside a conflicting edit, staff choices and whole-number query arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, request
from sqlalchemy import select

from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.editing import refused_status, round_trip
from checklist_app.extensions import db

refused = refused_status


def staff_choices(school: School) -> list[tuple[int, str]]:
    """The school's staff (anyone but governors), for choosing a lead professional."""
    users = db.session.scalars(select(User).join(Membership).where(
        Membership.school_id == school.id, Membership.role != Role.GOVERNOR,
        User.active.is_(True)).order_by(User.name))
    return [(u.id, u.name) for u in users]


def whole_number_arg(name: str) -> int | None:
    """A positive whole-number query argument (an id or a page), or None if missing or unusable."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value < 2**63 else None


def form_page(form: Any, title: str, back: str, status: int = 200, **extra: Any):
    """Render the shared form page (bound form, error summary, conflict panel)."""
    return render_template("casework/form.html", form=form, title=title, back=back,
                           **extra), status


def form_round_trip(form: Any, title: str, back: str, save: Callable[[], Any], done: Any,
                    to: Any = None, record: Any = None, **page: Any):
    """The edit round trip on the shared form page: save and go ``to`` (``back`` by default), or
    show the form again with the problem (and, on a conflict, the saved ``record`` beside it)."""

    def render(status: int, conflict: Any = None, **extra: Any):
        if conflict is not None and record is not None:
            extra["saved"] = saved_values(record, form)
        return form_page(form, title, back, status, **page, **extra)

    return round_trip(form, save, render=render, done=done, to=to or back, record=record)


def edit_page(form: Any, record: Any, title: str, back: str, save: Callable[[], Any], done: str):
    """An edit form of ``record`` on the shared form page (see :func:`form_round_trip`)."""
    return form_round_trip(form, title, back, save, done, record=record)


def saved_values(record: Any, form: Any) -> list[tuple[str, str]]:
    """The saved version of a record, field by field, shown beside a conflicting edit."""
    rows = []
    for field in form:
        if field.type in ("HiddenField", "CSRFTokenField") or not hasattr(record, field.name):
            continue
        value = getattr(record, field.name)
        rows.append((field.label.text, "" if value is None else str(getattr(value, "label", value))))
    return rows
