"""Reads a definition file and reports every problem with its file, line and key."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from checklist_app.checklist_engine.schema import Definition, ResponseType

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition file."""

    path: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else self.path
        return f"{where}, key {self.key or '(top level)'}: {self.message}"


class DefinitionError(ValueError):
    """A definition file cannot be used; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _node_at(node: yaml.Node | None, loc: Loc) -> yaml.Node | None:
    """The YAML node at a pydantic location, or the nearest one above it."""
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            child = next((v for k, v in node.value if k.value == part), None)
            if child is None:
                return node
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node
            node = node.value[part]
        else:
            return node
    return node


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problem_at(path: str, root: yaml.Node | None, loc: Loc, message: str) -> Problem:
    """A problem at a pydantic location, with the line of the YAML node found there."""
    node = _node_at(root, loc)
    line = node.start_mark.line + 1 if node is not None else None
    return Problem(path, line, _dotted(loc), message)


def _cross_checks(data: dict[str, Any], path: Path) -> list[tuple[Loc, str]]:
    """Rules pydantic cannot see item by item: unique ids, references, file name."""
    found: list[tuple[Loc, str]] = []
    if data.get("key") != path.parent.name:
        found.append((("key",), f"key '{data.get('key')}' does not match the folder "
                                f"'{path.parent.name}'"))
    if str(data.get("version")) != path.stem:
        found.append((("version",), f"version '{data.get('version')}' does not match the file "
                                    f"name '{path.stem}'"))
    seen_items: dict[str, Loc] = {}
    seen_sections: set[str] = set()
    uses_rating = False
    for s, section in enumerate(data.get("sections") or []):
        if section.get("id") in seen_sections:
            found.append((("sections", s, "id"), f"duplicate section id '{section.get('id')}'"))
        seen_sections.add(section.get("id"))
        for i, item in enumerate(section.get("items") or []):
            loc: Loc = ("sections", s, "items", i, "id")
            if item.get("id") in seen_items:
                found.append((loc, f"duplicate item id '{item.get('id')}'"))
            seen_items[item.get("id")] = loc
            if (item.get("response") or {}).get("type") == ResponseType.SELF_EVALUATION:
                uses_rating = True
    for s, section in enumerate(data.get("sections") or []):
        for i, item in enumerate(section.get("items") or []):
            target = item.get("replaced_by")
            if target and target not in seen_items:
                found.append((("sections", s, "items", i, "replaced_by"),
                              f"replaced_by names an unknown item '{target}'"))
            if target and not item.get("withdrawn"):
                found.append((("sections", s, "items", i, "replaced_by"),
                              "replaced_by is only for withdrawn items"))
    if uses_rating and not data.get("rating_scale"):
        found.append((("rating_scale",), "self-evaluation items need a rating_scale"))
    if uses_rating and not data.get("evidence_prompts"):
        found.append((("evidence_prompts",), "self-evaluation items need evidence_prompts"))
    if data.get("supersedes") and str(data.get("supersedes")) == str(data.get("version")):
        found.append((("supersedes",), "a version cannot supersede itself"))
    return found


def friendly_message(error: dict[str, Any]) -> str:
    """A pydantic error as a message for the person who wrote the file."""
    if error["type"] == "extra_forbidden":
        return "unknown key (check the spelling against checklists/SCHEMA.md)"
    if error["type"] == "missing":
        return "this key is required"
    if error["type"] == "enum":
        return f"{error['msg']} (got {error.get('input')!r})"
    if error["type"] == "string_pattern_mismatch":
        return f"{error.get('input')!r} is not in the expected form ({error['ctx']['pattern']})"
    return error["msg"].removeprefix("Value error, ")


def loc_without_unions(loc: Loc) -> Loc:
    """A pydantic location without the union and validator steps it names."""
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function"))))


def is_echo(loc: Loc, error: dict[str, Any], errors: list[tuple[Loc, Any]]) -> bool:
    """A "too short after validation" error that only repeats a failure inside the same list."""
    return error["type"] == "too_short" and any(
        other[:len(loc)] == loc and len(other) > len(loc) for other, _ in errors)


def parse_definition(text: str, path: Path, display: str | None = None) -> Definition:
    """Validate a definition's YAML text; raise :class:`DefinitionError` naming file and line."""
    name = display or str(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise DefinitionError([Problem(name, line, "", f"not valid YAML: "
                                       f"{getattr(error, 'problem', None) or error}")]) from None
    if not isinstance(data, dict):
        raise DefinitionError([Problem(name, 1, "", "the file must be a mapping of keys")])
    problems = [problem_at(name, root, loc, msg) for loc, msg in _cross_checks(data, path)]
    try:
        definition = Definition.model_validate(data)
    except ValidationError as error:
        errors = [(loc_without_unions(e["loc"]), e) for e in error.errors()]
        problems += [problem_at(name, root, loc, friendly_message(e)) for loc, e in errors
                     if not is_echo(loc, e, errors)]
        definition = None
    if problems:
        raise DefinitionError(sorted(problems, key=lambda p: (p.line or 0, p.key)))
    return definition


def load_definition_file(path: Path, root: Path | None = None) -> Definition:
    """Read and validate one file."""
    display = str(path.relative_to(root.parent)) if root and path.is_relative_to(root.parent) \
        else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionError([Problem(display, None, "", f"cannot be read: {error}")]) from None
    return parse_definition(text, path, display)


def canonical_content(definition: Definition) -> dict[str, Any]:
    """The definition as plain JSON-ready data (what a snapshot stores)."""
    return definition.model_dump(mode="json")


def content_hash(content: dict[str, Any]) -> str:
    """A stable hash of a definition's content, blind to YAML formatting and comments."""
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
