"""The start page: what needs the user's attention in the current school."""

from __future__ import annotations

from flask import Blueprint, render_template

from checklist_app.security import EVERYONE, allow, current_school

bp = Blueprint("home", __name__)


@bp.route("/")
@allow(EVERYONE, governor_may_post=False)
def index():
    """Start page."""
    return render_template("home/index.html", school=current_school())
