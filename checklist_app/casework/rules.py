"""The casework rules as pure functions: dates, the process stage, the next step and flags.

Nothing here reads the database or the clock: callers pass :class:`CaseFacts` (see
:func:`casework.facts.facts_of`), ``today`` and the :class:`CaseworkSettings`. Rule numbers refer to
``shared/domain-rules.md``.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from checklist_app.casework.models import MeetingKind, MeetingOutcome, Stage
from checklist_app.casework.settings import CaseworkSettings
from checklist_app.formatting import long_date

#: R28: persistent absence is attendance of 90% or below; severe absence 50% or below.
PERSISTENT_ABSENCE_PERCENT = 90.0
SEVERE_ABSENCE_PERCENT = 50.0
#: R13: unauthorised sessions inside a review period that may trigger a review meeting (7a).
REVIEW_TRIGGER_SESSIONS = 6
#: R29: the national penalty-notice threshold: 10 unauthorised sessions in 10 school weeks.
PENALTY_THRESHOLD_SESSIONS = 10
PENALTY_WINDOW_WEEKS = 10

#: The steps of the process (seed 001): step, what it is, rule.
STEPS: tuple[tuple[str, str, str], ...] = (
    ("1", "Contract meeting – initial invite", "R11"),
    ("2", "Contract meeting – second invite", "R12"),
    ("3", "Attendance contract (at the meeting)", "R13"),
    ("4", "Contract outcome letter", "R14"),
    ("5", "Failed to attend", "R15"),
    ("6", "Attendance improved", "R16"),
    ("7a", "Review meeting invite – parents engaging", "R17"),
    ("7b", "Termination warning – parents not engaging", "R18"),
    ("8", "Notice to Improve (ends the contract)", "R19"),
    ("9", "Referral for legal intervention", "R20"),
)


# --- dates -----------------------------------------------------------------------------------

def add_weeks(start: date, weeks: int) -> date:
    """``start`` plus whole weeks (31 January + 3 weeks = 21 February); stops at the calendar's end
    (a date stored out of range, such as 31 December 9999, must not break a page)."""
    return add_days(start, weeks * 7)


def add_days(start: date, days: int) -> date:
    """``start`` plus days, held within the calendar (date.min..date.max)."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day (31 January + 1 month = 28/29 Feb)."""
    years, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month_index + 1
    if not 1 <= year <= 9999:
        return date.max if months > 0 else date.min
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def review_period_weeks(baseline: float, s: CaseworkSettings) -> int:
    """R13: the review period after a contract, shorter when attendance at the start is lower."""
    for below, weeks in s.review_period_bands:
        if baseline < below:
            return max(s.review_period_min_weeks, min(weeks, s.review_period_max_weeks))
    return s.review_period_max_weeks


def meeting_review_window(held_on: date, s: CaseworkSettings) -> tuple[date, date, date]:
    """R26: earliest, latest and suggested review date of a meeting's plan (2–4 weeks, 3 suggested)."""
    return (add_weeks(held_on, s.meeting_review_min_weeks),
            add_weeks(held_on, s.meeting_review_max_weeks),
            add_weeks(held_on, s.meeting_review_suggested_weeks))


def latest_next_review(review_held_on: date, s: CaseworkSettings) -> date:
    """R27: after a review meeting the next review is no more than 3 weeks later."""
    return add_weeks(review_held_on, s.review_within_weeks)


def duration_in_months(value: int | None, unit: str) -> float | None:
    """A contract's expected duration in months (weeks counted as 52/12 a month)."""
    if not value:
        return None
    return float(value) if unit == "months" else value * 12 / 52


def needs_monthly_reviews(value: int | None, unit: str, s: CaseworkSettings) -> bool:
    """R9: review meetings once a month for contracts of 3 months or more (a setting)."""
    months = duration_in_months(value, unit)
    return months is not None and months >= s.monthly_review_min_months - 1e-9


def is_improvement(baseline: float, current: float) -> bool:
    """R21: improvement is judged against the pupil's attendance at the start (80% → 87% is)."""
    return round(current - baseline, 1) > 0


# --- facts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingFact:
    """What the rules need of a meeting."""

    id: int
    kind: MeetingKind
    on: date
    outcome: MeetingOutcome
    parents_attended: bool = False
    review_date: date | None = None
    target_met: str | None = None
    decision: str | None = None


@dataclass(frozen=True)
class LetterFact:
    """An issued letter."""

    step: str
    issued_on: date
    meeting_id: int | None = None


@dataclass(frozen=True)
class ContractFact:
    """A contract: ``status`` is draft, signed, superseded or ended."""

    id: int
    status: str
    meeting_on: date
    signed_on: date | None = None
    review_date: date | None = None
    duration_value: int | None = None
    duration_unit: str = "months"


@dataclass(frozen=True)
class FigureFact:
    """Attendance over one period."""

    period_start: date
    period_end: date
    percent: float
    unauthorised: int
    recorded_on: date | None = None


@dataclass(frozen=True)
class ContactFact:
    """A contact or attempted contact."""

    on: date
    method: str
    made: bool
    with_social_worker: bool = False


@dataclass(frozen=True)
class CaseFacts:
    """Everything the rules look at for one case."""

    opened_on: date
    baseline: float
    closed: bool = False
    has_social_worker: bool = False
    meetings: tuple[MeetingFact, ...] = ()
    letters: tuple[LetterFact, ...] = ()
    contracts: tuple[ContractFact, ...] = ()
    figures: tuple[FigureFact, ...] = ()
    contacts: tuple[ContactFact, ...] = ()

    def last_issued(self, step: str, since: date | None = None) -> date | None:
        """The latest issue date of a letter of this step (on or after ``since``)."""
        dates = [x.issued_on for x in self.letters
                 if x.step == step and (since is None or x.issued_on >= since)]
        return max(dates) if dates else None

    def active_contract(self) -> ContractFact | None:
        """The signed contract in force, if any."""
        signed = [c for c in self.contracts if c.status == "signed"]
        return max(signed, key=lambda c: (c.signed_on or c.meeting_on, c.id)) if signed else None

    def meetings_of(self, kind: MeetingKind, since: date | None = None) -> list[MeetingFact]:
        """Meetings of one kind in date order (on or after ``since``)."""
        return sorted((m for m in self.meetings if m.kind is kind
                       and (since is None or m.on >= since)), key=lambda m: (m.on, m.id))

    def contract_no_shows(self) -> list[MeetingFact]:
        """Contract meetings the parents did not attend (R11, R12)."""
        return [m for m in self.meetings_of(MeetingKind.CONTRACT)
                if m.outcome is MeetingOutcome.NOT_ATTENDED]

    def latest_figure(self) -> FigureFact | None:
        return max(self.figures, key=lambda f: f.period_end) if self.figures else None


# --- stage and next step ---------------------------------------------------------------------

def current_stage(f: CaseFacts) -> Stage:
    """Where the case is, from its letters, meetings and contracts (the dashboard filter)."""
    if f.closed:
        return Stage.CLOSED
    if f.last_issued("9"):
        return Stage.LEGAL
    if f.last_issued("8"):
        return Stage.NOTICE_TO_IMPROVE
    active = f.active_contract()
    since = active.signed_on if active else None
    warned = f.last_issued("7b", since)
    if warned and not [m for m in f.meetings_of(MeetingKind.REVIEW, warned)
                       if m.outcome is MeetingOutcome.HELD]:
        return Stage.TERMINATION_WARNING
    if active:
        if f.last_issued("6", since):
            return Stage.IMPROVED
        if f.last_issued("7a", since) or f.meetings_of(MeetingKind.REVIEW, since):
            return Stage.REVIEW
        return Stage.CONTRACT
    if any(c.status == "ended" for c in f.contracts):
        return Stage.IMPROVED if f.last_issued("6") else Stage.REVIEW
    if f.last_issued("6"):
        return Stage.IMPROVED
    if any(c.status == "draft" for c in f.contracts) or any(
            m.parents_attended for m in f.meetings_of(MeetingKind.CONTRACT)):
        return Stage.CONTRACT_MEETING
    no_shows = f.contract_no_shows()
    if len(no_shows) >= 2 or f.last_issued("5") or f.meetings_of(MeetingKind.PROFESSIONALS):
        return Stage.FURTHER_SUPPORT
    if no_shows:
        return Stage.SECOND_INVITE
    if f.meetings_of(MeetingKind.CONTRACT) or f.last_issued("1"):
        return Stage.INVITED
    return Stage.OPENED


@dataclass(frozen=True)
class NextStep:
    """What to do next on a case, by when, and the rule behind it."""

    step: str
    text: str
    due: date | None
    rule: str

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def next_step(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    """The next step of the process and its due date (None once the case is closed)."""
    if f.closed:
        return None
    for decide in (_after_escalation, _with_contract, _after_contract_meeting, _after_no_shows,
                   _before_contract_meeting):
        step = decide(f, today, s)
        if step is not None:
            return step
    return None  # pragma: no cover - _before_contract_meeting always answers


def _after_escalation(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    if f.last_issued("9"):
        return NextStep("9", "Referral made: keep offering support, record every contact and follow "
                        "the local authority's decision", None, "R20")
    notice = f.last_issued("8")
    if notice:
        reviewed = [m for m in f.meetings_of(MeetingKind.REVIEW, notice)
                    if m.outcome is MeetingOutcome.HELD]
        if reviewed:
            return NextStep("9", "Notice to Improve reviewed: send letter 6 if attendance has improved "
                            "against the start; otherwise, after talking to the local authority's "
                            "attendance officer, consider a referral for legal intervention (letter 9)",
                            reviewed[-1].on, "R20")
        return NextStep("8", "Hold the 3-week Notice to Improve review",
                        add_weeks(notice, s.notice_to_improve_review_weeks), "R19")
    active = f.active_contract()
    warned = f.last_issued("7b", active.signed_on if active else None)
    if warned and not [m for m in f.meetings_of(MeetingKind.REVIEW, warned)
                       if m.outcome is MeetingOutcome.HELD]:
        return NextStep("8", "End of the short review after the termination warning: if nothing has "
                        "changed, issue a Notice to Improve (letter 8)",
                        add_days(warned, s.termination_warning_review_days), "R18")
    return None


def _with_contract(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    active = f.active_contract()
    if active is None:
        return None
    signed = active.signed_on or active.meeting_on
    if not f.last_issued("4", active.meeting_on):
        return NextStep("4", "Give the contract outcome letter (letter 4) with the signed contract",
                        signed, "R14")
    reviews = f.meetings_of(MeetingKind.REVIEW, signed)
    scheduled = [m for m in reviews if m.outcome is MeetingOutcome.SCHEDULED]
    if scheduled:
        meeting = scheduled[0]
        if not any(x.step == "7a" and x.meeting_id == meeting.id for x in f.letters):
            return NextStep("7a", "Send the review meeting invite (letter 7a)",
                            add_days(meeting.on, -s.notice_days), "R17")
        return NextStep("7a", "Hold the review meeting", meeting.on, "R17")
    held = [m for m in reviews if m.outcome is MeetingOutcome.HELD]
    period_start = held[-1].on if held else signed
    trigger = review_trigger_date(f.figures, period_start)
    if trigger is not None:
        return NextStep("7a", "6 unauthorised sessions in the review period: arrange a review meeting "
                        "and send letter 7a", trigger, "R13")
    if held:
        last = held[-1]
        if last.decision == "escalate":
            return NextStep("8", "The review meeting decided to escalate: consider a Notice to Improve "
                            "(letter 8), keeping an action plan in place",
                            latest_next_review(last.on, s), "R27")
        if last.review_date:
            due = last.review_date
        elif needs_monthly_reviews(active.duration_value, active.duration_unit, s):
            due = add_months(last.on, 1)
        else:
            due = latest_next_review(last.on, s)
        return NextStep("7a", "Next contract review: compare attendance with the start, then letter 6 "
                        "(improved), 7a (review meeting) or 7b (termination warning)", due, "R27")
    due = active.review_date or add_weeks(signed, review_period_weeks(f.baseline, s))
    return NextStep("7a", "End of the review period: compare attendance with the start, then letter 6 "
                    "(improved), 7a (review meeting) or 7b (termination warning)", due, "R13")


def _after_contract_meeting(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    if any(c.status == "ended" for c in f.contracts) or f.last_issued("6"):
        since = f.last_issued("6")
        if since:
            return NextStep("6", "Attendance improved: keep monitoring, and close the case when "
                            "appropriate", add_weeks(since, s.improved_monitoring_weeks), "R16")
        return NextStep("6", "The contract has ended: decide what happens next or close the case",
                        None, "R10")
    drafts = [c for c in f.contracts if c.status == "draft"]
    attended = [m for m in f.meetings_of(MeetingKind.CONTRACT) if m.parents_attended]
    if drafts or attended:
        on = drafts[-1].meeting_on if drafts else attended[-1].on
        return NextStep("3", "Complete the contract and collect the signatures of every parent "
                        "present and a member of staff", on, "R7")
    return None


def _after_no_shows(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep | None:
    no_shows = f.contract_no_shows()
    professionals = f.meetings_of(MeetingKind.PROFESSIONALS)
    if len(no_shows) < 2 and not professionals and not f.last_issued("5"):
        return None
    start = no_shows[-1].on if no_shows else professionals[0].on
    told = f.last_issued("5", start)
    if not told:
        return NextStep("5", "Within one week: hold a professionals meeting or make an internal "
                        "support plan, and tell the parents (letter 5)",
                        add_days(start, s.failed_to_attend_action_days), "R15")
    return NextStep("8", "End of the further 6-week support period: letter 6 if attendance has "
                    "improved; otherwise consider a Notice to Improve (letter 8)",
                    add_weeks(told, s.no_show_support_weeks), "R22")


def _before_contract_meeting(f: CaseFacts, today: date, s: CaseworkSettings) -> NextStep:
    no_shows = f.contract_no_shows()
    step, rule = ("2", "R12") if no_shows else ("1", "R11")
    upcoming = [m for m in f.meetings_of(MeetingKind.CONTRACT) if m.outcome is MeetingOutcome.SCHEDULED]
    if upcoming:
        meeting = upcoming[0]
        if not any(x.step == step and x.meeting_id == meeting.id for x in f.letters):
            return NextStep(step, f"Send the invite (letter {step}) at least one week before the "
                            "meeting", add_days(meeting.on, -s.notice_days), rule)
        if meeting.on >= today:
            return NextStep("3", "Hold the contract meeting", meeting.on, rule)
        return NextStep("3", "Record the outcome of the contract meeting", meeting.on, rule)
    if no_shows:
        return NextStep("2", "Try to telephone the parents, then arrange a second contract meeting "
                        "and send letter 2", add_days(no_shows[-1].on, s.arrange_meeting_days), "R12")
    return NextStep("1", "Arrange a contract meeting and send the invite (letter 1)",
                    add_days(f.opened_on, s.arrange_meeting_days), "R11")


# --- figures and flags -----------------------------------------------------------------------

def unauthorised_between(figures: tuple[FigureFact, ...] | list[FigureFact], start: date,
                         end: date | None = None) -> int:
    """Unauthorised sessions of the figures whose period lies inside ``start``–``end``."""
    return sum(x.unauthorised for x in figures
               if x.period_start >= start and (end is None or x.period_end <= end))


def review_trigger_date(figures: tuple[FigureFact, ...], period_start: date) -> date | None:
    """R13: when unauthorised sessions since ``period_start`` reached 6, else None."""
    total = 0
    for figure in sorted(figures, key=lambda x: x.period_end):
        if figure.period_start < period_start:
            continue
        total += figure.unauthorised
        if total >= REVIEW_TRIGGER_SESSIONS:
            return figure.recorded_on or figure.period_end
    return None


def penalty_threshold_window(figures: tuple[FigureFact, ...]) -> tuple[date, date, int] | None:
    """R29: a window of 10 school weeks holding 10 or more unauthorised sessions, if any.

    School weeks are approximated as calendar weeks: a window that spans a holiday is then
    shorter than 10 school weeks, so the flag can miss a threshold reached across a holiday
    (check the register). Figures only count when their whole period lies inside the window.
    This only flags the threshold; the product never issues fines.
    """
    for anchor in sorted(figures, key=lambda x: x.period_end):
        start = add_days(anchor.period_end, -7 * PENALTY_WINDOW_WEEKS + 1)
        total = unauthorised_between(figures, start, anchor.period_end)
        if total >= PENALTY_THRESHOLD_SESSIONS:
            return start, anchor.period_end, total
    return None


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
        held = [m for m in f.meetings_of(MeetingKind.REVIEW, start) if m.outcome is MeetingOutcome.HELD]
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
    if f.last_issued("8") and latest and latest.percent < SEVERE_ABSENCE_PERCENT:
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
        if not any(c.on >= missed.on and c.method == "phone" for c in f.contacts):
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


@dataclass
class TimelineStep:
    """One step of the process on a case: when it happened and whether it is next."""

    step: str
    title: str
    rule: str
    dates: list[date] = field(default_factory=list)
    is_next: bool = False


def timeline(f: CaseFacts, step: NextStep | None) -> list[TimelineStep]:
    """The steps 1–9 with the dates each happened (letters issued; contracts signed for step 3)."""
    rows = []
    for number, title, rule in STEPS:
        if number == "3":
            dates = sorted(c.signed_on for c in f.contracts if c.signed_on)
        else:
            dates = sorted(x.issued_on for x in f.letters if x.step == number)
        rows.append(TimelineStep(number, title, rule, dates, bool(step and step.step == number)))
    return rows


def completion_by_section(sections: list[tuple[str, str, list[str]]],
                          answers: dict) -> list[tuple[str, str, int, int]]:
    """R5: per stage, how many checkpoints are done (complete / yes / not applicable) of all."""
    done_values = {"complete", "yes", "na"}
    rows = []
    for section_id, title, item_ids in sections:
        done = sum(1 for i in item_ids if (answers.get(i) or {}).get("status") in done_values)
        rows.append((section_id, title, done, len(item_ids)))
    return rows


def percent(done: int, total: int) -> int:
    """A whole percentage (0 when there is nothing to do)."""
    return round(100 * done / total) if total else 0
