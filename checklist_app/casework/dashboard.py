"""The casework dashboard: the school's open cases, overdue first, a page at a time.

The order needs every open case's next step, so the rules run on all of them, from the light facts
of :func:`facts.record_facts` (columns only, no records built). Only then is
the list cut into pages, and only the page's cases have their checklist answers read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import load_only

from checklist_app.auth.models import User
from checklist_app.casework.facts import CASE_COLUMNS, StepView, case_facts, record_facts
from checklist_app.casework.models import Case, CaseStatus, Pupil, Stage
from checklist_app.casework.paging import Pager
from checklist_app.casework.process.flags import Flag, flags
from checklist_app.casework.process.next_step import next_step
from checklist_app.casework.process.progress import percent
from checklist_app.casework.queries import completion_of
from checklist_app.casework.settings import CaseworkSettings, settings
from checklist_app.checklist_engine.models import DefinitionSnapshot
from checklist_app.extensions import db

CASES_PER_PAGE = 50


@dataclass
class CaseRow(StepView):
    """One line of the dashboard: who, where the case is, what is next and how attendance is."""

    case_id: int
    pupil_name: str
    last_name: str
    year_group: str
    stage: Stage
    lead_name: str | None
    completion: int = 0  # R5: checklist done, as a percentage (filled in for the page shown)
    flags: list[Flag] = field(default_factory=list)  # what matters most (for the page shown)

    def order(self) -> tuple[Any, ...]:
        """Overdue first, then by due date (none last), then by the pupil's last name."""
        due = self.next.due if self.next and self.next.due else date.max
        return (not self.overdue, due, self.last_name.casefold(), self.pupil_name.casefold(),
                self.case_id)


@dataclass
class Dashboard:
    """The page of rows shown and where it lies in the whole list."""

    rows: list[CaseRow]
    pager: Pager


def _chosen(school_id: int, lead_id: int | None, stage: Stage | None) -> Select[Any]:
    query = select(Case.id).where(Case.school_id == school_id,
                                  Case.status == CaseStatus.OPEN)
    if lead_id:
        query = query.where(Case.lead_user_id == lead_id)
    if stage:
        query = query.where(Case.stage == stage)
    return query


def open_case_rows(school_id: int, lead_id: int | None, stage: Stage | None, today: date,
                   s: CaseworkSettings | None = None) -> list[CaseRow]:
    """Every open case of the school (of this lead, at this stage), overdue first."""
    s = s or settings()
    chosen = _chosen(school_id, lead_id, stage)
    records = record_facts(chosen)  # contacts raise flags (telling the social worker)
    found = db.session.execute(
        select(Case.id, *CASE_COLUMNS, Pupil.first_name, Pupil.last_name, Pupil.year_group,
               Case.stage, User.name)
        .join(Pupil, Case.pupil_id == Pupil.id).outerjoin(User, Case.lead_user_id == User.id)
        .where(Case.id.in_(chosen.scalar_subquery())))
    rows = []
    for case_id, *columns, first, last, year_group, stage_now, lead_name in found:
        facts = case_facts(records, case_id, *columns)
        rows.append(CaseRow(facts=facts, next=next_step(facts, today, s), today=today,
                            case_id=case_id, pupil_name=f"{first} {last}", last_name=last,
                            year_group=year_group, stage=stage_now, lead_name=lead_name))
    rows.sort(key=CaseRow.order)
    return rows


def _fill_completion(rows: list[CaseRow]) -> None:
    """R5: the checklist percentage of each row (reads the answers of these cases only)."""
    if not rows:
        return
    by_id = {row.case_id: row for row in rows}
    found = db.session.execute(
        select(Case.id, Case.checklist_answers, DefinitionSnapshot)
        .outerjoin(DefinitionSnapshot, Case.checklist_snapshot_id == DefinitionSnapshot.id)
        .options(load_only(DefinitionSnapshot.id, DefinitionSnapshot.content_hash))
        .where(Case.id.in_(by_id)))
    for case_id, answers, snapshot in found:
        stages = completion_of(snapshot, answers)
        by_id[case_id].completion = percent(sum(r[2] for r in stages),
                                                  sum(r[3] for r in stages))


def dashboard_page(school_id: int, lead_id: int | None, stage: Stage | None, page: int | None,
                   today: date) -> Dashboard:
    """One page of the school's open cases, ordered over all of them before the page is cut."""
    rows = open_case_rows(school_id, lead_id, stage, today)
    pager = Pager.of(len(rows), page, CASES_PER_PAGE)
    shown = pager.slice(rows)
    _fill_completion(shown)
    s = settings()
    for row in shown:
        row.flags = [f for f in flags(row.facts, today, s) if f.code in DASHBOARD_FLAGS]
    return Dashboard(shown, pager)


#: The flags that matter most at a glance, shown on the dashboard (the case page shows them all).
DASHBOARD_FLAGS = frozenset({
    "penalty-threshold", "tell-social-worker", "severe", "social-care", "review-trigger",
    "monthly-review", "third-contract-meeting", "no-phone-contact", "plan-copy"})
