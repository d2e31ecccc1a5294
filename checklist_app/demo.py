"""Demo data for ``checklist-app quickstart``: safe to run again (it never duplicates or resets)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from checklist_app.auth.models import School

Report = Callable[[str], None]


def load_definitions(report: Report) -> None:
    """Validate the checklist definitions and say which loaded (bad files are named, not fatal)."""
    from checklist_app.checklist_engine.registry import registry

    reg = registry()
    for key in sorted(reg.definitions):
        newest = reg.versions(key)[-1]
        report(f"Checklist {key} {newest.version}: {len(newest.items())} items.")
    for problem in reg.problems:
        report(f"Refused: {problem}")


def load_demo_data(school: School, today: date, report: Report) -> None:
    """Add the demo school's example records once, casework dated back from ``today``; the caller
    commits."""
    from checklist_app.self_evaluation.demo import load_demo as load_self_evaluation_demo

    load_self_evaluation_demo(school, report)
    from checklist_app.casework.demo import load_demo as load_casework_demo

    load_casework_demo(school, today, report)
    report(f"Demo data ready for {school.name}.")
