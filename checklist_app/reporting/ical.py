"""Calendar feeds (iCalendar) of review dates, behind a per-user secret token that can be revoked.

A feed shows, for each school where the token's owner has a role *now*: self-evaluation review
dates (from the sign-off); for staff also action review dates and the due dates of cases' next
steps. Governors never get case or action data. Pupils appear by case number and initials only,
since a calendar is copied to the calendar provider.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from checklist_app.auth.models import Role, School, User
from checklist_app.casework.facts import view_of
from checklist_app.casework.models import Case, CaseStatus, Contract, Meeting, Pupil
from checklist_app.extensions import db, utcnow
from checklist_app.formatting import summary
from checklist_app.security import STAFF
from checklist_app.self_evaluation.models import OPEN_STATUSES, Action, EvaluationStatus, SelfEvaluation
from checklist_app.self_evaluation.services import sign_off_dates

TOKEN_BYTES = 32  # 43 URL-safe characters; the column holds 64


@dataclass(frozen=True)
class FeedEvent:
    """One all-day entry of a feed."""

    uid: str
    on: date
    summary: str
    description: str


# --- tokens -----------------------------------------------------------------------------------

def issue_token(user: User) -> str:
    """A new secret for the user's feeds (any earlier one stops working)."""
    user.calendar_token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.flush()
    return user.calendar_token


def revoke_token(user: User) -> None:
    """Stop the user's feeds working until they create a new token."""
    user.calendar_token = None
    db.session.flush()


def user_for_token(token: str) -> User | None:
    """The active user whose token this is, or None."""
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    if user is None or not user.active or not hmac.compare_digest(user.calendar_token or "", token):
        return None
    return user


# --- what a feed holds ------------------------------------------------------------------------

def _review_events(school: School, role: Role) -> list[FeedEvent]:
    query = select(SelfEvaluation).where(SelfEvaluation.school_id == school.id,
                                         SelfEvaluation.current_term.is_not(None))
    if role is Role.GOVERNOR:
        query = query.where(SelfEvaluation.status == EvaluationStatus.FINALISED)
    events = []
    for evaluation in db.session.scalars(query):
        review = sign_off_dates(evaluation).get("next_review_date")
        if isinstance(review, date):
            events.append(FeedEvent(
                f"self-evaluation-{evaluation.id}-review", review,
                f"Attendance self-evaluation review (after {evaluation.term.label})",
                f"Date of next review given at sign-off of the {evaluation.term.label} "
                f"self-evaluation ({evaluation.status.label.lower()})."))
    return events


def _action_events(school: School, owner: User | None) -> list[FeedEvent]:
    query = select(Action).where(Action.school_id == school.id, Action.status.in_(OPEN_STATUSES),
                                 Action.review_date.is_not(None))
    if owner is not None:
        query = query.where(Action.owner_user_id == owner.id)
    return [FeedEvent(
        f"action-{a.id}-review", a.review_date,
        f"Action {a.number} review: {_first_line(a.action_point)}",
        f"{a.action_point}\n\nResponsible: {a.owner_label}\nStatus: {a.status.label}")
        for a in db.session.scalars(query.order_by(Action.number))]


def _initials(pupil: Pupil) -> str:
    return ". ".join(part[:1].upper() for part in (pupil.first_name, pupil.last_name) if part) + "."


def _case_events(school: School, lead: User | None, today: date) -> list[FeedEvent]:
    query = select(Case).where(Case.school_id == school.id, Case.status == CaseStatus.OPEN).options(
        joinedload(Case.pupil), joinedload(Case.school),
        selectinload(Case.meetings).selectinload(Meeting.attendees), selectinload(Case.letters),
        selectinload(Case.contracts).selectinload(Contract.agreements), selectinload(Case.figures),
        selectinload(Case.contacts))
    if lead is not None:
        query = query.where(Case.lead_user_id == lead.id)
    events = []
    for case in db.session.scalars(query).unique():
        step = view_of(case, today).next
        if step is not None and step.due is not None:
            events.append(FeedEvent(
                f"case-{case.id}-next-step", step.due,
                f"Case {case.id} ({_initials(case.pupil)}): {_first_line(step.text)}",
                f"Next step ({step.rule}): {step.text}"))
    return events


def _first_line(text: str, limit: int = 80) -> str:
    return summary(text, limit)


def feed_events(user: User, mine: bool, today: date) -> list[FeedEvent]:
    """Everything the user's school feed (or, ``mine``, personal feed) shows, by date."""
    memberships = sorted(user.memberships, key=lambda m: m.school.name)
    events: list[FeedEvent] = []
    for membership in memberships:
        school, role = membership.school, membership.role
        found: list[FeedEvent] = []
        if not mine:
            found += _review_events(school, role)
        if role in STAFF:
            found += _action_events(school, user if mine else None)
            found += _case_events(school, user if mine else None, today)
        if len(memberships) > 1:
            found = [FeedEvent(e.uid, e.on, f"{school.name}: {e.summary}", e.description)
                     for e in found]
        events += found
    return sorted(events, key=lambda e: (e.on, e.uid))


def to_ics(events: Iterable[FeedEvent], name: str, host: str) -> bytes:
    """An iCalendar document of all-day events."""
    calendar = Calendar()
    calendar.add("prodid", "-//checklist_app//attendance review dates//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
