"""What changed between two versions of a definition, item by stable id."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from checklist_app.checklist_engine.schema import Definition, Item


class ChangeKind(StrEnum):
    """How an item differs between two versions."""

    ADDED = "added"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"
    MOVED = "moved"


@dataclass(frozen=True)
class Change:
    """One item's difference: what it was and what it is."""

    kind: ChangeKind
    item_id: str
    old: Item | None
    new: Item | None
    detail: str = ""


def _place(definition: Definition, item: Item) -> tuple[str, str]:
    section = definition.section_of(item.id)
    return (section.id if section else "", item.number)


def diff(old: Definition, new: Definition) -> list[Change]:
    """Every added, changed, withdrawn, replaced or moved item, in the new version's order."""
    changes: list[Change] = []
    old_items = {i.id: i for i in old.items(include_withdrawn=True)}
    for item in new.items(include_withdrawn=True):
        before = old_items.get(item.id)
        if before is None:
            changes.append(Change(ChangeKind.ADDED, item.id, None, item))
            continue
        if item.withdrawn and not before.withdrawn:
            kind = ChangeKind.REPLACED if item.replaced_by else ChangeKind.WITHDRAWN
            detail = f"replaced by {item.replaced_by}" if item.replaced_by else ""
            changes.append(Change(kind, item.id, before, item, detail))
            continue
        altered = [name for name, differs in (
            ("text", before.text != item.text), ("guidance", before.guidance != item.guidance),
            ("response", before.response != item.response)) if differs]
        if altered:
            changes.append(Change(ChangeKind.CHANGED, item.id, before, item, ", ".join(altered)))
        if _place(old, before) != _place(new, item):
            changes.append(Change(ChangeKind.MOVED, item.id, before, item,
                                  f"from {before.number} to {item.number}"))
    new_ids = {i.id for i in new.items(include_withdrawn=True)}
    changes += [Change(ChangeKind.WITHDRAWN, item_id, item, None, "no longer listed")
                for item_id, item in old_items.items() if item_id not in new_ids]
    return changes


def needs_review(changes: list[Change]) -> set[str]:
    """Items whose wording or guidance changed, so an answer carried over should be looked at."""
    return {c.item_id for c in changes if c.kind is ChangeKind.CHANGED}
