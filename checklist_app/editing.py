"""The one edit round trip every write view uses, and the request's one transaction.

A write view loads what the user named (scoped to the school, with its version), builds its form,
then hands over to :func:`round_trip`: validate, call the operation(s), commit once, then

- a stale version (``Conflict`` or SQLAlchemy's ``StaleDataError``) shows the form again with the
  saved record beside it (409), with everything typed kept;
- a rule that refuses the change (:class:`checklist_app.errors.Refused`) says why (400, or 409 for a
  locked record);
- success flashes a message and redirects.

Any failure rolls the whole transaction back, so an operation that fails half-way (a contract
ended, then its letter refused) leaves nothing behind. Operations themselves only flush.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect
from sqlalchemy.orm.exc import StaleDataError

from checklist_app.concurrency import Conflict
from checklist_app.errors import Locked, Refused
from checklist_app.extensions import db

T = TypeVar("T")


def commit() -> None:
    """Commit the one transaction of a request, a command or a job's unit of work.

    The only place the application commits: views (through :func:`run`), GET pages that cache,
    CLI commands (once, at their end) and background jobs (once per unit of work) all call this.
    """
    db.session.commit()


def run(operation: Callable[[], T], record: Any = None) -> T:
    """Call ``operation`` (one or more operations) and commit once.

    On any failure everything is rolled back and the error re-raised; a ``StaleDataError`` (someone
    saved ``record`` between our read and our write) is raised as a :class:`Conflict`.
    """
    try:
        result = operation()
        commit()
    except StaleDataError as error:
        db.session.rollback()
        raise Conflict(record) from error
    except BaseException:
        db.session.rollback()
        raise
    return result


def refused_status(error: Refused) -> int:
    """The status of a refusal: 409 for locked records, 400 for a rule not met."""
    return 409 if isinstance(error, Locked) else getattr(error, "status", 400)


def round_trip(form: Any, operation: Callable[[], T], *, render: Callable[..., Any],
               done: str | Callable[[T], str] | None, to: str | Callable[[T], str],
               record: Any = None, refusals: tuple[type[Exception], ...] = (Refused,)) -> Any:
    """A write form's whole round trip (see the module docstring).

    ``render(status, **extra)`` shows the page again; on a conflict ``extra`` holds ``problem`` and
    ``conflict`` (the record is reloaded, and the form's ``version`` set to the saved one), on a
    refusal ``problem``. ``done`` is the flash message and ``to`` where to go, each either a value
    or a function of the operation's result.
    """
    if not form.validate_on_submit():
        return render(400 if form.errors else 200)
    try:
        result = run(operation, record)
    except Conflict as conflict:
        if record is not None and getattr(form, "version", None) is not None:
            form.version.data = record.version
        return render(409, problem=str(conflict), conflict=conflict)
    except refusals as error:
        return render(refused_status(error) if isinstance(error, Refused) else 400,
                      problem=str(error))
    if done:
        flash(done(result) if callable(done) else done, "success")
    return redirect(to(result) if callable(to) else to)
