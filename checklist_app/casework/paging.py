"""Splitting a long list into numbered pages (the casework dashboard and the pupils list)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pager:
    """Which page of ``total`` rows is shown, ``per_page`` to a page (pages count from 1)."""

    number: int
    per_page: int
    total: int

    @classmethod
    def of(cls, total: int, requested: int | None, per_page: int) -> Pager:
        """The page asked for, kept between the first and the last (a missing or odd number is 1)."""
        pages = max(1, -(-total // per_page))
        return cls(min(max(requested or 1, 1), pages), per_page, total)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.number - 1) * self.per_page

    @property
    def first(self) -> int:
        """The position of the page's first row (counting from 1; 0 when there are none)."""
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        """The position of the page's last row."""
        return min(self.offset + self.per_page, self.total)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    def slice(self, rows: list) -> list:
        """This page's rows of a list already in order."""
        return rows[self.offset:self.offset + self.per_page]
