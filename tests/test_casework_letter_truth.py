"""Letters merged from what is true for their parent: separated parents apart, the path taken,
real review dates, no stray backslashes, reasonable adjustments."""

from __future__ import annotations

from datetime import date

import pytest

from checklist_app.casework.letters import letter_context, letter_templates, render_letter
from checklist_app.casework.models import AttendanceFigure, LetterStep
from checklist_app.extensions import db
from checklist_app.formatting import sanitise_markdown
from checklist_app.reporting.case_context import letter_values
from tests.casework_factories import family_case, held_meeting, signed_contract
from tests.factories import UserFactory

ON = date(2027, 2, 15)


@pytest.fixture
def lead(school):
    return UserFactory(school=school, role="attendance_lead", name="Alex Morgan")


def separated_case(school, lead):
    """Mother and father; the father alone met the school and signed a contract."""
    case, (mum, dad) = family_case(school, lead, parents=2)
    meeting = held_meeting(case, [dad], date(2027, 1, 15))
    signed_contract(meeting, [dad])
    db.session.add(AttendanceFigure(school_id=case.school_id, case_id=case.id,
                                    recorded_on=date(2027, 2, 5), period_start=date(2027, 1, 18),
                                    period_end=date(2027, 2, 5), attendance_percent=82.5,
                                    unauthorised_sessions=4))
    db.session.commit()
    db.session.refresh(case)
    return case, mum, dad


def body(case, parent, step, key):
    context = letter_context(case, parent, None, letter_date=ON, step=step)
    return render_letter(letter_templates()[key], context), context


def test_a_parent_s_letter_names_only_their_own_meetings_and_contract(school, lead):
    case, mum, dad = separated_case(school, lead)
    mums, context = body(case, mum, LetterStep.NOTICE_TO_IMPROVE, "notice-to-improve")
    assert context["support_offered"] == []
    assert "brings the attendance contract" not in mums and "ending the attendance contract" \
        not in mums
    assert "no attendance contract could be agreed" in mums
    dads, context = body(case, dad, LetterStep.NOTICE_TO_IMPROVE, "notice-to-improve")
    assert "brings the attendance contract agreed for" in dads and "15 January 2027" in dads
    assert "Attendance contract meeting offered on 15 January 2027 (attended)" in \
        context["support_offered"]
    assert "school agrees" in context["support_offered"]


def test_values_go_in_without_backslashes_and_review_dates_are_real(school, lead):
    case, mum, dad = separated_case(school, lead)
    for key, step in (("termination-warning", LetterStep.TERMINATION_WARNING),
                      ("attendance-improved", LetterStep.IMPROVED),
                      ("notice-to-improve", LetterStep.NOTICE_TO_IMPROVE)):
        text, context = body(case, dad, step, key)
        assert "\\" not in text
        assert "is now 82.5%" in text or "It is now 82.5%" in text or "it is now 82.5%" in text
        assert context["review"]["date"] not in ("", "15 February 2027")
    assert body(case, dad, LetterStep.TERMINATION_WARNING, "termination-warning")[1]["review"] == \
        {"date": "1 March 2027"}


def test_letter_9_only_mentions_a_notice_to_improve_that_was_issued(school, lead):
    case, mum, _dad = separated_case(school, lead)
    text, _ = body(case, mum, LetterStep.LEGAL_REFERRAL, "referral-for-legal-intervention")
    assert "We issued a Notice to Improve" not in text


def test_reasonable_adjustments_show_in_the_parent_s_letters(school, lead):
    case, mum, dad = separated_case(school, lead)
    dad.reasonable_adjustments = "Large print, please. Polish speaker."
    db.session.commit()
    text, _ = body(case, dad, LetterStep.IMPROVED, "attendance-improved")
    assert "prefer to read and talk in Polish" in text
    assert text.index("Polish") < text.index("Yours sincerely,")
    assert "Polish" not in body(case, mum, LetterStep.IMPROVED, "attendance-improved")[0]
    html = sanitise_markdown(text)
    assert "Polish" in html


def test_a_large_print_parent_s_letter_is_laid_out_in_large_print(school, lead):
    from checklist_app.casework.models import Letter

    case, mum, dad = separated_case(school, lead)
    dad.reasonable_adjustments = "large print"
    letter = Letter(school_id=case.school_id, case_id=case.id, step=LetterStep.IMPROVED,
                    key="attendance-improved", title="Improved", recipient_parent_id=dad.id,
                    body_markdown="Dear Mr Family")
    db.session.add(letter)
    db.session.commit()
    assert letter_values(letter)["large_print"] is True
    letter.recipient_parent_id = mum.id
    db.session.commit()
    db.session.refresh(letter)
    assert letter_values(letter)["large_print"] is False
