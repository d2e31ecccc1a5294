"""The casework time frames: local practice, so settings (``CASEWORK_*`` in the app config).

Every number the timeline uses is read here, with the defaults from ``docs/RULES.md``.
National thresholds (R28, R29) are facts, not settings, and live in :mod:`casework.process.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from flask import current_app, has_app_context


@dataclass(frozen=True)
class CaseworkSettings:
    """Time frames of the casework process (each field is ``CASEWORK_<NAME>`` in config)."""

    #: R11/R12: at least one week's notice of a contract meeting.
    notice_days: int = 7
    #: R13: monitor over a 5–8 week review period; lower attendance → shorter period.
    review_period_min_weeks: int = 5
    review_period_max_weeks: int = 8
    #: R13: (baseline attendance below %, weeks) bands, checked in order; else the maximum.
    review_period_bands: tuple[tuple[float, int], ...] = ((50.0, 5), (70.0, 6), (85.0, 7))
    #: R26: a meeting's plan is reviewed 2–4 weeks later (3 suggested).
    meeting_review_min_weeks: int = 2
    meeting_review_max_weeks: int = 4
    meeting_review_suggested_weeks: int = 3
    #: R27: after a review meeting, the next review no more than 3 weeks later.
    review_within_weeks: int = 3
    #: R19: a 3-week review follows a Notice to Improve.
    notice_to_improve_review_weeks: int = 3
    #: R22: a further limited 6-week period of support after parents did not attend.
    no_show_support_weeks: int = 6
    #: R15: within one week of the second missed meeting, a professionals meeting or plan.
    failed_to_attend_action_days: int = 7
    #: Local practice: arrange the (next) contract meeting within a week.
    arrange_meeting_days: int = 7
    #: R9: monthly review meetings for contracts of 3 months or more.
    monthly_review_min_months: int = 3
    #: R18: "a short period of review" after a termination warning.
    termination_warning_review_days: int = 14
    #: R16: an improved case stays open and monitored; check again after this many weeks.
    improved_monitoring_weeks: int = 4


def settings() -> CaseworkSettings:
    """The settings of the current app (defaults outside an app context)."""
    if not has_app_context():
        return CaseworkSettings()
    values = {}
    for field in fields(CaseworkSettings):
        key = f"CASEWORK_{field.name.upper()}"
        if key in current_app.config:
            values[field.name] = current_app.config[key]
    return CaseworkSettings(**values)
