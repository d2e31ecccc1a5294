"""Domain exceptions shared by every feature's operations.

An operation that will not make a change raises :class:`Refused` (or a feature's subclass) with a
plain-English message saying why; :class:`Locked` is the refusal for records that are finalised,
signed, issued or closed and so never change in place. The edit round trip
(:mod:`checklist_app.editing`) shows the message on the form: 400 for a rule not met, 409 for a
locked record.
"""

from __future__ import annotations


class Refused(ValueError):
    """A rule refused the change; the message says why in plain words."""

    status = 400


class NotFound(LookupError):
    """The record asked for is not this school's (another school's id looks like a missing one).

    Raised by look-ups outside the view layer; the application shows it as "Page not found" (404).
    """


class Locked(Refused):
    """The record is closed, signed, issued or finalised: it is never changed in place."""

    status = 409
