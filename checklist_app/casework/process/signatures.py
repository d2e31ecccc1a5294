"""Who may sign a contract, and on what date (R7), as pure functions with plain-English refusals.

A contract is signed by the people who were there when it was made: every parent present and at
least one member of staff for the governing body; other agencies and anyone absent never sign.
The signature date is the meeting's date; another date needs a reason (signed later, say because
the copy was posted), is never before the meeting and never after today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checklist_app.casework.enums import AttendeeKind
from checklist_app.formatting import long_date

#: Who may sign a contract (R7): parents and school staff; pupils and agencies do not.
SIGNING_KINDS = frozenset({AttendeeKind.PARENT, AttendeeKind.STAFF})


@dataclass(frozen=True)
class Signer:
    """Someone invited to the contract's meeting, as the signing rules see them."""

    name: str
    kind: AttendeeKind
    present: bool


def signer_refusal(signer: Signer) -> str | None:
    """R7: why this person may not sign the contract (None when they may)."""
    if not signer.present:
        return (f"{signer.name} was not at the meeting: only those present when the contract was "
                "made may sign it.")
    if signer.kind not in SIGNING_KINDS:
        return (f"{signer.name} attended as {signer.kind.label.lower()}: the contract is signed by "
                "the parents present and school staff only.")
    return None


def signature_date_refusal(signed_on: date | None, meeting_on: date, today: date,
                           reason: str = "") -> str | None:
    """Why a signature dated ``signed_on`` is refused (None: accepted); no date means the meeting's."""
    on = signed_on or meeting_on
    if on < meeting_on:
        return (f"A signature cannot be dated {long_date(on)}, before the meeting on "
                f"{long_date(meeting_on)} where the contract was made.")
    if on > today:
        return f"A signature cannot be dated {long_date(on)}, after today."
    if on != meeting_on and not reason.strip():
        return (f"The contract was made at the meeting on {long_date(meeting_on)}: give the reason "
                f"it was signed on {long_date(on)} instead (for example, the copy was posted "
                "home for signing).")
    return None


def signature_note(signed_on: date, meeting_on: date, reason: str = "") -> str:
    """How a signature's date reads on the contract: "Signed at the meeting on …" or with its reason."""
    if signed_on == meeting_on:
        return f"Signed at the meeting on {long_date(signed_on)}"
    why = f" ({reason.strip()})" if reason.strip() else ""
    return f"Signed on {long_date(signed_on)}, after the meeting on {long_date(meeting_on)}{why}"


def missing_signers(present: list[Signer], signed_names: set[str]) -> list[str]:
    """R7: who still has to sign: every parent present, and a member of staff if none has."""
    missing = [p.name for p in present if p.present and p.kind is AttendeeKind.PARENT
               and p.name not in signed_names]
    staff = [p for p in present if p.present and p.kind is AttendeeKind.STAFF]
    if not any(p.name in signed_names for p in staff):
        missing.append("a member of staff, for the governing body")
    return missing
