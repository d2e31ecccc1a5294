"""A case's change log in the school's words, built from the audit trail (rule R30).

Each casework event reads as what happened ("Arranged an attendance contract meeting on 15 January
2027", "Issued letter 4 (Contract outcome letter) to Siân Ó Briain", "Changed the contract
checklist: Read guidance about attendance contracts") with each changed part labelled as the form
labels it; checklist and meeting-record answers are expanded to checkpoint titles and answers. The
records events name are looked up in bulk, for all the cases at once: a fixed number of queries,
however many events or cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from checklist_app.audit.models import AuditEvent
from checklist_app.audit.readable import NOTHING, Entry, Reader, Row, readable, text_change
from checklist_app.casework.change_words import FORMATS, LABELS, SKIP, both, percent
from checklist_app.casework.models import (
    Agreement,
    AttendanceFigure,
    Attendee,
    Case,
    ContactMethod,
    Contract,
    Letter,
    LetterStep,
    Meeting,
    MeetingKind,
    Parent,
    Pupil,
    Stage,
)
from checklist_app.casework.operations import CHECKLIST_KEY
from checklist_app.checklist_engine.answer_words import ChangedItem, changed_items
from checklist_app.checklist_engine.models import DefinitionSnapshot
from checklist_app.checklist_engine.pinning import definition_of, local_rows_by_key, with_local_items
from checklist_app.checklist_engine.schema import Definition
from checklist_app.extensions import db
from checklist_app.formatting import long_date, summary

#: Reasons the app writes for itself, already said by the sentence (kept only in the audit table).
OWN_REASONS = ("issue", "sign", "lock")


def _day(value: Any) -> str:
    try:
        return long_date(date.fromisoformat(str(value)))
    except ValueError:
        return ""


def _first_upper(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _with_article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


@dataclass
class CaseRecords:
    """What the events of some cases name, by id: pupils, meetings, letters, contracts and more."""

    cases: dict[int, str] = field(default_factory=dict)  # case id: the pupil's name
    checklists: dict[int, Definition] = field(default_factory=dict)  # case id: its checklist
    meetings: dict[int, tuple[MeetingKind, date]] = field(default_factory=dict)
    records: dict[int, Definition] = field(default_factory=dict)  # meeting id: its record's form
    letters: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # step, title, to whom
    contracts: dict[int, int] = field(default_factory=dict)  # contract id: revision
    attendees: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # name, role, meeting
    agreements: dict[int, str] = field(default_factory=dict)
    figures: dict[int, tuple[date, date]] = field(default_factory=dict)

    @classmethod
    def load(cls, school_id: int, case_ids: set[int]) -> CaseRecords:
        """The records of these cases of the school, in nine queries whatever their number."""
        found = cls()
        snapshots: dict[int, list[tuple[dict[int, Definition], int]]] = {}
        for row in db.session.execute(select(Case.id, Case.checklist_snapshot_id, Pupil.first_name,
                                             Pupil.last_name).join(Pupil, Pupil.id == Case.pupil_id)
                                      .where(Case.school_id == school_id, Case.id.in_(case_ids))):
            found.cases[row.id] = f"{row.first_name} {row.last_name}"
            if row.checklist_snapshot_id:
                snapshots.setdefault(row.checklist_snapshot_id, []).append((found.checklists, row.id))
        mine = {"school_id": school_id, "case_ids": case_ids}
        for row in db.session.execute(_of(Meeting, Meeting.kind, Meeting.meeting_date,
                                          Meeting.record_snapshot_id, **mine)):
            found.meetings[row.id] = (row.kind, row.meeting_date)
            if row.record_snapshot_id:
                snapshots.setdefault(row.record_snapshot_id, []).append((found.records, row.id))
        for row in db.session.execute(_of(Letter, Letter.step, Letter.title, Parent.first_name,
                                          Parent.last_name, **mine).outerjoin(
                                              Parent, Parent.id == Letter.recipient_parent_id)):
            to_whom = f"{row.first_name} {row.last_name}" if row.first_name else ""
            found.letters[row.id] = (str(row.step), row.title, to_whom)
        found.contracts = {row.id: row.revision for row in db.session.execute(
            _of(Contract, Contract.revision, **mine))}
        found.attendees = {row.id: (row.name, row.role, row.meeting_id) for row in db.session.execute(
            _of(Attendee, Attendee.name, Attendee.role, Attendee.meeting_id, **mine))}
        found.agreements = {row.id: row.text for row in db.session.execute(
            _of(Agreement, Agreement.text, **mine))}
        found.figures = {row.id: (row.period_start, row.period_end) for row in db.session.execute(
            _of(AttendanceFigure, AttendanceFigure.period_start, AttendanceFigure.period_end,
                **mine))}
        local = local_rows_by_key(school_id)
        for snapshot in db.session.scalars(select(DefinitionSnapshot).where(
                DefinitionSnapshot.id.in_(snapshots))):
            definition = definition_of(snapshot)
            if definition.key == CHECKLIST_KEY:
                definition = with_local_items(definition, school_id, local.get(definition.key, []))
            for into, record_id in snapshots[snapshot.id]:
                into[record_id] = definition
        return found


def _of(model: Any, *columns: Any, school_id: int, case_ids: set[int]) -> Any:
    return select(model.id, *columns).where(model.school_id == school_id, model.case_id.in_(case_ids))


class CaseworkDescriber:
    """Casework events in the school's words."""

    record_types = frozenset(LABELS)

    def __init__(self, events: list[AuditEvent], reader: Reader) -> None:
        self.reader = reader
        self.found = CaseRecords.load(reader.school_id, {
            e.subject_id for e in events if e.subject_type == "case" and e.subject_id})

    # --- names of records ----------------------------------------------------------------------

    def value(self, event: AuditEvent, key: str) -> Any:
        """A field's stored value after the change (before it, for a removal)."""
        return self.reader.after(event, key)

    def meeting(self, meeting_id: Any, kind: Any = None, on: Any = None) -> str:
        """A meeting as staff name it: "attendance contract meeting on 15 January 2027"."""
        known = self.found.meetings.get(meeting_id) if isinstance(meeting_id, int) else None
        if known:
            kind, on = known
        phrase = MeetingKind(kind).label.lower() if kind in {k.value for k in MeetingKind} \
            else "meeting"
        day = on if isinstance(on, str) else on.isoformat() if isinstance(on, date) else ""
        return f"{phrase} on {_day(day)}" if _day(day) else phrase

    def letter(self, letter_id: Any, event: AuditEvent | None = None) -> str:
        """A letter as staff name it: "letter 4 (Attendance contract outcome letter) to Siân Ó Briain"."""
        step, title, to_whom = self.found.letters.get(letter_id, ("", "", "")) \
            if isinstance(letter_id, int) else ("", "", "")
        if event is not None and not step:
            step, title = self.value(event, "step") or "", self.value(event, "title") or ""
            to_whom = self.reader.names.of("parent", self.value(event, "recipient_parent_id")) or ""
        if step in {s.value for s in LetterStep}:
            title = title or LetterStep(step).label
        name = f"letter {step} ({title})" if step else "a letter"
        return f"{name} to {to_whom}" if to_whom else name

    def contract(self, contract_id: Any, event: AuditEvent | None = None) -> str:
        """The attendance contract, with its revision when it has been revised."""
        revision = self.found.contracts.get(contract_id) if isinstance(contract_id, int) else None
        revision = revision or (self.value(event, "revision") if event else None) or 1
        return "the attendance contract" + (f" (revision {revision})" if revision > 1 else "")

    def formats(self, record_type: str) -> dict[str, Any]:
        found = dict(FORMATS.get(record_type, {}))
        if record_type in ("Contract", "Letter"):
            found["meeting_id"] = both(lambda v: _first_upper(self.meeting(v)))
        if record_type == "Contract":
            found["end_letter_id"] = both(lambda v: _first_upper(self.letter(v)))
        return found

    def rows(self, event: AuditEvent) -> list[Row]:
        rt = event.record_type
        return self.reader.rows(event, LABELS[rt], self.formats(rt), SKIP.get(rt, ()))

    # --- sentences -------------------------------------------------------------------------------

    def entry(self, event: AuditEvent) -> Entry:
        """The event as a sentence, its changed parts and the case or pupil it belongs to."""
        rows = self.rows(event)
        what = getattr(self, f"_{event.record_type.lower()}")(event, rows)
        reason = "" if event.action in OWN_REASONS else event.reason
        about = ""
        if event.subject_type == "case":
            about = f"Case of {self.found.cases.get(event.subject_id, 'a pupil')}"
        elif event.subject_type == "pupil":
            about = f"Pupil: {self.reader.names.of('pupil', event.subject_id) or 'a pupil'}"
        return Entry(event.at, event.user_name, what, reason, rows, about)

    @staticmethod
    def _answers(event: AuditEvent, key: str, definition: Definition | None) -> list[ChangedItem]:
        """The checkpoints whose stored answers changed in the event."""
        pair = (event.changes or {}).get(key)
        if not isinstance(pair, list) or len(pair) != 2:
            return []
        old, new = (v if isinstance(v, dict) else {} for v in pair)
        return changed_items(definition, old, new)

    def _own_name(self, event: AuditEvent, table: str) -> str:
        """A pupil's or parent's name, from the school's records or the change ("" once erased)."""
        first, last = self.value(event, "first_name"), self.value(event, "last_name")
        return self.reader.names.of(table, event.record_id) or \
            " ".join(str(n) for n in (first, last) if n)

    def _pupil(self, event: AuditEvent, rows: list[Row]) -> str:
        if event.action == "erase":
            counts = (event.changes or {}).get("erased")
            rows[:] = [(_first_upper(kind), str(pair[0]), str(pair[1])) for kind, pair in
                       (counts.items() if isinstance(counts, dict) else ()) if isinstance(pair, list)]
            return "Erased a pupil's records"
        name = self._own_name(event, "pupil")
        if event.action == "create":
            return f"Added the pupil {name}" if name else "Added a pupil"
        if event.action == "delete":
            return f"Removed the pupil {name}" if name else "Removed a pupil"
        return f"Changed the details of {name}" if name else "Changed a pupil's details"

    def _parent(self, event: AuditEvent, rows: list[Row]) -> str:
        name = self._own_name(event, "parent") or "a parent or carer"
        pupil = self.reader.names.of("pupil", event.subject_id) or "the pupil"
        if event.action == "create":
            return f"Added {name} as a parent or carer of {pupil}"
        return f"{'Removed' if event.action == 'delete' else 'Changed the details of'} {name}"

    def _case(self, event: AuditEvent, rows: list[Row]) -> str:
        case_id = int(event.record_id) if event.record_id.isdigit() else None
        pupil = self.found.cases.get(case_id, "a pupil") if case_id else "a pupil"
        changed = self._answers(event, "checklist_answers", self.found.checklists.get(case_id))
        rows += [(c.title, *text_change(c.before, c.after)) for c in changed]
        if event.action == "create":
            return f"Opened a case for {pupil}"
        if event.action == "close":
            return f"Closed the case of {pupil}"
        if changed:
            names = "; ".join(c.name for c in changed[:3])
            more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            return f"Changed the contract checklist: {names}{more}"
        if set(event.changes or {}) == {"stage"}:
            new_stage = self.value(event, "stage")
            label = Stage(new_stage).label if new_stage in {s.value for s in Stage} else NOTHING
            return f"Stage of the case now: {label}"
        return "Changed the case details"

    def _meeting(self, event: AuditEvent, rows: list[Row]) -> str:
        meeting_id = int(event.record_id) if event.record_id.isdigit() else None
        name = self.meeting(meeting_id, self.value(event, "kind"), self.value(event, "meeting_date"))
        changed = self._answers(event, "record_answers", self.found.records.get(meeting_id))
        rows += [(c.title, *text_change(c.before, c.after)) for c in changed]
        if event.action == "create":
            return f"Arranged {_with_article(name)}"
        if event.action == "cancel":
            return f"Cancelled the {name}"
        if changed or "outcome" in (event.changes or {}):
            return f"Recorded the {name}"
        return f"Changed the {name}"

    def _attendee(self, event: AuditEvent, rows: list[Row]) -> str:
        known = self.found.attendees.get(int(event.record_id)) if event.record_id.isdigit() else None
        name, role, meeting_id = known or (self.value(event, "name") or "someone",
                                           self.value(event, "role") or "", None)
        person = f"{name} ({role})" if role else name
        meeting = self.meeting(meeting_id)
        if event.action == "create":
            return f"Invited {person} to the {meeting}"
        present = self.value(event, "present")
        if "present" in (event.changes or {}):
            return f"Recorded {person} as {'there' if present else 'not there'} at the {meeting}"
        return f"Changed the details of {person} at the {meeting}"

    def _contract(self, event: AuditEvent, rows: list[Row]) -> str:
        contract_id = int(event.record_id) if event.record_id.isdigit() else None
        name = self.contract(contract_id, event)
        status = self.value(event, "status") if "status" in (event.changes or {}) else None
        if event.action == "create":
            revision = self.found.contracts.get(contract_id) or self.value(event, "revision") or 1
            return f"Started revision {revision} of the attendance contract" if revision > 1 \
                else "Drafted the attendance contract"
        if status == "signed":
            return f"Everyone has signed: {name} is in force"
        if status == "superseded":
            return f"The new revision replaced {name}"
        if status == "ended":
            return f"Ended {name}" + (" as the case closed" if event.action == "close" else "")
        return f"Changed the draft of {name}"

    def _agreement(self, event: AuditEvent, rows: list[Row]) -> str:
        text = self.found.agreements.get(int(event.record_id)) if event.record_id.isdigit() else None
        text = summary(text or self.value(event, "text") or "", 80)
        if event.action == "create":
            return f"Added an agreement to the attendance contract: {text}"
        return f"Changed an agreement of the attendance contract: {text}"

    def _signature(self, event: AuditEvent, rows: list[Row]) -> str:
        signer = self.value(event, "signer_name") or "someone"
        role = self.value(event, "role")
        person = f"{signer} ({role})" if role else signer
        return f"Recorded the signature of {person} on the attendance contract"

    def _attendancefigure(self, event: AuditEvent, rows: list[Row]) -> str:
        known = self.found.figures.get(int(event.record_id)) if event.record_id.isdigit() else None
        start, end = known or (self.value(event, "period_start"), self.value(event, "period_end"))
        period = f"{_day(start)} to {_day(end)}" if _day(start) and _day(end) else "a period"
        if event.action == "create":
            return f"Recorded attendance of {percent(self.value(event, 'attendance_percent'))} " \
                   f"for {period}"
        return f"{'Corrected' if event.action == 'correct' else 'Changed'} the attendance figure " \
               f"for {period}"

    def _contact(self, event: AuditEvent, rows: list[Row]) -> str:
        whom = self.value(event, "with_whom") or "someone"
        method = self.value(event, "method")
        how = ""
        if method in {m.value for m in ContactMethod}:
            how = {"home-visit": " on a home visit", "in-person": " in person"}.get(
                method, f" by {ContactMethod(method).label.lower()}")
        kind = "a contact" if self.value(event, "made") is not False else "an attempted contact"
        if event.action == "create":
            return f"Recorded {kind}{how} with {whom}"
        return f"Changed the record of a contact with {whom}"

    def _letter(self, event: AuditEvent, rows: list[Row]) -> str:
        letter_id = int(event.record_id) if event.record_id.isdigit() else None
        name = self.letter(letter_id, event)
        return {"create": f"Drafted {name}", "issue": f"Issued {name}",
                "withdraw": f"Withdrew the draft of {name}"}.get(event.action,
                                                                f"Changed the draft of {name}")


def case_change_log(case: Case) -> list[Entry]:
    """Every recorded change to the case and its records, oldest first, in the school's words."""
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id,
        AuditEvent.school_id == case.school_id).order_by(AuditEvent.at, AuditEvent.id)))
    return readable(events, case.school_id, [CaseworkDescriber])
