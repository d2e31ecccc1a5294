"""The words of the audit trail: what each kind of record is called, the labels of its fields (the
form labels where a form exists) and the sentence for each change, for the records no feature
describes itself (the school, staff, the register, local checkpoints, sharing). Casework and the
self-evaluation keep their own words beside their records."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from checklist_app.register.parsing import ALL_FIELDS

#: What each kind of record is called (the audit page's "Record type" filter shows these).
TYPE_NAMES = {
    "School": "School details", "User": "User account", "Membership": "Staff membership",
    "Pupil": "Pupil", "Parent": "Parent or carer", "Case": "Case", "Meeting": "Meeting",
    "Attendee": "Meeting attendee", "Contract": "Attendance contract",
    "Agreement": "Contract agreement", "Signature": "Contract signature",
    "AttendanceFigure": "Attendance figure", "Contact": "Contact", "Letter": "Letter",
    "SelfEvaluation": "Self-evaluation", "CheckpointAnswer": "Self-evaluation checkpoint",
    "Action": "Action plan", "BoardComment": "Governing board comment",
    "LocalCheckpoint": "Local checkpoint", "LocalAuthorityShare": "Sharing with the local authority",
    "RollDetails": "Roll details", "ImportRun": "Register import",
    "ColumnMapping": "Register import columns", "TypedWeek": "Typed register week",
}

#: Field labels by record type; a field not listed is shown by its name in words, unless it is
#: housekeeping, an id or a secret (see :func:`audit.readable.hidden`).
LABELS: dict[str, dict[str, str]] = {
    "School": {"name": "Name", "urn": "Unique reference number (URN)",
               "local_authority": "Local authority", "address": "Address", "phone": "Telephone",
               "email": "E-mail address", "attendance_policy_url": "Attendance policy (web address)",
               "require_two_factor": "Two-step log-in required for everyone"},
    "User": {"name": "Name", "email": "E-mail address", "active": "Can log in",
             "failed_logins": "Failed log-in attempts", "locked_until": "Locked until"},
    "Membership": {"user_id": "Person", "display_name": "Name", "role": "Role",
                   "accepted": "Accepted the invitation"},
    "RollDetails": {"pupil_id": "Pupil", "send": "Special educational needs (SEND)",
                    "free_school_meals": "Free school meals", "looked_after": "Looked after",
                    "medical_needs": "Medical needs"},
    "ImportRun": {"kind": "Kind of file", "file_name": "File", "user_name": "Imported by",
                  "rows_read": "Rows read", "pupils_created": "Pupils added",
                  "pupils_updated": "Pupils updated", "marks_written": "Marks added",
                  "marks_replaced": "Marks replaced", "first_date": "First day",
                  "last_date": "Last day", "at": "Imported at"},
    "ColumnMapping": {"kind": "Kind of file", "mapping": "Columns"},
    "TypedWeek": {"pupil_id": "Pupil", "week_start": "Week beginning",
                  "possible_sessions": "Possible sessions", "attended_sessions": "Sessions attended",
                  "unauthorised_sessions": "Unauthorised absences", "withdrawn": "Withdrawn",
                  "reason": "Reason"},
    "LocalCheckpoint": {"number": "Number", "text": "Checkpoint", "guidance": "Guidance",
                        "withdrawn": "Withdrawn"},
    "Action": {"action_point": "Action point", "owner_user_id": "Responsible person",
               "owner_name": "Responsible person(s)", "review_date": "Review date",
               "status": "Status", "comments": "Comments", "completed_on": "Completed on"},
    "LocalAuthorityShare": {"officer_id": "Officer", "local_authority": "Local authority",
                            "shared_by_id": "Shared by", "shared_on": "Shared on",
                            "ended_on": "Ended on", "ended_by_id": "Ended by"},
}

#: Fields left out for a record type: kept for the app's own use, or said in the sentence.
SKIP: dict[str, tuple[str, ...]] = {
    "Action": ("number", "opened_term", "closed_term"),
    "SelfEvaluation": ("academic_year", "season", "current_term", "revision", "carry_notes",
                       "frozen_actions", "frozen_local_items"),
    "LocalCheckpoint": ("definition_key",), "ImportRun": ("at",)}

#: What an action was, as a verb, when a record has no sentence of its own.
VERBS = {"create": "Added", "update": "Changed", "delete": "Removed", "correct": "Corrected",
         "withdraw": "Withdrew", "erase": "Erased", "cancel": "Cancelled", "close": "Closed",
         "sign": "Signed", "lock": "Locked", "issue": "Issued", "finalise": "Finalised",
         "reopen": "Reopened", "end contract": "Ended"}


def humanise(name: str) -> str:
    """A field, action or record name in words: ``reason_for_concern`` is "Reason for concern"."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").replace("-", " ")
    return " ".join(spaced.split()).capitalize()


def file_kind(kind: Any, article: bool = True) -> str:
    """The kind of register file imported: "a pupil roll" or "an attendance marks"."""
    words = "attendance marks" if str(kind or "").startswith("marks") else \
        "pupil roll" if kind == "roll" else "register"
    return (("an " if words[0] in "aeiou" else "a ") + words) if article else words


def type_name(record_type: str) -> str:
    """What a kind of record is called."""
    return TYPE_NAMES.get(record_type) or humanise(record_type)


def verb(action: str) -> str:
    """An action as a past-tense verb, or its name in words."""
    return VERBS.get(action) or humanise(action)


#: The value of a field after the change (before it, for a removal); "name" falls back to the
#: record's own name, where the school knows it.
Value = Callable[[str], Any]
Name = Callable[[str], str]  # a field's value in words, from the record's column


def _membership(action: str, value: Value, name: Name) -> str:
    person = value("name") or value("display_name") or "a member of staff"
    if action == "create":
        return f"Added {person} to the school as {name('role').lower()}"
    if action == "delete":
        return f"Removed {person} from the school"
    return f"Changed the membership of {person}"


def _user(action: str, value: Value, name: Name) -> str:
    who = value("name") or "a person"
    if action in ("create", "update", "delete", "two-factor setting"):
        return {"create": f"Added an account for {who}", "delete": f"Removed the account of {who}",
                "two-factor setting": f"Changed the two-step log-in of {who}"}.get(
                    action, f"Changed the account of {who}")
    return f"{action[:1].upper()}{action[1:]}: {who}"  # a security event: "Logged in: Jo Bloggs"


def _typed_week(action: str, value: Value, name: Name) -> str:
    if action == "create":
        return f"Typed the register week beginning {name('week_start')} for {name('pupil_id')}"
    return f"{verb(action)} a typed register week"


def _share(action: str, value: Value, name: Name) -> str:
    if action == "create":
        return f"Started sharing the self-evaluations with {name('officer_id')}"
    if value("ended_on"):
        return "Stopped sharing the self-evaluations with the local authority"
    return "Changed sharing with the local authority"


SENTENCES: dict[str, Callable[[str, Value, Name], str]] = {
    "School": lambda action, value, name: "Added the school" if action == "create"
    else "Changed the school's details",
    "User": _user,
    "Membership": _membership,
    "RollDetails": lambda action, value, name: f"{verb(action)} roll details"
    + (f" for {name('pupil_id')}" if value("pupil_id") else ""),
    "ImportRun": lambda action, value, name: f"Imported {file_kind(value('kind'))} file"
    if action == "create" else "Changed the counts of a register import",
    "ColumnMapping": lambda action, value, name: "Remembered the columns of "
    f"{file_kind(value('kind'))} file" if action == "create"
    else "Changed the remembered columns of a register file",
    "TypedWeek": _typed_week,
    "LocalCheckpoint": lambda action, value, name: f"{verb(action)} local checkpoint "
    f"{value('number') or ''}".rstrip(),
    "LocalAuthorityShare": _share,
    "Action": lambda action, value, name: ("Opened" if action == "create" else verb(action))
    + f" action {value('number') or ''}".rstrip(),
    "SelfEvaluation": lambda action, value, name: f"{verb(action)} a self-evaluation",
}


def _file_kinds(old: Any, new: Any) -> tuple[str, str]:
    return tuple(file_kind(v, article=False).capitalize() if v else "—" for v in (old, new))


def _columns(old: Any, new: Any) -> tuple[str, str]:
    """A remembered mapping: each header of the school's file and the field it fills."""
    return tuple("; ".join(f"{header}: {ALL_FIELDS.get(field) or humanise(str(field))}"
                           for header, field in mapping.items()) or "—"
                 if isinstance(mapping, dict) else "—" for mapping in (old, new))


#: Values written their own way, by record type and field: (before, after) from the stored pair.
FORMATS: dict[str, dict[str, Callable[[Any, Any], tuple[Any, Any]]]] = {
    "ImportRun": {"kind": _file_kinds},
    "ColumnMapping": {"kind": _file_kinds, "mapping": _columns}}


def sentence(record_type: str, action: str, value: Value, name: Name) -> str:
    """What happened, in a sentence; a record with no sentence of its own is named by its type."""
    made = SENTENCES.get(record_type)
    if made is not None:
        return made(action, value, name)
    return f"{verb(action)}: {type_name(record_type).lower()}"
