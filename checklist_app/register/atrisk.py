"""Pupils at risk (persistent or severe absence, the penalty-notice threshold) and the cohort
summary a senior leader can cite for checkpoint 10. Two queries for the whole school: the weekly
aggregate and the roll."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from checklist_app.casework.models import Pupil
from checklist_app.extensions import db
from checklist_app.formatting import year_group as year_group_name
from checklist_app.register.figures import PupilFigures, school_figures, year_to_date
from checklist_app.register.models import ImportRun, RollDetails

COHORTS = {
    "send": "Pupils with SEND",
    "free_school_meals": "Eligible for free school meals",
    "looked_after": "Looked after or with a social worker",
    "medical_needs": "With medical conditions",
}


class PupilRow(NamedTuple):
    """What the register pages show of a pupil (read as plain rows, not ORM objects)."""

    id: int
    first_name: str
    last_name: str
    year_group: str
    upn: str

    @property
    def full_name(self) -> str:
        """First name then last name."""
        return f"{self.first_name} {self.last_name}"


@dataclass
class RollEntry:
    """A pupil with the cohorts they belong to."""

    pupil: PupilRow
    cohorts: frozenset[str]


@dataclass
class AtRisk:
    """A pupil who crossed a threshold, the figures behind it, and whether it is new."""

    entry: RollEntry
    figures: PupilFigures
    new: bool

    @property
    def reasons(self) -> list[str]:
        """The thresholds crossed, in plain words."""
        found = []
        if self.figures.severe:
            found.append("Severe absence")
        elif self.figures.persistent:
            found.append("Persistent absence")
        if self.figures.penalty_threshold:
            found.append("Penalty-notice threshold reached")
        return found


def roll(school_id: int) -> dict[int, RollEntry]:
    """Every pupil of the school with their cohorts, from one query."""
    flags = [getattr(RollDetails, name) for name in COHORTS]
    rows = db.session.execute(
        select(Pupil.id, Pupil.first_name, Pupil.last_name, Pupil.year_group, Pupil.upn,
               Pupil.has_social_worker, *flags)
        .outerjoin(RollDetails, RollDetails.pupil_id == Pupil.id)
        .where(Pupil.school_id == school_id))
    entries = {}
    names = list(COHORTS)
    for row in rows:
        cohorts = {name for name, on in zip(names, row[6:], strict=True) if on}
        if row[5]:
            cohorts.add("looked_after")
        entries[row[0]] = RollEntry(PupilRow(*row[:5]), frozenset(cohorts))
    return entries


def at_risk_ids(school_id: int, as_of: date) -> set[int]:
    """The pupils at risk on a day (kept with each import to say who is new next time)."""
    start, end = year_to_date(as_of)
    return {pid for pid, f in school_figures(school_id, start, end).items() if f.at_risk}


def previously_at_risk(school_id: int) -> set[int] | None:
    """Who was at risk at the import before the latest (``None`` when there was none)."""
    runs = db.session.scalars(select(ImportRun.at_risk_pupil_ids).where(
        ImportRun.school_id == school_id, ImportRun.kind == "marks")
        .order_by(ImportRun.at.desc(), ImportRun.id.desc()).limit(2)).all()
    return set(runs[1]) if len(runs) > 1 else None


def at_risk(school_id: int, as_of: date, year_group: str = "", cohort: str = "") -> list[AtRisk]:
    """Pupils at risk this school year, new since the last import first, then lowest attendance.

    ``year_group`` is a name as :func:`checklist_app.formatting.year_group` writes it (Year 8).
    """
    start, end = year_to_date(as_of)
    figures = school_figures(school_id, start, end)
    entries = roll(school_id)
    before = previously_at_risk(school_id)
    found = []
    for pid, fig in figures.items():
        entry = entries.get(pid)
        if entry is None or not fig.at_risk:
            continue
        if year_group and year_group_name(entry.pupil.year_group) != year_group:
            continue
        if cohort and cohort not in entry.cohorts:
            continue
        found.append(AtRisk(entry, fig, new=before is None or pid not in before))
    found.sort(key=lambda a: (not a.new, a.figures.attendance or 0, a.entry.pupil.last_name))
    return found


@dataclass
class CohortRow:
    """Attendance and persistent-absence rate of one group of pupils."""

    name: str
    pupils: int
    attendance: float | None
    persistent_rate: float | None


def _summarise(name: str, group: list[PupilFigures]) -> CohortRow:
    counted = [f for f in group if f.possible]
    rate = round(100 * sum(f.persistent for f in counted) / len(counted), 1) if counted else None
    possible = sum(f.possible for f in counted)
    attendance = round(100 * sum(f.attended for f in counted) / possible, 1) if possible else None
    return CohortRow(name, len(group), attendance, rate)


def cohort_summary(school_id: int, as_of: date, figures: dict[int, PupilFigures] | None = None
                   ) -> tuple[list[CohortRow], list[CohortRow]]:
    """Rows per cohort (all pupils first) and per year group, for the year to date.

    ``figures`` may be passed when the caller already computed the year to date's figures.
    """
    if figures is None:
        start, end = year_to_date(as_of)
        figures = school_figures(school_id, start, end)
    entries = roll(school_id)
    present = [(entries[pid], f) for pid, f in figures.items() if pid in entries]
    cohorts = [_summarise("All pupils", [f for _e, f in present])]
    for key, label in COHORTS.items():
        cohorts.append(_summarise(label, [f for e, f in present if key in e.cohorts]))
    by_name: dict[str, list[PupilFigures]] = {}
    for entry, figure in present:  # "8" from an export and "Year 8" typed on a case are one group
        by_name.setdefault(year_group_name(entry.pupil.year_group), []).append(figure)
    by_year = [_summarise(name, by_name[name]) for name in sorted(by_name, key=year_order)]
    return cohorts, by_year


def year_order(year_group: str) -> tuple[int, str]:
    """Sort year groups as people expect: Reception, 1, 2 ... 13."""
    digits = "".join(ch for ch in year_group if ch.isdigit())
    return (int(digits) if digits else -1, year_group)
