"""Terms: slugs, labels, order and the term a date falls in (rule R2)."""

from __future__ import annotations

from datetime import date

import pytest

from checklist_app.self_evaluation.terms import Season, Term, TermError, year_choices


def test_slug_and_label_round_trip():
    term = Term.parse("2026-27-autumn")
    assert term == Term("2026/27", Season.AUTUMN)
    assert term.slug == "2026-27-autumn"
    assert term.label == "Autumn term 2026/27"
    assert str(Term("2025/26", "spring")) == "Spring term 2025/26"


@pytest.mark.parametrize("bad", ["2026-28-autumn", "2026-27-winter", "", "26-27-autumn"])
def test_bad_slugs_are_refused(bad):
    with pytest.raises(TermError):
        Term.parse(bad)


def test_academic_year_must_be_consecutive():
    with pytest.raises(TermError):
        Term("2026/28", Season.AUTUMN)


def test_terms_sort_chronologically_and_step():
    terms = [Term("2026/27", Season.AUTUMN), Term("2025/26", Season.SUMMER),
             Term("2025/26", Season.SPRING), Term("2025/26", Season.AUTUMN)]
    assert [t.slug for t in sorted(terms)] == [
        "2025-26-autumn", "2025-26-spring", "2025-26-summer", "2026-27-autumn"]
    assert Term("2025/26", Season.SUMMER).next() == Term("2026/27", Season.AUTUMN)
    assert Term("2026/27", Season.AUTUMN).previous() == Term("2025/26", Season.SUMMER)
    assert Term("2099/00", Season.SUMMER).next() == Term("2100/01", Season.AUTUMN)


@pytest.mark.parametrize(("day", "slug"), [
    (date(2026, 11, 22), "2026-27-autumn"), (date(2027, 1, 5), "2026-27-spring"),
    (date(2027, 4, 20), "2026-27-summer"), (date(2027, 8, 31), "2026-27-summer"),
    (date(2027, 9, 1), "2027-28-autumn")])
def test_term_for_date(day, slug):
    assert Term.for_date(day).slug == slug


def test_year_choices_around_today():
    assert year_choices(date(2026, 11, 22)) == ["2027/28", "2026/27", "2025/26", "2024/25"]
