"""English school terms (rule R2): an academic year such as 2026/27 and Autumn, Spring or Summer."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date


class Season(enum.StrEnum):
    """The three terms of an English school year, in the order they happen."""

    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"

    @property
    def label(self) -> str:
        """Autumn, Spring or Summer."""
        return self.value.title()

    @property
    def position(self) -> int:
        """0 for autumn, 1 for spring, 2 for summer."""
        return list(Season).index(self)


YEAR_PATTERN = re.compile(r"^(\d{4})/(\d{2})$")
SLUG_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(autumn|spring|summer)$")


class TermError(ValueError):
    """A term or academic year that is not written the right way."""


def academic_year(start_year: int) -> str:
    """The academic year that starts in September of ``start_year``: 2026 -> "2026/27"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def start_year_of(year: str) -> int:
    """The calendar year an academic year starts in: "2026/27" -> 2026."""
    match = YEAR_PATTERN.match(year or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise TermError(f"{year!r} is not an academic year such as 2026/27.")
    return int(match.group(1))


@dataclass(frozen=True, order=False)
class Term:
    """One term of one academic year, e.g. Autumn term 2026/27."""

    academic_year: str
    season: Season

    def __post_init__(self) -> None:
        start_year_of(self.academic_year)
        object.__setattr__(self, "season", Season(self.season))

    @classmethod
    def parse(cls, slug: str) -> Term:
        """A term from its slug, e.g. "2026-27-autumn"."""
        match = SLUG_PATTERN.match(slug or "")
        if not match:
            raise TermError(f"{slug!r} is not a term such as 2026-27-autumn.")
        return cls(f"{match.group(1)}/{match.group(2)}", Season(match.group(3)))

    @classmethod
    def for_date(cls, day: date) -> Term:
        """The term a date falls in (Sep–Dec autumn, Jan–Mar spring, Apr–Aug summer)."""
        if day.month >= 9:
            return cls(academic_year(day.year), Season.AUTUMN)
        season = Season.SPRING if day.month <= 3 else Season.SUMMER
        return cls(academic_year(day.year - 1), season)

    @property
    def slug(self) -> str:
        """A URL-safe name: "2026-27-autumn"."""
        return f"{self.academic_year.replace('/', '-')}-{self.season.value}"

    @property
    def label(self) -> str:
        """As staff say it: "Autumn term 2026/27"."""
        return f"{self.season.label} term {self.academic_year}"

    @property
    def sort_key(self) -> tuple[int, int]:
        """Chronological order."""
        return (start_year_of(self.academic_year), self.season.position)

    def next(self) -> Term:
        """The term after this one."""
        if self.season is Season.SUMMER:
            return Term(academic_year(start_year_of(self.academic_year) + 1), Season.AUTUMN)
        return Term(self.academic_year, list(Season)[self.season.position + 1])

    def previous(self) -> Term:
        """The term before this one."""
        if self.season is Season.AUTUMN:
            return Term(academic_year(start_year_of(self.academic_year) - 1), Season.SUMMER)
        return Term(self.academic_year, list(Season)[self.season.position - 1])

    def __lt__(self, other: Term) -> bool:
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        return self.label


def year_choices(today: date, back: int = 2, ahead: int = 1) -> list[str]:
    """Academic years to offer when starting a self-evaluation, newest first."""
    current = start_year_of(Term.for_date(today).academic_year)
    return [academic_year(y) for y in range(current + ahead, current - back - 1, -1)]
