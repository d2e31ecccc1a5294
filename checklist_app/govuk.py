"""Helpers for the GOV.UK Frontend form macros: a field's character limit and its error messages.

A field with a length limit is shown with GOV.UK's character count and never with a ``maxlength``
attribute (which would let the browser cut the text without a word). Text over the limit is refused
with a count: "Owner must be 200 characters or fewer. You have entered 250 characters."
"""

from __future__ import annotations

from typing import Any

from wtforms.validators import Length

from checklist_app.config import service_name


def field_limit(field: Any) -> int | None:
    """The most characters a field accepts, from its ``Length`` validator (None when unlimited)."""
    for validator in getattr(field, "validators", ()):
        if isinstance(validator, Length) and validator.max is not None and validator.max >= 0:
            return validator.max
    return None


def field_errors(field: Any) -> list[str]:
    """The field's error messages, with a count where the text is over its limit."""
    limit = field_limit(field)
    typed = field.data if isinstance(getattr(field, "data", None), str) else ""
    messages = []
    for message in field.errors:
        if limit is not None and len(typed) > limit and "longer than" in str(message):
            over = len(typed) - limit
            message = (f"{field.label.text} must be {limit:,} characters or fewer. You have entered "
                       f"{len(typed):,} characters ({over:,} too many).")
        messages.append(str(message))
    return messages


def register(app: Any) -> None:
    """Make the helpers available to every template, and ``service_name`` from config (pages and
    e-mails alike)."""
    app.add_template_global(field_limit, "field_limit")
    app.add_template_global(field_errors, "field_errors")
    app.context_processor(lambda: {"service_name": service_name(app.config)})
