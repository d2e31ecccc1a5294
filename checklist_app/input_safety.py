"""Input that cannot break a page: one place for ids in URLs, text in requests and dates in forms.

- :class:`BoundedIntConverter` replaces Flask's ``int`` URL converter on the app, so every
  ``<int:...>`` in every route refuses (404) an id that is negative or beyond what a database integer
  holds (``/cases/99999999999999999999999``) instead of letting the database fail.
- :class:`CleanRequest` is the app's request class: every value of the query string and of a posted
  form has NUL and the other control characters removed (tab, newline and carriage return stay, for
  text areas) before any view or form sees it; ``request.args.get(name, type=int)`` treats a number
  beyond a database integer as missing.
- :class:`SafeForm` is the base of every form: a one-line text field (not a text area, not a
  password) also loses tabs and line breaks, turned into spaces.
- :class:`DateField` is the date field of every form: it refuses dates outside
  :data:`EARLIEST`..:data:`LATEST`; :class:`OnOrAfter` keeps related dates in order.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Request
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter
from wtforms import DateField as WTFormsDateField
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from checklist_app.formatting import long_date

MAX_DB_INT = 2**31 - 1  # PostgreSQL ``integer``
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that only matches ids a database integer can hold (others are a 404)."""

    def __init__(self, url_map: Any, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min,
                         max=MAX_DB_INT if max is None else max, signed=signed)


def clean_text(value: str) -> str:
    """``value`` without NUL and other control characters (tab and line breaks kept)."""
    return _CONTROL.sub("", value)


class CleanMultiDict(ImmutableMultiDict):
    """The request's form and query values, with control characters removed from keys and values."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, MultiDict):
            pairs = list(mapping.items(multi=True))
        elif isinstance(mapping, dict):
            pairs = [(k, v) for k, vs in mapping.items()
                     for v in (vs if isinstance(vs, list | tuple) else [vs])]
        else:
            pairs = list(mapping)
        super().__init__([(clean_text(k) if isinstance(k, str) else k,
                           clean_text(v) if isinstance(v, str) else v) for k, v in pairs])

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # noqa: A002
        """As MultiDict.get; a whole number too big for a database integer counts as missing
        (``?page=99999999999999999999999`` gives the default, not a database overflow)."""
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and not -MAX_DB_INT - 1 <= value <= MAX_DB_INT:
            return default
        return value


class CleanRequest(Request):
    """Flask's request, whose ``form`` and ``args`` never hold control characters."""

    parameter_storage_class = CleanMultiDict


def date_window_message() -> str:
    """The plain-English rule for every date field."""
    return f"Enter a date between {long_date(EARLIEST)} and {long_date(LATEST)}."


def check_date_window(value: date | None) -> None:
    """Raise ``ValueError`` with :func:`date_window_message` for a date outside the window."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValueError(date_window_message())


class DateField(WTFormsDateField):
    """A date between 1 January 2000 and 31 December 2100 (used by every form in every feature)."""

    def pre_validate(self, form: Any) -> None:
        """Refuse a date outside the window, whatever other validators the field has."""
        super().pre_validate(form)
        try:
            check_date_window(self.data)
        except ValueError as error:
            self.data = None
            raise ValidationError(str(error)) from error


class OnOrAfter:
    """Validator: this date is on or after the date in another field of the same form."""

    def __init__(self, other: str, message: str) -> None:
        self.other, self.message = other, message

    def __call__(self, form: Any, field: Any) -> None:
        """Compare with the other field when both have a date."""
        other = form[self.other].data
        if field.data is not None and isinstance(other, date) and field.data < other:
            raise ValidationError(self.message)


def one_line(value: Any) -> Any:
    """Filter: tabs and line breaks in a one-line field become spaces."""
    if isinstance(value, str):
        return re.sub(r"[\t\r\n]+", " ", value)
    return value


class SafeForm(FlaskForm):
    """FlaskForm whose one-line text fields never keep tabs or line breaks."""

    class Meta:
        """Adds :func:`one_line` to every one-line text field as it is bound."""

        def bind_field(self, form: Any, unbound_field: Any, options: dict) -> Any:
            """Bind the field, with the one-line filter when it is a one-line text field."""
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, TextAreaField | PasswordField):
                options = {**options,
                           "filters": (*unbound_field.kwargs.get("filters", ()), one_line)}
            return unbound_field.bind(form=form, **options)
