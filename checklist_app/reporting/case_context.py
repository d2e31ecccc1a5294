"""Plain values for the casework reports: the contract, its checklist, letters and the evidence pack.

Reads a case loaded with its records (see ``case_reports.case_query``) and never writes. Dates stay
dates (the layouts write them as 22 November 2026); moments are written out here in UK time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from checklist_app.audit.readable import Entry as ChangeEntry
from checklist_app.casework import queries as casework
from checklist_app.casework.enums import AttendeeKind, ContractStatus, LetterStatus, Party
from checklist_app.casework.meeting_operations import record_definition
from checklist_app.casework.models import Case, Contract, Letter, Meeting
from checklist_app.casework.process.merge import adjustments_of
from checklist_app.checklist_engine.schema import Definition, ResponseType
from checklist_app.formatting import long_date, long_datetime, summary
from checklist_app.reporting.case_chart import evidence_chart
from checklist_app.reporting.self_evaluation_context import report_header
from checklist_app.reporting.text_runs import markdown_text_html, split_long_runs

SHORT_CHANGE = 160  # characters of a changed part written on one line in the change log
PARTY_ORDER = (Party.PARENT, Party.PUPIL, Party.SCHOOL, Party.AGENCY)


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    return long_datetime(value) if isinstance(value, datetime) else long_date(value)


def pupil_values(case: Case) -> dict[str, Any]:
    """The pupil, as the reports name them."""
    pupil = case.pupil
    return {"full_name": pupil.full_name, "date_of_birth": pupil.date_of_birth,
            "year_group": pupil.year_group, "upn": pupil.upn,
            "social_worker": (f"{pupil.social_worker_name} {pupil.social_worker_contact}".strip()
                              if pupil.has_social_worker else "")}


def parent_values(parent: Any) -> dict[str, Any]:
    """A parent or carer with the details a referral needs."""
    return {"id": parent.id, "full_name": parent.full_name, "salutation": parent.salutation,
            "relationship": parent.relationship_to_pupil, "lives_with_pupil": parent.lives_with_pupil,
            "parental_responsibility": parent.parental_responsibility, "address": parent.address,
            "postcode": parent.postcode, "phone": parent.phone, "email": parent.email,
            "reasonable_adjustments": parent.reasonable_adjustments}


# --- the contract -------------------------------------------------------------------------------

def _signature_blocks(contract: Contract) -> list[dict[str, Any]]:
    """One block per parent party and for the school: signed ones with name and date, else blank."""
    blocks = []
    signed_parents = {s.parent_id: s for s in contract.signatures if s.parent_id}
    for parent in contract.parents:
        s = signed_parents.get(parent.id)
        blocks.append({"heading": "Parent or carer", "name": parent.full_name,
                       "role": parent.relationship_to_pupil or "Parent or carer",
                       "signed": s is not None, "signed_on": s.signed_on if s else None,
                       "date_reason": s.date_reason if s else ""})
    staff = [s for s in contract.signatures if s.on_behalf_of_board]
    for s in staff:
        blocks.append({"heading": "On behalf of the governing board", "name": s.signer_name,
                       "role": s.role, "signed": True, "signed_on": s.signed_on,
                       "date_reason": s.date_reason})
    if not staff:
        blocks.append({"heading": "On behalf of the governing board", "name": "", "role": "",
                       "signed": False, "signed_on": None})
    return blocks


def contract_values(contract: Contract) -> dict[str, Any]:
    """A contract's parties, agreements by party, duration, review date and signatures."""
    by_party = {party: [a for a in contract.agreements if a.party is party] for party in PARTY_ORDER}
    meeting = contract.meeting
    return {
        "id": contract.id, "revision": contract.revision, "status": contract.status.label,
        "signed": contract.status is not ContractStatus.DRAFT, "signed_on": contract.signed_on,
        "duration": contract.duration_text, "review_date": contract.review_date,
        "meeting_date": meeting.meeting_date if meeting else None,
        "ended_on": contract.ended_on, "end_reason": contract.end_reason,
        "end_rationale": contract.end_rationale,
        "parents": [parent_values(p) for p in contract.parents],
        "present": [{"name": a.name, "role": a.role} for a in (meeting.attendees if meeting else [])
                    if a.present],
        "parties": [{"label": party.label, "agreements": [{
            "text": a.text, "owner": a.owner, "due_on": a.due_on, "status": a.status.label,
            "struck": a.struck} for a in rows]} for party, rows in by_party.items() if rows],
        "signatures": _signature_blocks(contract),
    }


def contract_report(case: Case, contract: Contract, today: date) -> dict[str, Any]:
    """Everything the contract layout shows."""
    title = f"Attendance contract – {case.pupil.full_name}"
    return {**report_header(case.school.name, title, today, personal_data=True),
            "school": _school(case), "pupil": pupil_values(case), "contract": contract_values(contract),
            "lead": case.lead.name if case.lead else "", "chair": case.chair_name}


def _school(case: Case) -> dict[str, Any]:
    school = case.school
    return {"name": school.name, "address_lines": [x.strip() for x in school.address.splitlines()
                                                   if x.strip()],
            "phone": school.phone, "email": school.email}


# --- the contract checklist ---------------------------------------------------------------------

def _option_label(item: Any, value: Any) -> str:
    for option in getattr(item.response, "choices", None) or item.response.options:
        if option.value == value:
            return option.label
    return str(value)


def checklist_values(case: Case) -> dict[str, Any]:
    """Each stage's checkpoints with the school's answer and comments, and completion per stage."""
    try:
        definition = casework.checklist_definition(case)
    except casework.CaseworkError:
        return {"title": "", "version": "", "stages": []}
    answers = case.checklist_answers or {}
    completion = {sid: (done, total) for sid, _t, done, total in casework.checklist_completion(case)}
    stages = []
    for section in definition.sections:
        done, total = completion.get(section.id, (0, 0))
        stages.append({"title": section.title, "done": done, "total": total,
                       "percent": round(100 * done / total) if total else 0,
                       "checkpoints": [{"number": item.number, "text": item.text, "local": item.local,
                                  "answer": _option_label(item, (answers.get(item.id) or {})["status"])
                                  if (answers.get(item.id) or {}).get("status") else "Not answered",
                                  "comments": (answers.get(item.id) or {}).get("comments") or ""}
                                 for item in section.items if not item.withdrawn]})
    return {"title": definition.title, "version": definition.version, "stages": stages}


def checklist_report(case: Case, today: date) -> dict[str, Any]:
    """The contract checklist progress report (R5)."""
    title = f"Attendance contract checklist – {case.pupil.full_name}"
    return {**report_header(case.school.name, title, today, personal_data=True),
            "pupil": pupil_values(case), "checklist": checklist_values(case)}


# --- letters ------------------------------------------------------------------------------------

def letter_values(letter: Letter) -> dict[str, Any]:
    """A letter as written: its frozen (or draft) markdown, recipient and issue details."""
    return {"id": letter.id, "step": letter.step, "title": letter.title, "body": letter.body_markdown,
            "issued": letter.status is LetterStatus.ISSUED, "issued_on": letter.issued_on,
            "issued_by": letter.issued_by_name,
            "recipient": letter.recipient.full_name if letter.recipient else "",
            "large_print": adjustments_of(
                letter.recipient.reasonable_adjustments if letter.recipient else "").large_print}


def letter_report(case: Case, letter: Letter, today: date) -> dict[str, Any]:
    """A letter in the letter layout (with the school's letterhead)."""
    return {**report_header(case.school.name, f"Letter {letter.step}: {letter.title}", today,
                            personal_data=True),
            "school": _school(case), "letter": letter_values(letter)}


# --- the evidence pack --------------------------------------------------------------------------

def record_answers(definition: Definition | None, answers: dict[str, Any]) -> list[dict[str, str]]:
    """A meeting record's answers as label / text pairs, in the definition's order."""
    if definition is None:
        return []
    rows = []
    for item in definition.items(include_withdrawn=True):
        stored = answers.get(item.id) or {}
        if not stored:
            continue
        if item.response.type is ResponseType.COMPLETION:
            text = _option_label(item, stored.get("status")) if stored.get("status") else ""
            if stored.get("comments"):
                text = f"{text}\n{stored['comments']}".strip()
        else:
            value = stored.get("value")
            if value in (None, "", []):
                continue
            if item.response.type is ResponseType.DATE:
                text = long_date(date.fromisoformat(value))
            elif item.response.type is ResponseType.CHOICE:
                text = _option_label(item, value)
            elif item.response.type is ResponseType.PERCENTAGE:
                text = f"{value}%"
            else:
                text = str(value)
        rows.append({"label": summary(item.text, 300), "text": text})
    return rows


def meeting_values(meeting: Meeting) -> dict[str, Any]:
    """A meeting with who was invited and there, its notes and its record."""
    return {"kind": meeting.kind.label, "date": meeting.meeting_date,
            "time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
            "location": meeting.location, "alternative": meeting.alternative_offered,
            "scheduled_on": meeting.scheduled_on, "outcome": meeting.outcome.label,
            "notes": meeting.notes,
            "attendees": [{"name": a.name, "role": a.role, "kind": AttendeeKind(a.kind).label,
                           "present": a.present} for a in meeting.attendees],
            "record": record_answers(record_definition(meeting), meeting.record_answers or {})}


def _block(value: Any) -> Any:
    """A change's value for the PDF: sanitised markdown or long text with its long runs cut, so
    it lays out over pages."""
    if isinstance(value, Markup):
        return Markup(split_long_runs(str(value)))  # noqa: S704 - sanitised by the markdown filter
    return markdown_text_html(value) if len(str(value)) > SHORT_CHANGE else value


def change_values(entry: ChangeEntry) -> dict[str, Any]:
    """One change-log entry as the evidence pack's appendix writes it: who, when, what happened,
    and each part changed (short values on one line, longer ones as blocks)."""
    parts = [{"label": label, "old": _block(old), "new": _block(new),
              "short": not isinstance(old, Markup) and not isinstance(new, Markup)
              and len(str(old)) + len(str(new)) < SHORT_CHANGE}
             for label, old, new in entry.changes]
    return {"when": long_datetime(entry.at), "who": entry.who, "what": entry.what,
            "reason": entry.reason, "changes": parts}


def evidence_pack(case: Case, today: date) -> dict[str, Any]:
    """The whole case for a referral: people, chronology and every record in full."""
    title = f"Case evidence pack – {case.pupil.full_name}"
    chronology = [{"when": row.when, "kind": row.kind,
                   "text": row.text + (f" (recorded later, on {long_date(row.recorded_on)})"
                                       if row.recorded_later else "")}
                  for row in casework.chronology(case)]
    changes = [change_values(entry) for entry in casework.change_log(case)]
    return {
        **report_header(case.school.name, title, today, personal_data=True),
        "case": {"id": case.id, "status": case.status.label, "stage": case.stage.label,
                 "opened_on": case.opened_on, "lead": case.lead.name if case.lead else "",
                 "chair": case.chair_name, "baseline": f"{case.baseline_attendance:.1f}%",
                 "reason": case.reason_for_concern, "closed_on": case.closed_on,
                 "closure_reason": case.closure_reason.label if case.closure_reason else "",
                 "closure_rationale": case.closure_rationale},
        "pupil": pupil_values(case),
        "parents": [parent_values(p) for p in case.pupil.parents],
        "figures": [{"start": f.period_start, "end": f.period_end, "recorded_on": f.recorded_on,
                     "percent": f"{f.attendance_percent:.1f}%", "unauthorised": f.unauthorised_sessions,
                     "notes": f.notes} for f in case.figures],
        "contacts": [{"when": _when(c.occurred_at), "method": c.method.label, "with": c.with_whom,
                      "made": c.made, "social_worker": c.with_social_worker, "outcome": c.outcome,
                      "recorded_by": c.recorded_by} for c in case.contacts],
        "meetings": [meeting_values(m) for m in case.meetings],
        "contracts": [contract_values(c) for c in case.contracts],
        "letters": [letter_values(x) for x in case.letters if x.status is LetterStatus.ISSUED],
        "checklist": checklist_values(case),
        "chronology": chronology,
        "register_chart": evidence_chart(case, today),
        "changes": changes,
    }
