"""The start page: what needs the user's attention in the current school, by role."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from checklist_app.auth.models import Role
from checklist_app.clock import today
from checklist_app.home import panels
from checklist_app.home.blueprint import bp
from checklist_app.home.register_panel import new_at_risk_panel
from checklist_app.security import (
    READERS,
    REGISTER_READERS,
    allow,
    current_role,
    current_school,
    public,
    schools_in_view,
)


@bp.route("/")
@allow(READERS)
def index():
    """Start page: each role sees what it has to do next."""
    school, role, day = current_school(), current_role(), today()
    context = {"school": school, "role": role, "today": day}
    if role in (Role.ADMIN, Role.SENIOR_LEADER):
        context["leader"] = panels.leader_panel(school, day)
    if role in (Role.ADMIN, Role.SENIOR_LEADER, Role.ATTENDANCE_LEAD, Role.STAFF):
        context["casework"] = panels.casework_panel(school, day)
    if role in REGISTER_READERS:
        context["register"] = new_at_risk_panel(school, day)
    if role is Role.GOVERNOR:
        context["governor"] = panels.governor_panel(school)
    if role in (Role.ADMIN, Role.LOCAL_AUTHORITY):
        context["school_rows"] = panels.school_rows(schools_in_view(current_user), day)
    return render_template("home/index.html", **context)


@bp.route("/healthz")
@public
def healthz():
    """For load balancers and monitoring: the app is up and answering (no log-in needed)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
