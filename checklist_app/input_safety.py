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
from wtforms.validators import StopValidation, ValidationError

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


DATE_PARTS = ("day", "month", "year")


class DateField(WTFormsDateField):
    """A date between 1 January 2000 and 31 December 2100 (used by every form in every feature).

    It accepts GOV.UK's date input (``<name>-day``, ``<name>-month``, ``<name>-year`` boxes) as well as
    one ISO box (``<name>``); the parts typed are kept to show again when the date is refused.
    """

    parts: dict[str, str] | None = None

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        """Read the three boxes when they were posted instead of one ISO value."""
        if data is None:
            super().process(formdata, extra_filters=extra_filters)
        else:
            super().process(formdata, data, extra_filters=extra_filters)
        self.parts = None
        if formdata is None or self.name in formdata:
            return
        if not any(f"{self.name}-{part}" in formdata for part in DATE_PARTS):
            return
        self.parts = {part: (formdata.get(f"{self.name}-{part}") or "").strip() for part in DATE_PARTS}
        typed = any(self.parts.values())
        self.raw_data = ["-".join(self.parts[p] for p in reversed(DATE_PARTS)) if typed else ""]
        self.data = None
        if not typed:
            return
        missing = [part for part in DATE_PARTS if not self.parts[part]]
        if missing:
            self.process_errors.append(f"{self.label.text} must include a {' and a '.join(missing)}")
            return
        try:
            self.data = date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except (ValueError, OverflowError):
            self.process_errors.append(f"{self.label.text} must be a real date, for example 27 3 2027")

    def date_parts(self) -> dict[str, str]:
        """Day, month and year to show in the three boxes: as typed, or from the date held."""
        if self.parts is not None:
            return self.parts
        if isinstance(self.data, date):
            return {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        raw = (self.raw_data or [""])[0] or ""
        found = re.fullmatch(r"\s*(\d{1,4})-(\d{1,2})-(\d{1,2})\s*", raw)
        if found:
            return {"day": found.group(3), "month": found.group(2), "year": found.group(1)}
        return {"day": "", "month": "", "year": ""}

    def pre_validate(self, form: Any) -> None:
        """Refuse a date outside the window, whatever other validators the field has."""
        super().pre_validate(form)
        if self.parts is not None and self.process_errors:
            raise StopValidation()  # the three boxes did not make a date: say so, not "required"
        try:
            check_date_window(self.data)
        except ValueError as error:
            self.data = None
            raise StopValidation(str(error)) from error


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
