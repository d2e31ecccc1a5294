"""The chronology of a case in the school's words: what happened, when, and what was recorded later.

A pure builder: it reads a case's loaded records (any objects with the attributes of the casework
models) and its :class:`CaseFacts`, and never the database or the change log. Meetings, letters,
contacts (with their time), attendance figures, signatures, contracts ending and stage changes each
give one line; a record entered after the day it happened is marked "recorded later". The change
log (who edited which field) stays apart, one click away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from checklist_app.casework.enums import (
    AttendeeKind,
    ContractStatus,
    LetterStatus,
    MeetingOutcome,
    Stage,
)
from checklist_app.casework.process.facts import CaseFacts
from checklist_app.casework.process.scope import as_of
from checklist_app.casework.process.stage import current_stage
from checklist_app.formatting import long_date


@dataclass(frozen=True)
class Entry:
    """One line of the chronology."""

    on: date
    kind: str
    text: str
    at: time | None = None
    #: When the record was entered, if that was after the day it happened ("recorded later").
    recorded_on: date | None = None

    @property
    def recorded_later(self) -> bool:
        """Whether the record was entered after the day it describes."""
        return self.recorded_on is not None and self.recorded_on > self.on

    @property
    def when(self) -> str:
        """The date (and time when known) as the school writes it."""
        return long_date(self.on) + (f" at {self.at:%H:%M}" if self.at else "")


def _names(people: list[Any]) -> str:
    return ", ".join(f"{p.name} ({p.role})" if p.role else p.name for p in people)


def meeting_entries(meetings: list[Any]) -> list[Entry]:
    """Meetings: who came, who did not, or why they did not take place."""
    rows = []
    for m in meetings:
        title = m.kind.label
        present = [a for a in m.attendees if a.present]
        absent = [a for a in m.attendees if not a.present and a.kind is AttendeeKind.PARENT]
        if m.outcome is MeetingOutcome.HELD:
            text = f"{title} held" + (f" with {_names(present)}" if present else "")
            if absent:
                text += f"; not there: {_names(absent)}"
        elif m.outcome is MeetingOutcome.NOT_ATTENDED:
            text = f"{title}: the parents did not attend"
        elif m.outcome is MeetingOutcome.SCHEDULED:
            text = f"{title} arranged"
        else:
            text = f"{title} {m.outcome.label.lower()}"
        reason = getattr(m, "cancel_reason", "") or ""
        if reason:
            text += f" (reason: {reason})"
        scheduled = m.scheduled_on if m.scheduled_on > m.meeting_date else None
        rows.append(Entry(m.meeting_date, "Meeting", text + ".", m.start_time, scheduled))
    return rows


def letter_entries(letters: list[Any], parent_names: dict[int, str]) -> list[Entry]:
    """Letters issued (or withdrawn), with the parent each went to."""
    rows = []
    for x in letters:
        to = parent_names.get(x.recipient_parent_id or 0, "")
        who = f" to {to}" if to else ""
        if x.status is LetterStatus.ISSUED and x.issued_on:
            entered = x.issued_at.date() if x.issued_at else None
            rows.append(Entry(x.issued_on, "Letter", f"Letter {x.step} sent{who}: {x.title}.",
                              recorded_on=entered))
        withdrawn = getattr(x, "withdrawn_on", None)
        if withdrawn:
            rows.append(Entry(withdrawn, "Letter", f"Draft of letter {x.step}{who} withdrawn: "
                              f"{getattr(x, 'withdrawn_reason', '')}."))
    return rows


def contact_entries(contacts: list[Any]) -> list[Entry]:
    """Contacts and attempts, with their time (R23)."""
    rows = []
    for c in contacts:
        moment: datetime = c.occurred_at
        verb = c.method.label if c.made else f"{c.method.label} (attempted, no contact made)"
        extra = " (social worker)" if c.with_social_worker else ""
        if getattr(c, "with_attendance_officer", False):
            extra = " (local authority attendance officer)"
        outcome = f": {c.outcome.strip()}" if c.outcome.strip() else ""
        at = moment.time() if moment.time() != time(0, 0) else None
        rows.append(Entry(moment.date(), "Contact", f"{verb} with {c.with_whom}{extra}{outcome}.",
                          at, getattr(c, "recorded_on", None)))
    return rows


def figure_entries(figures: list[Any]) -> list[Entry]:
    """Attendance figures, and any correction with its reason."""
    rows = []
    for f in figures:
        text = (f"Attendance {f.attendance_percent:.1f}% from {long_date(f.period_start)} to "
                f"{long_date(f.period_end)}, {f.unauthorised_sessions} unauthorised sessions")
        corrected = getattr(f, "correction_reason", "") or ""
        if corrected:
            text += f" (corrected: {corrected})"
        rows.append(Entry(f.recorded_on, "Attendance", text + "."))
    return rows


def contract_entries(contracts: list[Any]) -> list[Entry]:
    """Signatures (with their date rule) and contracts ending."""
    rows = []
    for c in contracts:
        meeting_on = c.meeting.meeting_date
        for sig in c.signatures:
            text = f"Contract (revision {c.revision}) signed by {sig.signer_name} ({sig.role})"
            reason = getattr(sig, "date_reason", "") or ""
            if sig.signed_on != meeting_on:
                text += f", after the meeting on {long_date(meeting_on)}"
                text += f" ({reason})" if reason else ""
            rows.append(Entry(sig.signed_on, "Signature", text + "."))
        if c.status is ContractStatus.ENDED and c.ended_on:
            why = f": {c.end_rationale}" if c.end_rationale else ""
            rows.append(Entry(c.ended_on, "Contract", f"Contract (revision {c.revision}) ended{why}."))
    return rows


def stage_entries(f: CaseFacts, days: list[date]) -> list[Entry]:
    """Each change of stage, replaying the stage rules over the facts as they stood each day."""
    rows, previous = [], Stage.OPENED
    for day in sorted(set(days)):
        stage = current_stage(as_of(f, day))
        if stage is not previous:
            rows.append(Entry(day, "Stage", f"Stage now: {stage.label}."))
            previous = stage
    return rows


def chronology(case: Any, f: CaseFacts) -> list[Entry]:
    """The case's chronology, oldest first: opening, records, stage changes, closing."""
    parent_names = {p.id: p.salutation for p in case.pupil.parents}
    rows = [Entry(case.opened_on, "Case", f"Case opened: {case.reason_for_concern.strip()}")]
    rows += meeting_entries(case.meetings)
    rows += letter_entries(case.letters, parent_names)
    rows += contact_entries(case.contacts)
    rows += figure_entries(case.figures)
    rows += contract_entries(case.contracts)
    closed = case.closed_on
    rows += stage_entries(f, [r.on for r in rows
                              if r.kind != "Case" and (closed is None or r.on < closed)])
    order = {"Case": 0, "Meeting": 1, "Contact": 2, "Attendance": 3, "Signature": 4,
             "Contract": 5, "Letter": 6, "Stage": 7}
    rows.sort(key=lambda r: (r.on, r.at or time(23, 59), order.get(r.kind, 9)))
    if closed:
        reason = case.closure_reason.label if case.closure_reason else ""
        rows.append(Entry(closed, "Case", f"Case closed: {reason}"
                          + (f". {case.closure_rationale.strip()}" if case.closure_rationale else "")))
    return rows
