"""Casework reads: the school's pupils, a case with its records, the contract checklist and its
completion, and the chronology. Nothing here writes or reads the request."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from checklist_app.audit.readable import Entry as ChangeEntry
from checklist_app.auth.models import School
from checklist_app.casework.change_log import case_change_log
from checklist_app.casework.models import Case, Contract, Parent, Pupil
from checklist_app.casework.operations import CaseworkError
from checklist_app.casework.paging import Pager
from checklist_app.casework.process.chronology import Entry
from checklist_app.casework.process.chronology import chronology as build_chronology
from checklist_app.casework.process.facts import facts_of
from checklist_app.casework.process.progress import completion_by_section
from checklist_app.checklist_engine.models import DefinitionSnapshot
from checklist_app.checklist_engine.pinning import definition_of, with_local_items
from checklist_app.checklist_engine.schema import Definition
from checklist_app.extensions import db


def case_query():
    """A select of cases with everything the case page shows, loaded in a few queries."""
    from checklist_app.casework.models import Meeting

    return select(Case).options(
        joinedload(Case.pupil).selectinload(Pupil.parents), joinedload(Case.lead),
        joinedload(Case.school), selectinload(Case.checklist_snapshot),
        selectinload(Case.meetings).selectinload(Meeting.attendees),
        selectinload(Case.letters),
        selectinload(Case.contracts).selectinload(Contract.agreements),
        selectinload(Case.contracts).selectinload(Contract.signatures),
        selectinload(Case.contracts).selectinload(Contract.parents),
        selectinload(Case.figures), selectinload(Case.contacts))


PUPILS_PER_PAGE = 50


def school_pupils(school: School, search: str = "",
                  page: int | None = None) -> tuple[list[Pupil], Pager]:
    """One page of the school's pupils by last name, with their parents' names and cases.

    ``search`` keeps the pupils whose first name, last name or UPN contains every word of it.
    """
    query = select(Pupil).where(Pupil.school_id == school.id)
    for word in search.split():
        query = query.where(or_(*(column.icontains(word, autoescape=True) for column in (
            Pupil.first_name, Pupil.last_name, Pupil.upn))))
    pager = Pager.of(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0,
                     page, PUPILS_PER_PAGE)
    pupils = db.session.scalars(query.options(
        selectinload(Pupil.parents).load_only(Parent.first_name, Parent.last_name),
        selectinload(Pupil.cases).load_only(Case.status))
        .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
        .offset(pager.offset).limit(pager.per_page))
    return list(pupils), pager


def checklist_definition(case: Case) -> Definition:
    """The pinned contract checklist of the case, with the school's local checkpoints (R4, R5)."""
    if case.checklist_snapshot is None:
        raise CaseworkError("This case has no contract checklist.")
    return with_local_items(definition_of(case.checklist_snapshot), case.school_id)


def checklist_completion(case: Case) -> list[tuple[str, str, int, int]]:
    """R5: done / total per stage of the case's contract checklist."""
    return completion_of(case.checklist_snapshot, case.checklist_answers)


def completion_of(snapshot: DefinitionSnapshot | None,
                  answers: dict[str, Any] | None) -> list[tuple[str, str, int, int]]:
    """R5: done / total per stage of a pinned checklist with these answers.

    Only the snapshot's id and hash are needed once its sections are known, so a list may load the
    snapshot without its content (it is then read once, the first time).
    """
    if snapshot is None:
        return []
    key = (snapshot.id, snapshot.content_hash)
    if key not in _SECTIONS:  # snapshots never change, so their sections are parsed once
        _SECTIONS[key] = [(s.id, s.title, [i.id for i in s.items if not i.withdrawn])
                          for s in definition_of(snapshot).sections]
    return completion_by_section(_SECTIONS[key], answers or {})


_SECTIONS: dict[tuple[int, str], list[tuple[str, str, list[str]]]] = {}


def chronology(case: Case) -> list[Entry]:
    """What happened on the case in the school's words, oldest first (the pure builder of
    :mod:`casework.process.chronology` over the loaded records); the change log is apart."""
    return build_chronology(case, facts_of(case))


def change_log(case: Case) -> list[ChangeEntry]:
    """Every recorded change to the case and its records, oldest first, in the school's words
    (R30; see :mod:`casework.change_log`)."""
    return case_change_log(case)

