"""Demo self-evaluations for ``checklist-app quickstart``: three terms that improve, and actions.

Spring and Summer 2025/26 are finalised; Autumn 2026/27 is a draft in progress. Safe to run again:
nothing is added when the demo school already has a self-evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from checklist_app.auth.models import Role, School, User
from checklist_app.auth.services import create_user, find_user
from checklist_app.checklist_engine.pinning import local_rows, pin
from checklist_app.extensions import db
from checklist_app.self_evaluation.actions import freeze_plan
from checklist_app.self_evaluation.models import (
    Action,
    ActionStatus,
    BoardComment,
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)
from checklist_app.self_evaluation.services import newest_edition
from checklist_app.self_evaluation.terms import Season, Term

Report = Callable[[str], None]
HEAD_EMAIL = "head@oakfield.example"
GOVERNOR_EMAIL = "governor@oakfield.example"
LEVELS = ("not-in-place", "developing", "established", "embedded")

# Rating index per checkpoint (1–25) in spring; summer and autumn build on it.
SPRING = [2, 1, 1, 2, 1, 2, 0, 1, 2, 1, 2, 1, 1, 1, 1, 2, 1, 0, 0, 1, 2, 1, 1, 1, 0]
SUMMER_GAINS = {2, 3, 7, 8, 10, 13, 15, 18, 19, 22, 25}
AUTUMN_GAINS = {1, 5, 7, 12, 14, 18, 20, 22, 24}
AUTUMN_RATED = 19  # the draft is part-way through

EVIDENCE = {
    7: ("Pupils with attendance below 50% are listed weekly; three pupils are severely absent this "
        "term, each with a named lead professional.",
        "Agree a support plan with each family and the link officer; record every contact.",
        "Fortnightly attendance for the group, compared with the start of the plan."),
    8: ("The attendance policy was rewritten in March and is on the website. Names of the senior "
        "attendance champion and the attendance officer are in it.",
        "Share a one-page summary with parents and carers at the start of each year.",
        "Parent survey: do families know whom to contact about absence?"),
    13: ("Governors receive a termly attendance report; the board asked about persistent absence "
         "in Year 9.", "Add a standing attendance item to every full governing board meeting.",
         "Minutes show challenge and follow-up on the actions."),
    15: ("All staff trained on the register codes in the summer term; spot checks in October found "
         "two coding errors, both corrected.", "Repeat spot checks each half term.",
         "Error rate in spot checks; fewer queries from the local authority."),
    22: ("Register times are published on the website, in the newsletter and on the gates.",
         "Remind families at the start of each term.",
         "Late marks per week, compared with the same week last year."),
}


def _evidence(number: int, level: str, term: Term) -> dict[str, str]:
    if number in EVIDENCE:
        where, nxt, impact = EVIDENCE[number]
    else:
        where = {
            "not-in-place": "Not yet in place. The senior team identified this as a gap in the "
                            "checklist review.",
            "developing": "Partly in place: it happens in some year groups but not consistently.",
            "established": "In place across the school; staff know what to do and it is followed.",
            "embedded": "Embedded and reviewed every term; it is part of the school improvement plan.",
        }[level]
        nxt = "Discuss at the next senior leadership meeting and agree who leads it."
        impact = "Attendance figures for the pupils concerned, reviewed each half term."
    return {"where_now": f"{term.label}: {where}", "next_steps": nxt, "impact": impact}


def _ratings() -> list[list[int]]:
    summer = [min(3, r + (n in SUMMER_GAINS)) for n, r in enumerate(SPRING, 1)]
    autumn = [min(3, r + (n in AUTUMN_GAINS)) for n, r in enumerate(summer, 1)]
    return [SPRING, summer, autumn]


def _user(school: School, email: str, name: str, role: Role, report: Report) -> User:
    user = find_user(email)
    if user is None:
        user, password = create_user(email, name, None, role, school)
        report(f"\nDemo {role.label.lower()} created. Log in with:\n  e-mail:   {email}\n"
               f"  password: {password}\n(This password is shown only once.)\n")
    elif user.role_in(school.id) is None:
        create_user(email, name, None, role, school)
    return user


def _evaluation(school: School, term: Term, snapshot, levels: list[int], rated: int,
                author: User) -> SelfEvaluation:
    evaluation = SelfEvaluation(school_id=school.id, academic_year=term.academic_year,
                                season=term.season, current_term=term.slug, snapshot=snapshot,
                                created_by_id=author.id, sign_off={}, carry_notes={})
    db.session.add(evaluation)
    db.session.flush()
    for number, item in enumerate(newest_edition().items()[:rated], 1):
        level = LEVELS[levels[number - 1]]
        db.session.add(CheckpointAnswer(school_id=school.id, self_evaluation_id=evaluation.id,
                                        item_id=item.id, rating=level, updated_by_id=author.id,
                                        answers=_evidence(number, level, term)))
    db.session.flush()
    return evaluation


def _finalise(evaluation: SelfEvaluation, school: School, author: User, on: date,
              next_review: date) -> None:
    evaluation.sign_off = {"school_name": school.name, "person_completing": author.name,
                           "role": "Headteacher and senior attendance champion",
                           "date": on.isoformat(), "next_review_date": next_review.isoformat(),
                           "comments": "Reviewed with the governing board's attendance link governor."}
    evaluation.status = EvaluationStatus.FINALISED
    evaluation.finalised_at = datetime(on.year, on.month, on.day, 16, 0, tzinfo=UTC)
    evaluation.finalised_by_id = author.id
    evaluation.frozen_actions = freeze_plan(evaluation, on)
    evaluation.frozen_local_items = local_rows(evaluation.school_id, evaluation.snapshot.key)
    db.session.flush()


def _action(school: School, number: int, evaluation: SelfEvaluation, text: str, checkpoints: list[int],
            review: date, owner: User | None = None, owner_name: str = "", comments: str = "") -> Action:
    items = newest_edition().items()
    action = Action(school_id=school.id, number=number, action_point=text,
                    checkpoint_ids=[items[n - 1].id for n in checkpoints], review_date=review,
                    owner_user_id=owner.id if owner else None, owner_name=owner_name,
                    comments=comments, opened_in_self_evaluation_id=evaluation.id,
                    opened_term=evaluation.term.slug)
    db.session.add(action)
    return action


def _close(action: Action, status: ActionStatus, on: date, comments: str = "") -> None:
    action.status, action.completed_on = status, on
    action.closed_term = Term.for_date(on).slug
    action.comments = comments or action.comments


def _board_comments(school: School, spring: SelfEvaluation, summer: SelfEvaluation, governor: User,
                    head: User) -> None:
    """A governor's comment answered by the head, and one still awaiting a reply."""
    db.session.add(BoardComment(
        school_id=school.id, self_evaluation_id=spring.id, author_id=governor.id,
        author_name=governor.name, created_at=datetime(2026, 4, 21, 18, 30, tzinfo=UTC),
        body="The board would like to see **persistent absence by year group** each term.",
        reply="Agreed: from the summer term the termly report has a table by year group "
              "(action 4).", reply_author_id=head.id, reply_author_name=head.name,
        replied_at=datetime(2026, 4, 24, 9, 15, tzinfo=UTC)))
    db.session.add(BoardComment(
        school_id=school.id, self_evaluation_id=summer.id, author_id=governor.id,
        author_name=governor.name, created_at=datetime(2026, 9, 22, 18, 30, tzinfo=UTC),
        body="What support is in place for pupils with anxiety-based school avoidance while the "
             "pastoral team's training (action 7) is *still being booked*?"))


def load_demo(school: School, report: Report) -> None:
    """Three terms of self-evaluations and the school's actions for the demo school, once."""
    head = _user(school, HEAD_EMAIL, "Jo Whitfield", Role.SENIOR_LEADER, report)
    governor = _user(school, GOVERNOR_EMAIL, "Priya Shah", Role.GOVERNOR, report)
    if db.session.scalar(select(func.count(SelfEvaluation.id)).where(
            SelfEvaluation.school_id == school.id)):
        report("Demo self-evaluations already present.")
        return
    admin = find_user("admin@oakfield.example")
    snapshot = pin(newest_edition())
    spring_levels, summer_levels, autumn_levels = _ratings()
    total = len(newest_edition().items())

    spring = _evaluation(school, Term("2025/26", Season.SPRING), snapshot, spring_levels, total, head)
    a1 = _action(school, 1, spring, "Rewrite the attendance policy and publish it on the website.",
                 [8], date(2026, 3, 20), owner=head)
    a2 = _action(school, 2, spring, "Train all form tutors on register codes.", [15],
                 date(2026, 5, 15), owner_name="Sam Lee (attendance officer)")
    a3 = _action(school, 3, spring, "Review attendance of pupils with SEND and pupils eligible for "
                 "free school meals every fortnight.", [10, 12], date(2026, 4, 30), owner=admin)
    a4 = _action(school, 4, spring, "Agree a termly attendance report to the governing board.", [13],
                 date(2026, 6, 30), owner_name="Priya Shah (chair of governors)")
    _close(a1, ActionStatus.DONE, date(2026, 3, 18), "Published 18 March; shared in the newsletter.")
    a2.status = a3.status = ActionStatus.IN_PROGRESS
    db.session.flush()
    _finalise(spring, school, head, date(2026, 3, 27), date(2026, 7, 10))

    summer = _evaluation(school, Term("2025/26", Season.SUMMER), snapshot, summer_levels, total, head)
    _close(a2, ActionStatus.DONE, date(2026, 6, 10), "All tutors trained; spot checks to follow.")
    _close(a3, ActionStatus.DONE, date(2026, 7, 1), "Now part of the fortnightly pastoral meeting.")
    _close(a4, ActionStatus.DONE, date(2026, 6, 25))
    _action(school, 5, summer, "Publish register opening and closing times in the newsletter and on "
            "the school gates.", [22], date(2026, 9, 30), owner=head)
    a6 = _action(school, 6, summer, "Sign up to the DfE's daily attendance data sharing.", [25],
                 date(2026, 7, 10), owner=admin)
    a7 = _action(school, 7, summer, "Book anxiety-based school avoidance awareness training for the "
                 "pastoral team.", [24], date(2026, 10, 16), owner_name="Rose Okafor (pastoral lead)")
    a8 = _action(school, 8, summer, "Introduce a weekly attendance prize draw.", [14],
                 date(2026, 7, 17), owner=head)
    db.session.flush()
    _close(a6, ActionStatus.DONE, date(2026, 7, 8))
    _close(a8, ActionStatus.DROPPED, date(2026, 7, 1), "Dropped after discussion: rewards will "
           "recognise improvement, not only perfect attendance ('support first').")
    a7.status = ActionStatus.IN_PROGRESS
    db.session.flush()
    _finalise(summer, school, head, date(2026, 7, 15), date(2026, 12, 11))
    _board_comments(school, spring, summer, governor, head)

    autumn = _evaluation(school, Term("2026/27", Season.AUTUMN), snapshot, autumn_levels,
                         AUTUMN_RATED, head)
    autumn.carry_notes = {"from_id": summer.id, "from_term": summer.term.label,
                          "from_version": snapshot.version, "to_version": snapshot.version,
                          "open_actions": 2}
    _action(school, 9, autumn, "Review the part-time timetable log with the local authority each "
            "half term.", [23], date(2026, 12, 11), owner=head)
    db.session.flush()
    report(f"Demo self-evaluations added for {school.name}: Spring and Summer 2025/26 (finalised), "
           "Autumn 2026/27 (draft), with 9 actions.")
