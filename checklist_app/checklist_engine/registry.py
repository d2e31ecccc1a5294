"""The definitions found in the checklists folder and the letter templates of the reports folder,
reloaded when a file changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from checklist_app.checklist_engine.letter_templates import (
    LetterTemplate,
    letter_template_paths,
    load_letter_templates,
)
from checklist_app.checklist_engine.loader import DefinitionError, Problem, load_definition_file
from checklist_app.checklist_engine.schema import Definition


@dataclass
class Registry:
    """Every valid definition by key and version, and the problems of the files refused."""

    root: Path
    definitions: dict[str, dict[str, Definition]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    stamp: tuple = ()

    @classmethod
    def scan(cls, root: Path) -> Registry:
        """Load every ``<key>/<version>.yaml`` below ``root``; bad files are refused, not fatal."""
        registry = cls(root=root, stamp=_stamp(root))
        for path in sorted(root.glob("*/*.yaml")):
            try:
                definition = load_definition_file(path, root)
            except DefinitionError as error:
                registry.problems.extend(error.problems)
                continue
            registry.definitions.setdefault(definition.key, {})[definition.version] = definition
        return registry

    def get(self, key: str, version: str) -> Definition | None:
        """One version of a definition, if its file is present and valid."""
        return self.definitions.get(key, {}).get(version)

    def versions(self, key: str) -> list[Definition]:
        """All valid versions of a key, oldest first."""
        return sorted(self.definitions.get(key, {}).values(), key=lambda d: d.version_tuple)

    def newest_published(self, key: str) -> Definition | None:
        """The newest published version of a key."""
        published = [d for d in self.versions(key) if d.status == "published"]
        return published[-1] if published else None


def _stamp(root: Path) -> tuple:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                 for p in sorted(root.glob("*/*.yaml")))


def registry() -> Registry:
    """The app's registry, rescanned only when a definition file was added, changed or removed."""
    root = Path(current_app.config["CHECKLISTS_DIR"])
    cached: Registry | None = current_app.extensions.get("checklist_registry")
    if cached is None or cached.root != root or cached.stamp != _stamp(root):
        cached = Registry.scan(root)
        current_app.extensions["checklist_registry"] = cached
    return cached


def letter_templates(steps: Sequence[str]) -> dict[str, LetterTemplate]:
    """The app's letter templates (``REPORTS_DIR/letters``) by key, in the order of ``steps``,
    reread only when a file was added, changed or removed. A bad file raises ``DefinitionError``."""
    folder = Path(current_app.config["REPORTS_DIR"]) / "letters"
    stamp = (tuple(steps), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                                 for p in letter_template_paths(folder)))
    cached = current_app.extensions.get("letter_templates")
    if cached is None or cached[0] != stamp:
        cached = (stamp, {t.key: t for t in load_letter_templates(folder, steps)})
        current_app.extensions["letter_templates"] = cached
    return cached[1]
