"""Model mixins for the columns records share, and the one enum-column helper.

- :class:`SchoolScoped`: ``id`` and ``school_id`` (every record of one school; views fetch it with
  :func:`checklist_app.loading.scoped`).
- :class:`CaseScoped`: a school-scoped record that belongs to a case (``case_id``).
- :class:`Versioned`: ``version`` as SQLAlchemy's ``version_id_col``, for optimistic locking: a
  stale save raises ``StaleDataError`` (the conflict page), never a silent overwrite.
- :func:`enum_column`: an enum stored as its value in a VARCHAR (no native database enum), so
  adding a member never needs a type migration.
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Enum, ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def enum_column(kind: type[enum.Enum], length: int = 30) -> Enum:
    """The column type of ``kind``: its values (not names) in a VARCHAR of ``length``."""
    return Enum(kind, native_enum=False, length=length,
                values_callable=lambda members: [m.value for m in members])


class SchoolScoped:
    """A record that belongs to one school."""

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)


class CaseScoped(SchoolScoped):
    """A school's record that belongs to one case (deleted with it)."""

    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)


class Versioned:
    """A record edited through forms: its ``version`` goes up on every save."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared attribute of the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
