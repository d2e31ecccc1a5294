"""Flags: what staff should notice on a case (attendance, sessions, contact duties, overdue step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checklist_app.casework.enums import ContactMethod, LetterStep
from checklist_app.casework.process.facts import CaseFacts
from checklist_app.casework.process.figures import (
    PERSISTENT_ABSENCE_PERCENT,
    REVIEW_TRIGGER_SESSIONS,
    SEVERE_ABSENCE_PERCENT,
    is_improvement,
    penalty_threshold_window,
    unauthorised_between,
)
from checklist_app.casework.process.next_step import next_step
from checklist_app.casework.settings import CaseworkSettings
from checklist_app.formatting import long_date


@dataclass(frozen=True)
class Flag:
    """Something staff should notice on a case; ``level`` is warn, overdue, ok or info."""

    code: str
    text: str
    rule: str
    level: str = "warn"


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def attendance_flags(f: CaseFacts) -> list[Flag]:
    """Flags from the latest figure: severe / persistent absence (R28) and change (R21)."""
    latest = f.latest_figure()
    if latest is None:
        return []
    found = []
    if latest.percent <= SEVERE_ABSENCE_PERCENT:
        found.append(Flag("severe", f"Severe absence: attendance {_pct(latest.percent)}", "R28"))
    elif latest.percent <= PERSISTENT_ABSENCE_PERCENT:
        found.append(Flag("persistent", f"Persistent absence: attendance {_pct(latest.percent)}",
                          "R28"))
    change = round(latest.percent - f.baseline, 1)
    words = (f"{_pct(f.baseline)} at the start, {_pct(latest.percent)} now "
             f"({'+' if change > 0 else ''}{change:.1f} points)")
    if is_improvement(f.baseline, latest.percent):
        found.append(Flag("improved", f"Improved against the start: {words}", "R21", "ok"))
    else:
        found.append(Flag("not-improved", f"No improvement against the start: {words}", "R21"))
    return found


def flags(f: CaseFacts, today: date, s: CaseworkSettings) -> list[Flag]:
    """Every flag on the case: attendance, sessions, contact duties and an overdue next step."""
    found = attendance_flags(f)
    active = f.active_contract()
    if active:
        start = active.signed_on or active.meeting_on
        held = f.held_reviews(start)
        since = held[-1].on if held else start
        sessions = unauthorised_between(f.figures, since)
        if sessions >= REVIEW_TRIGGER_SESSIONS:
            found.append(Flag("review-trigger", f"{sessions} unauthorised sessions in the current "
                              "review period: this may trigger a review meeting (letter 7a)", "R13"))
    window = penalty_threshold_window(f.figures)
    if window:
        found.append(Flag("penalty-threshold", f"Penalty-notice threshold reached: {window[2]} "
                          "unauthorised sessions within 10 school weeks. This is a flag only: "
                          "the school does not issue fines.", "R29"))
    found += contact_flags(f)
    latest = f.latest_figure()
    if (f.last_issued(LetterStep.NOTICE_TO_IMPROVE) and latest
            and latest.percent < SEVERE_ABSENCE_PERCENT):
        found.append(Flag("social-care", "Attendance is below 50% after a Notice to Improve: if all "
                          "support has failed, consider a social care referral", "R19"))
    step = next_step(f, today, s)
    if step and step.overdue(today):
        found.append(Flag("overdue", f"Overdue since {long_date(step.due)}: {step.text}", step.rule,
                          "overdue"))
    return found


def contact_flags(f: CaseFacts) -> list[Flag]:
    """R11/R23: telephone contact after a missed meeting; the social worker told of absence."""
    found = []
    for missed in f.contract_no_shows():
        if not any(c.on >= missed.on and c.method is ContactMethod.PHONE for c in f.contacts):
            found.append(Flag("no-phone-contact", f"No telephone contact recorded since the missed "
                              f"meeting on {long_date(missed.on)}", "R11"))
    if f.has_social_worker:
        told = [c.on for c in f.contacts if c.with_social_worker]
        last_told = max(told) if told else None
        untold = [x for x in f.figures if x.unauthorised
                  and (last_told is None or (x.recorded_on or x.period_end) > last_told)]
        if untold:
            found.append(Flag("tell-social-worker", "Unauthorised absence recorded since the social "
                              "worker was last told: tell them and record the contact", "R23"))
    return found
