"""Pages of a fully filled self-evaluation's PDFs (self-evaluation with action plan, board pack).

``python -m benchmarks.pdf_page_count`` builds one school in a temporary SQLite database: every
checkpoint rated, its three evidence prompts written (700 words in all, markdown with bold
and a list: about 19,000 words with the actions, like the issue's fully filled one), eight
actions with comments, sign-off with comments, one board comment; then prints the page count
of each PDF. The aim (issue 14) is under 35 pages for the self-evaluation: 42 before the
changes of issue 14, 34 after.
"""

from __future__ import annotations

import io
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from benchmarks.pages import make_bench_app
from benchmarks.text import words
from checklist_app.auth.services import create_school
from checklist_app.extensions import db
from checklist_app.reporting import services as reporting
from checklist_app.self_evaluation import services
from checklist_app.self_evaluation.models import (
    Action,
    BoardComment,
    CheckpointAnswer,
    EvaluationStatus,
)
from checklist_app.self_evaluation.terms import Term

TODAY = date(2026, 11, 22)


def build() -> tuple[int, int]:
    """Pages of the self-evaluation PDF and of the board pack."""
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        app = make_bench_app(f"sqlite:///{Path(tmp) / 'pages.sqlite3'}", cache_dir=None)
        with app.app_context():
            db.create_all()
            school = create_school("St Siân's Primary School", "123456", "Kent")
            evaluation = services.create(school, Term.for_date(TODAY), None, services.newest_edition())
            for checkpoint in services.checkpoints_of(evaluation):
                db.session.add(CheckpointAnswer(
                    school_id=school.id, self_evaluation_id=evaluation.id, item_id=checkpoint.item.id,
                    rating=rng.choice(["developing", "established", "embedded"]),
                    answers={"where_now": "**Now:** " + words(rng, 360, 360),
                             "next_steps": "- " + words(rng, 120, 120) + "\n- " + words(rng, 100, 100),
                             "impact": words(rng, 120, 120)}))
            items = [c.item.id for c in services.checkpoints_of(evaluation)]
            for n in range(1, 9):
                db.session.add(Action(
                    school_id=school.id, number=n, action_point="**Do** " + words(rng, 30, 30),
                    checkpoint_ids=items[n:n + 2], owner_name="Head teacher",
                    review_date=TODAY + timedelta(days=30 * n), comments=words(rng, 40, 40),
                    opened_in_self_evaluation_id=evaluation.id, opened_term=evaluation.term.slug))
            evaluation.status = EvaluationStatus.FINALISED
            evaluation.sign_off = {"school_name": "St Siân's", "person_completing": "A Head",
                                   "role": "Head teacher", "date": TODAY.isoformat(),
                                   "next_review_date": (TODAY + timedelta(days=90)).isoformat(),
                                   "comments": "**Signed** after the governors' meeting."}
            db.session.add(BoardComment(school_id=school.id, self_evaluation_id=evaluation.id,
                                        author_name="Priya Shah", body="Good progress on *punctuality*."))
            db.session.commit()
            plan = reporting.action_plan_pdf(evaluation, TODAY)
            pack = reporting.board_pack_pdf(evaluation, TODAY)
            return (len(PdfReader(io.BytesIO(plan.data)).pages),
                    len(PdfReader(io.BytesIO(pack.data)).pages))


if __name__ == "__main__":
    plan_pages, pack_pages = build()
    print(f"self-evaluation and action plan: {plan_pages} pages; board pack: {pack_pages} pages")
