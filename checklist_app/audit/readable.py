"""Audit events in the school's words (rule R30): who, when, what happened and what changed.

Each event becomes an :class:`Entry`: the person, the moment, a sentence ("Issued letter 3 to Sam
Smith") and each changed part as (label, before, after). Values are written by their column's
type: dates as 22 November 2026, moments in UK time, enums by their labels, Yes or No; people by
name (looked up in bulk: the same few queries however many events). Housekeeping columns, ids and
secrets are left out, and longer text goes through the sanitising markdown filter, showing only the
passages that changed. Casework and the self-evaluation describe their own records
(:mod:`casework.change_log`, :mod:`self_evaluation.history`); every other record reads through
:class:`Reader` with the words of :mod:`audit.wording`.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from markupsafe import Markup
from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Text, Time, or_, select
from sqlalchemy.orm import Mapper

from checklist_app.audit import wording
from checklist_app.audit.models import AuditEvent
from checklist_app.auth.models import Membership, User
from checklist_app.casework.models import Parent, Pupil
from checklist_app.extensions import db
from checklist_app.formatting import long_date, long_datetime, markdown_text_html, summary
from checklist_app.sharing.models import LocalAuthorityShare

NOTHING = "—"
NOT_KNOWN = "Not known"
ERASED = "The details were erased with the pupil's records."
COMMAND_LINE = "Command line"  # changes made by a CLI command or a script, not a logged-in person
SHOWN_WHOLE = 300  # characters of text shown whole; longer text shows only what changed
HOUSEKEEPING = frozenset({"id", "version", "school_id", "created_at", "updated_at", "pinned_at"})
SECRETS = ("password", "token", "secret", "totp", "hash")
# Markdown a person typed: emphasis, code, links, headings, quotes, lists.
FORMATTED = re.compile(r"[*`]|(?<!\w)_\w|\w_(?!\w)|\]\(|^\s*(?:[#>]|[-+]\s|\d+\.\s)",
                       re.MULTILINE)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")
ISO_TIME = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?")

Row = tuple[str, Any, Any]  # label, before, after (text, or markup from the markdown filter)


@dataclass
class Entry:
    """One readable line of a change log."""

    at: datetime
    who: str
    what: str
    reason: str = ""
    changes: list[Row] = field(default_factory=list)
    about: str = ""  # the case or pupil it belongs to, where the page does not already say
    # For a self-evaluation's history page: what the entry is about, for its filter
    # ("checkpoint:<item id>", "actions", "sign-off" or "board"), and ``kind`` / ``subject`` to
    # fold a run of like entries made at once (21 checkpoints carried forward) under one heading.
    topic: str = "sign-off"
    kind: str = ""
    subject: str = ""


# --- values ----------------------------------------------------------------------------------

def secret(key: str) -> bool:
    """Password hashes, tokens and the like: never shown, even as "changed"."""
    return any(mark in key for mark in SECRETS)


def hidden(key: str) -> bool:
    """Housekeeping columns, ids and secrets, left out unless a describer labels them."""
    return key in HOUSEKEEPING or key.endswith(("_id", "_ids")) or secret(key)


def words(text: Any) -> Any:
    """Typed text as it reads: through the markdown filter when it has formatting, its lines kept
    (an address) when it has several, else as typed."""
    if text is None or str(text).strip() == "":
        return NOTHING
    text = str(text).strip()
    if FORMATTED.search(text):
        return markdown_text_html(text)
    if "\n" in text:
        return Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(
            line.strip() for line in paragraph.splitlines())) for paragraph in _paragraphs(text))
    return text


def _iso_words(text: str) -> str | None:
    try:
        if ISO_DATE.fullmatch(text):
            return long_date(date.fromisoformat(text))
        if ISO_MOMENT.fullmatch(text):
            return long_datetime(datetime.fromisoformat(text))
    except ValueError:
        return None
    return text[:5] if ISO_TIME.fullmatch(text) else None


def plain(value: Any) -> Any:
    """A stored value whose column says nothing more, in words (dates and times recognised)."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return _iso_words(value) or words(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(_short(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{wording.humanise(k)}: {_short(v)}" for k, v in value.items()
                         if not hidden(k)) or NOTHING
    return str(value)


def _short(value: Any) -> str:
    """A value inside a list or a dict, on one line: typed text summarised, never markup."""
    if isinstance(value, str):
        return _iso_words(value) or summary(value, 120) or NOTHING
    return str(plain(value))


def enum_label(kind: type[enum.Enum], value: Any) -> str:
    """An enum's stored value by its label (its name in words when it has none)."""
    try:
        member = kind(value)
    except ValueError:
        return wording.humanise(str(value))
    return getattr(member, "label", None) or wording.humanise(member.name)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _opening(text: str) -> str:
    """A long text's first paragraphs and how long it is in all."""
    if len(text) <= 2 * SHOWN_WHOLE:
        return text
    kept: list[str] = []
    for paragraph in _paragraphs(text):
        if kept and len("\n\n".join(kept)) + len(paragraph) > SHOWN_WHOLE:
            break
        kept.append(paragraph if len(paragraph) <= 2 * SHOWN_WHOLE else summary(paragraph, SHOWN_WHOLE))
    return "\n\n".join(kept) + f"\n\n… ({len(text.split())} words in all)"


def text_change(old: Any, new: Any) -> tuple[Any, Any]:
    """Text before and after: whole when short, else only the passages that changed."""
    before, after = str(old or "").strip(), str(new or "").strip()
    if (len(before) <= SHOWN_WHOLE and len(after) <= SHOWN_WHOLE) or not before or not after:
        return words(_opening(before)), words(_opening(after))
    old_parts, new_parts = _paragraphs(before), _paragraphs(after)
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_parts, new_parts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += old_parts[i1:i2]
            added += new_parts[j1:j2]
    return words("\n\n".join(removed)), words("\n\n".join(added))


# --- the columns of a record type --------------------------------------------------------------

_MAPPERS: dict[str, Mapper] = {}


def _mapper(record_type: str) -> Mapper | None:
    if record_type not in _MAPPERS:
        _MAPPERS.update({m.class_.__name__: m for m in db.Model.registry.mappers})
    return _MAPPERS.get(record_type)


def column(record_type: str, key: str) -> Column | None:
    """The column ``key`` of the model ``record_type`` (None for an unknown one)."""
    mapper = _mapper(record_type)
    return mapper.columns.get(key) if mapper is not None else None


def foreign_table(record_type: str, key: str) -> str | None:
    """The table a foreign-key column points to."""
    found = column(record_type, key)
    if found is None or not found.foreign_keys:
        return None
    return next(iter(found.foreign_keys)).target_fullname.split(".")[0]


def _table_of(record_type: str) -> str | None:
    mapper = _mapper(record_type)
    return mapper.local_table.name if mapper is not None else None


# --- names --------------------------------------------------------------------------------------

@dataclass
class Names:
    """The names of the school's people (staff, pupils, parents) that a list of events mentions."""

    by_table: dict[str, dict[int, str]]
    memberships: dict[int, str]

    def of(self, table: str, value: Any) -> str | None:
        """The name of the record ``value`` of ``table``, if the school knows it."""
        try:
            return self.by_table.get(table, {}).get(int(value))
        except (TypeError, ValueError):
            return None

    @classmethod
    def load(cls, school_id: int, events: Iterable[AuditEvent]) -> Names:
        """Everyone the events name, in three queries whatever their number."""
        wanted: dict[str, set[int]] = {"user": set(), "pupil": set(), "parent": set()}
        memberships: set[int] = set()
        for event in events:
            table = _table_of(event.record_type)
            if table in wanted and event.record_id.isdigit():
                wanted[table].add(int(event.record_id))
            if table == "membership" and event.record_id.isdigit():
                memberships.add(int(event.record_id))
            if event.subject_type == "pupil" and event.subject_id:
                wanted["pupil"].add(event.subject_id)
            for key, pair in (event.changes or {}).items():
                target = foreign_table(event.record_type, key)
                if target in wanted and isinstance(pair, list):
                    wanted[target].update(v for v in pair if isinstance(v, int))
        return cls(*_names(school_id, wanted, memberships))


def _names(school_id: int, wanted: dict[str, set[int]],
           memberships: set[int]) -> tuple[dict[str, dict[int, str]], dict[int, str]]:
    # Staff by the name this school knows them by: an invitation not yet accepted shows only the
    # name its administrator typed (an account elsewhere reveals nothing). A local-authority
    # officer the school shared with keeps their name after the sharing ends.
    staff: dict[int, str] = {}
    by_membership: dict[int, str] = {}
    officers = select(LocalAuthorityShare.officer_id).where(
        LocalAuthorityShare.school_id == school_id)
    for row in db.session.execute(
            select(User.id, User.name, Membership.id.label("membership_id"),
                   Membership.display_name, Membership.accepted)
            .outerjoin(Membership, (Membership.user_id == User.id)
                       & (Membership.school_id == school_id))
            .where(or_(User.id.in_(wanted["user"]), Membership.id.in_(memberships)),
                   or_(Membership.id.is_not(None), User.id.in_(officers)))):
        known = row.membership_id is None or row.accepted
        staff[row.id] = row.display_name or (row.name if known else "") or "a member of staff"
        if row.membership_id is not None:
            by_membership[row.membership_id] = staff[row.id]
    found = {"user": staff}
    for table, model in (("pupil", Pupil), ("parent", Parent)):
        found[table] = {row.id: f"{row.first_name} {row.last_name}" for row in db.session.execute(
            select(model.id, model.first_name, model.last_name).where(
                model.school_id == school_id, model.id.in_(wanted[table])))}
    return found, by_membership


# --- reading events ------------------------------------------------------------------------------

Format = Callable[[Any, Any], tuple[Any, Any]]


class Reader:
    """Writes any audited record's changes in words, and describes records no feature describes."""

    record_types: frozenset[str] = frozenset()

    def __init__(self, school_id: int, names: Names) -> None:
        self.school_id = school_id
        self.names = names

    def value(self, record_type: str, key: str, value: Any) -> Any:
        """One stored value of a record's field, written by the field's column type."""
        if value is None or value == "":
            return NOTHING
        found = column(record_type, key)
        if found is None:
            return plain(value)
        if found.foreign_keys:  # a person by name; any other record's id is never shown
            return self.names.of(foreign_table(record_type, key) or "", value) or NOT_KNOWN
        kind = found.type
        if isinstance(kind, Enum) and kind.enum_class is not None:
            return enum_label(kind.enum_class, value)
        if isinstance(kind, Boolean):
            return "Yes" if value else "No"
        if isinstance(kind, DateTime | Date | Time) and isinstance(value, str):
            return _iso_words(value) or value
        if isinstance(kind, Text):
            return words(value)
        return plain(value)

    def rows(self, event: AuditEvent, labels: dict[str, str] | None = None,
             formats: dict[str, Format] | None = None, skip: Iterable[str] = ()) -> list[Row]:
        """Each changed field: labelled ones in the labels' order, then any other shown field."""
        labels = wording.LABELS.get(event.record_type, {}) if labels is None else labels
        formats, changes, skipped = formats or {}, event.changes or {}, set(skip)
        keys = [k for k in labels if k in changes] + sorted(
            k for k in changes if k not in labels and (k in formats or not hidden(k)))
        rows: list[Row] = []
        for key in keys:
            pair = changes[key]
            if key in skipped or secret(key) or not isinstance(pair, list) or len(pair) != 2:
                continue
            old, new = pair
            if key in formats:
                before, after = formats[key](old, new)
            elif self._is_text(event.record_type, key, old, new):
                before, after = text_change(old, new)
            else:
                before, after = (self.value(event.record_type, key, v) for v in (old, new))
            if str(before) != str(after):
                rows.append((labels.get(key) or wording.humanise(key), before, after))
        return rows

    @staticmethod
    def _is_text(record_type: str, key: str, old: Any, new: Any) -> bool:
        found = column(record_type, key)
        if found is not None and (found.foreign_keys or not isinstance(found.type, Text)):
            return False
        return isinstance(old or new, str) and (found is not None or max(
            len(str(old or "")), len(str(new or ""))) > SHOWN_WHOLE)

    def after(self, event: AuditEvent, key: str) -> Any:
        """A field's stored value after the change (before it, when the record was removed)."""
        pair = (event.changes or {}).get(key)
        if not isinstance(pair, list) or len(pair) != 2:
            return None
        return pair[1] if pair[1] is not None else pair[0]

    def entry(self, event: AuditEvent) -> Entry:
        """Any record's change: a sentence from :mod:`audit.wording` and its fields in words."""
        own = self.names.of(_table_of(event.record_type) or "", event.record_id)
        if event.record_type == "Membership" and event.record_id.isdigit():
            own = self.names.memberships.get(int(event.record_id)) or \
                self.names.of("user", self.after(event, "user_id"))

        def value(key: str) -> Any:  # "name" is the record's own name when the change lacks it
            found = self.after(event, key)
            return own if found is None and key == "name" else found

        what = wording.sentence(event.record_type, event.action, value, lambda key: str(
            self.value(event.record_type, key, self.after(event, key))))
        return Entry(event.at, event.user_name, what, event.reason, self.rows(
            event, formats=wording.FORMATS.get(event.record_type),
            skip=wording.SKIP.get(event.record_type, ())))


class Describer(Protocol):
    """A feature's words for its own records (made once per list of events, with its lookups)."""

    record_types: frozenset[str]

    def entry(self, event: AuditEvent) -> Entry | None:
        """The event in words, or None to leave it to the generic :class:`Reader`."""


MakeDescriber = Callable[[list[AuditEvent], Reader], Describer]


def readable(events: list[AuditEvent], school_id: int,
             describers: Iterable[MakeDescriber] = ()) -> list[Entry]:
    """The events in the school's words, in the order given; each describer does its lookups once."""
    reader = Reader(school_id, Names.load(school_id, events))
    by_type: dict[str, Describer] = {}
    for make in describers:
        describer = make(events, reader)
        by_type.update(dict.fromkeys(describer.record_types, describer))
    entries = []
    for event in events:
        describer = by_type.get(event.record_type)
        entry = (describer.entry(event) if describer else None) or reader.entry(event)
        if (event.changes or {}).get("erased") is True:
            entry.changes, entry.reason = [], ERASED
        entry.who = COMMAND_LINE if entry.who == "command line" else entry.who or "Someone"
        entries.append(entry)
    return entries
