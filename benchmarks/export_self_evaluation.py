"""Benchmark: export time of a fully filled self-evaluation's action-plan PDF.

Builds, in a temporary SQLite database, a self-evaluation with 25 checkpoints (about 300 words of
evidence each, over the three prompts) and 15 actions, then times the PDF export cold (rendered)
and cached (finalised record, served from the cache), median of several runs, at 1x, 2x and 4x the
evidence length. Run:  .venv/bin/python benchmarks/export_self_evaluation.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from checklist_app import create_app
from checklist_app.auth.models import Membership, Role, School, User
from checklist_app.extensions import db
from checklist_app.reporting import cache, services
from checklist_app.self_evaluation import services as se_services
from checklist_app.self_evaluation.actions import freeze_plan
from checklist_app.self_evaluation.models import Action, CheckpointAnswer, EvaluationStatus
from checklist_app.self_evaluation.terms import Term

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "attendance", "pupils", "families", "support", "early", "help", "meeting", "review", "termly",
    "data", "governors", "absence", "persistent", "severe", "register", "codes", "leaders", "staff",
    "contract", "plan", "barriers", "mentor", "wellbeing", "transport", "breakfast", "club",
    "phone", "calls", "home", "visits", "letters", "improvement", "trends", "Zoë", "Siân", "Łukasz",
    "Ó", "Briain", "target", "agreed", "monitored",
)
PROMPTS = ("where_now", "next_steps", "impact")


def paragraphs(rng: random.Random, words: int) -> str:
    """About ``words`` words of evidence in paragraphs of about 50 words."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return "\n\n".join(" ".join(chosen[i:i + 50]).capitalize() + "."
                       for i in range(0, len(chosen), 50))


def build(scale: int) -> int:
    """A school with a finalised, fully filled self-evaluation; returns its id."""
    rng = random.Random(scale)
    school = School(name=f"Benchmark School {scale}", urn=f"99{scale:04d}")
    db.session.add(school)
    user = User(email=f"lead{scale}@example.org", name="Łukasz Nowak", password_hash="x")
    user.memberships.append(Membership(school=school, role=Role.SENIOR_LEADER))
    db.session.add(user)
    db.session.flush()
    evaluation = se_services.create(school, Term.parse("2026-27-autumn"), user,
                                    se_services.newest_edition())
    for checkpoint in se_services.checkpoints_of(evaluation):
        db.session.add(CheckpointAnswer(
            school_id=school.id, self_evaluation_id=evaluation.id, item_id=checkpoint.item.id,
            rating=rng.choice(["developing", "established", "embedded"]),
            answers={p: paragraphs(rng, 100 * scale) for p in PROMPTS}))
    for number in range(1, 16):
        db.session.add(Action(
            school_id=school.id, number=number, action_point=paragraphs(rng, 25),
            checkpoint_ids=[checkpoint.item.id], owner_user_id=user.id if number % 2 else None,
            owner_name="" if number % 2 else "Siân Ó Briain",
            review_date=date(2026, 9, 1) + timedelta(days=14 * number), comments=paragraphs(rng, 30),
            opened_in_self_evaluation_id=evaluation.id, opened_term=evaluation.term.slug))
    db.session.flush()
    evaluation.sign_off = {"school_name": school.name, "person_completing": "Zoë Ó Briain",
                           "role": "Headteacher", "date": "2026-11-20",
                           "next_review_date": "2027-03-22", "comments": paragraphs(rng, 60)}
    evaluation.status = EvaluationStatus.FINALISED
    evaluation.frozen_actions = freeze_plan(evaluation, date(2026, 11, 22))
    db.session.commit()
    return evaluation.id


def timed(function, runs: int) -> tuple[float, object]:
    """Median seconds over ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                          "CHECKLISTS_DIR": str(ROOT / "checklists"),
                          "REPORTS_DIR": str(ROOT / "reports"),
                          "REPORT_CACHE_DIR": f"{folder}/cache", "TESTING": True})
        with app.app_context():
            db.create_all()
            today = date(2026, 11, 22)
            # Warm up: imports, font registration and template compilation are one-off costs.
            warm = se_services.get_self_evaluation(build(9), db.session.get(School, 1), None)
            services.action_plan_pdf(warm, today)
            print(f"Action-plan PDF export, median of {args.runs} runs "
                  "(25 checkpoints, 15 actions)\n")
            print(f"{'evidence':>9} {'words':>7} {'pages':>6} {'cold (s)':>9} {'cached (ms)':>12}"
                  f" {'s per 1000 words':>17}")
            for scale in (1, 2, 4):
                evaluation_id = build(scale)
                evaluation = db.session.get(se_services.SelfEvaluation, evaluation_id)
                words = sum(len(a.answers[p].split()) for a in se_services.answers_by_item(evaluation)
                            .values() for p in PROMPTS)

                def cold(evaluation=evaluation):
                    cache.clear_cache()
                    return services.action_plan_pdf(evaluation, today)

                cold_time, document = timed(cold, args.runs)
                cached_time, _ = timed(lambda e=evaluation: services.action_plan_pdf(e, today),
                                       args.runs)
                pages = len(PdfReader(io.BytesIO(document.data)).pages)
                print(f"{scale:>8}x {words:>7} {pages:>6} {cold_time:>9.2f} {cached_time * 1000:>12.1f}"
                      f" {cold_time / words * 1000:>17.3f}")


if __name__ == "__main__":
    main()
