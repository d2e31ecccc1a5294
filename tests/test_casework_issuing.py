"""Pure rules of issue 13: issuing each letter, what letters may say, separated parents, signatures,
and flags that agree with the stage."""

from __future__ import annotations

from datetime import date

import pytest

from checklist_app.casework.enums import (
    AttendeeKind,
    ContactMethod,
    ContractStatus,
    DurationUnit,
    LetterStep,
    MeetingKind,
    MeetingOutcome,
    Stage,
)
from checklist_app.casework.process import flags as flag_rules
from checklist_app.casework.process import issuing, merge, scope, signatures
from checklist_app.casework.process.facts import (
    CaseFacts,
    ContactFact,
    ContractFact,
    FigureFact,
    LetterFact,
    MeetingFact,
)
from checklist_app.casework.process.stage import current_stage
from checklist_app.casework.settings import CaseworkSettings

S = CaseworkSettings()
L = LetterStep
OPENED = date(2026, 11, 2)
MUM, DAD = 1, 2


def facts(**kwargs) -> CaseFacts:
    return CaseFacts(opened_on=OPENED, baseline=kwargs.pop("baseline", 80.0), **kwargs)


def meeting(mid: int, on: date, outcome=MeetingOutcome.SCHEDULED, kind=MeetingKind.CONTRACT,
            parents=(), **kw) -> MeetingFact:
    return MeetingFact(mid, kind, on, outcome, outcome is MeetingOutcome.HELD,
                       parent_ids=frozenset(parents), **kw)


def signed(cid: int, on: date, parents=(), **kw) -> ContractFact:
    return ContractFact(cid, ContractStatus.SIGNED, on, signed_on=on, parent_ids=frozenset(parents),
                        **kw)


def refusals(step, f, letter_date, meeting_fact=None, today=date(2027, 3, 1), body=""):
    return issuing.issue_refusals(step, f, letter_date, today, S, meeting_fact, body)


# --- notice and invites ---------------------------------------------------------------------

def test_letter_1_dated_five_days_before_the_meeting_is_refused_with_the_dates():
    m = meeting(1, date(2026, 12, 7))
    found = refusals(L.INVITE, facts(meetings=(m,)), date(2026, 12, 2), m)
    assert len(found) == 1
    assert "5 days' notice of the meeting on 7 December 2026" in found[0]
    assert "send it by 30 November 2026" in found[0] and "(R" not in found[0]
    assert refusals(L.INVITE, facts(meetings=(m,)), date(2026, 11, 30), m) == []


def test_invites_need_a_planned_meeting_of_their_kind_and_a_date_before_it():
    review = meeting(1, date(2026, 12, 7), kind=MeetingKind.REVIEW)
    assert "Choose the attendance contract meeting" in refusals(
        L.INVITE, facts(meetings=(review,)), date(2026, 11, 20), review)[0]
    held = meeting(2, date(2026, 12, 7), MeetingOutcome.HELD)
    assert "no longer planned" in refusals(L.INVITE, facts(meetings=(held,)), date(2026, 11, 20),
                                           held)[0]


def test_second_invite_is_the_default_after_a_missed_meeting_and_letter_1_is_refused():
    missed = meeting(1, date(2026, 12, 7), MeetingOutcome.NOT_ATTENDED)
    second = meeting(2, date(2026, 12, 21))
    f = facts(meetings=(missed, second))
    assert issuing.default_invite_step(facts()) is L.INVITE
    assert issuing.default_invite_step(f) is L.SECOND_INVITE
    assert "second invite (letter 2)" in refusals(L.INVITE, f, date(2026, 12, 9), second)[0]
    assert refusals(L.SECOND_INVITE, f, date(2026, 12, 9), second) == []
    assert "none has been recorded as missed" in refusals(
        L.SECOND_INVITE, facts(meetings=(second,)), date(2026, 12, 9), second)[0]


def test_a_third_contract_meeting_after_two_missed_is_refused_and_flagged():
    one = meeting(1, date(2026, 12, 7), MeetingOutcome.NOT_ATTENDED)
    two = meeting(2, date(2026, 12, 21), MeetingOutcome.NOT_ATTENDED)
    three = meeting(3, date(2027, 1, 11))
    f = facts(meetings=(one, two, three))
    assert any("professionals meeting" in r for r in refusals(L.SECOND_INVITE, f, date(2027, 1, 2),
                                                               three))
    found = flag_rules.flags(f, date(2027, 1, 3), S)
    assert "third-contract-meeting" in {x.code for x in found}


# --- prerequisites --------------------------------------------------------------------------

def test_notice_to_improve_needs_a_warning_with_a_contract_or_letter_5_without_one():
    contract = signed(1, date(2026, 12, 1))
    f = facts(contracts=(contract,))
    assert "termination warning (letter 7b)" in refusals(L.NOTICE_TO_IMPROVE, f,
                                                         date(2027, 1, 20))[0]
    warned = facts(contracts=(contract,),
                   letters=(LetterFact(L.TERMINATION_WARNING, date(2027, 1, 5)),))
    assert refusals(L.NOTICE_TO_IMPROVE, warned, date(2027, 1, 20)) == []
    escalate = meeting(5, date(2027, 1, 10), MeetingOutcome.HELD, MeetingKind.REVIEW,
                       decision="escalate")
    assert refusals(L.NOTICE_TO_IMPROVE, facts(contracts=(contract,), meetings=(escalate,)),
                    date(2027, 1, 20)) == []
    assert "failed-to-attend letter (letter 5)" in refusals(L.NOTICE_TO_IMPROVE, facts(),
                                                            date(2027, 1, 20))[0]
    no_contract = facts(letters=(LetterFact(L.FAILED_TO_ATTEND, date(2027, 1, 2)),))
    assert refusals(L.NOTICE_TO_IMPROVE, no_contract, date(2027, 1, 20)) == []


def test_referral_needs_a_notice_to_improve_and_a_recorded_talk_with_the_officer():
    assert "Notice to Improve (letter 8)" in refusals(L.LEGAL_REFERRAL, facts(),
                                                      date(2027, 2, 20))[0]
    notice = LetterFact(L.NOTICE_TO_IMPROVE, date(2027, 1, 20))
    before = ContactFact(date(2027, 1, 10), ContactMethod.PHONE, True, with_attendance_officer=True)
    found = refusals(L.LEGAL_REFERRAL, facts(letters=(notice,), contacts=(before,)),
                     date(2027, 2, 20))
    assert "discussion with the local authority's attendance officer" in found[0]
    assert "20 January 2027" in found[0]
    after = ContactFact(date(2027, 2, 12), ContactMethod.PHONE, True, with_attendance_officer=True)
    assert refusals(L.LEGAL_REFERRAL, facts(letters=(notice,), contacts=(after,)),
                    date(2027, 2, 20)) == []


def test_outcome_improved_and_failed_to_attend_letters_must_be_true():
    assert "collect the signatures" in refusals(L.OUTCOME, facts(), date(2027, 1, 5))[0]
    assert "Record the latest attendance figure" in refusals(L.IMPROVED, facts(),
                                                             date(2027, 1, 5))[0]
    worse = FigureFact(date(2026, 12, 1), date(2026, 12, 18), 78.0, 2)
    assert "not an improvement" in refusals(L.IMPROVED, facts(figures=(worse,)),
                                            date(2027, 1, 5))[0]
    better = FigureFact(date(2026, 12, 1), date(2026, 12, 18), 86.0, 0)
    assert refusals(L.IMPROVED, facts(figures=(better,)), date(2027, 1, 5)) == []
    missed = meeting(1, date(2026, 12, 7), MeetingOutcome.NOT_ATTENDED)
    assert "missed both contract meetings" in refusals(L.FAILED_TO_ATTEND,
                                                       facts(meetings=(missed,)),
                                                       date(2027, 1, 5))[0]


def test_a_future_date_a_closed_case_and_placeholders_are_refused():
    found = refusals(L.CONTRACT_ENDED, CaseFacts(OPENED, 80.0, closed=True), date(2027, 3, 2),
                     body="Because [[write the reason]].")
    assert any("closed" in r for r in found)
    assert any("after today" in r for r in found)
    assert any("write the reason" in r for r in found)


@pytest.mark.parametrize(("reason", "step", "ok"), [
    ("non-compliance", L.NOTICE_TO_IMPROVE, True),
    ("non-compliance", L.INVITE, False),
    ("attendance-improved", L.IMPROVED, True),
    ("attendance-improved", L.INVITE, False),
    ("changed-school", L.CONTRACT_ENDED, True),
    ("changed-school", L.TERMINATION_WARNING, False),
])
def test_only_a_letter_that_says_the_contract_ends_can_end_it(reason, step, ok):
    refusal = issuing.termination_letter_refusal(reason, step, issued=True)
    assert (refusal is None) is ok
    if not ok:
        assert f"Letter {step}" in refusal and "does not tell the parents" in refusal
    assert "Issue the letter first" in issuing.termination_letter_refusal(reason, step, False)


# --- separated parents ----------------------------------------------------------------------

def test_each_parent_sees_only_their_own_and_joint_records():
    joint = meeting(1, date(2026, 12, 1), MeetingOutcome.NOT_ATTENDED, parents=(MUM, DAD))
    dads = meeting(2, date(2026, 12, 10), MeetingOutcome.HELD, parents=(DAD,))
    f = facts(meetings=(joint, dads), contracts=(signed(7, date(2026, 12, 10), (DAD,)),),
              letters=(LetterFact(L.INVITE, date(2026, 11, 20), 1, MUM),
                       LetterFact(L.INVITE, date(2026, 11, 20), 1, DAD)),
              contacts=(ContactFact(date(2026, 12, 2), ContactMethod.PHONE, True, parent_id=DAD),))
    mum = scope.for_parent(f, MUM)
    assert [m.id for m in mum.meetings] == [1]
    assert mum.contracts == () and mum.contacts == ()
    assert [x.parent_id for x in mum.letters] == [MUM]
    assert scope.for_parent(f, DAD).active_contract().id == 7
    # a Notice to Improve to the mother is checked against her path (no contract), not his
    assert "failed-to-attend letter" in refusals(L.NOTICE_TO_IMPROVE, mum, date(2027, 1, 5))[0]
    assert merge.path_taken(mum, date(2027, 1, 5)).contract is False
    assert merge.path_taken(scope.for_parent(f, DAD), date(2027, 1, 5)).contract is True


# --- what letters say -----------------------------------------------------------------------

def test_review_dates_are_the_real_ones_never_the_letters_own_date():
    on = date(2027, 1, 11)
    f = facts(contracts=(signed(1, date(2026, 12, 1), review_date=date(2027, 1, 19)),))
    assert merge.review_date_for(L.OUTCOME, on, f, S) == date(2027, 1, 19)
    assert merge.review_date_for(L.TERMINATION_WARNING, on, f, S) == date(2027, 1, 25)
    assert merge.review_date_for(L.NOTICE_TO_IMPROVE, on, f, S) == date(2027, 2, 1)
    assert merge.review_date_for(L.IMPROVED, on, f, S) == date(2027, 2, 8)
    planned = meeting(3, date(2027, 1, 28), kind=MeetingKind.REVIEW)
    with_review = facts(meetings=(planned,))
    assert merge.review_date_for(L.IMPROVED, on, with_review, S) == date(2027, 1, 28)
    assert merge.review_date_for(L.REVIEW_INVITE, on, with_review, S, planned) == planned.on
    for step in (L.OUTCOME, L.IMPROVED, L.TERMINATION_WARNING, L.NOTICE_TO_IMPROVE):
        assert merge.review_date_for(step, on, f, S) != on


def test_the_path_names_only_steps_taken():
    on = date(2027, 2, 20)
    assert merge.path_taken(facts(), on) == merge.PathTaken()
    f = facts(letters=(LetterFact(L.NOTICE_TO_IMPROVE, date(2027, 1, 20)),),
              contacts=(ContactFact(date(2027, 2, 12), ContactMethod.PHONE, True,
                                    with_attendance_officer=True),))
    path = merge.path_taken(f, on)
    assert (path.notice_to_improve_on, path.officer_discussed_on) == (date(2027, 1, 20),
                                                                     date(2027, 2, 12))
    assert merge.path_taken(f, date(2027, 1, 19)).notice_to_improve_on is None


@pytest.mark.parametrize(("text", "large", "language"), [
    ("Large print please", True, ""),
    ("needs large-font letters; Polish speaker", True, "Polish"),
    ("Interpreter: urdu", False, "Urdu"),
    ("", False, ""),
    ("Prefers phone calls", False, ""),
])
def test_reasonable_adjustments_in_letters(text, large, language):
    found = merge.adjustments_of(text)
    assert (found.large_print, found.language) == (large, language)
    assert (language in found.sentence()) if language else found.sentence() == ""


# --- signatures -----------------------------------------------------------------------------

def test_signature_dates_are_the_meetings_unless_a_reason_is_given():
    held, today = date(2026, 12, 14), date(2027, 3, 20)
    assert signatures.signature_date_refusal(None, held, today) is None
    assert signatures.signature_date_refusal(held, held, today) is None
    assert "before the meeting" in signatures.signature_date_refusal(date(2026, 12, 10), held, today)
    assert "give the reason" in signatures.signature_date_refusal(date(2027, 3, 14), held, today)
    assert signatures.signature_date_refusal(date(2027, 3, 14), held, today, "posted home") is None
    assert "after today" in signatures.signature_date_refusal(date(2027, 3, 21), held, today, "x")
    assert signatures.signature_note(held, held) == "Signed at the meeting on 14 December 2026"
    assert "(posted home)" in signatures.signature_note(date(2026, 12, 20), held, "posted home")


def test_only_parents_and_staff_who_were_present_sign():
    absent = signatures.Signer("Mr Ben Khan", AttendeeKind.PARENT, False)
    agency = signatures.Signer("Jo Early Help", AttendeeKind.AGENCY, True)
    mum = signatures.Signer("Ms Amira Khan", AttendeeKind.PARENT, True)
    staff = signatures.Signer("Sam Lead", AttendeeKind.STAFF, True)
    assert "was not at the meeting" in signatures.signer_refusal(absent)
    assert "parents present and school staff only" in signatures.signer_refusal(agency)
    assert signatures.signer_refusal(mum) is None
    assert signatures.missing_signers([absent, agency, mum, staff], set()) == [
        "Ms Amira Khan", "a member of staff, for the governing body"]
    assert signatures.missing_signers([mum, staff], {"Ms Amira Khan", "Sam Lead"}) == []


# --- flags and the stage --------------------------------------------------------------------

def test_flags_never_contradict_the_stage():
    better = FigureFact(date(2027, 2, 1), date(2027, 2, 19), 88.0, 0)
    legal = facts(figures=(better,), letters=(LetterFact(L.NOTICE_TO_IMPROVE, date(2027, 1, 20)),
                                              LetterFact(L.LEGAL_REFERRAL, date(2027, 2, 20))))
    assert current_stage(legal) is Stage.LEGAL
    found = flag_rules.flags(legal, date(2027, 2, 21), S)
    improved = next(x for x in found if x.code == "improved")
    assert improved.level == "info" and "Referred for legal intervention" in improved.text
    assert not any(x.level == "ok" for x in found)
    worse = FigureFact(date(2027, 2, 1), date(2027, 2, 19), 70.0, 0)
    improved_stage = facts(figures=(worse,), letters=(LetterFact(L.IMPROVED, date(2027, 1, 20)),))
    assert current_stage(improved_stage) is Stage.IMPROVED
    fallen = next(x for x in flag_rules.flags(improved_stage, date(2027, 2, 21), S)
                  if x.code == "not-improved")
    assert fallen.text.startswith("Attendance has fallen back since it improved")
    assert flag_rules.flags(CaseFacts(OPENED, 80.0, closed=True, figures=(worse,)),
                            date(2027, 2, 21), S) == []


def test_monthly_reviews_for_contracts_of_three_months_or_more():
    long = signed(1, date(2026, 12, 1), duration_value=6, duration_unit=DurationUnit.MONTHS)
    short = signed(1, date(2026, 12, 1), duration_value=6, duration_unit=DurationUnit.WEEKS)
    on = date(2027, 1, 5)
    assert "monthly-review" in {x.code for x in flag_rules.meeting_flags(facts(contracts=(long,)),
                                                                          on, S)}
    assert flag_rules.meeting_flags(facts(contracts=(short,)), on, S) == []
    planned = meeting(2, date(2027, 1, 12), kind=MeetingKind.REVIEW)
    assert flag_rules.meeting_flags(facts(contracts=(long,), meetings=(planned,)), on, S) == []


def test_the_plan_copy_is_flagged_until_the_parents_have_it():
    held = meeting(1, date(2026, 12, 1), MeetingOutcome.HELD)
    assert [x.code for x in flag_rules.plan_copy_flags(facts(meetings=(held,)))] == ["plan-copy"]
    given = meeting(1, date(2026, 12, 1), MeetingOutcome.HELD, plan_shared=True)
    assert flag_rules.plan_copy_flags(facts(meetings=(given,))) == []


def test_the_meeting_s_plan_becomes_the_contract_s_agreements():
    from checklist_app.casework.enums import Party
    from checklist_app.casework.process import plan

    answers = {"parents-agree-to": {"value": "- Phone by 8:30 on any absence\n\n2. Bed by 9pm"},
               "school-agrees-to": {"value": "Daily check-in"},
               "young-person-agrees-to": {"value": ""}, "review-date": {"value": "2027-02-05"}}
    assert plan.plan_agreements(answers) == [
        (Party.PARENT, "Phone by 8:30 on any absence"), (Party.PARENT, "Bed by 9pm"),
        (Party.SCHOOL, "Daily check-in")]
    assert plan.plan_sections(answers) == [
        ("Parent or carer agrees to", ["Phone by 8:30 on any absence", "Bed by 9pm"]),
        ("School agrees to", ["Daily check-in"])]
    assert plan.plan_agreements({}) == []
