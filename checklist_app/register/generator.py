"""A generated register with realistic patterns: a roll of pupils and a year of marks.

Used by ``quickstart`` for the demo school, by the tests and by ``benchmarks/register.py``. Most
pupils attend well; some are persistently absent, a few severely, some take a term-time holiday
(G) and some have runs of unexplained absence (O, N). Holidays follow a typical English year.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from checklist_app.register import calc
from checklist_app.register.upn import make_upn

SURNAMES = ["Smith", "Jones", "Khan", "Taylor", "Brown", "Patel", "Williams", "Wilson", "Ahmed",
            "Evans", "Thomas", "Roberts", "Walker", "Wright", "Hussain", "Green", "Hall", "Wood",
            "Clarke", "Lewis", "Nowak", "Okafor", "Murphy", "Hughes", "Begum"]
FORENAMES = ["Olivia", "Noah", "Amelia", "Muhammad", "Isla", "George", "Ava", "Leo", "Mia",
             "Oscar", "Freya", "Arthur", "Lily", "Theo", "Ivy", "Harry", "Sofia", "Jack", "Aisha",
             "Alfie", "Zara", "Finley", "Maya", "Kai", "Ruby"]
ILL = ["I", "I", "I", "M", "C"]
UNEXPLAINED = ["O", "O", "N", "U"]


def holidays(year_start: date) -> list[tuple[date, date]]:
    """A typical English school year's holidays (half-terms, Christmas, Easter, summer)."""
    y, n = year_start.year, year_start.year + 1
    easter = calc.easter_sunday(n)
    return [
        (date(y, 8, 1), date(y, 9, 3)),
        (calc.monday(date(y, 10, 27)), calc.monday(date(y, 10, 27)) + timedelta(days=4)),
        (date(y, 12, 20), date(n, 1, 3)),
        (calc.monday(date(n, 2, 17)), calc.monday(date(n, 2, 17)) + timedelta(days=4)),
        (easter - timedelta(days=9), easter + timedelta(days=8)),
        (calc.monday(date(n, 5, 26)), calc.monday(date(n, 5, 26)) + timedelta(days=4)),
        (date(n, 7, 22), date(n, 8, 31)),
    ]


def school_days(start: date, end: date) -> list[date]:
    """Weekdays from ``start`` to ``end`` that are not holidays."""
    years = {calc.school_year_start(start), calc.school_year_start(end)}
    breaks = [b for y in years for b in holidays(y)]
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and not any(a <= day <= b for a, b in breaks):
            days.append(day)
        day += timedelta(days=1)
    return days


def generate_roll(count: int, seed: int = 1, la_code: int = 201,
                  establishment: int = 4000) -> list[dict[str, str]]:
    """``count`` pupils as a roll export would list them (UPN, legal names, DOB, year, cohorts)."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        year = 7 + i % 5
        born = date(2026 - year - 5, 9, 1) + timedelta(days=rng.randrange(365))
        rows.append({
            "UPN": make_upn(la_code, establishment, i + 1),
            "Legal Surname": rng.choice(SURNAMES), "Legal Forename": rng.choice(FORENAMES),
            "DOB": born.strftime("%d/%m/%Y"), "Year": str(year),
            "SEN": "Y" if rng.random() < 0.15 else "N", "FSM": "Y" if rng.random() < 0.25 else "N",
            "Looked After": "Y" if rng.random() < 0.02 else "N",
            "Medical": "Y" if rng.random() < 0.06 else "N",
        })
    return rows


def _pattern(rng: random.Random) -> tuple[float, float, bool]:
    """(chance of missing a day, share of absences unexplained, takes a term-time holiday)."""
    roll = rng.random()
    if roll < 0.03:
        return 0.55, 0.5, False  # severe absence
    if roll < 0.18:
        return 0.14, 0.35, rng.random() < 0.3  # persistent absence
    return 0.035, 0.1, rng.random() < 0.05


def generate_marks(upns: list[str], start: date, end: date,
                   seed: int = 1) -> Iterator[tuple[str, date, str, str]]:
    """(UPN, date, AM/PM, code) for every school day between ``start`` and ``end``."""
    days = school_days(start, end)
    rng = random.Random(seed)
    for upn in upns:
        miss, unexplained, holiday = _pattern(rng)
        trip_from = rng.randrange(len(days)) if holiday and len(days) > 10 else -1
        for index, day in enumerate(days):
            if trip_from >= 0 and 0 <= index - trip_from < 5:
                yield upn, day, "AM", "G"
                yield upn, day, "PM", "G"
                continue
            if rng.random() < miss:
                code = rng.choice(UNEXPLAINED) if rng.random() < unexplained else rng.choice(ILL)
                yield upn, day, "AM", code
                yield upn, day, "PM", code
                continue
            yield upn, day, "AM", "L" if rng.random() < 0.03 else "/"
            yield upn, day, "PM", "\\"


def write_roll_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write a roll export as CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_marks_csv(path: Path, marks: Iterator[tuple[str, date, str, str]]) -> Path:
    """Write marks as a long export: UPN, Date (31/01/2026), Session, Mark."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["UPN", "Date", "Session", "Mark"])
        for upn, day, session, code in marks:
            writer.writerow([upn, day.strftime("%d/%m/%Y"), session, code])
    return path
