"""The definition file schema, validated with pydantic (see checklists/SCHEMA.md)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Version = Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,3}$")]
FieldId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Strict(BaseModel):
    """Unknown keys are errors, so a misspelt key is caught rather than ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ResponseType(StrEnum):
    """What an item asks the user for."""

    SELF_EVALUATION = "self-evaluation"
    COMPLETION = "completion"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    DATE = "date"
    CHOICE = "choice"
    NUMBER = "number"
    PERCENTAGE = "percentage"


class Kind(StrEnum):
    """What a definition is used for."""

    SELF_EVALUATION = "self-evaluation"
    CONTRACT_CHECKLIST = "contract-checklist"
    MEETING_RECORD = "meeting-record"
    REVIEW_MEETING_RECORD = "review-meeting-record"


class Option(Strict):
    """One answer of a choice or completion."""

    value: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    label: Text
    description: str = ""


DEFAULT_COMPLETION_OPTIONS = (
    Option(value="yes", label="Yes"),
    Option(value="no", label="No"),
    Option(value="na", label="Not applicable"),
)


class Response(Strict):
    """The response an item takes."""

    type: ResponseType
    options: tuple[Option, ...] = ()
    required: bool = False
    help: str = ""

    @model_validator(mode="after")
    def _options_fit_type(self) -> Response:
        if self.type is ResponseType.CHOICE and len(self.options) < 2:
            raise ValueError("a choice response needs at least two options")
        if self.options and self.type not in (ResponseType.CHOICE, ResponseType.COMPLETION):
            raise ValueError(f"options are only for choice and completion, not {self.type}")
        values = [o.value for o in self.options]
        if len(values) != len(set(values)):
            raise ValueError("option values must be unique")
        return self

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options offered, with the default Yes / No / Not applicable for completion."""
        if self.type is ResponseType.COMPLETION and not self.options:
            return DEFAULT_COMPLETION_OPTIONS
        return self.options


class GuidanceRef(Strict):
    """A guidance reference: WTTISA [16;17], STORSA (Pg 4), or a named resource."""

    label: Text
    reference: str = ""
    url: str = ""


class Item(Strict):
    """A checkpoint or field. Its id is stable across versions and never reused."""

    id: Slug
    number: Annotated[str, StringConstraints(min_length=1, max_length=12)]
    text: Text
    guidance: tuple[GuidanceRef, ...] = ()
    response: Response
    withdrawn: bool = False
    replaced_by: Slug | None = None
    local: bool = Field(default=False, exclude=True)


class Section(Strict):
    """A group of items (a stage of the contract checklist, a part of a meeting record)."""

    id: Slug
    title: Text
    introduction: str = ""
    items: tuple[Item, ...] = Field(min_length=1)


class RatingLevel(Strict):
    """One level of the self-evaluation rating scale."""

    value: Slug
    label: Text
    description: str = ""


class Prompt(Strict):
    """An evidence prompt answered for each self-evaluation checkpoint."""

    id: FieldId
    label: Text


class Column(Strict):
    """A column of the action-plan table."""

    id: FieldId
    label: Text


class ActionPlan(Strict):
    """The action-plan table that ends a self-evaluation."""

    title: Text
    columns: tuple[Column, ...] = Field(min_length=1)


class SignOffField(Strict):
    """A field of the sign-off block."""

    id: FieldId
    label: Text
    type: Literal["short_text", "long_text", "date"]


class Definition(Strict):
    """One version of a checklist or record definition."""

    key: Slug
    version: Version
    title: Text
    kind: Kind
    publisher: Text
    source_document: Text
    edition_date: date
    status: Literal["draft", "published"]
    supersedes: Version | None = None
    introduction: str = ""
    rating_scale: tuple[RatingLevel, ...] = ()
    evidence_prompts: tuple[Prompt, ...] = ()
    sections: tuple[Section, ...] = Field(min_length=1)
    action_plan: ActionPlan | None = None
    sign_off: tuple[SignOffField, ...] = ()

    @property
    def version_tuple(self) -> tuple[int, ...]:
        """The version as numbers, for ordering (2022.10 comes after 2022.9)."""
        return tuple(int(part) for part in self.version.split("."))

    def items(self, include_withdrawn: bool = False) -> list[Item]:
        """Every item in order, without the withdrawn ones unless asked."""
        return [item for section in self.sections for item in section.items
                if include_withdrawn or not item.withdrawn]

    def item(self, item_id: str) -> Item | None:
        """The item with this id, withdrawn or not."""
        return next((i for i in self.items(include_withdrawn=True) if i.id == item_id), None)

    def section_of(self, item_id: str) -> Section | None:
        """The section that holds an item."""
        return next((s for s in self.sections if any(i.id == item_id for i in s.items)), None)
