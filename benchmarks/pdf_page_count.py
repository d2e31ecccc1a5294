"""Pages of a fully filled self-evaluation's PDFs (self-evaluation with action plan, board pack).

``python -m benchmarks.pdf_page_count [--actions N] [--repeat R] [--out DIR]`` builds one school
in a temporary SQLite database: every checkpoint rated, its three evidence prompts written (700
words in all, markdown with bold and a list: about 19,000 words with the actions, like the
issue's fully filled one), ``N`` actions with comments (12 by default), sign-off with comments,
one board comment. It prints each PDF's pages and the fastest and median of ``R`` builds (report
values and render, PDF cache emptied; 5 by default, after a warm-up); ``--out`` keeps the PDFs.
The aim (issue 14) is under 35 pages for the self-evaluation; BENCHMARKS.md has the figures.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from benchmarks.pages import make_bench_app
from benchmarks.text import words
from checklist_app.auth.services import create_school
from checklist_app.extensions import db
from checklist_app.reporting import services as reporting
from checklist_app.reporting.cache import clear_cache
from checklist_app.self_evaluation import services
from checklist_app.self_evaluation.models import (
    Action,
    BoardComment,
    CheckpointAnswer,
    EvaluationStatus,
    SelfEvaluation,
)
from checklist_app.self_evaluation.terms import Term

TODAY = date(2026, 11, 22)


@dataclass(frozen=True)
class Measure:
    """One PDF: its pages and how long each build took (report values and render)."""

    pages: int
    seconds: list[float]
    data: bytes

    def __str__(self) -> str:
        return (f"{self.pages} pages, built in {min(self.seconds):.2f} s fastest, "
                f"{statistics.median(self.seconds):.2f} s median of {len(self.seconds)}")


def fill(school_id: int, evaluation: SelfEvaluation, actions: int, seed: int = 14) -> None:
    """Rate every checkpoint with long evidence, add ``actions`` actions, sign off and finalise."""
    rng = random.Random(seed)
    for checkpoint in services.checkpoints_of(evaluation):
        db.session.add(CheckpointAnswer(
            school_id=school_id, self_evaluation_id=evaluation.id, item_id=checkpoint.item.id,
            rating=rng.choice(["developing", "established", "embedded"]),
            answers={"where_now": "**Now:** " + words(rng, 360, 360),
                     "next_steps": "- " + words(rng, 120, 120) + "\n- " + words(rng, 100, 100),
                     "impact": words(rng, 120, 120)}))
    items = [c.item.id for c in services.checkpoints_of(evaluation)]
    for n in range(1, actions + 1):
        db.session.add(Action(
            school_id=school_id, number=n, action_point="**Do** " + words(rng, 30, 30),
            checkpoint_ids=items[n:n + 2], owner_name="Head teacher",
            review_date=TODAY + timedelta(days=30 * n), comments=words(rng, 40, 40),
            opened_in_self_evaluation_id=evaluation.id, opened_term=evaluation.term.slug))
    evaluation.status = EvaluationStatus.FINALISED
    evaluation.sign_off = {"school_name": "St Siân's", "person_completing": "A Head",
                           "role": "Head teacher", "date": TODAY.isoformat(),
                           "next_review_date": (TODAY + timedelta(days=90)).isoformat(),
                           "comments": "**Signed** after the governors' meeting."}
    db.session.add(BoardComment(school_id=school_id, self_evaluation_id=evaluation.id,
                                author_name="Priya Shah", body="Good progress on *punctuality*."))


def _measure(produce, repeat: int) -> Measure:
    seconds = []
    for _ in range(repeat):
        clear_cache()  # the whole work every time: report values and render
        started = time.perf_counter()
        data = produce().data
        seconds.append(time.perf_counter() - started)
    return Measure(len(PdfReader(io.BytesIO(data)).pages), seconds, data)


def build(actions: int = 12, repeat: int = 5) -> tuple[Measure, Measure]:
    """The self-evaluation PDF and the board pack of a fully filled self-evaluation."""
    with tempfile.TemporaryDirectory() as tmp:
        app = make_bench_app(f"sqlite:///{Path(tmp) / 'pages.sqlite3'}", cache_dir=str(Path(tmp) / "cache"))
        with app.app_context():
            db.create_all()
            school = create_school("St Siân's Primary School", "123456", "Kent")
            evaluation = services.create(school, Term.for_date(TODAY), None, services.newest_edition())
            fill(school.id, evaluation, actions)
            db.session.commit()
            reporting.board_pack_pdf(evaluation, TODAY)  # warm-up: fonts and templates loaded
            plan = _measure(lambda: reporting.action_plan_pdf(evaluation, TODAY), repeat)
            pack = _measure(lambda: reporting.board_pack_pdf(evaluation, TODAY), repeat)
            return plan, pack


def main() -> None:
    """Print the pages and render time of each PDF."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, help="folder to write the two PDFs to")
    args = parser.parse_args()
    plan, pack = build(args.actions, args.repeat)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "self-evaluation.pdf").write_bytes(plan.data)
        (args.out / "board-pack.pdf").write_bytes(pack.data)
    print(f"{args.actions} actions: self-evaluation and action plan: {plan}; board pack: {pack}")


if __name__ == "__main__":
    main()
