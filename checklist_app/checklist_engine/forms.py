"""Builds a WTForms form class per request from a definition's items (never a shared class)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from wtforms import (
    DecimalField,
    Field,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from checklist_app.checklist_engine.schema import Definition, Item, ResponseType
from checklist_app.formatting import summary
from checklist_app.input_safety import DateField
from checklist_app.input_safety import SafeForm as FlaskForm  # one-line fields stay one line

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 20_000


def choice_list(pairs: list[tuple[str, str]] | tuple) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def field_name(item_id: str, part: str = "") -> str:
    """The form field name of an item (and a part of its answer)."""
    base = item_id.replace("-", "_")
    return f"{base}__{part}" if part else base


def _presence(item: Item) -> list:
    return [InputRequired("Please answer this.")] if item.response.required else [Optional()]


def _text(label: str, long: bool, description: str = "", required: bool = False) -> Field:
    presence = InputRequired("Please answer this.") if required else Optional()
    if long:
        return TextAreaField(label, validators=[presence, Length(max=LONG_TEXT_MAX)],
                             description=description)
    return StringField(label, validators=[presence, Length(max=SHORT_TEXT_MAX)],
                       description=description)


def _fields_for(definition: Definition, item: Item) -> dict[str, Field]:
    """The fields of one item, keyed by form field name."""
    response, label = item.response, f"{item.number}. {summary(item.text, 80)}"
    kind = response.type
    if kind is ResponseType.SELF_EVALUATION:
        fields = {field_name(item.id, "rating"): RadioField(
            f"Rating for checkpoint {item.number}",
            choices=choice_list([(lvl.value, lvl.label) for lvl in definition.rating_scale]),
            validators=_presence(item), validate_choice=True)}
        for prompt in definition.evidence_prompts:
            fields[field_name(item.id, prompt.id)] = _text(prompt.label, long=True)
        return fields
    if kind is ResponseType.COMPLETION:
        return {
            field_name(item.id, "status"): RadioField(
                f"Complete? (checkpoint {item.number})",
                choices=choice_list([(o.value, o.label) for o in response.choices]),
                validators=_presence(item), validate_choice=True),
            field_name(item.id, "comments"): _text(f"School comments (checkpoint {item.number})",
                                                   long=True),
        }
    name = field_name(item.id)
    plain_label = item.text if len(item.text) <= 120 else label
    if kind in (ResponseType.SHORT_TEXT, ResponseType.LONG_TEXT):
        return {name: _text(plain_label, kind is ResponseType.LONG_TEXT, response.help,
                            response.required)}
    if kind is ResponseType.DATE:
        return {name: DateField(plain_label, validators=_presence(item), description=response.help)}
    if kind is ResponseType.CHOICE:
        options = choice_list([(o.value, o.label) for o in response.options])
        return {name: RadioField(plain_label, choices=options, validators=_presence(item),
                                 description=response.help)}
    if kind is ResponseType.NUMBER:
        return {name: IntegerField(plain_label, description=response.help, validators=[
            *_presence(item), NumberRange(min=0, max=100_000, message="Enter a whole number "
                                          "of 0 or more.")])}
    return {name: DecimalField(plain_label, places=1, description=response.help, validators=[
        *_presence(item), NumberRange(min=0, max=100, message="Enter a percentage from 0 to 100.")])}


def build_form_class(definition: Definition, items: list[Item], base: type = FlaskForm,
                     extra: dict[str, Field] | None = None) -> type[FlaskForm]:
    """A new form class for these items of ``definition`` (built per request)."""
    attrs: dict[str, Any] = {}
    for item in items:
        attrs.update(_fields_for(definition, item))
    attrs.update(extra or {})
    return type(f"{definition.kind.title().replace('-', '')}Form", (base,), attrs)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def answers_from_form(form: FlaskForm, definition: Definition, items: list[Item]) -> dict:
    """The answers a submitted form gives, as plain JSON-ready data keyed by item id."""
    answers: dict[str, Any] = {}
    for item in items:
        parts = {name: _plain(form[name].data) for name in _fields_for(definition, item)}
        prefix = field_name(item.id) + "__"
        answers[item.id] = {
            (name[len(prefix):] if name.startswith(prefix) else "value"): value
            for name, value in parts.items()
        }
    return answers


def form_data_from_answers(answers: dict, definition: Definition, items: list[Item]) -> dict:
    """Stored answers as form ``data`` to pre-fill the form."""
    data: dict[str, Any] = {}
    for item in items:
        stored = answers.get(item.id) or {}
        for name in _fields_for(definition, item):
            prefix = field_name(item.id) + "__"
            part = name[len(prefix):] if name.startswith(prefix) else "value"
            value = stored.get(part)
            if value and item.response.type is ResponseType.DATE:
                value = date.fromisoformat(value)
            elif value is not None and item.response.type is ResponseType.PERCENTAGE:
                value = Decimal(str(value))
            data[name] = value
    return data


def item_fields(form: FlaskForm, definition: Definition, item: Item) -> list[tuple[str, Field]]:
    """The bound fields of one item on a built form, with the part of the answer each holds
    (``"value"`` for an item of one field). Templates use this, through the engine's
    ``item_fields`` macro, instead of rebuilding field names."""
    prefix = field_name(item.id) + "__"
    return [(name[len(prefix):] if name.startswith(prefix) else "value", form[name])
            for name in _fields_for(definition, item)]


def item_field(form: FlaskForm, item: Item, part: str = "") -> Field:
    """One bound field of an item (``part`` as in :func:`field_name`)."""
    return form[field_name(item.id, part)]
