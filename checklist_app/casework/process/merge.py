"""What a letter may truthfully say: its review date, the path the case took, the family's needs.

Pure functions of the case's facts narrowed to the letter's parent
(:func:`~checklist_app.casework.process.scope.for_parent`), the letter's step and its date. The
letter's own date is never offered as a review date; a Notice to Improve is only mentioned when
one was issued; a contract is only said to end when one was in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from checklist_app.casework.enums import LetterStep, MeetingKind, MeetingOutcome
from checklist_app.casework.process.dates import add_days, add_weeks, review_period_weeks
from checklist_app.casework.process.facts import CaseFacts, MeetingFact
from checklist_app.casework.settings import CaseworkSettings

S = LetterStep


def review_date_for(step: LetterStep, letter_date: date, f: CaseFacts, s: CaseworkSettings,
                    meeting: MeetingFact | None = None) -> date | None:
    """The review date a letter of ``step`` dated ``letter_date`` gives (None: it gives none)."""
    if step is S.OUTCOME:  # R13, R14: the contract's review date, else the end of its review period
        contract = f.active_contract() or next(iter(f.contracts[::-1]), None)
        if contract is None:
            return None
        start = contract.signed_on or contract.meeting_on
        return contract.review_date or add_weeks(start, review_period_weeks(f.baseline, s))
    if step is S.REVIEW_INVITE:  # R17: the review meeting itself
        return meeting.on if meeting else None
    if step is S.IMPROVED:  # R16: the next review meeting planned, else a check some weeks later
        planned = [m.on for m in f.meetings_of(MeetingKind.REVIEW)
                   if m.outcome is MeetingOutcome.SCHEDULED and m.on > letter_date]
        return min(planned) if planned else add_weeks(letter_date, s.improved_monitoring_weeks)
    if step is S.TERMINATION_WARNING:  # R18: a short period of review
        return add_days(letter_date, s.termination_warning_review_days)
    if step is S.NOTICE_TO_IMPROVE:  # R19: a review three weeks after the notice
        return add_weeks(letter_date, s.notice_to_improve_review_weeks)
    if step is S.FAILED_TO_ATTEND:  # R22: the end of the further period of support
        return add_weeks(letter_date, s.no_show_support_weeks)
    return None


@dataclass(frozen=True)
class PathTaken:
    """The steps actually taken with one parent, as letters may mention them."""

    contract_on: date | None = None
    notice_to_improve_on: date | None = None
    termination_warning_on: date | None = None
    officer_discussed_on: date | None = None

    @property
    def contract(self) -> bool:
        """Whether a signed contract is in force with this parent (so a letter may end it)."""
        return self.contract_on is not None


def path_taken(f: CaseFacts, letter_date: date) -> PathTaken:
    """The path the case took with the letter's parent, up to the letter's date."""
    active = f.active_contract()
    signed = (active.signed_on or active.meeting_on) if active else None
    notice = f.last_issued(S.NOTICE_TO_IMPROVE)
    notice = notice if notice and notice <= letter_date else None
    warned = f.last_issued(S.TERMINATION_WARNING, signed)
    talks = [c.on for c in f.contacts if c.with_attendance_officer and c.made
             and c.on <= letter_date and (notice is None or c.on >= notice)]
    return PathTaken(contract_on=signed if signed and signed <= letter_date else None,
                     notice_to_improve_on=notice,
                     termination_warning_on=warned if warned and warned <= letter_date else None,
                     officer_discussed_on=max(talks) if talks else None)


#: Languages recognised in a parent's reasonable adjustments ("Polish speaker", "interpreter: Urdu").
LANGUAGES = (
    "Albanian", "Arabic", "Bengali", "British Sign Language", "Bulgarian", "Cantonese", "Chinese",
    "Czech", "Dari", "Farsi", "French", "German", "Greek", "Gujarati", "Hindi", "Hungarian",
    "Italian", "Kurdish", "Latvian", "Lithuanian", "Mandarin", "Pashto", "Persian", "Polish",
    "Portuguese", "Punjabi", "Romanian", "Russian", "Slovak", "Somali", "Spanish", "Tamil",
    "Tigrinya", "Turkish", "Twi", "Ukrainian", "Urdu", "Vietnamese", "Welsh", "Yoruba",
)
_LARGE_PRINT = re.compile(r"\blarge[\s-]*(print|font|type|text)\b|\benlarged\b", re.I)


@dataclass(frozen=True)
class Adjustments:
    """What a parent's reasonable adjustments change in their letters."""

    large_print: bool = False
    language: str = ""

    def sentence(self) -> str:
        """The sentence added to the parent's letters (empty when nothing needs saying)."""
        if not self.language:
            return ""
        return (f"We understand that you may prefer to read and talk in {self.language}. If you "
                "would like an interpreter, or help to read this letter, please contact us and we "
                "will arrange it.")


def adjustments_of(text: str | None) -> Adjustments:
    """The adjustments a parent's free-text reasonable adjustments ask for (large print, language)."""
    text = text or ""
    language = next((name for name in LANGUAGES
                     if re.search(rf"\b{re.escape(name)}\b", text, re.I)), "")
    return Adjustments(large_print=bool(_LARGE_PRINT.search(text)), language=language)
