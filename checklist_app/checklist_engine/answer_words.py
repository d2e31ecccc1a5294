"""Stored checklist answers in words, for pages that show answers outside their form (change logs):
each checkpoint by its number and title, an option by its label, a date as 22 November 2026."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from checklist_app.checklist_engine.schema import Definition, Item, ResponseType
from checklist_app.formatting import long_date, summary


def item_title(item: Item, limit: int = 80) -> str:
    """A checkpoint as staff name it: its number and the start of its text."""
    return f"{item.number}. {summary(item.text, limit)}"


def option_label(item: Item, value: Any) -> str:
    """The label of the option ``value`` of a choice or completion item (the value if unknown)."""
    for option in item.response.choices or item.response.options:
        if option.value == value:
            return option.label
    return str(value)


def answer_words(item: Item | None, stored: Any) -> str:
    """One checkpoint's stored answer as plain words ("" when unanswered); text stays as typed."""
    if not isinstance(stored, dict):
        return "" if stored in (None, "", [], {}) else str(stored)
    kind = item.response.type if item else None
    if kind is ResponseType.COMPLETION:
        status = option_label(item, stored["status"]) if stored.get("status") else ""
        return "\n\n".join(part for part in (status, str(stored.get("comments") or "")) if part)
    value = stored.get("value")
    if value in (None, "", []):
        return "\n\n".join(str(v) for v in stored.values() if v not in (None, "", []))
    if kind is ResponseType.DATE and isinstance(value, str):
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    if kind is ResponseType.CHOICE:
        return option_label(item, value)
    if kind is ResponseType.PERCENTAGE:
        return f"{value}%"
    return str(value)


class ChangedItem(NamedTuple):
    """One checkpoint whose answer changed: its short name, its title, the answer before and after."""

    name: str
    title: str
    before: str
    after: str


def changed_items(definition: Definition | None, old: dict[str, Any] | None,
                  new: dict[str, Any] | None) -> list[ChangedItem]:
    """The checkpoints whose answer differs, in the definition's order.

    A checkpoint the definition no longer knows is named from its id, in words."""
    old, new = old or {}, new or {}
    ids = [i for i in dict.fromkeys([*old, *new]) if (old.get(i) or {}) != (new.get(i) or {})]
    items = {item.id: item for item in definition.items(include_withdrawn=True)} if definition else {}
    order = {item_id: n for n, item_id in enumerate(items)}
    rows = []
    for item_id in sorted(ids, key=lambda i: order.get(i, len(order))):
        item = items.get(item_id)
        name = summary(item.text, 50) if item else \
            item_id.replace("-", " ").replace("_", " ").capitalize()
        before, after = answer_words(item, old.get(item_id)), answer_words(item, new.get(item_id))
        if before != after:
            rows.append(ChangedItem(name, item_title(item) if item else name, before, after))
    return rows
