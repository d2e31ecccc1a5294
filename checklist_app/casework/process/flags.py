"""Flags: what staff should notice on a case (attendance, sessions, contact duties, overdue step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checklist_app.casework.enums import ContactMethod, LetterStep, MeetingKind, MeetingOutcome, Stage
from checklist_app.casework.process.dates import add_months, needs_monthly_reviews
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
from checklist_app.casework.process.stage import current_stage
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
    """Flags from attendance now: severe / persistent absence (R28) and change (R21)."""
    now = f.current_attendance()
    if now is None:
        return []
    found = []
    if now <= SEVERE_ABSENCE_PERCENT:
        found.append(Flag("severe", f"Severe absence: attendance {_pct(now)}", "R28"))
    elif now <= PERSISTENT_ABSENCE_PERCENT:
        found.append(Flag("persistent", f"Persistent absence: attendance {_pct(now)}", "R28"))
    change = round(now - f.baseline, 1)
    words = (f"{_pct(f.baseline)} at the start, {_pct(now)} now "
             f"({'+' if change > 0 else ''}{change:.1f} points)")
    if is_improvement(f.baseline, now):
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
    now = f.current_attendance()
    if (f.last_issued(LetterStep.NOTICE_TO_IMPROVE) and now is not None
            and now < SEVERE_ABSENCE_PERCENT):
        found.append(Flag("social-care", "Attendance is below 50% after a Notice to Improve: if all "
                          "support has failed, consider a social care referral", "R19"))
    found += meeting_flags(f, today, s)
    found += plan_copy_flags(f)
    step = next_step(f, today, s)
    if step and step.overdue(today):
        found.append(Flag("overdue", f"Overdue since {long_date(step.due)}: {step.text}", step.rule,
                          "overdue"))
    return consistent_with_stage(found, current_stage(f)) if not f.closed else []


def meeting_flags(f: CaseFacts, today: date, s: CaseworkSettings) -> list[Flag]:
    """R9 monthly reviews of longer contracts; R12 no third contract meeting after two missed."""
    found = []
    active = f.active_contract()
    if active and needs_monthly_reviews(active.duration_value, active.duration_unit, s):
        start = active.signed_on or active.meeting_on
        held = f.held_reviews(start)
        last = held[-1].on if held else start
        planned = [m for m in f.meetings_of(MeetingKind.REVIEW, last)
                   if m.outcome is MeetingOutcome.SCHEDULED]
        due = add_months(last, 1)
        if due < today and not planned:
            found.append(Flag("monthly-review", f"Monthly review meeting due since {long_date(due)}: "
                              f"the contract runs for {s.monthly_review_min_months} months or more "
                              f"and the last review was on {long_date(last)}", "R9"))
    no_shows = f.contract_no_shows()
    if len(no_shows) >= 2:
        third = [m for m in f.meetings_of(MeetingKind.CONTRACT, no_shows[1].on)
                 if m.outcome is MeetingOutcome.SCHEDULED]
        if third:
            found.append(Flag("third-contract-meeting", "A third contract meeting is arranged after "
                              "two missed ones: hold a professionals meeting instead and tell the "
                              "parents (letter 5)", "R12"))
    return found


def plan_copy_flags(f: CaseFacts) -> list[Flag]:
    """R26: the parents get a copy of the plan made at each meeting that was held."""
    return [Flag("plan-copy", f"Give the parents a copy of the plan from the "
                 f"{m.kind.label.lower()} on {long_date(m.on)}", "R26")
            for m in f.meetings if m.outcome is MeetingOutcome.HELD and not m.plan_shared]


#: Stages where the process has escalated: rising attendance is noted, never shown as "good".
ESCALATED = frozenset({Stage.TERMINATION_WARNING, Stage.NOTICE_TO_IMPROVE, Stage.LEGAL})


def consistent_with_stage(found: list[Flag], stage: Stage) -> list[Flag]:
    """Flags that never contradict the stage shown beside them.

    After escalation an improvement is information to weigh at the next review, not "good";
    at the improved stage a fall back is a warning worded as such.
    """
    out = []
    for flag in found:
        words = flag.text.split(": ", 1)[-1]
        if flag.code == "improved" and stage in ESCALATED:
            flag = Flag(flag.code, f"Attendance has risen against the start ({words}) while the "
                        f"case is at: {stage.label}. Weigh this at the next review", flag.rule,
                        "info")
        elif flag.code == "not-improved" and stage is Stage.IMPROVED:
            flag = Flag(flag.code, f"Attendance has fallen back since it improved: {words}",
                        flag.rule)
        out.append(flag)
    return out


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
