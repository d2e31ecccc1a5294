"""Casework PDFs: the contract ready to sign, its checklist, letters and the case evidence pack.

Cases are loaded with all their records in a fixed number of queries; signed contracts and issued
letters never change, so their PDFs are cached.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from checklist_app.auth.models import School
from checklist_app.casework.enums import ContractStatus, LetterStatus
from checklist_app.casework.models import Case, Contract, Letter, Meeting, Pupil
from checklist_app.errors import NotFound
from checklist_app.extensions import db
from checklist_app.reporting import case_context
from checklist_app.reporting.services import Document, ReportError, produce, safe_filename


def case_query():
    """A case with every record the reports show."""
    return select(Case).options(
        joinedload(Case.pupil).selectinload(Pupil.parents), joinedload(Case.lead),
        joinedload(Case.school), selectinload(Case.checklist_snapshot),
        selectinload(Case.meetings).selectinload(Meeting.attendees),
        selectinload(Case.meetings).selectinload(Meeting.record_snapshot),
        selectinload(Case.letters).selectinload(Letter.recipient),
        selectinload(Case.contracts).selectinload(Contract.agreements),
        selectinload(Case.contracts).selectinload(Contract.signatures),
        selectinload(Case.contracts).selectinload(Contract.parents),
        selectinload(Case.contracts).selectinload(Contract.meeting).selectinload(Meeting.attendees),
        selectinload(Case.figures), selectinload(Case.contacts))


def school_case(case_id: int, school: School) -> Case:
    """One of the school's cases, or 404 (another school's case looks like a missing one)."""
    case = db.session.scalar(case_query().where(Case.id == case_id, Case.school_id == school.id))
    if case is None:
        raise NotFound()
    return case


def case_by_id(case_id: int) -> Case:
    """Any case by its number (for the command line), or ReportError."""
    case = db.session.scalar(case_query().where(Case.id == case_id))
    if case is None:
        raise ReportError(f"There is no case {case_id}.")
    return case


def _pupil_slug(case: Case) -> str:
    return f"{case.pupil.last_name}-{case.pupil.first_name}"


def evidence_pack_pdf(case: Case, today: date) -> Document:
    """The whole chronology and every record of a case, for a referral."""
    data = produce("pdf/evidence_pack.html", case_context.evidence_pack(case, today))
    return Document(safe_filename("evidence-pack", f"case-{case.id}", _pupil_slug(case)), data)


def checklist_pdf(case: Case, today: date) -> Document:
    """The attendance contract checklist's progress report."""
    data = produce("pdf/contract_checklist.html", case_context.checklist_report(case, today))
    return Document(safe_filename("contract-checklist", f"case-{case.id}", _pupil_slug(case)), data)


def contract_pdf(case: Case, contract_id: int, today: date) -> Document:
    """An attendance contract ready to sign, or as signed (cached once signed)."""
    contract = next((c for c in case.contracts if c.id == contract_id), None)
    if contract is None:
        raise NotFound()
    context = case_context.contract_report(case, contract, today)
    locked = contract.status is not ContractStatus.DRAFT
    data = produce("pdf/contract.html", context,
                   ("contract", contract.id, contract.version) if locked else None)
    return Document(safe_filename("attendance-contract", f"case-{case.id}", _pupil_slug(case),
                                  f"revision-{contract.revision}"), data)


def letter_pdf(case: Case, letter_id: int, today: date) -> Document:
    """A letter (draft or issued) in the letter layout; an issued letter's PDF is cached."""
    letter = next((x for x in case.letters if x.id == letter_id), None)
    if letter is None:
        raise NotFound()
    context = case_context.letter_report(case, letter, today)
    issued = letter.status is LetterStatus.ISSUED
    data = produce("pdf/letter.html", context, ("letter", letter.id, letter.version) if issued else None)
    recipient = letter.recipient.last_name if letter.recipient else ""
    return Document(safe_filename(f"letter-{letter.step}", f"case-{case.id}", recipient,
                                  "" if issued else "draft"), data)
