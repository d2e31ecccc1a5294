"""Trust-wide board packs (every school the user leads, one PDF) and warming the PDF cache.

Finalised self-evaluations, signed contracts and issued letters never change, so their PDFs can be
made ahead of time: the cache-warming job renders each one that is not yet cached.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from checklist_app.auth.models import Membership, Role, School
from checklist_app.casework.enums import ContractStatus, LetterStatus
from checklist_app.casework.models import Case, Contract, Letter
from checklist_app.extensions import db
from checklist_app.jobs.tasks import JobError, JobResult, Progress, merge_pdfs, register_task
from checklist_app.self_evaluation.models import EvaluationStatus, SelfEvaluation
from checklist_app.self_evaluation.services import current_for_term
from checklist_app.self_evaluation.terms import Term, TermError

PACK_ROLES = (Role.ADMIN, Role.SENIOR_LEADER)


def led_schools(user: Any) -> list[School]:
    """Every school where ``user`` is an administrator or senior leader, by name (one query)."""
    if user is None:
        return []
    return list(db.session.scalars(
        select(School).join(Membership, Membership.school_id == School.id)
        .where(Membership.user_id == user.id, Membership.role.in_(PACK_ROLES)).order_by(School.name)))


def pack_terms(user: Any, school: School, today: date) -> list[Term]:
    """The terms to offer for board packs, newest first: this term and the last, and every term
    with a self-evaluation at this school or at a school the user leads."""
    school_ids = {school.id, *(each.id for each in led_schools(user))}
    current = Term.for_date(today)
    terms = {current, current.previous()}
    for slug in db.session.scalars(select(SelfEvaluation.current_term).distinct().where(
            SelfEvaluation.school_id.in_(school_ids), SelfEvaluation.current_term.is_not(None))):
        try:
            terms.add(Term.parse(slug))
        except TermError:
            continue
    return sorted(terms, reverse=True)


@register_task("board-packs")
def board_packs(progress: Progress, school: School, user: Any, today: date,
                params: dict[str, Any]) -> JobResult:
    """The governing board pack of every school the user leads, for one term, in one PDF."""
    from checklist_app.reporting.services import board_pack_pdf

    try:
        term = Term.parse(str(params.get("term", "")))
    except TermError as error:
        raise JobError(str(error)) from None
    schools = led_schools(user) if params.get("trust") else [school]
    if not schools:
        raise JobError("You do not lead any school, so there are no board packs to make.")
    progress.begin(len(schools))
    documents: list[bytes] = []
    for each in schools:
        evaluation = current_for_term(each.id, term)
        if evaluation is None:
            progress.unit_done(f"{each.name} has no self-evaluation for {term.label}, so it has no "
                               "board pack.")
            continue
        documents.append(board_pack_pdf(evaluation, today).data)
        progress.unit_done()
    if not documents:
        raise JobError(f"None of the schools has a self-evaluation for {term.label}.")
    data, pages = merge_pdfs(documents)
    return JobResult(f"board-packs-{term.slug}.pdf", data,
                     f"{len(documents)} board pack{'s' if len(documents) != 1 else ''} for "
                     f"{term.label}, {pages} pages.")


def locked_records(school: School) -> list[tuple[str, int, int]]:
    """(kind, case or evaluation id, record id) of every record whose PDF never changes."""
    units: list[tuple[str, int, int]] = []
    for evaluation_id in db.session.scalars(select(SelfEvaluation.id).where(
            SelfEvaluation.school_id == school.id, SelfEvaluation.status == EvaluationStatus.FINALISED)):
        units += [("action-plan", evaluation_id, evaluation_id), ("board-pack", evaluation_id, evaluation_id)]
    for case_id, contract_id in db.session.execute(select(Contract.case_id, Contract.id).where(
            Contract.school_id == school.id, Contract.status != ContractStatus.DRAFT)):
        units.append(("contract", case_id, contract_id))
    for case_id, letter_id in db.session.execute(select(Letter.case_id, Letter.id).where(
            Letter.school_id == school.id, Letter.status == LetterStatus.ISSUED)):
        units.append(("letter", case_id, letter_id))
    return units


@register_task("warm-cache")
def warm_cache(progress: Progress, school: School, _user: Any, today: date,
               _params: dict[str, Any]) -> JobResult:
    """Make (and keep) the PDF of every finalised or issued record that is not yet cached."""
    from checklist_app.reporting import case_reports, services

    units = locked_records(school)
    progress.begin(len(units))
    for kind, owner_id, record_id in units:
        if kind in ("action-plan", "board-pack"):
            evaluation = db.session.get(SelfEvaluation, record_id)
            make = services.action_plan_pdf if kind == "action-plan" else services.board_pack_pdf
            make(evaluation, today)
        else:
            case = db.session.scalar(case_reports.case_query().where(Case.id == owner_id))
            if kind == "contract":
                case_reports.contract_pdf(case, record_id, today)
            else:
                case_reports.letter_pdf(case, record_id, today)
        progress.unit_done()
    return JobResult("", None, f"{len(units)} finished record{'s' if len(units) != 1 else ''} "
                               "ready to download at once.")
