"""The audit trail search page for administrators (read-only: nothing here changes an event)."""

from __future__ import annotations

from datetime import datetime, time

from flask import render_template, request
from sqlalchemy import String, cast, or_, select

from checklist_app.audit.blueprint import bp
from checklist_app.audit.models import AuditEvent
from checklist_app.extensions import db
from checklist_app.security import ADMINS, allow, current_school

PAGE_SIZE = 100


def _date_arg(name: str):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


@bp.route("/")
@allow(ADMINS)
def index():
    """Search the school's audit events by text, record type, person and date."""
    query = select(AuditEvent).where(AuditEvent.school_id == current_school().id)
    words = request.args.get("q", "").strip()[:200]
    if words:
        like = f"%{words}%"
        query = query.where(or_(AuditEvent.user_name.ilike(like), AuditEvent.record_type.ilike(like),
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
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    events = db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    types = db.session.scalars(select(AuditEvent.record_type).distinct()
                               .where(AuditEvent.school_id == current_school().id)
                               .order_by(AuditEvent.record_type)).all()
    return render_template("audit/index.html", events=events[:PAGE_SIZE], types=types, page=page,
                           more=len(events) > PAGE_SIZE, args=request.args,
                           filters={k: v for k, v in request.args.items() if k != "page"})
