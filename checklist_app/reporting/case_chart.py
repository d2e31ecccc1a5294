"""The evidence pack's attendance chart: the pupil's weeks from the register as a bar table
(xhtml2pdf cannot draw SVG), with the case's events (meetings, letters issued, contracts signed
and ended) set beside the week they happened in.

Reads a case loaded with its records (see ``case_reports.case_query``) plus the pupil's register
weeks (two statements); never writes. A pupil without register data has no chart.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from checklist_app.casework.enums import LetterStatus
from checklist_app.casework.models import Case
from checklist_app.casework.register_figures import case_chart
from checklist_app.formatting import long_date
from checklist_app.register import calc, charts


def case_events(case: Case) -> list[tuple[date, str]]:
    """The case's events in date order: meetings, letters issued, contracts signed and ended."""
    events = [(m.meeting_date, f"{m.kind.label} ({m.outcome.label.lower()})") for m in case.meetings]
    for letter in case.letters:
        if letter.status is LetterStatus.ISSUED and letter.issued_on:
            to = f" to {letter.recipient.full_name}" if letter.recipient else ""
            events.append((letter.issued_on, f"Letter {letter.step} issued{to}"))
    for contract in case.contracts:
        if contract.signed_on:
            events.append((contract.signed_on, f"Contract revision {contract.revision} signed"))
        if contract.ended_on:
            events.append((contract.ended_on, f"Contract revision {contract.revision} ended"))
    return sorted(events, key=lambda e: e[0])


def evidence_chart(case: Case, today: date) -> dict[str, Any] | None:
    """The chart as a bar table with an events column, and the events that fall outside the
    weeks shown (holidays, or before the school year charted); ``None`` without register data."""
    found = case_chart(case, today)
    if found is None:
        return None
    index = {monday: number for number, monday in enumerate(found.mondays)}
    notes: list[list[str]] = [[] for _ in found.mondays]
    outside = []
    for day, text in case_events(case):
        number = index.get(calc.monday(day))
        if number is None:
            outside.append(f"{long_date(day)}: {text}")
        else:
            notes[number].append(f"{long_date(day)}: {text}")
    return {"bars": charts.pdf_bars(found.chart, ["; ".join(n) for n in notes], "Case events"),
            "outside": outside}
