"""The audit trail search page for administrators (read-only: nothing here changes an event); each
event reads in the school's words (:mod:`audit.readable`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import render_template, request
from sqlalchemy import Select, String, cast, or_, select

from checklist_app.audit.blueprint import bp
from checklist_app.audit.forms import AuditFilterForm, audit_filter_form
from checklist_app.audit.models import AuditEvent
from checklist_app.audit.readable import readable
from checklist_app.audit.wording import type_name
from checklist_app.casework.change_log import CaseworkDescriber
from checklist_app.clock import SCHOOL_TIMEZONE
from checklist_app.extensions import db
from checklist_app.security import ADMINS, allow, current_school
from checklist_app.self_evaluation.history import SelfEvaluationDescriber

PAGE_SIZE = 100


def school_day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` on the school's clock, as the UTC moment entries are stored in."""
    return datetime.combine(day, time.min, tzinfo=SCHOOL_TIMEZONE).astimezone(UTC)


def _filtered(query: Select, form: AuditFilterForm, types: list[str]) -> Select:
    """``query`` narrowed by every filter that is valid (one refused is left out and explained)."""
    words = (form.q.data or "").strip()
    if words and not form.q.errors:
        like = f"%{words}%"
        named = [t for t in types if words.lower() in type_name(t).lower()]  # "attendance figure"
        query = query.where(or_(AuditEvent.user_name.ilike(like), AuditEvent.record_type.ilike(like),
                                AuditEvent.record_type.in_(named),
                                AuditEvent.action.ilike(like), AuditEvent.reason.ilike(like),
                                cast(AuditEvent.changes, String).ilike(like)))
    if form.record_type.data:
        query = query.where(AuditEvent.record_type == form.record_type.data)
    if form.date_from.data and not form.date_from.errors:
        query = query.where(AuditEvent.at >= school_day_start(form.date_from.data))
    if form.date_to.data and not form.date_to.errors:
        query = query.where(AuditEvent.at < school_day_start(form.date_to.data + timedelta(days=1)))
    return query


@bp.route("/")
@allow(ADMINS)
def index():
    """Search the school's audit events by text, kind of record, person and date, read in words."""
    school_id = current_school().id
    types = list(db.session.scalars(select(AuditEvent.record_type).distinct()
                                    .where(AuditEvent.school_id == school_id)))
    kinds = sorted(((t, type_name(t)) for t in types), key=lambda kind: kind[1])
    form = audit_filter_form(request.args, kinds)
    valid = form.validate()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = _filtered(select(AuditEvent).where(AuditEvent.school_id == school_id), form, types)
    events = db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    entries = readable(list(events[:PAGE_SIZE]), school_id,
                       [CaseworkDescriber, SelfEvaluationDescriber])
    return render_template("audit/index.html", entries=entries, types=kinds, page=page,
                           more=len(events) > PAGE_SIZE, args=request.args, form=form,
                           filters={k: v for k, v in request.args.items() if k != "page"}), \
        200 if valid else 400
