"""Letter templates (``reports/letters/*.md``) and their merge fields.

:func:`letter_context` builds the plain values documented in ``reports/letters/README.md``;
:func:`render_letter` fills a template in a sandboxed, auto-escaping Jinja environment, having
escaped each value for markdown, so a name can never add formatting, links or HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

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
from checklist_app.formatting import long_date


@dataclass(frozen=True)
class LetterTemplate:
    """One letter of the process: its front matter and markdown body."""

    step: str
    key: str
    title: str
    rule: str
    needs_meeting: bool
    notes_for_school: tuple[str, ...]
    body: str


class LetterTemplateError(ValueError):
    """A letter template file is malformed."""


def parse_template(text: str, name: str = "") -> LetterTemplate:
    """A template from its file text (YAML front matter between ``---`` lines, then markdown)."""
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, re.S)
    if not match:
        raise LetterTemplateError(f"{name}: the file must start with front matter between --- lines")
    meta = yaml.safe_load(match.group(1)) or {}
    try:
        return LetterTemplate(step=str(meta["step"]), key=str(meta["key"]), title=str(meta["title"]),
                              rule=str(meta.get("rule", "")),
                              needs_meeting=bool(meta.get("needs_meeting", False)),
                              notes_for_school=tuple(meta.get("notes_for_school") or ()),
                              body=match.group(2).strip() + "\n")
    except KeyError as error:
        raise LetterTemplateError(f"{name}: front matter needs {error.args[0]}") from None


def letter_templates() -> dict[str, LetterTemplate]:
    """Every letter template by key, in step order (reread when a file changes)."""
    folder = Path(current_app.config["REPORTS_DIR"]) / "letters"
    paths = sorted(p for p in folder.glob("*.md") if p.name != "README.md")
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in paths)
    cached = current_app.extensions.get("casework_letter_templates")
    if cached is None or cached[0] != stamp:
        found = [parse_template(p.read_text(encoding="utf-8"), p.name) for p in paths]
        order = {step: i for i, step in enumerate(LetterStep)}
        found.sort(key=lambda t: order.get(t.step, 99))
        cached = (stamp, {t.key: t for t in found})
        current_app.extensions["casework_letter_templates"] = cached
    return cached[1]


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
                   step: str | None = None) -> dict[str, Any]:
    """The merge fields of README.md as plain strings (dates written as 22 November 2026)."""
    today = letter_date or date.today()
    school, pupil, lead = case.school, case.pupil, case.lead
    latest = max(case.figures, key=lambda x: x.period_end) if case.figures else None
    missed = previous_missed_meeting(case, meeting)
    view = view_of(case, today)
    review = None
    if step == "8":
        from checklist_app.casework.settings import settings

        review = dates.add_weeks(today, settings().notice_to_improve_review_weeks)
    elif step == "4":
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
