"""The three paths a generated case takes through the process (seed 001, rules R11–R19).

Each writer queues one case with its family, meetings, letters, contracts, figures and contacts,
and returns the ids the benchmark pages open (used for the busiest case, case 0).
"""

from __future__ import annotations

from datetime import timedelta

from benchmarks.casework_data import (
    Ctx,
    add_contract,
    add_family,
    add_figures_and_contacts,
    add_letter,
    add_meeting,
    case_row,
)
from checklist_app.casework.models import (
    ClosureReason,
    Contract,
    ContractStatus,
    LetterStep,
    MeetingKind,
    MeetingOutcome,
    Stage,
)

DAY = timedelta(days=1)


def contract_path(ctx: Ctx, closed: bool, cycles: int, lead: tuple[int, str],
                  parents: int) -> dict[str, int]:
    """Contract signed at the first meeting, a review (and new revision) every six weeks."""
    rng, today = ctx.rng, ctx.today
    span = 14 + 42 * cycles
    if closed:
        opened = today - timedelta(days=rng.randint(span + 60, span + 600))
        end = opened + timedelta(days=span + rng.randint(20, 50))
    else:
        opened, end = today - timedelta(days=span + rng.randint(7, 40)), today
    pupil, pupil_name, family = add_family(ctx, parents)
    case, baseline = case_row(ctx, pupil, lead, opened, Stage.REVIEW if cycles else Stage.CONTRACT,
                              end if closed else None,
                              ClosureReason.ATTENDANCE_IMPROVED if closed else None, share=0.9)
    first = opened + 14 * DAY
    meeting = add_meeting(ctx, case, MeetingKind.CONTRACT, first, MeetingOutcome.HELD, family,
                       pupil_name, lead)
    letter = add_letter(ctx, case, LetterStep.INVITE, family[0], pupil_name, meeting[0],
                        opened + DAY, lead[1])
    contract, agreements = add_contract(ctx, case, meeting, first, 1, None, None)
    add_letter(ctx, case, LetterStep.OUTCOME, family[0], pupil_name, meeting[0], first, lead[1])
    contracts = [contract]
    for k in range(1, cycles + 1):
        on = first + timedelta(weeks=6 * k)
        meeting = add_meeting(ctx, case, MeetingKind.REVIEW, on, MeetingOutcome.HELD, family,
                           pupil_name, lead)
        letter = add_letter(ctx, case, LetterStep.REVIEW_INVITE, family[0], pupil_name, meeting[0],
                            on - 14 * DAY, lead[1])
        contract, agreements = add_contract(ctx, case, meeting, on, k + 1, contract,
                                         [list(a) for a in agreements])
        contracts.append(contract)
    for old in contracts[:-1]:
        ctx.w.update(Contract, old, status=ContractStatus.SUPERSEDED)
    if closed:
        improved = add_letter(ctx, case, LetterStep.IMPROVED, family[0], pupil_name, None, end, lead[1])
        ctx.w.update(Contract, contracts[-1], status=ContractStatus.ENDED, ended_on=end,
                     end_reason="attendance-improved", end_letter_id=improved,
                     end_rationale="Attendance has risen well above the level at the start.")
    elif cycles > 2 or rng.random() < 0.3:
        add_letter(ctx, case, LetterStep.REVIEW_INVITE, family[0], pupil_name, None, None, lead[1])
    add_figures_and_contacts(ctx, case, opened, end, baseline, 3 + 3 * cycles, family[0], lead[1])
    return {"busy_case_id": case, "busy_pupil_id": pupil, "contract_id": contracts[-1],
            "meeting_id": meeting[0], "letter_id": letter}


def no_show_path(ctx: Ctx, closed: bool, cycles: int, lead: tuple[int, str],
                 parents: int) -> dict[str, int]:
    """Both invitations missed, then a professionals meeting and further support (R12, R15)."""
    rng, today = ctx.rng, ctx.today
    opened = today - timedelta(days=rng.randint(200, 700) if closed else rng.randint(45, 120))
    first, second = opened + 14 * DAY, opened + 28 * DAY
    end = second + timedelta(days=rng.randint(40, 120)) if closed else today
    pupil, pupil_name, family = add_family(ctx, parents)
    case, baseline = case_row(ctx, pupil, lead, opened, Stage.FURTHER_SUPPORT,
                              end if closed else None,
                              ClosureReason.ALTERNATIVE_PLAN if closed else None, share=0.4)
    missed = add_meeting(ctx, case, MeetingKind.CONTRACT, first, MeetingOutcome.NOT_ATTENDED, family,
                      pupil_name, lead)
    letter = add_letter(ctx, case, LetterStep.INVITE, family[0], pupil_name, missed[0], opened + DAY, lead[1])
    again = add_meeting(ctx, case, MeetingKind.CONTRACT, second, MeetingOutcome.NOT_ATTENDED, family,
                     pupil_name, lead)
    add_letter(ctx, case, LetterStep.SECOND_INVITE, family[0], pupil_name, again[0], first + DAY, lead[1])
    professionals = add_meeting(ctx, case, MeetingKind.PROFESSIONALS, second + 7 * DAY,
                             MeetingOutcome.HELD, family, pupil_name, lead)
    add_letter(ctx, case, LetterStep.FAILED_TO_ATTEND, family[0], pupil_name, None, second + 3 * DAY, lead[1])
    add_figures_and_contacts(ctx, case, opened, end, baseline, 6, family[0], lead[1])
    return {"busy_case_id": case, "busy_pupil_id": pupil, "contract_id": 0,
            "meeting_id": professionals[0], "letter_id": letter}


def invited_path(ctx: Ctx, closed: bool, cycles: int, lead: tuple[int, str],
                 parents: int) -> dict[str, int]:
    """Just opened, with the contract meeting arranged (or rearranged, then the pupil moved)."""
    rng, today = ctx.rng, ctx.today
    opened = today - timedelta(days=rng.randint(200, 700) if closed else rng.randint(1, 6))
    end = opened + 10 * DAY if closed else today
    pupil, pupil_name, family = add_family(ctx, parents)
    case, baseline = case_row(ctx, pupil, lead, opened, Stage.INVITED, end if closed else None,
                              ClosureReason.CHANGED_SCHOOL if closed else None, share=0.2)
    outcome = MeetingOutcome.REARRANGED if closed else MeetingOutcome.SCHEDULED
    meeting = add_meeting(ctx, case, MeetingKind.CONTRACT, opened + 14 * DAY, outcome, family,
                       pupil_name, lead)
    letter = add_letter(ctx, case, LetterStep.INVITE, family[0], pupil_name, meeting[0], opened, lead[1])
    add_figures_and_contacts(ctx, case, opened, end, baseline, 2, family[0], lead[1])
    return {"busy_case_id": case, "busy_pupil_id": pupil, "contract_id": 0,
            "meeting_id": meeting[0], "letter_id": letter}


PATH_WRITERS = {"contract": contract_path, "no-show": no_show_path, "invited": invited_path}
