"""Calendar feeds: the settings page (create, regenerate, revoke a token) and the feeds themselves.

The feeds are public URLs so that calendar apps can subscribe without logging in: the secret token
in the URL stands for the user, and only an active user's current roles decide what is shown.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from checklist_app import clock
from checklist_app.editing import run
from checklist_app.reporting import ical
from checklist_app.reporting.blueprint import bp, feeds
from checklist_app.security import EVERYONE, allow, public


def _feed_urls() -> dict[str, str]:
    token = current_user.calendar_token
    if not token:
        return {}
    return {"school": url_for("calendar_feed.school_feed", token=token, _external=True),
            "mine": url_for("calendar_feed.my_feed", token=token, _external=True)}


@bp.get("/calendar")
@allow(EVERYONE)
def calendar_settings():
    """The user's calendar subscription links, and the buttons to create or revoke them."""
    return render_template("reporting/calendar.html", form=FlaskForm(), urls=_feed_urls())


@bp.post("/calendar/token")
@allow(EVERYONE, governor_may_post=True)
def create_calendar_token():
    """Create the user's calendar token, or replace it (the old links stop working)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    replacing = bool(current_user.calendar_token)
    run(lambda: ical.issue_token(current_user))
    flash("New calendar links created. The old links no longer work." if replacing
          else "Calendar links created.", "success")
    return redirect(url_for(".calendar_settings"))


@bp.post("/calendar/token/revoke")
@allow(EVERYONE, governor_may_post=True)
def revoke_calendar_token():
    """Switch the user's calendar links off."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    run(lambda: ical.revoke_token(current_user))
    flash("Calendar links switched off. Calendars subscribed to them will stop updating.", "success")
    return redirect(url_for(".calendar_settings"))


def _feed(token: str, mine: bool) -> Response:
    user = ical.user_for_token(token)
    if user is None:
        abort(404)
    events = ical.feed_events(user, mine, clock.today())
    name = "My attendance review dates" if mine else "Attendance review dates"
    response = Response(ical.to_ics(events, name, request.host.split(":")[0] or "checklist-app"),
                        mimetype="text/calendar")
    response.headers["Cache-Control"] = "no-store, private"
    return response


@feeds.get("/<token>/school.ics")
@public
def school_feed(token: str):
    """The school's review dates (token owner's roles decide what is included)."""
    return _feed(token, mine=False)


@feeds.get("/<token>/mine.ics")
@public
def my_feed(token: str):
    """Review dates of the token owner's own actions and the cases they lead."""
    return _feed(token, mine=True)
