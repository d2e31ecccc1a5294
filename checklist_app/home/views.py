"""The start page: what needs the user's attention in the current school."""

from __future__ import annotations

from flask import render_template

from checklist_app.home.blueprint import bp
from checklist_app.security import EVERYONE, allow, current_school, public


@bp.route("/")
@allow(EVERYONE, governor_may_post=False)
def index():
    """Start page."""
    return render_template("home/index.html", school=current_school())


@bp.route("/healthz")
@public
def healthz():
    """For load balancers and monitoring: the app is up and answering (no log-in needed)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
