"""Reads a definition file and reports every problem with its file, line and key."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.constructor import ConstructorError

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


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a list, with their positions (nothing when it is not a list): the shape
    itself is reported by the schema."""
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] \
        if isinstance(value, list) else []


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
    for s, section in _dicts(data.get("sections")):
        if not isinstance(section.get("id"), str):
            continue
        if section.get("id") in seen_sections:
            found.append((("sections", s, "id"), f"duplicate section id '{section.get('id')}'"))
        seen_sections.add(section.get("id"))
        for i, item in _dicts(section.get("items")):
            loc: Loc = ("sections", s, "items", i, "id")
            if not isinstance(item.get("id"), str):
                continue
            if item.get("id") in seen_items:
                found.append((loc, f"duplicate item id '{item.get('id')}'"))
            seen_items[item.get("id")] = loc
            response = item.get("response")
            if isinstance(response, dict) and response.get("type") == ResponseType.SELF_EVALUATION:
                uses_rating = True
    for s, section in _dicts(data.get("sections")):
        for i, item in _dicts(section.get("items")):
            target = item.get("replaced_by")
            if not isinstance(target, str):
                continue
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
    if error["type"] in ("tuple_type", "list_type"):
        return f"should be a list (one entry per line starting with '-'), not {error.get('input')!r}"
    if error["type"] == "model_type":
        return f"should be a mapping of keys, not {error.get('input')!r}"
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


MAX_FILE_CHARACTERS = 1_000_000
KEY_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?([^\s:#'\"][^:#]*?)[ \t]*:(?:[ \t]|$)")


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing duplicate keys, non-word keys and impossible dates."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys are plain words, each given once."""
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ConstructorError(None, None, "a key must be a plain word, not a list or "
                                       "mapping", key_node.start_mark)
            if key_node.value in seen:
                raise ConstructorError(None, None, f"duplicate key '{key_node.value}' (first on "
                                       f"line {seen[key_node.value]})", key_node.start_mark)
            seen[key_node.value] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date or time, or an error naming the impossible one (2023-02-31)."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as error:
            raise ConstructorError(None, None, f"{node.value!r} is not a real date ({error})",
                                   node.start_mark) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)


def _walk(root: yaml.Node, name: str) -> list[tuple[Loc, yaml.Node]]:
    """Every node below ``root`` with its location, iteratively; refuses anchors and aliases."""
    found: list[tuple[Loc, yaml.Node]] = []
    seen: set[int] = set()
    stack: list[tuple[Loc, yaml.Node, int]] = [((), root, 1)]
    while stack:
        loc, node, line = stack.pop()
        if id(node) in seen:
            raise DefinitionError([Problem(name, line, _dotted(loc), "not valid YAML: anchors and "
                                           "aliases (& and *) are not allowed in a definition")])
        seen.add(id(node))
        found.append((loc, node))
        if isinstance(node, yaml.MappingNode):
            stack += reversed([((*loc, str(k.value)), v, k.start_mark.line + 1)
                               for k, v in node.value])
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed([((*loc, i), v, v.start_mark.line + 1)
                               for i, v in enumerate(node.value)])
    return found


def _key_near(text: str, line: int | None) -> str:
    """The nearest key written at or above ``line`` (for errors found before keys are known)."""
    lines = text.splitlines()[:line] if line else []
    for candidate in reversed(lines):
        match = KEY_LINE.match(candidate)
        if match:
            return match.group(1).strip()
    return ""


def _yaml_problem(name: str, text: str, error: yaml.YAMLError,
                  nodes: list[tuple[Loc, yaml.Node]]) -> Problem:
    """A YAML error as a Problem: its line, and the key there."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark else None
    if isinstance(error, yaml.reader.ReaderError):
        line = text[:error.position].count("\n") + 1
    key = next((_dotted(loc) for loc, node in reversed(nodes) if mark is not None
                and node.start_mark.index == mark.index), None)
    if key is None:
        key = _key_near(text, line)
    message = getattr(error, "problem", None) or str(error)
    if isinstance(error, yaml.reader.ReaderError):
        message = f"the character {error.character!r} is not allowed"
    elif "\t" in message or "\\t" in message:
        message += " (indent with spaces, not tabs)"
    return Problem(name, line, key, f"not valid YAML: {message}")


def read_yaml(text: str, name: str) -> tuple[yaml.Node | None, Any]:
    """The composed node tree and the plain data of a definition's text, or DefinitionError."""
    if len(text) > MAX_FILE_CHARACTERS:
        raise DefinitionError([Problem(name, None, "", f"the file has {len(text):,} characters, "
                                       f"more than the {MAX_FILE_CHARACTERS:,} allowed")])
    nodes: list[tuple[Loc, yaml.Node]] = []
    loader = None
    try:
        loader = _StrictLoader(text)
        root = loader.get_single_node()
        if root is None:
            return None, None
        nodes = _walk(root, name)
        return root, loader.construct_document(root)
    except yaml.YAMLError as error:
        raise DefinitionError([_yaml_problem(name, text, error, nodes)]) from None
    except RecursionError:
        raise DefinitionError([Problem(name, None, "", "not valid YAML: nested too deeply")]) \
            from None
    finally:
        if loader is not None:
            loader.dispose()


def parse_definition(text: str, path: Path, display: str | None = None) -> Definition:
    """Validate a definition's YAML text; raise :class:`DefinitionError` naming file and line."""
    name = display or str(path)
    root, data = read_yaml(text, name)
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
        raw = path.read_bytes()
    except OSError as error:
        raise DefinitionError([Problem(display, None, "", f"cannot be read: "
                                       f"{error.strerror or error}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        text_before = raw[:error.start].decode("utf-8", "replace")
        raise DefinitionError([Problem(display, line, _key_near(text_before, line),
                                       f"not UTF-8 text (byte {raw[error.start]:#04x}); save the "
                                       "file as UTF-8")]) from None
    return parse_definition(text, path, display)


def canonical_content(definition: Definition) -> dict[str, Any]:
    """The definition as plain JSON-ready data (what a snapshot stores)."""
    return definition.model_dump(mode="json")


def content_hash(content: dict[str, Any]) -> str:
    """A stable hash of a definition's content, blind to YAML formatting and comments."""
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
