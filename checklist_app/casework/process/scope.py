"""Narrowing a case's facts: to one parent (separated parents are kept apart) or to a past date.

Separated parents may have their own meetings, contracts and letters. What one parent receives, and
the rules that decide whether a letter to them may be issued, only look at that parent's records
and the joint ones (a meeting or contract with no parents named counts as joint). Figures belong
to the pupil and are shared.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from checklist_app.casework.enums import ContractStatus
from checklist_app.casework.process.facts import CaseFacts


def concerns(parent_ids: frozenset[int], parent_id: int | None) -> bool:
    """Whether a record made with ``parent_ids`` concerns ``parent_id`` (joint records concern all)."""
    return parent_id is None or not parent_ids or parent_id in parent_ids


def for_parent(f: CaseFacts, parent_id: int | None) -> CaseFacts:
    """The case as one parent's letters and rules see it: theirs and the joint records only."""
    if parent_id is None:
        return f
    return replace(
        f,
        meetings=tuple(m for m in f.meetings if concerns(m.parent_ids, parent_id)),
        letters=tuple(x for x in f.letters if x.parent_id in (None, parent_id)),
        contracts=tuple(c for c in f.contracts if concerns(c.parent_ids, parent_id)),
        contacts=tuple(c for c in f.contacts if c.parent_id in (None, parent_id)),
    )


def as_of(f: CaseFacts, day: date) -> CaseFacts:
    """The facts as they stood at the end of ``day`` (for stage changes in the chronology).

    Meetings after ``day`` are left out; a meeting on or before it keeps its outcome. Contracts
    count from the day they were signed (drafts from their meeting), letters from their date.
    """
    contracts = []
    for c in f.contracts:
        start = c.signed_on or c.meeting_on
        if start > day:
            continue
        status = c.status
        if c.signed_on and (status is ContractStatus.DRAFT
                            or (status is ContractStatus.ENDED and c.ended_on and c.ended_on > day)):
            status = ContractStatus.SIGNED
        contracts.append(c if status is c.status else replace(c, status=status))
    return replace(
        f,
        closed=False,
        meetings=tuple(m for m in f.meetings if m.on <= day),
        letters=tuple(x for x in f.letters if x.issued_on <= day),
        contracts=tuple(contracts),
        figures=tuple(x for x in f.figures if (x.recorded_on or x.period_end) <= day),
        contacts=tuple(c for c in f.contacts if c.on <= day),
    )


def whole_case(f: CaseFacts) -> CaseFacts:
    """The facts without who each meeting and contract was made with (the dashboard's light facts).

    The stage, next step and flags of a whole case never read these, so dropping them changes none.
    """
    return replace(f, meetings=tuple(replace(m, parent_ids=frozenset()) for m in f.meetings),
                   contracts=tuple(replace(c, parent_ids=frozenset()) for c in f.contracts))
