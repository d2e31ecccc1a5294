"""Pinning: the first use of a version stores its content, so old records never change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from checklist_app.checklist_engine.loader import canonical_content, content_hash
from checklist_app.checklist_engine.models import DefinitionSnapshot, LocalCheckpoint
from checklist_app.checklist_engine.registry import Registry
from checklist_app.checklist_engine.schema import (
    Definition,
    GuidanceRef,
    Item,
    Response,
    ResponseType,
)
from checklist_app.extensions import db


class ChangedInPlace(RuntimeError):
    """A published file differs from the content pinned when it was first used."""


def pin(definition: Definition) -> DefinitionSnapshot:
    """The snapshot of this version, stored now if this is its first use.

    Refuses a file whose content differs from an existing snapshot: publish a new version instead.
    """
    content = canonical_content(definition)
    digest = content_hash(content)
    snapshot = db.session.scalar(select(DefinitionSnapshot).where(
        DefinitionSnapshot.key == definition.key, DefinitionSnapshot.version == definition.version))
    if snapshot is None:
        snapshot = DefinitionSnapshot(key=definition.key, version=definition.version,
                                      title=definition.title, content=content, content_hash=digest)
        db.session.add(snapshot)
        db.session.flush()
    elif snapshot.content_hash != digest:
        raise ChangedInPlace(
            f"The file for {definition.key} version {definition.version} has been changed since it "
            "was first used. Records made against it keep the original wording. Please restore the "
            "file and publish the change as a new version (with 'supersedes')."
        )
    return snapshot


def definition_of(snapshot: DefinitionSnapshot) -> Definition:
    """The pinned definition, exactly as it was when first used."""
    return Definition.model_validate(snapshot.content)


@dataclass(frozen=True)
class Drift:
    """A pinned version whose file has since changed or gone."""

    key: str
    version: str
    problem: str


def drift(registry: Registry) -> list[Drift]:
    """Pinned versions whose file was changed in place or removed (old records are unaffected)."""
    found = []
    for snapshot in db.session.scalars(select(DefinitionSnapshot).order_by(
            DefinitionSnapshot.key, DefinitionSnapshot.version)):
        current = registry.get(snapshot.key, snapshot.version)
        if current is None:
            found.append(Drift(snapshot.key, snapshot.version,
                               "the file has been removed; records keep the pinned copy"))
        elif content_hash(canonical_content(current)) != snapshot.content_hash:
            found.append(Drift(snapshot.key, snapshot.version,
                               "the file was changed after it was first used: publish the change "
                               "as a new version"))
    return found


def local_rows(school_id: int, key: str) -> list[dict[str, Any]]:
    """A school's own checkpoints for a definition as plain values, oldest first.

    A finalised record keeps this list as it stood (``frozen``), so withdrawing or adding a local
    checkpoint later never relabels it."""
    rows = db.session.scalars(select(LocalCheckpoint).where(
        LocalCheckpoint.school_id == school_id, LocalCheckpoint.definition_key == key)
        .order_by(LocalCheckpoint.id))
    return [_values(row) for row in rows]


def _values(row: LocalCheckpoint) -> dict[str, Any]:
    return {"section_id": row.section_id, "item_id": row.item_id, "number": row.number,
            "text": row.text, "guidance": row.guidance, "withdrawn": row.withdrawn}


def local_rows_by_key(school_id: int) -> dict[str, list[dict[str, Any]]]:
    """All of a school's own checkpoints as in :func:`local_rows`, by definition key (one query)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for row in db.session.scalars(select(LocalCheckpoint).where(
            LocalCheckpoint.school_id == school_id).order_by(LocalCheckpoint.id)):
        found.setdefault(row.definition_key, []).append(_values(row))
    return found


def local_items(rows: list[dict[str, Any]]) -> dict[str, list[Item]]:
    """Local checkpoint values as items by section id, marked as local."""
    by_section: dict[str, list[Item]] = {}
    for row in rows:
        item = Item(id=row["item_id"], number=row["number"], text=row["text"],
                    withdrawn=bool(row.get("withdrawn")),
                    guidance=(GuidanceRef(label=row["guidance"]),) if row.get("guidance") else (),
                    response=Response(type=ResponseType.SELF_EVALUATION), local=True)
        by_section.setdefault(row["section_id"], []).append(item)
    return by_section


def with_local_items(definition: Definition, school_id: int,
                     frozen: list[dict[str, Any]] | None = None) -> Definition:
    """The definition with the school's local checkpoints after each section's official ones.

    ``frozen`` is the list a finalised record kept; without it the school's current ones are used."""
    extra = local_items(frozen if frozen is not None else local_rows(school_id, definition.key))
    if not extra:
        return definition
    sections = []
    for section in definition.sections:
        response = section.items[0].response
        local = tuple(i.model_copy(update={"response": response}) for i in extra.get(section.id, []))
        sections.append(section.model_copy(update={"items": section.items + local}))
    return definition.model_copy(update={"sections": tuple(sections)})
