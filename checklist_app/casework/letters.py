"""Letter templates (``reports/letters/*.md``, read by the checklist engine) and their merge fields.

:func:`letter_context` builds the plain values documented in ``reports/letters/README.md``;
:func:`render_letter` fills a template in a sandboxed, auto-escaping Jinja environment, having
escaped each value for markdown, so a name can never add formatting, links or HTML.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from checklist_app import clock
from checklist_app.casework.facts import previous_missed_meeting, view_of
from checklist_app.casework.models import (
    AgreementStatus,
    Case,
    ContractStatus,
    LetterStep,
    MeetingOutcome,
    Party,
)
from checklist_app.casework.process import dates
from checklist_app.checklist_engine import registry
from checklist_app.checklist_engine.letter_templates import LetterTemplate
from checklist_app.formatting import long_date


def letter_templates() -> dict[str, LetterTemplate]:
    """Every letter template by key, in step order (the checklist engine reads and checks them)."""
    return registry.letter_templates(list(LetterStep))


def _address(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _support_offered(case: Case) -> list[str]:
    """The support offered so far ("support first", letters 8 and 9)."""
    offered: list[str] = []
    for meeting in case.meetings:
        if meeting.outcome is not MeetingOutcome.REARRANGED:
            offered.append(f"{meeting.kind.label} offered on {long_date(meeting.meeting_date)}"
                           + (" (attended)" if meeting.parents_attended else ""))
    for contract in case.contracts:
        if contract.status is ContractStatus.SUPERSEDED:
            continue
        offered += [a.text for a in contract.agreements
                    if a.party in (Party.SCHOOL, Party.AGENCY)
                    and a.status is not AgreementStatus.NOT_APPLICABLE]
    return list(dict.fromkeys(offered))


def letter_context(case: Case, parent: Any, meeting: Any = None, *, letter_date: date | None = None,
                   step: LetterStep | None = None) -> dict[str, Any]:
    """The merge fields of README.md as plain strings (dates written as 22 November 2026)."""
    today = letter_date or clock.today()
    school, pupil, lead = case.school, case.pupil, case.lead
    latest = max(case.figures, key=lambda x: x.period_end) if case.figures else None
    missed = previous_missed_meeting(case, meeting)
    view = view_of(case, today)
    review = None
    if step is LetterStep.NOTICE_TO_IMPROVE:
        from checklist_app.casework.settings import settings

        review = dates.add_weeks(today, settings().notice_to_improve_review_weeks)
    elif step is LetterStep.OUTCOME:
        signed = [c for c in case.contracts if c.status in (ContractStatus.DRAFT, ContractStatus.SIGNED)]
        review = signed[-1].review_date if signed else None
    if review is None and view.next is not None:
        review = view.next.due
    return {
        "letter": {"date": long_date(today)},
        "school": {"name": school.name, "address": _address(school.address), "phone": school.phone,
                   "email": school.email, "attendance_policy_url": school.attendance_policy_url},
        "recipient": {"title": parent.title if parent else "",
                      "full_name": parent.full_name if parent else "",
                      "salutation": parent.salutation if parent else "Parent or carer",
                      "address": _address(parent.address) if parent else "",
                      "postcode": parent.postcode if parent else ""},
        "pupil": {"full_name": pupil.full_name, "first_name": pupil.first_name,
                  "date_of_birth": long_date(pupil.date_of_birth), "year_group": pupil.year_group},
        "meeting": {"date": long_date(meeting.meeting_date) if meeting else "",
                    "time": meeting.start_time.strftime("%H:%M") if meeting and meeting.start_time
                    else "", "location": meeting.location if meeting else "",
                    "alternative": meeting.alternative_offered if meeting else ""},
        "previous_meeting": {"date": long_date(missed.meeting_date) if missed else ""},
        "attendance": {"baseline": f"{case.baseline_attendance:.1f}%",
                       "current": f"{latest.attendance_percent:.1f}%" if latest else "",
                       "period": (f"{long_date(latest.period_start)} to {long_date(latest.period_end)}"
                                  if latest else "")},
        "review": {"date": long_date(review)},
        "support_offered": _support_offered(case),
        "sender": {"name": lead.name if lead else "", "position": "Attendance lead",
                   "phone": school.phone, "email": lead.email if lead else school.email},
    }


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+\.)", re.M)


def escape_markdown(value: str) -> str:
    """A value that prints as itself in markdown: no emphasis, links, HTML or headings."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return text.replace("\n", "  \n")


def _escaped(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return Markup(escape_markdown("" if value is None else str(value)))  # noqa: S704 - escaped


_ENV = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


def render_letter(template: LetterTemplate, context: dict[str, Any]) -> str:
    """The letter's markdown with the merge fields filled in (values escaped for markdown)."""
    return _ENV.from_string(template.body).render(**_escaped(context))
