"""The pure casework rules: dates across month ends, the next step and its due date, and flags."""

from __future__ import annotations

from datetime import date

import pytest

from checklist_app.casework.models import (
    ContactMethod,
    ContractStatus,
    DurationUnit,
    MeetingKind,
    MeetingOutcome,
    Stage,
)
from checklist_app.casework.process import dates, progress, stage
from checklist_app.casework.process import figures as counts
from checklist_app.casework.process import flags as flag_rules
from checklist_app.casework.process import next_step as steps
from checklist_app.casework.process.facts import (
    CaseFacts,
    ContactFact,
    ContractFact,
    FigureFact,
    LetterFact,
    MeetingFact,
)
from checklist_app.casework.settings import CaseworkSettings

S = CaseworkSettings()
OPENED = date(2027, 1, 4)


def facts(**kwargs) -> CaseFacts:
    return CaseFacts(opened_on=OPENED, baseline=kwargs.pop("baseline", 80.0), **kwargs)


def codes(found) -> set[str]:
    return {f.code for f in found}


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 12, 31), 1, date(2027, 1, 31)),
    (date(2027, 3, 31), 1, date(2027, 4, 30)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2027, 1, 15), 12, date(2028, 1, 15)),
])
def test_months_added_across_month_ends(start, months, expected):
    assert dates.add_months(start, months) == expected


def test_weeks_added_across_month_and_year_ends():
    assert dates.add_weeks(date(2027, 1, 31), 3) == date(2027, 2, 21)
    assert dates.add_weeks(date(2026, 12, 20), 2) == date(2027, 1, 3)
    assert dates.add_weeks(date(2028, 2, 15), 2) == date(2028, 2, 29)


def test_date_arithmetic_stops_at_the_calendars_ends():
    """A date stored at the edge (31 December 9999, 1 January 1) must not break a page."""
    assert dates.add_weeks(date(9999, 12, 31), 3) == date.max
    assert dates.add_days(date(9999, 12, 20), 30) == date.max
    assert dates.add_days(date(1, 1, 5), -10) == date.min
    assert dates.add_months(date(9999, 12, 31), 1) == date.max
    assert dates.add_months(date(1, 1, 31), -1) == date.min
    assert dates.add_months(date(9999, 11, 30), 1) == date(9999, 12, 30)


def test_r13_review_period_is_shorter_when_attendance_is_lower():
    """R13: 5–8 week review period, lower attendance at the start → shorter period."""
    assert dates.review_period_weeks(40.0, S) == 5
    assert dates.review_period_weeks(65.0, S) == 6
    assert dates.review_period_weeks(80.0, S) == 7
    assert dates.review_period_weeks(88.0, S) == 8
    weeks = [dates.review_period_weeks(b, S) for b in range(0, 101, 5)]
    assert weeks == sorted(weeks) and min(weeks) >= 5 and max(weeks) <= 8


def test_r26_meeting_review_window_two_to_four_weeks():
    """R26: the plan is reviewed 2–4 weeks after the meeting, 3 suggested."""
    earliest, latest, suggested = dates.meeting_review_window(date(2027, 1, 31), S)
    assert (earliest, latest, suggested) == (date(2027, 2, 14), date(2027, 2, 28), date(2027, 2, 21))


def test_r27_next_review_no_more_than_three_weeks():
    """R27: after a review meeting the next review is no more than 3 weeks later."""
    assert dates.latest_next_review(date(2027, 1, 31), S) == date(2027, 2, 21)


def test_r9_monthly_reviews_for_contracts_of_three_months_or_more():
    """R9: monthly review meetings for contracts of 3 months or more (a setting)."""
    assert dates.needs_monthly_reviews(3, DurationUnit.MONTHS, S)
    assert dates.needs_monthly_reviews(13, DurationUnit.WEEKS, S)
    assert not dates.needs_monthly_reviews(8, DurationUnit.WEEKS, S)
    assert not dates.needs_monthly_reviews(2, DurationUnit.MONTHS, S)
    assert not dates.needs_monthly_reviews(3, DurationUnit.MONTHS,
                                           CaseworkSettings(monthly_review_min_months=6))


def test_r21_improvement_is_relative_to_the_start_even_past_the_threshold():
    """R21: 80% → 87% is improvement, even when 10 unauthorised sessions were reached (R29)."""
    figures = (FigureFact(date(2027, 1, 4), date(2027, 1, 15), 84.0, 6),
               FigureFact(date(2027, 1, 18), date(2027, 1, 29), 87.0, 4))
    found = flag_rules.flags(facts(baseline=80.0, figures=figures), date(2027, 2, 1), S)
    improved = next(f for f in found if f.code == "improved")
    assert "80.0% at the start, 87.0% now (+7.0 points)" in improved.text
    assert "penalty-threshold" in codes(found)
    assert counts.is_improvement(80.0, 87.0) and not counts.is_improvement(80.0, 80.0)
    lower = FigureFact(date(2027, 1, 4), date(2027, 1, 15), 75.0, 0)
    worse = flag_rules.flags(facts(baseline=80.0, figures=(lower,)), date(2027, 2, 1), S)
    assert "not-improved" in codes(worse) and "improved" not in codes(worse)


@pytest.mark.parametrize(("percent", "expected"), [
    (50.0, {"severe"}), (49.9, {"severe"}), (50.1, {"persistent"}), (90.0, {"persistent"}),
    (90.1, set()),
])
def test_r28_severe_and_persistent_absence_thresholds(percent, expected):
    """R28: persistent absence at 90% or below, severe at 50% or below."""
    figure = FigureFact(date(2027, 1, 4), date(2027, 1, 15), percent, 0)
    found = codes(flag_rules.attendance_flags(facts(figures=(figure,))))
    assert found & {"severe", "persistent"} == expected


def _signed(on=date(2027, 1, 15), **extra) -> ContractFact:
    return ContractFact(id=1, status=ContractStatus.SIGNED, meeting_on=on, signed_on=on, **extra)


def test_r13_six_unauthorised_sessions_in_the_review_period_trigger_a_review():
    """R13: 6 unauthorised sessions before the review period ends may trigger a review (7a)."""
    before = FigureFact(date(2027, 1, 4), date(2027, 1, 8), 70.0, 9)  # before the contract
    inside = (FigureFact(date(2027, 1, 18), date(2027, 1, 22), 80.0, 3, date(2027, 1, 25)),
              FigureFact(date(2027, 1, 25), date(2027, 1, 29), 80.0, 3, date(2027, 2, 1)))
    letters = (LetterFact("4", date(2027, 1, 15)),)
    f = facts(contracts=(_signed(),), letters=letters, figures=(before, *inside))
    assert "review-trigger" in codes(flag_rules.flags(f, date(2027, 2, 2), S))
    step = steps.next_step(f, date(2027, 2, 2), S)
    assert (step.step, step.due, step.rule) == ("7a", date(2027, 2, 1), "R13")
    fewer = facts(contracts=(_signed(),), letters=letters, figures=(before, inside[0]))
    assert "review-trigger" not in codes(flag_rules.flags(fewer, date(2027, 2, 2), S))


def test_r29_ten_unauthorised_sessions_within_ten_school_weeks():
    """R29: the penalty-notice threshold is flagged (never acted on) within a rolling 10 weeks."""
    within = (FigureFact(date(2027, 1, 4), date(2027, 1, 8), 80.0, 5),
              FigureFact(date(2027, 3, 1), date(2027, 3, 12), 80.0, 5))
    assert counts.penalty_threshold_window(within) == (date(2027, 1, 2), date(2027, 3, 12), 10)
    spread = (FigureFact(date(2027, 1, 4), date(2027, 1, 8), 80.0, 5),
              FigureFact(date(2027, 3, 15), date(2027, 3, 19), 80.0, 5))
    assert counts.penalty_threshold_window(spread) is None
    flag = next(f for f in flag_rules.flags(facts(figures=within), date(2027, 3, 15), S)
                if f.code == "penalty-threshold")
    assert "flag only" in flag.text and flag.rule == "R29"


def test_r23_social_worker_told_of_unauthorised_absence():
    """R23: with a social worker, every unauthorised absence is passed on (and recorded)."""
    figure = FigureFact(date(2027, 1, 4), date(2027, 1, 8), 80.0, 2, date(2027, 1, 11))
    untold = facts(has_social_worker=True, figures=(figure,))
    assert "tell-social-worker" in codes(flag_rules.contact_flags(untold))
    told = facts(has_social_worker=True, figures=(figure,),
                 contacts=(ContactFact(date(2027, 1, 12), ContactMethod.EMAIL, True, True),))
    assert "tell-social-worker" not in codes(flag_rules.contact_flags(told))
    no_worker = facts(figures=(figure,))
    assert "tell-social-worker" not in codes(flag_rules.contact_flags(no_worker))


def test_r11_telephone_contact_after_a_missed_meeting():
    """R11: if the parent fails to attend, telephone contact is attempted and recorded."""
    missed = MeetingFact(1, MeetingKind.CONTRACT, date(2027, 1, 15), MeetingOutcome.NOT_ATTENDED)
    assert "no-phone-contact" in codes(flag_rules.contact_flags(facts(meetings=(missed,))))
    phoned = facts(meetings=(missed,), contacts=(ContactFact(date(2027, 1, 15), ContactMethod.PHONE, False),))
    assert "no-phone-contact" not in codes(flag_rules.contact_flags(phoned))


def test_r11_first_step_is_an_invite_with_a_week_notice():
    """R11: the invite (letter 1) goes at least one week before the contract meeting."""
    f = facts()
    step = steps.next_step(f, OPENED, S)
    assert (step.step, step.due) == ("1", date(2027, 1, 11))
    meeting = MeetingFact(7, MeetingKind.CONTRACT, date(2027, 1, 31), MeetingOutcome.SCHEDULED)
    step = steps.next_step(facts(meetings=(meeting,)), OPENED, S)
    assert (step.step, step.due, step.rule) == ("1", date(2027, 1, 24), "R11")
    invited = facts(meetings=(meeting,), letters=(LetterFact("1", date(2027, 1, 20), 7),))
    assert steps.next_step(invited, OPENED, S).text == "Hold the contract meeting"
    assert stage.current_stage(invited) is Stage.INVITED
    late = steps.next_step(invited, date(2027, 2, 3), S)
    assert late.text.startswith("Record the outcome") and late.overdue(date(2027, 2, 3))


def test_r12_second_invite_then_professionals_meeting():
    """R12: a missed meeting → second invite; a second no-show → professionals meeting."""
    first = MeetingFact(1, MeetingKind.CONTRACT, date(2027, 1, 15), MeetingOutcome.NOT_ATTENDED)
    one = facts(meetings=(first,))
    assert stage.current_stage(one) is Stage.SECOND_INVITE
    step = steps.next_step(one, date(2027, 1, 16), S)
    assert (step.step, step.rule, step.due) == ("2", "R12", date(2027, 1, 22))
    second = MeetingFact(2, MeetingKind.CONTRACT, date(2027, 1, 29), MeetingOutcome.SCHEDULED)
    step = steps.next_step(facts(meetings=(first, second)), date(2027, 1, 16), S)
    assert (step.step, step.due) == ("2", date(2027, 1, 22))


def test_r15_r22_failed_to_attend_within_a_week_then_six_weeks_of_support():
    """R15: within one week, professionals meeting or plan and letter 5; R22: then 6 weeks."""
    missed = (MeetingFact(1, MeetingKind.CONTRACT, date(2027, 1, 15), MeetingOutcome.NOT_ATTENDED),
              MeetingFact(2, MeetingKind.CONTRACT, date(2027, 1, 29), MeetingOutcome.NOT_ATTENDED))
    f = facts(meetings=missed)
    assert stage.current_stage(f) is Stage.FURTHER_SUPPORT
    step = steps.next_step(f, date(2027, 1, 30), S)
    assert (step.step, step.due, step.rule) == ("5", date(2027, 2, 5), "R15")
    told = facts(meetings=missed, letters=(LetterFact("5", date(2027, 2, 3)),))
    step = steps.next_step(told, date(2027, 2, 4), S)
    assert (step.step, step.due, step.rule) == ("8", date(2027, 3, 17), "R22")


def test_r14_r13_after_signing_outcome_letter_then_review_period():
    """R14: the outcome letter goes with the contract; R13: then the review period runs."""
    held = MeetingFact(1, MeetingKind.CONTRACT, date(2027, 1, 15), MeetingOutcome.HELD, True)
    draft = facts(meetings=(held,), contracts=(ContractFact(1, ContractStatus.DRAFT, date(2027, 1, 15)),))
    assert stage.current_stage(draft) is Stage.CONTRACT_MEETING
    assert steps.next_step(draft, date(2027, 1, 15), S).rule == "R7"
    signed = facts(baseline=45.0, meetings=(held,), contracts=(_signed(),))
    step = steps.next_step(signed, date(2027, 1, 15), S)
    assert (step.step, step.due, step.rule) == ("4", date(2027, 1, 15), "R14")
    sent = facts(baseline=45.0, meetings=(held,), contracts=(_signed(),),
                 letters=(LetterFact("4", date(2027, 1, 15)),))
    step = steps.next_step(sent, date(2027, 1, 16), S)
    assert (step.due, step.rule) == (date(2027, 2, 19), "R13")  # 5 weeks: baseline below 50%
    assert stage.current_stage(sent) is Stage.CONTRACT
    chosen = facts(baseline=45.0, meetings=(held,), letters=sent.letters,
                   contracts=(_signed(review_date=date(2027, 2, 26)),))
    assert steps.next_step(chosen, date(2027, 1, 16), S).due == date(2027, 2, 26)


def test_r27_review_meeting_decisions():
    """R27: new plan → next review by the recorded date; escalate → consider a Notice to Improve."""
    contract = _signed(duration_value=2, duration_unit=DurationUnit.MONTHS)
    review = MeetingFact(3, MeetingKind.REVIEW, date(2027, 1, 31), MeetingOutcome.HELD, True,
                         review_date=date(2027, 2, 14), decision="new-plan")
    letters = (LetterFact("4", date(2027, 1, 15)),)
    f = facts(contracts=(contract,), meetings=(review,), letters=letters)
    assert stage.current_stage(f) is Stage.REVIEW
    assert steps.next_step(f, date(2027, 2, 1), S).due == date(2027, 2, 14)
    undated = MeetingFact(3, MeetingKind.REVIEW, date(2027, 1, 31), MeetingOutcome.HELD, True)
    assert steps.next_step(facts(contracts=(contract,), meetings=(undated,), letters=letters),
                           date(2027, 2, 1), S).due == date(2027, 2, 21)
    monthly = facts(contracts=(_signed(duration_value=6),), meetings=(undated,), letters=letters)
    assert steps.next_step(monthly, date(2027, 2, 1), S).due == date(2027, 2, 28)  # R9
    escalate = MeetingFact(3, MeetingKind.REVIEW, date(2027, 1, 31), MeetingOutcome.HELD, True,
                           decision="escalate")
    step = steps.next_step(facts(contracts=(contract,), meetings=(escalate,), letters=letters),
                           date(2027, 2, 1), S)
    assert (step.step, step.rule) == ("8", "R27")


def test_r16_r17_r18_r19_r20_escalation_steps():
    """R16 improved → monitoring; R17 7a → review stage; R18 7b → short review then 8;
    R19 8 → 3-week review; R20 9 → referral made."""
    contract, four = _signed(), LetterFact("4", date(2027, 1, 15))
    improved = facts(contracts=(contract,), letters=(four, LetterFact("6", date(2027, 3, 1))))
    assert stage.current_stage(improved) is Stage.IMPROVED
    review = MeetingFact(5, MeetingKind.REVIEW, date(2027, 3, 10), MeetingOutcome.SCHEDULED)
    invited = facts(contracts=(contract,), meetings=(review,),
                    letters=(four, LetterFact("7a", date(2027, 3, 1), 5)))
    assert stage.current_stage(invited) is Stage.REVIEW
    assert steps.next_step(invited, date(2027, 3, 2), S).text == "Hold the review meeting"
    warned = facts(contracts=(contract,), letters=(four, LetterFact("7b", date(2027, 3, 1))))
    step = steps.next_step(warned, date(2027, 3, 2), S)
    assert (step.step, step.due, step.rule) == ("8", date(2027, 3, 15), "R18")
    assert stage.current_stage(warned) is Stage.TERMINATION_WARNING
    notice = facts(contracts=(ContractFact(1, ContractStatus.ENDED, date(2027, 1, 15), date(2027, 1, 15)),),
                   letters=(four, LetterFact("8", date(2027, 1, 31))))
    step = steps.next_step(notice, date(2027, 2, 1), S)
    assert (step.step, step.due, step.rule) == ("8", date(2027, 2, 21), "R19")
    assert stage.current_stage(notice) is Stage.NOTICE_TO_IMPROVE
    referred = facts(letters=(LetterFact("8", date(2027, 1, 31)), LetterFact("9", date(2027, 3, 1))))
    assert stage.current_stage(referred) is Stage.LEGAL
    assert steps.next_step(referred, date(2027, 3, 2), S).rule == "R20"
    assert steps.next_step(facts(closed=True), date(2027, 3, 2), S) is None


def test_r19_social_care_referral_considered_below_fifty_percent():
    """R19: below 50% after a Notice to Improve: consider a social care referral."""
    figure = FigureFact(date(2027, 2, 1), date(2027, 2, 12), 45.0, 0)
    f = facts(letters=(LetterFact("8", date(2027, 1, 31)),), figures=(figure,))
    assert "social-care" in codes(flag_rules.flags(f, date(2027, 2, 13), S))


def test_overdue_next_step_is_flagged():
    f = facts()
    assert "overdue" not in codes(flag_rules.flags(f, date(2027, 1, 11), S))
    overdue = next(x for x in flag_rules.flags(f, date(2027, 1, 12), S) if x.code == "overdue")
    assert overdue.level == "overdue" and "11 January 2027" in overdue.text


def test_settings_come_from_app_config(app):
    """Time frames are settings (CASEWORK_*), with the defaults of docs/RULES.md."""
    from checklist_app.casework.settings import settings

    assert settings().notice_days == 7 and settings().no_show_support_weeks == 6
    app.config["CASEWORK_NOTICE_DAYS"] = 10
    app.config["CASEWORK_NO_SHOW_SUPPORT_WEEKS"] = 4
    assert settings().notice_days == 10 and settings().no_show_support_weeks == 4
    step = steps.next_step(facts(), OPENED, settings())
    assert step.due == date(2027, 1, 11)  # arrange_meeting_days unchanged


def test_r5_checklist_completion_per_stage():
    """R5: planning (complete tick), delivery and review (Yes / No / NA) completion per stage."""
    sections = [("planning", "Planning stage", ["a", "b"]), ("delivery", "Delivery stage", ["c", "d"])]
    answers = {"a": {"status": "complete"}, "b": {"status": "not-yet"}, "c": {"status": "na"},
               "d": {"status": "no"}}
    assert progress.completion_by_section(sections, answers) == [
        ("planning", "Planning stage", 1, 2), ("delivery", "Delivery stage", 1, 2)]
    assert progress.percent(1, 3) == 33 and progress.percent(0, 0) == 0
