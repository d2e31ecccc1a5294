"""Attendance and absence codes as versioned data (``data/attendance-codes-<version>.yaml``).

Each file is validated with pydantic on load; a problem names the file, the line and the key.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DATA_DIR = Path(__file__).resolve().parent / "data"
CURRENT_VERSION = "2024"


class Category(StrEnum):
    """How a code counts (R32, R33)."""

    PRESENT = "present"
    APPROVED_ACTIVITY = "approved_activity"
    AUTHORISED = "authorised"
    UNAUTHORISED = "unauthorised"
    NOT_POSSIBLE = "not_possible"

    @property
    def label(self) -> str:
        """The category in plain words."""
        return {
            "present": "Present", "approved_activity": "Approved educational activity",
            "authorised": "Authorised absence", "unauthorised": "Unauthorised absence",
            "not_possible": "Not a possible session",
        }[self.value]

    @property
    def possible(self) -> bool:
        """Whether a session with this code counts as a possible session."""
        return self is not Category.NOT_POSSIBLE

    @property
    def attended(self) -> bool:
        """Whether a session with this code counts as attendance (R33)."""
        return self in (Category.PRESENT, Category.APPROVED_ACTIVITY)


class AttendanceCode(BaseModel):
    """One code with its meaning and category."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(min_length=1, max_length=3)
    meaning: str = Field(min_length=3, max_length=200)
    category: Category


class CodeSet(BaseModel):
    """Every code of one edition of the regulations."""

    model_config = ConfigDict(extra="forbid")
    version: str
    title: str
    in_force_from: date
    codes: list[AttendanceCode] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> CodeSet:
        seen: set[str] = set()
        for item in self.codes:
            if item.code in seen:
                raise ValueError(f"the code {item.code!r} is listed twice")
            seen.add(item.code)
        return self

    @property
    def by_code(self) -> dict[str, AttendanceCode]:
        """Codes keyed by their symbol."""
        return {c.code: c for c in self.codes}

    def describe(self, code: str) -> str:
        """A code with its meaning, as a page shows it: "O – Absent in other or unknown
        circumstances" (an unknown code as it is)."""
        found = self.by_code.get(code)
        return f"{code} – {found.meaning}" if found else code

    def codes_in(self, *categories: Category) -> list[str]:
        """The symbols of every code in the given categories."""
        return [c.code for c in self.codes if c.category in categories]


class CodeFileError(ValueError):
    """A code file that does not load, naming the file, line and key of every problem."""


def _line_of(node: Any, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the YAML node at ``loc`` (or of its nearest parent)."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            match = node.value[part]
        else:
            match = None
        if match is None:
            break
        node = match
    return node.start_mark.line + 1


def load_code_file(path: Path) -> CodeSet:
    """Read and validate one code file; :class:`CodeFileError` lists every problem."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CodeFileError(f"{path.name}: not valid YAML: {error}") from error
    try:
        return CodeSet.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            key = ".".join(str(p) for p in loc) or "(top level)"
            problems.append(f"{path.name} line {_line_of(node, loc)}, {key}: {item['msg']}")
        raise CodeFileError("; ".join(problems)) from error


@cache
def code_set(version: str = CURRENT_VERSION) -> CodeSet:
    """The validated codes of one edition (cached)."""
    return load_code_file(DATA_DIR / f"attendance-codes-{version}.yaml")
