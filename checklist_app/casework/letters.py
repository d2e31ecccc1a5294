"""Letter templates (``reports/letters/*.md``, read by the checklist engine) and their merge fields.

:func:`letter_context` builds the plain values documented in ``reports/letters/README.md``;
:func:`render_letter` fills a template in a sandboxed, auto-escaping Jinja environment. Values go
in as they read (no backslashes); the rare characters that would start markup become character
references, so a name can never add formatting, links or HTML.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from checklist_app.casework.facts import facts_of
from checklist_app.casework.models import (
    AgreementStatus,
    Case,
    ContractStatus,
    LetterStep,
    MeetingOutcome,
    Party,
)
from checklist_app.casework.process.facts import CaseFacts
from checklist_app.casework.process.merge import adjustments_of, path_taken, review_date_for
from checklist_app.casework.process.scope import concerns, for_parent
from checklist_app.casework.settings import CaseworkSettings, settings
from checklist_app.checklist_engine import registry
from checklist_app.checklist_engine.letter_templates import LetterTemplate
from checklist_app.clock import today
from checklist_app.formatting import long_date, year_group


def letter_templates() -> dict[str, LetterTemplate]:
    """Every letter template by key, in step order (the checklist engine reads and checks them)."""
    return registry.letter_templates(list(LetterStep))


def _address(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def support_offered(case: Case, parent_id: int | None = None) -> list[str]:
    """The support offered so far to one parent ("support first", letters 8 and 9).

    Only that parent's meetings and contracts, and the joint ones, are listed: nothing one parent
    receives names the other's meetings or agreements.
    """
    offered: list[str] = []
    for meeting in case.meetings:
        if meeting.outcome in (MeetingOutcome.REARRANGED, MeetingOutcome.SCHEDULED,
                               MeetingOutcome.CANCELLED):
            continue
        if not concerns(frozenset(a.parent_id for a in meeting.attendees if a.parent_id),
                        parent_id):
            continue
        offered.append(f"{meeting.kind.label} offered on {long_date(meeting.meeting_date)}"
                       + (" (attended)" if meeting.parents_attended else ""))
    for contract in case.contracts:
        if contract.status is ContractStatus.SUPERSEDED or not concerns(
                frozenset(p.id for p in contract.parents), parent_id):
            continue
        offered += [a.text for a in contract.agreements
                    if a.party in (Party.SCHOOL, Party.AGENCY)
                    and a.status is not AgreementStatus.NOT_APPLICABLE]
    return list(dict.fromkeys(offered))


def _missed_before(f: CaseFacts, meeting: Any) -> date | None:
    missed = [m.on for m in f.contract_no_shows() if meeting is None or m.on < meeting.meeting_date]
    return missed[-1] if missed else None


def letter_context(case: Case, parent: Any, meeting: Any = None, *, letter_date: date | None = None,
                   step: LetterStep | None = None,
                   s: CaseworkSettings | None = None) -> dict[str, Any]:
    """The merge fields of README.md as plain strings (dates written as 22 November 2026).

    Everything is worked out from what is true for the letter's parent on the letter's date: the
    review date of the step, the path taken, their own meetings and contracts (and joint ones).
    """
    s = s or settings()
    on = letter_date or today()
    school, pupil, lead = case.school, case.pupil, case.lead
    found = facts_of(case)  # the register's figures when the pupil has marks, as for the flags
    mine = for_parent(found, parent.id if parent else None)
    meeting_fact = next((m for m in mine.meetings if meeting and m.id == meeting.id), None)
    review = review_date_for(step, on, mine, s, meeting_fact) if step else None
    path = path_taken(mine, on)
    missed = _missed_before(mine, meeting)
    return {
        "letter": {"date": long_date(on)},
        "school": {"name": school.name, "address": _address(school.address), "phone": school.phone,
                   "email": school.email, "attendance_policy_url": school.attendance_policy_url},
        "recipient": {"title": parent.title if parent else "",
                      "full_name": parent.full_name if parent else "",
                      "salutation": parent.salutation if parent else "Parent or carer",
                      "address": _address(parent.address) if parent else "",
                      "postcode": parent.postcode if parent else ""},
        "pupil": {"full_name": pupil.full_name, "first_name": pupil.first_name,
                  "date_of_birth": long_date(pupil.date_of_birth),
                  "year_group": year_group(pupil.year_group)},
        "meeting": {"date": long_date(meeting.meeting_date) if meeting else "",
                    "time": meeting.start_time.strftime("%H:%M") if meeting and meeting.start_time
                    else "", "location": meeting.location if meeting else "",
                    "alternative": meeting.alternative_offered if meeting else ""},
        "previous_meeting": {"date": long_date(missed)},
        "attendance": attendance_values(case, found),
        "review": {"date": long_date(review)},
        "path": {"contract": "yes" if path.contract else "",
                 "contract_date": long_date(path.contract_on),
                 "notice_to_improve": long_date(path.notice_to_improve_on),
                 "termination_warning": long_date(path.termination_warning_on),
                 "officer_discussed": long_date(path.officer_discussed_on)},
        "support_offered": support_offered(case, parent.id if parent else None),
        "sender": {"name": lead.name if lead else "", "position": "Attendance lead",
                   "phone": school.phone, "email": lead.email if lead else school.email},
        "adjustments": {"language_sentence": adjustments_of(
            parent.reasonable_adjustments if parent else "").sentence()},
    }


def attendance_values(case: Case, found: CaseFacts) -> dict[str, str]:
    """Attendance at the start and now: from the register since the case opened when the pupil
    has marks (to the end of the last school week marked), else the latest typed figure."""
    baseline = f"{case.baseline_attendance:.1f}%"
    if found.attendance_now is not None and found.figures:
        end = max(f.period_end for f in found.figures)
        return {"baseline": baseline, "current": f"{found.attendance_now:.1f}%",
                "period": f"{long_date(case.opened_on)} to {long_date(end)}"}
    latest = max(case.figures, key=lambda x: x.period_end) if case.figures else None
    return {"baseline": baseline,
            "current": f"{latest.attendance_percent:.1f}%" if latest else "",
            "period": (f"{long_date(latest.period_start)} to {long_date(latest.period_end)}"
                       if latest else "")}


#: Characters that could add markup, written as HTML character references (no backslashes).
_ACTIVE = {"<": "&lt;", ">": "&gt;", "*": "&#42;", "[": "&#91;", "]": "&#93;", "`": "&#96;",
           "\\": "&#92;"}
_ACTIVE_CHARS = re.compile(r"[<>*\[\]`\\]|(?<!\w)_|_(?!\w)")


def inert_value(value: str) -> str:
    """A merge value as it reads, unable to add emphasis, links or HTML to the letter.

    Ordinary values (names, dates, "82.5%", addresses, e-mail addresses) go in exactly as they are;
    only the rare characters that would start markup become character references, never
    backslashes. Lines of a multi-line value (an address) end with a line break.
    """
    text = _ACTIVE_CHARS.sub(lambda m: _ACTIVE.get(m.group(0), "&#95;"), value)
    return text.replace("\n", "  \n")


def _inert(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _inert(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_inert(v) for v in value]
    return Markup(inert_value("" if value is None else str(value)))  # noqa: S704 - made inert


_ENV = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


def render_letter(template: LetterTemplate, context: dict[str, Any]) -> str:
    """The letter's markdown with the merge fields filled in (values made inert, not escaped).

    A parent's language (their reasonable adjustments) adds a sentence before the sign-off.
    """
    body = _ENV.from_string(template.body).render(**_inert(context))
    sentence = (context.get("adjustments") or {}).get("language_sentence")
    if sentence:
        body = body.replace("Yours sincerely,", f"{inert_value(sentence)}\n\nYours sincerely,", 1)
    return body
