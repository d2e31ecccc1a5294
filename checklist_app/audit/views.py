"""The audit trail search page for administrators (read-only: nothing here changes an event); each
event reads in the school's words (:mod:`audit.readable`)."""

from __future__ import annotations

from datetime import datetime, time

from flask import render_template, request
from sqlalchemy import Select, String, cast, or_, select

from checklist_app.audit.blueprint import bp
from checklist_app.audit.models import AuditEvent
from checklist_app.audit.readable import readable
from checklist_app.audit.wording import type_name
from checklist_app.casework.change_log import CaseworkDescriber
from checklist_app.extensions import db
from checklist_app.security import ADMINS, allow, current_school
from checklist_app.self_evaluation.history import SelfEvaluationDescriber

PAGE_SIZE = 100


def _date_arg(name: str):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


def _search(school_id: int, types: list[str]) -> Select:
    """The school's events matching the page's filters: words, kind of record, dates."""
    query = select(AuditEvent).where(AuditEvent.school_id == school_id)
    words = request.args.get("q", "").strip()[:200]
    if words:
        like = f"%{words}%"
        named = [t for t in types if words.lower() in type_name(t).lower()]  # "attendance figure"
        query = query.where(or_(AuditEvent.user_name.ilike(like), AuditEvent.record_type.ilike(like),
                                AuditEvent.record_type.in_(named),
                                AuditEvent.action.ilike(like), AuditEvent.reason.ilike(like),
                                cast(AuditEvent.changes, String).ilike(like)))
    record_type = request.args.get("record_type", "")
    if record_type:
        query = query.where(AuditEvent.record_type == record_type)
    start, end = _date_arg("from"), _date_arg("to")
    if start:
        query = query.where(AuditEvent.at >= datetime.combine(start, time.min))
    if end:
        query = query.where(AuditEvent.at <= datetime.combine(end, time.max))
    return query


@bp.route("/")
@allow(ADMINS)
def index():
    """Search the school's audit events by text, kind of record, person and date, read in words."""
    school_id = current_school().id
    types = db.session.scalars(select(AuditEvent.record_type).distinct()
                               .where(AuditEvent.school_id == school_id)).all()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    events = db.session.scalars(_search(school_id, types)
                                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    entries = readable(list(events[:PAGE_SIZE]), school_id,
                       [CaseworkDescriber, SelfEvaluationDescriber])
    kinds = sorted(((t, type_name(t)) for t in types), key=lambda kind: kind[1])
    return render_template("audit/index.html", entries=entries, types=kinds, page=page,
                           more=len(events) > PAGE_SIZE, args=request.args,
                           filters={k: v for k, v in request.args.items() if k != "page"})
