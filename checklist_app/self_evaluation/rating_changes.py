"""Each checkpoint's rating this term against last term, honest across a change of edition.

Pure: takes the two definitions and the ratings, reads nothing. Used by the governing board
pack's change table and the governor's home page. Across editions (``checklist_engine.diff``):
a checkpoint withdrawn in the new edition is still listed with last term's rating; one whose
wording changed says so beside its rating movement; a new checkpoint that replaces a withdrawn
one takes the withdrawn one's rating as its baseline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from checklist_app.checklist_engine.diff import ChangeKind, diff
from checklist_app.checklist_engine.schema import Definition, Item, RatingLevel

#: What changed in a checkpoint, in the words a governor reads.
ALTERED = {"text": "wording", "guidance": "guidance", "response": "answer format"}


class Kind(StrEnum):
    """How a row of the comparison relates to last term."""

    NO_BASELINE = "no-baseline"  # there is no earlier term to compare with
    SAME = "same"                # the same checkpoint both terms (its wording may have changed)
    NEW = "new"                  # not there last term, replaces nothing
    REPLACEMENT = "replacement"  # new, replacing checkpoint(s) withdrawn since last term
    WITHDRAWN = "withdrawn"      # there last term, withdrawn since


@dataclass(frozen=True)
class Predecessor:
    """A withdrawn checkpoint that a new one replaces, with last term's rating."""

    number: str
    rating: RatingLevel | None


@dataclass(frozen=True)
class RatingChange:
    """One row: a checkpoint, its rating now and its baseline from last term."""

    item_id: str
    number: str
    text: str
    local: bool
    kind: Kind
    now: RatingLevel | None = None
    before: RatingLevel | None = None
    altered: tuple[str, ...] = ()
    old_number: str | None = None
    replaces: tuple[Predecessor, ...] = ()
    replaced_by: str | None = None
    movement: int | None = None  # 1 up, 0 the same, -1 down; None when not comparable

    @property
    def changed(self) -> bool:
        """Anything a governor should see: the rating moved, the wording changed, new, withdrawn."""
        if self.kind is Kind.SAME:
            return bool(self.altered or self.old_number) or _value(self.now) != _value(self.before)
        return self.kind is not Kind.NO_BASELINE

    @property
    def description(self) -> str:
        """The change in a few plain words, e.g. "New: replaces checkpoint 4 (was Developing); up"."""
        if self.kind is Kind.NO_BASELINE:
            return "No earlier term"
        if self.kind is Kind.WITHDRAWN:
            where = "by the school" if self.local else "in the new edition"
            after = f"; replaced by checkpoint {self.replaced_by}" if self.replaced_by else ""
            return f"Withdrawn {where} ({_was(self.before)}){after}"
        if self.kind is Kind.NEW:
            return "New: the school's own checkpoint" if self.local else "New in this edition"
        if self.kind is Kind.REPLACEMENT:
            return f"New: {_replaces(self.replaces)}{_movement_tail(self)}"
        notes = [f"was checkpoint {self.old_number}"] if self.old_number else []
        notes += [f"{ALTERED.get(name, name)} changed" for name in self.altered]
        movement = _movement(self)
        if notes:
            lead = "; ".join(notes)
            return f"{lead[0].upper()}{lead[1:]}; {movement[0].lower()}{movement[1:]}"
        return movement


def _value(level: RatingLevel | None) -> str | None:
    return level.value if level else None


def _was(level: RatingLevel | None) -> str:
    return f"was {level.label}" if level else "not rated last term"


def _replaces(predecessors: tuple[Predecessor, ...]) -> str:
    parts = [f"{p.number} ({_was(p.rating)})" for p in predecessors]
    if len(parts) == 1:
        return f"replaces checkpoint {parts[0]}"
    return f"replaces checkpoints {', '.join(parts[:-1])} and {parts[-1]}"


def _movement_tail(row: RatingChange) -> str:
    if row.now is None:
        return "; not rated yet"
    return {1: "; up", 0: "; no change", -1: "; down"}.get(row.movement, "")  # type: ignore[arg-type]


def _movement(row: RatingChange) -> str:
    if row.before is None:
        return "Not rated last term" if row.now else "Not rated"
    if row.now is None:
        return f"Not rated ({_was(row.before)})"
    if row.movement is None:
        return f"Changed from {row.before.label}"
    if row.movement == 0:
        return "No change in rating" if row.altered or row.old_number else "No change"
    direction = "Up" if row.movement > 0 else "Down"
    return f"{direction} from {row.before.label}"


def _direction(now: RatingLevel | None, before: RatingLevel | None, order: dict[str, int]) -> int | None:
    if now is None or before is None or now.value not in order or before.value not in order:
        return None
    return (order[now.value] > order[before.value]) - (order[now.value] < order[before.value])


def compare(old: Definition | None, new: Definition, shown: Iterable[str],
            before: Mapping[str, str | None], now: Mapping[str, str | None]) -> list[RatingChange]:
    """The rows of the change table, in the new edition's order.

    ``old`` is last term's definition (None: no earlier term), ``new`` this term's; ``shown`` the ids
    of the checkpoints this term's self-evaluation lists; ``before`` and ``now`` the ratings by checkpoint
    id. Checkpoints withdrawn since last term come at their place in the new edition (or at the
    end when it no longer lists them)."""
    scale_now = {level.value: level for level in new.rating_scale}
    scale_before = {level.value: level for level in (old or new).rating_scale}
    order = {level.value: index for index, level in enumerate(new.rating_scale)}
    listed = set(shown)
    if old is None:
        return [RatingChange(i.id, i.number, i.text, i.local, Kind.NO_BASELINE,
                             now=scale_now.get(now.get(i.id) or ""))
                for i in new.items(include_withdrawn=True) if i.id in listed]
    old_items = {i.id: i for i in old.items(include_withdrawn=True)}

    def rated(item_id: str) -> RatingLevel | None:
        return scale_before.get(before.get(item_id) or "")

    altered: dict[str, tuple[str, ...]] = {}
    withdrawn: dict[str, tuple[Item, str | None]] = {}
    replacing: dict[str, list[Predecessor]] = {}
    for change in diff(old, new):
        if change.kind is ChangeKind.CHANGED:
            altered[change.item_id] = tuple(change.detail.split(", "))
        elif change.kind in (ChangeKind.WITHDRAWN, ChangeKind.REPLACED) and change.old is not None:
            successor = new.item(change.new.replaced_by) if change.new and change.new.replaced_by else None
            withdrawn[change.item_id] = (change.old, successor.number if successor else None)
            if successor is not None and successor.id not in old_items:
                replacing.setdefault(successor.id, []).append(
                    Predecessor(change.old.number, rated(change.item_id)))

    def withdrawn_row(item_id: str) -> RatingChange:
        item, successor = withdrawn.pop(item_id)
        return RatingChange(item.id, item.number, item.text, item.local, Kind.WITHDRAWN,
                            before=rated(item.id), replaced_by=successor)

    rows: list[RatingChange] = []
    for item in new.items(include_withdrawn=True):
        if item.id in withdrawn:
            rows.append(withdrawn_row(item.id))
        elif item.id in listed:
            rows.append(_row(item, old_items.get(item.id),
                             scale_now.get(now.get(item.id) or ""), rated(item.id),
                             altered.get(item.id, ()), replacing.get(item.id), order))
    rows += [withdrawn_row(item_id) for item_id in list(withdrawn)]
    return rows


def _row(item: Item, old: Item | None, now: RatingLevel | None, before: RatingLevel | None,
         altered: tuple[str, ...], replaces: list[Predecessor] | None,
         order: dict[str, int]) -> RatingChange:
    """A checkpoint listed this term: the same as last term, new, or replacing withdrawn ones."""
    if old is None and replaces:
        rated = {p.rating.value: p.rating for p in replaces if p.rating}
        baseline = next(iter(rated.values())) if len(rated) == 1 else None
        return RatingChange(item.id, item.number, item.text, item.local, Kind.REPLACEMENT, now=now,
                            before=baseline, replaces=tuple(replaces),
                            movement=_direction(now, baseline, order))
    if old is None:
        return RatingChange(item.id, item.number, item.text, item.local, Kind.NEW, now=now)
    return RatingChange(item.id, item.number, item.text, item.local, Kind.SAME, now=now, before=before,
                        altered=altered, old_number=old.number if old.number != item.number else None,
                        movement=_direction(now, before, order))


def edition_notes(editions: Iterable[Definition]) -> dict[str, list[str]]:
    """Per checkpoint id, what each change of edition did to it, oldest first ("Wording changed
    in edition 2026.1", "Withdrawn in edition 2026.1; replaced by checkpoint 26"), for the
    term-on-term page. ``editions`` are the terms' editions in term order (repeats skipped)."""
    notes: dict[str, list[str]] = {}
    distinct: list[Definition] = []
    for definition in editions:
        if not distinct or distinct[-1].version != definition.version:
            distinct.append(definition)
    for old, new in zip(distinct, distinct[1:], strict=False):
        edition = f"edition {new.version}"
        for row in compare(old, new, [i.id for i in new.items(include_withdrawn=True)], {}, {}):
            if row.kind is Kind.WITHDRAWN:
                note = f"Withdrawn in {edition}" + (
                    f"; replaced by checkpoint {row.replaced_by}" if row.replaced_by else "")
            elif row.kind is Kind.REPLACEMENT:
                numbers = " and ".join(p.number for p in row.replaces)
                plural = "s" if len(row.replaces) > 1 else ""
                note = f"New in {edition}, replacing checkpoint{plural} {numbers}"
            elif row.kind is Kind.NEW:
                note = f"New in {edition}"
            elif row.altered or row.old_number:
                what = [f"{ALTERED.get(name, name)} changed" for name in row.altered]
                what += [f"was checkpoint {row.old_number}"] if row.old_number else []
                text = "; ".join(what)
                note = f"{text[0].upper()}{text[1:]} in {edition}"
            else:
                continue
            notes.setdefault(row.item_id, []).append(note)
    return notes
