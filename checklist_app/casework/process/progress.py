"""Progress on a case: the timeline of steps 1–9, and how much of a checklist is done (R5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from checklist_app.casework.enums import LetterStep
from checklist_app.casework.process.facts import CaseFacts
from checklist_app.casework.process.next_step import NextStep

#: The answers that count a checkpoint as done: complete, yes or not applicable.
DONE_STATUSES = frozenset({"complete", "yes", "na"})


@dataclass
class TimelineStep:
    """One step of the process on a case: when it happened and whether it is next."""

    step: LetterStep
    title: str
    rule: str
    dates: list[date] = field(default_factory=list)
    is_next: bool = False


def timeline(f: CaseFacts, step: NextStep | None) -> list[TimelineStep]:
    """The steps 1–9 with the dates each happened (letters issued; contracts signed for step 3)."""
    rows = []
    for number in LetterStep:
        if number is LetterStep.CONTRACT:
            dates = sorted(c.signed_on for c in f.contracts if c.signed_on)
        else:
            dates = sorted(x.issued_on for x in f.letters if x.step == number)
        rows.append(TimelineStep(number, number.label, number.rule, dates,
                                 bool(step and step.step == number)))
    return rows


def completion_by_section(sections: list[tuple[str, str, list[str]]],
                          answers: dict) -> list[tuple[str, str, int, int]]:
    """R5: per stage, how many checkpoints are done (complete / yes / not applicable) of all."""
    rows = []
    for section_id, title, item_ids in sections:
        done = sum(1 for i in item_ids if (answers.get(i) or {}).get("status") in DONE_STATUSES)
        rows.append((section_id, title, done, len(item_ids)))
    return rows


def percent(done: int, total: int) -> int:
    """A whole percentage (0 when there is nothing to do)."""
    return round(100 * done / total) if total else 0
