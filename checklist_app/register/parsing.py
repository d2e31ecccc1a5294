"""Reading a roll or marks export (CSV or XLSX, long or wide) into checked rows, without touching
the database: every problem is reported with its spreadsheet row and column.

Known facts the checks need (the school's UPNs, the importable dates, the code set) are passed in,
so this module stays pure and testable on its own.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from checklist_app.register.upn import upn_problem

ROLL_FIELDS = {
    "upn": "UPN", "surname": "Legal surname", "forename": "Legal forename",
    "date_of_birth": "Date of birth", "year_group": "Year group", "send": "SEND",
    "free_school_meals": "Free school meals", "looked_after": "Looked after or social worker",
    "medical_needs": "Medical needs",
}
MARK_FIELDS = {"upn": "UPN", "date": "Date", "session": "Session (AM or PM)", "code": "Mark or code"}
ALL_FIELDS = {**ROLL_FIELDS, **MARK_FIELDS, "ignore": "Not used"}

ALIASES = {
    "upn": "upn", "uniquepupilnumber": "upn", "pupilupn": "upn",
    "legalsurname": "surname", "surname": "surname", "lastname": "surname", "familyname": "surname",
    "legalforename": "forename", "forename": "forename", "firstname": "forename",
    "legalfirstname": "forename", "givenname": "forename",
    "dob": "date_of_birth", "dateofbirth": "date_of_birth", "birthdate": "date_of_birth",
    "year": "year_group", "yeargroup": "year_group", "ncyear": "year_group",
    "nationalcurriculumyear": "year_group",
    "send": "send", "sen": "send", "senstatus": "send", "sendstatus": "send",
    "fsm": "free_school_meals", "freeschoolmeals": "free_school_meals", "fsmeligible": "free_school_meals",
    "lookedafter": "looked_after", "cla": "looked_after", "lac": "looked_after", "incare": "looked_after",
    "socialworker": "looked_after", "medical": "medical_needs", "medicalneeds": "medical_needs",
    "medicalconditions": "medical_needs",
    "date": "date", "sessiondate": "date", "attendancedate": "date",
    "session": "session", "amp": "session", "ampm": "session", "period": "session",
    "mark": "code", "code": "code", "attendancecode": "code", "attendancemark": "code",
}
SESSION_HEADER = re.compile(
    r"(?:[A-Za-z]{3,9}\s+)?(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s*[:\-_ ]?\s*(AM|PM)\s*$", re.I)
SESSIONS = {"AM": "AM", "PM": "PM", "A": "AM", "P": "PM", "MORNING": "AM", "AFTERNOON": "PM"}
TRUE_WORDS = {"y", "yes", "true", "1", "x", "k", "e", "eligible"}
FALSE_WORDS = {"", "n", "no", "false", "0", "none"}
MAX_PROBLEMS = 1000


class FileProblem(ValueError):
    """A file that cannot be read at all (wrong type, empty, no header row)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row) of the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Table:
    """A file's header row and an iterator over its data rows (row number, cells)."""

    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]


@dataclass
class RollRow:
    """One pupil from a roll file; ``None`` flags mean the file has no such column."""

    row: int
    upn: str
    surname: str
    forename: str
    date_of_birth: date
    year_group: str
    flags: dict[str, bool | None] = field(default_factory=dict)


@dataclass
class MarksResult:
    """Marks keyed by UPN then (date, session), with the problems found and what was read."""

    marks: dict[str, dict[tuple[date, str], str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    problem_count: int = 0

    @property
    def mark_count(self) -> int:
        """How many marks the file holds."""
        return sum(len(v) for v in self.marks.values())

    def dates(self) -> tuple[date | None, date | None]:
        """The first and last date in the file."""
        found = [d for per in self.marks.values() for (d, _s) in per]
        return (min(found), max(found)) if found else (None, None)


def open_table(stream: IO[bytes], file_name: str) -> Table:
    """Read a CSV or XLSX file's header row; data rows are streamed as they are iterated."""
    lower = file_name.lower()
    book = None
    if lower.endswith(".xlsx"):
        try:
            book = load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise FileProblem("This is not a readable Excel (.xlsx) file.") from error
        rows: Iterator[Iterable[Any]] = book.active.iter_rows(values_only=True)
    elif lower.endswith(".csv"):
        rows = csv.reader(codecs.iterdecode(stream, "utf-8-sig", errors="replace"))
    else:
        raise FileProblem("Please choose a CSV (.csv) or Excel (.xlsx) file.")
    header = next(iter(rows), None)
    if not header or not any(str(h or "").strip() for h in header):
        raise FileProblem("The file has no header row: its first row should name the columns.")
    headers = [str(h or "").strip() for h in header]

    def data() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(rows, start=2):
                values = list(cells)
                if any(v not in (None, "") for v in values):
                    yield number, values
        finally:
            if book is not None:
                book.close()

    return Table(headers, data())


def normalise(header: str) -> str:
    """A header reduced to lower-case letters and digits, for matching."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def session_column(header: str) -> tuple[date, str] | None:
    """The (date, session) a wide file's column stands for, e.g. ``Mon 02/09/2024 AM``."""
    match = SESSION_HEADER.fullmatch(header.strip())
    if not match:
        return None
    day = parse_date(match.group(1))
    return (day, match.group(2).upper()) if day else None


def guess_mapping(headers: list[str], remembered: dict[str, str] | None = None,
                  overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Header -> field: recognised headers, then the school's remembered mapping, then overrides."""
    mapping = {h: ALIASES[normalise(h)] for h in headers if normalise(h) in ALIASES}
    for source in (remembered or {}, overrides or {}):
        for header, target in source.items():
            if header in headers and target in ALL_FIELDS:
                mapping[header] = target
    return {h: f for h, f in mapping.items() if f != "ignore"}


def detect_kind(headers: list[str], mapping: dict[str, str]) -> str:
    """``marks-long``, ``marks-wide`` or ``roll``, from what the columns are."""
    fields = set(mapping.values())
    if {"date", "code"} <= fields:
        return "marks-long"
    if any(session_column(h) for h in headers if h not in mapping):
        return "marks-wide"
    return "roll"


def parse_date(value: Any) -> date | None:
    """A date from a cell: a spreadsheet date, 31/01/2026 (as MIS exports write) or 2026-01-31."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    return None


def parse_flag(value: Any) -> bool | None:
    """Yes/no from a cell (Y, Yes, True, 1 or a SEND code such as K or E); ``None`` if unclear."""
    text = str(value if value is not None else "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


class Columns:
    """Where each mapped field sits in the row, and how to name a column in a problem."""

    def __init__(self, headers: list[str], mapping: dict[str, str]):
        self.headers = headers
        self.index = {f: headers.index(h) for h, f in mapping.items() if h in headers}
        self.names = [f"{get_column_letter(i + 1)} ({h})" for i, h in enumerate(headers)]

    def name(self, position: int) -> str:
        """``C (Mark)``: the column letter and its header."""
        return self.names[position]

    def cell(self, cells: list[Any], field_name: str) -> tuple[Any, str]:
        """The value of a field in a row and the column's name."""
        position = self.index[field_name]
        value = cells[position] if position < len(cells) else None
        return value, self.names[position]


def missing_fields(kind: str, mapping: dict[str, str]) -> list[str]:
    """The fields a file of this kind needs but the mapping lacks, in plain words."""
    needed = {"roll": ["upn", "surname", "forename", "date_of_birth", "year_group"],
              "marks-long": ["upn", "date", "session", "code"], "marks-wide": ["upn"]}[kind]
    have = set(mapping.values())
    return [ALL_FIELDS[f] for f in needed if f not in have]


def check_upn(value: Any, row: int, column: str, problems: list[Problem]) -> str | None:
    """A valid UPN from a cell, or ``None`` after recording why not."""
    upn = str(value or "").strip().upper()
    problem = upn_problem(upn) if upn else "no UPN given"
    if problem:
        problems.append(Problem(row, column, f"{upn or 'blank'}: {problem}"))
        return None
    return upn
