"""Generated self-evaluations: one per term (the last a draft), answers, actions and board comments.

Ratings improve term on term; each term opens a few actions and closes some earlier ones, and a
finalised term keeps its action plan frozen as it stood (as :func:`actions.freeze_plan` would).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from benchmarks import text
from benchmarks.writer import Writer
from checklist_app.checklist_engine.registry import registry
from checklist_app.self_evaluation import DEFINITION_KEY
from checklist_app.self_evaluation.models import (
    Action,
    ActionStatus,
    BoardComment,
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)
from checklist_app.self_evaluation.terms import Term, start_year_of

OWNER_NAMES = ("Sam Lee (attendance officer)", "Rose Okafor (pastoral lead)",
               "Priya Shah (chair of governors)", "Early Help link worker")
ACTION_TEXTS = (
    "Review the attendance of pupils with SEND every fortnight with the SENCo.",
    "Publish register opening and closing times in the newsletter and on the gates.",
    "Train all form tutors on the register codes and spot-check each half term.",
    "Agree a termly attendance report to the governing board.",
    "Offer every family of a persistently absent pupil a support meeting.",
    "Log part-time timetables and review each one every six weeks.",
    "Book anxiety-based school avoidance training for the pastoral team.",
    "Share daily attendance data with the DfE and check the first weekly report.",
)


def terms_until(today: date, count: int) -> list[Term]:
    """The ``count`` terms ending with the one ``today`` falls in, oldest first."""
    terms = [Term.for_date(today)]
    while len(terms) < count:
        terms.append(terms[-1].previous())
    return terms[::-1]


def term_bounds(term: Term, today: date) -> tuple[date, date]:
    """The first and last day of a term used for dates in it (never after ``today``)."""
    year = start_year_of(term.academic_year)
    start, end = ((date(year, 9, 2), date(year, 12, 18)), (date(year + 1, 1, 5), date(year + 1, 3, 27)),
                  (date(year + 1, 4, 14), date(year + 1, 7, 20)))[term.season.position]
    return start, max(start, min(end, today))


def _day_in(rng: random.Random, bounds: tuple[date, date]) -> date:
    return bounds[0] + timedelta(days=rng.randint(0, (bounds[1] - bounds[0]).days))


def _plan_row(action: dict[str, Any], owners: dict[int, str], today: date) -> dict[str, Any]:
    """An action as the frozen plan keeps it (the keys of :func:`actions.as_row`, ISO dates)."""
    status = action["status"]
    owner = ", ".join(n for n in (owners.get(action["owner_user_id"], ""), action["owner_name"]) if n)
    review = action["review_date"]
    return {"id": action["id"], "number": action["number"], "action_point": action["action_point"],
            "checkpoint_ids": list(action["checkpoint_ids"]), "owner": owner or "Not yet given",
            "review_date": review.isoformat() if review else None, "status": status.value,
            "status_label": status.label, "comments": action["comments"],
            "completed_on": action["completed_on"].isoformat() if action["completed_on"] else None,
            "overdue": status.is_open and review is not None and review < today,
            "open": status.is_open, "opened_term": action["opened_term"],
            "closed_term": action["closed_term"]}


class _Plan:
    """The school's actions as they evolve term by term."""

    def __init__(self, rng: random.Random, items: list[str], owners: dict[int, str]) -> None:
        self.rng, self.items, self.owners = rng, items, owners
        self.actions: list[dict[str, Any]] = []

    def open(self, w: Writer, evaluation_id: int, term: Term, bounds: tuple[date, date],
             count: int) -> None:
        """Open ``count`` new actions in ``term``."""
        for _ in range(count):
            by_user = self.rng.random() < 0.5
            self.actions.append({
                "id": w.new_id(Action), "number": len(self.actions) + 1,
                "action_point": self.rng.choice(ACTION_TEXTS),
                "checkpoint_ids": self.rng.sample(self.items, self.rng.randint(1, 2)),
                "owner_user_id": self.rng.choice(list(self.owners)) if by_user else None,
                "owner_name": "" if by_user else self.rng.choice(OWNER_NAMES),
                "review_date": bounds[0] + timedelta(weeks=self.rng.randint(6, 16)),
                "status": ActionStatus.NOT_STARTED, "comments": "", "completed_on": None,
                "opened_in_self_evaluation_id": evaluation_id, "opened_term": term.slug,
                "closed_term": None})

    def progress(self, term: Term, bounds: tuple[date, date]) -> None:
        """Close about 45% of the open actions during ``term``; the rest get under way."""
        for action in self.actions:
            if not action["status"].is_open:
                continue
            if self.rng.random() < 0.45:
                done = self.rng.random() < 0.85
                action["status"] = ActionStatus.DONE if done else ActionStatus.DROPPED
                action["completed_on"] = _day_in(self.rng, bounds)
                action["closed_term"] = term.slug
                action["comments"] = "Completed and checked at the termly review." if done else \
                    "Dropped after discussion: another action now covers this."
            else:
                action["status"] = ActionStatus.IN_PROGRESS

    def frozen(self, evaluation_id: int, term: Term, today: date) -> list[dict[str, Any]]:
        """The plan as it stands at the end of ``term``."""
        return [_plan_row(a, self.owners, today) for a in self.actions
                if a["status"].is_open or a["closed_term"] == term.slug
                or a["opened_in_self_evaluation_id"] == evaluation_id]


def _evaluation(w: Writer, school_id: int, term: Term, snapshot_id: int, author: int, *,
                revision: int = 1, previous: int | None = None, current: bool = True) -> int:
    return w.add(SelfEvaluation, school_id=school_id, academic_year=term.academic_year,
                 season=term.season, current_term=term.slug if current else None,
                 snapshot_id=snapshot_id, status=EvaluationStatus.DRAFT, revision=revision,
                 previous_revision_id=previous, reopen_reason="Governors asked for checkpoint 13 to "
                 "be looked at again." if previous else "", sign_off={}, carry_notes={},
                 frozen_actions=None, created_at=datetime(2024, 9, 1, tzinfo=UTC),
                 created_by_id=author, finalised_at=None, finalised_by_id=None)


def _answers(w: Writer, rng: random.Random, school_id: int, evaluation_id: int, items: list[str],
             levels: list[str], base: list[int], step: int, rated: int, size: Any, user: int) -> None:
    for index, item_id in enumerate(items[:rated]):
        level = levels[min(len(levels) - 1, base[index] + step // 2)]
        w.add(CheckpointAnswer, school_id=school_id, self_evaluation_id=evaluation_id, item_id=item_id,
              rating=level, answers=text.evidence(rng, *size.evidence_words), needs_review=False,
              updated_by_id=user)


def _finalise(row: dict[str, Any], school: str, head: tuple[int, str], bounds: tuple[date, date],
              plan: list[dict[str, Any]]) -> None:
    row.update(status=EvaluationStatus.FINALISED, frozen_actions=plan, finalised_by_id=head[0],
               finalised_at=datetime.combine(bounds[1], datetime.min.time(), tzinfo=UTC),
               sign_off={"school_name": school, "person_completing": head[1],
                         "role": "Headteacher and senior attendance champion",
                         "date": bounds[1].isoformat(),
                         "next_review_date": (bounds[1] + timedelta(weeks=12)).isoformat(),
                         "comments": "Reviewed with the attendance link governor."})


def write(w: Writer, rng: random.Random, school_id: int, school: str, staff: Any, snapshot_id: int,
          size: Any, today: date, main: bool = False) -> dict[str, int]:
    """Queue a school's self-evaluations, actions and board comments; the ids the pages open."""
    definition = registry().newest_published(DEFINITION_KEY)
    items = [i.id for i in definition.items()]
    levels = [lvl.value for lvl in definition.rating_scale]
    base = [rng.randint(0, 2) for _ in items]
    owners = {staff.head[0]: staff.head[1], **dict(staff.leads)}
    plan = _Plan(rng, items, owners)
    terms = terms_until(today, size.terms)
    rows = w.rows[SelfEvaluation]
    ids: dict[str, int] = {}
    for step, term in enumerate(terms):
        bounds, last = term_bounds(term, today), step == len(terms) - 1
        reopened = main and step == 0 and not last
        first = _evaluation(w, school_id, term, snapshot_id, staff.head[0], current=not reopened)
        versions = [first]
        if reopened:
            versions.append(_evaluation(w, school_id, term, snapshot_id, staff.head[0], revision=2,
                                        previous=first))
        plan.progress(term, bounds)
        plan.open(w, versions[-1], term, bounds, size.actions_per_term)
        for evaluation_id in versions:
            _answers(w, rng, school_id, evaluation_id, items, levels, base, step,
                     len(items) - 5 if last else len(items), size, staff.head[0])
            w.audit(school_id, ("self_evaluation", evaluation_id), "SelfEvaluation", evaluation_id,
                    "create", staff.head[1], at=datetime.combine(bounds[0], datetime.min.time(), UTC))
        if last:
            ids["draft_id"] = versions[-1]
            continue
        for evaluation_id in versions:
            row = next(r for r in reversed(rows) if r["id"] == evaluation_id)
            _finalise(row, school, staff.head, bounds, plan.frozen(versions[-1], term, bounds[1]))
            w.audit(school_id, ("self_evaluation", evaluation_id), "SelfEvaluation", evaluation_id,
                    "finalise", staff.head[1], at=row["finalised_at"])
        ids["finalised_id"] = versions[-1]
        for _ in range(1 if main else rng.randint(0, 1)):
            w.add(BoardComment, school_id=school_id, self_evaluation_id=versions[-1],
                  author_id=staff.governor[0], author_name=staff.governor[1],
                  body="The board welcomes the improvement in the tracking of persistent absence and "
                       "asks for an update on the Year 9 figures next term.",
                  created_at=datetime.combine(bounds[1], datetime.min.time(), UTC) + timedelta(days=7))
    for action in plan.actions:
        w.add(Action, **action, school_id=school_id, created_at=datetime(2024, 9, 1, tzinfo=UTC))
    return ids if main else {}
