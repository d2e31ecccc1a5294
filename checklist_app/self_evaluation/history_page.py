"""How the history page is laid out: entries under a heading for each day, a run of like entries
made at once (21 checkpoints carried forward in the same minute) folded under one heading, and a
filter by checkpoint or kind of change. Nothing is left out: a folded run lists every entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from checklist_app.formatting import to_uk
from checklist_app.self_evaluation.history import Entry

FOLD_AT = 3  # this many like entries by one person in one minute are shown as one
RUN_TITLES = {
    "checkpoint-carried": "Carried {n} checkpoints forward from last term",
    "checkpoint-revision": "Carried {n} checkpoints into the new revision",
    "checkpoint-answered": "Answered {n} checkpoints",
    "checkpoint-changed": "Changed {n} checkpoints",
    "action-opened": "Opened {n} actions",
    "action-changed": "Changed {n} actions",
}
KINDS = [("sign-off", "Starting, sign-off, finalising and reopening"), ("actions", "Actions"),
         ("board", "Governing board comments")]


@dataclass
class Block:
    """One entry, or a folded run of like entries made together."""

    entries: list[Entry]

    @property
    def folded(self) -> bool:
        return len(self.entries) > 1

    @property
    def title(self) -> str:
        first = self.entries[0]
        return RUN_TITLES[first.kind].format(n=len(self.entries)) if self.folded else first.what

    @property
    def who(self) -> str:
        return self.entries[0].who or "Someone"

    @property
    def time(self) -> str:
        """The time of day in the UK, 14:05."""
        return f"{to_uk(self.entries[0].at):%H:%M}"


@dataclass
class Day:
    """The blocks of one day, in the order they happened."""

    day: date
    blocks: list[Block]

    @property
    def count(self) -> int:
        return sum(len(block.entries) for block in self.blocks)


def _minute(at: datetime) -> datetime:
    return to_uk(at).replace(second=0, microsecond=0)


def _same_run(entry: Entry, last: Entry) -> bool:
    return (entry.kind in RUN_TITLES and entry.kind == last.kind and entry.who == last.who
            and _minute(entry.at) == _minute(last.at))


def days_of(entries: list[Entry]) -> list[Day]:
    """The entries by day; runs of FOLD_AT or more like entries folded into one block."""
    runs: list[list[Entry]] = []
    for entry in entries:
        if runs and _same_run(entry, runs[-1][-1]):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    blocks = [block for run in runs for block in
              ([Block(run)] if len(run) >= FOLD_AT else [Block([e]) for e in run])]
    days: list[Day] = []
    for block in blocks:
        day = to_uk(block.entries[0].at).date()
        if days and days[-1].day == day:
            days[-1].blocks.append(block)
        else:
            days.append(Day(day, [block]))
    return days


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def topics(entries: list[Entry]) -> list[tuple[str, str]]:
    """What the history can be narrowed to: each kind of change, then each checkpoint it names."""
    present = {e.topic for e in entries}
    checkpoints = {e.topic: e.subject for e in entries if e.topic.startswith("checkpoint:")}
    return [(value, label) for value, label in KINDS if value in present] + sorted(
        checkpoints.items(), key=lambda pair: _natural(pair[1]))


def narrowed(entries: list[Entry], topic: str) -> list[Entry]:
    """Only the entries about ``topic`` (all of them when it is empty or unknown)."""
    chosen = [e for e in entries if e.topic == topic]
    return chosen if topic and chosen else entries
