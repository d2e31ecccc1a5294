"""A meeting's action plan carried into the contract's agreements (R25, R26, R27).

The meeting record holds each party's actions as free text ("Parents agree to: …"), one action a
line or bullet. :func:`plan_agreements` turns them into the agreements a new contract starts with,
so the plan is never retyped; staff can still edit, add or strike them before anyone signs.
"""

from __future__ import annotations

import re
from typing import Any

from checklist_app.casework.enums import Party

#: The record answers holding each party's actions (both meeting records use these ids).
PLAN_ANSWERS: tuple[tuple[str, Party], ...] = (
    ("young-person-agrees-to", Party.PUPIL),
    ("parents-agree-to", Party.PARENT),
    ("school-agrees-to", Party.SCHOOL),
    ("other-agencies-agree-to", Party.AGENCY),
)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def actions_in(text: str | None) -> list[str]:
    """The separate actions in a free-text answer: one per line, bullets and numbers removed."""
    found = []
    for line in (text or "").splitlines():
        action = _BULLET.sub("", line).strip()
        if action:
            found.append(action)
    return found


def _value(answers: dict[str, Any], answer_id: str) -> str:
    value = (answers.get(answer_id) or {}).get("value")
    return value if isinstance(value, str) else ""


def plan_agreements(answers: dict[str, Any]) -> list[tuple[Party, str]]:
    """The agreements a contract made at this meeting starts with: (party, text), in plan order."""
    return [(party, action) for answer_id, party in PLAN_ANSWERS
            for action in actions_in(_value(answers, answer_id))]


def plan_sections(answers: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The plan as the family's copy shows it: each party's heading and actions (empty ones left out)."""
    sections = [(party.label, actions_in(_value(answers, answer_id)))
                for answer_id, party in PLAN_ANSWERS]
    return [(title, actions) for title, actions in sections if actions]
