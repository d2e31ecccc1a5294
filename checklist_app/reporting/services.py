"""Producing the report documents: plain values in, a PDF (cached when the record is locked) out.

Views and the CLI call these; the values come from ``self_evaluation_context`` and
``case_context`` and the layouts from ``reports/pdf/``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from checklist_app.auth.models import School
from checklist_app.extensions import db
from checklist_app.reporting.cache import cached_pdf
from checklist_app.reporting.pdf import render_pdf
from checklist_app.reporting.self_evaluation_context import action_plan_report, board_pack_report
from checklist_app.self_evaluation.models import SelfEvaluation
from checklist_app.self_evaluation.services import current_for_term
from checklist_app.self_evaluation.terms import Term, TermError


class ReportError(LookupError):
    """A report that cannot be produced; the message says why in plain words."""


@dataclass(frozen=True)
class Document:
    """A produced report: its file name and PDF bytes."""

    filename: str
    data: bytes


def safe_filename(*parts: Any) -> str:
    """A plain ASCII file name from its parts: "action-plan-2026-27-autumn.pdf"."""
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()  # Zoë -> Zoe
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return f"{text or 'report'}.pdf"


def produce(template: str, context: dict[str, Any], cache: tuple[str, int, int] | None = None) -> bytes:
    """Render ``template`` with ``context``; ``cache`` = (kind, record id, version) keeps the PDF."""
    if cache is None:
        return render_pdf(template, context)
    kind, record_id, version = cache
    return cached_pdf(kind, record_id, version, context, lambda: render_pdf(template, context))


def _evaluation_cache(kind: str, evaluation: SelfEvaluation) -> tuple[str, int, int] | None:
    return (kind, evaluation.id, evaluation.version) if evaluation.is_finalised else None


def action_plan_pdf(evaluation: SelfEvaluation, today: date) -> Document:
    """The self-evaluation with its sign-off, evidence and action plan."""
    context = action_plan_report(evaluation, today)
    data = produce("pdf/action_plan.html", context, _evaluation_cache("action-plan", evaluation))
    return Document(safe_filename("self-evaluation", evaluation.term.slug, _revision(evaluation)), data)


def board_pack_pdf(evaluation: SelfEvaluation, today: date) -> Document:
    """The governing board pack: summary of the term, then the action plan."""
    context = board_pack_report(evaluation, today)
    data = produce("pdf/board_pack.html", context, _evaluation_cache("board-pack", evaluation))
    return Document(safe_filename("board-pack", evaluation.term.slug, _revision(evaluation)), data)


def _revision(evaluation: SelfEvaluation) -> str:
    return f"revision-{evaluation.revision}" if evaluation.revision > 1 else ""


def school_by_urn(urn: str) -> School:
    """The school with this URN, or ReportError."""
    school = db.session.scalar(select(School).where(School.urn == urn))
    if school is None:
        raise ReportError(f"No school has URN {urn}.")
    return school


def evaluation_for(urn: str, term_slug: str) -> SelfEvaluation:
    """The current self-evaluation of a school (by URN) for a term written like 2026-27-autumn."""
    school = school_by_urn(urn)
    try:
        term = Term.parse(term_slug)
    except TermError as error:
        raise ReportError(str(error)) from None
    evaluation = current_for_term(school.id, term)
    if evaluation is None:
        raise ReportError(f"{school.name} has no self-evaluation for {term.label}.")
    return evaluation
