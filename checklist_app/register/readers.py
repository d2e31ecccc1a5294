"""Checking every row of a roll or marks file (see :mod:`checklist_app.register.parsing`).

Nothing here touches the database: the school's known UPNs, the importable dates and the valid
codes are passed in. Every problem keeps its row and column; nothing is returned half-checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checklist_app.formatting import long_date, year_group
from checklist_app.register.parsing import (
    MAX_PROBLEMS,
    SESSIONS,
    Columns,
    MarksResult,
    Problem,
    RollRow,
    Table,
    check_upn,
    parse_date,
    parse_flag,
    session_column,
)

FLAG_FIELDS = ("send", "free_school_meals", "looked_after", "medical_needs")


@dataclass(frozen=True)
class MarkRules:
    """What a mark must satisfy: a known code, a pupil on the roll, a date inside the window."""

    codes: frozenset[str]
    known_upns: frozenset[str]
    earliest: date
    latest: date


def parse_roll(table: Table, mapping: dict[str, str]) -> tuple[list[RollRow], list[Problem]]:
    """Every pupil of a roll file, or the problems (row and column) that stop it importing."""
    columns = Columns(table.headers, mapping)
    pupils: list[RollRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        value, where = columns.cell(cells, "upn")
        upn = check_upn(value, number, where, problems)
        if upn and upn in seen:
            problems.append(Problem(number, where, f"{upn} is also on row {seen[upn]}"))
        texts = {}
        for name in ("surname", "forename", "year_group"):
            raw, col = columns.cell(cells, name)
            text = str(raw if raw is not None else "").strip()
            if isinstance(raw, float) and raw.is_integer():
                text = str(int(raw))
            limit = 20 if name == "year_group" else 100
            if not text:
                problems.append(Problem(number, col, "this is blank"))
            elif len(text) > limit:
                problems.append(Problem(number, col, f"{len(text)} characters; the most is {limit}"))
            texts[name] = year_group(text) if name == "year_group" else text
        raw, col = columns.cell(cells, "date_of_birth")
        born = parse_date(raw)
        if born is None:
            problems.append(Problem(number, col, f"{raw or 'blank'} is not a date (write 31/01/2015)"))
        flags: dict[str, bool | None] = {}
        for name in FLAG_FIELDS:
            if name in columns.index:
                raw, col = columns.cell(cells, name)
                flags[name] = parse_flag(raw)
                if flags[name] is None:
                    problems.append(Problem(number, col, f"{raw} is not yes or no"))
        if upn and born and upn not in seen and all(texts.values()):
            seen[upn] = number
            pupils.append(RollRow(number, upn, texts["surname"], texts["forename"], born,
                                  texts["year_group"], flags))
    return pupils, problems


class _Collector:
    """Gathers marks and problems, spotting two different codes for one session."""

    def __init__(self, rules: MarkRules):
        self.rules = rules
        self.result = MarksResult()
        self.upns: dict[object, str] = {}  # cell value -> UPN already checked and on the roll
        self.dates: dict[object, date | None] = {}

    def problem(self, row: int, column: str, message: str) -> None:
        self.result.problem_count += 1
        if len(self.result.problems) < MAX_PROBLEMS:
            self.result.problems.append(Problem(row, column, message))

    def add(self, row: int, column: str, upn: str, day: date, session: str, raw: object) -> None:
        code = str(raw if raw is not None else "").strip()
        code = code if code in ("/", "\\") else code.upper()
        if code not in self.rules.codes:
            self.problem(row, column, f"{code or 'blank'} is not an attendance code")
            return
        if not self.rules.earliest <= day <= self.rules.latest:
            self.problem(row, column, f"{long_date(day)} is outside the school years that can be "
                         f"imported ({long_date(self.rules.earliest)} to {long_date(self.rules.latest)})")
            return
        per_pupil = self.result.marks.setdefault(upn, {})
        before = per_pupil.get((day, session))
        if before is not None and before != code:
            self.problem(row, column, f"two codes ({before} and {code}) for the "
                         f"{'morning' if session == 'AM' else 'afternoon'} of {long_date(day)}")
            return
        per_pupil[(day, session)] = code

    def date(self, value: object) -> date | None:
        """A cell's date, parsed once per distinct value (a file repeats each date many times)."""
        try:
            return self.dates[value]
        except (KeyError, TypeError):
            found = parse_date(value)
            if isinstance(value, str):
                self.dates[value] = found
            return found

    def pupil(self, row: int, column: str, value: object) -> str | None:
        known = self.upns.get(value) if isinstance(value, str) else None
        if known:
            return known
        upn = check_upn(value, row, column, problems := [])
        for item in problems:
            self.problem(item.row, item.column, item.message)
        if upn and upn not in self.rules.known_upns:
            self.problem(row, column, f"{upn} is not on the school's roll (import the roll first)")
            return None
        if upn and isinstance(value, str):
            self.upns[value] = upn
        return upn


def parse_marks(table: Table, mapping: dict[str, str], kind: str, rules: MarkRules) -> MarksResult:
    """Every mark of a long or wide marks file, checked against ``rules``."""
    columns = Columns(table.headers, mapping)
    collect = _Collector(rules)
    wide = {i: session_column(h) for i, h in enumerate(table.headers)
            if h not in mapping and session_column(h)}
    for number, cells in table.rows:
        collect.result.rows_read += 1
        value, where = columns.cell(cells, "upn")
        upn = collect.pupil(number, where, value)
        if kind == "marks-wide":
            for position, (day, session) in wide.items():
                raw = cells[position] if position < len(cells) else None
                if upn and raw not in (None, ""):
                    collect.add(number, columns.name(position), upn, day, session, raw)
            continue
        raw_day, day_col = columns.cell(cells, "date")
        day = collect.date(raw_day)
        if day is None:
            collect.problem(number, day_col, f"{raw_day or 'blank'} is not a date (write 31/01/2026)")
        raw_session, session_col = columns.cell(cells, "session")
        session = SESSIONS.get(str(raw_session or "").strip().upper())
        if session is None:
            collect.problem(number, session_col, f"{raw_session or 'blank'} is not AM or PM")
        raw_code, code_col = columns.cell(cells, "code")
        if upn and day and session:
            collect.add(number, code_col, upn, day, session, raw_code)
    return collect.result
