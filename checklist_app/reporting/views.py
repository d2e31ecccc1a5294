"""Report downloads: self-evaluation PDFs, the school's actions as CSV / XLSX, casework PDFs.

Self-evaluation PDFs follow the self-evaluation pages' access (governors: finalised only); every
casework PDF is for school staff only. Files are sent as attachments and never cached by the browser.
"""

from __future__ import annotations

from flask import Response, abort

from checklist_app import clock
from checklist_app.reporting import case_reports, exports, meeting_record, services
from checklist_app.reporting.blueprint import bp
from checklist_app.security import READERS, STAFF, allow, current_role, current_school
from checklist_app.self_evaluation.services import get_self_evaluation


def download(data: bytes, filename: str, mimetype: str) -> Response:
    """An attachment the browser saves and does not keep in its cache."""
    response = Response(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_download(document: services.Document) -> Response:
    """A produced PDF as a download."""
    return download(document.data, document.filename, "application/pdf")


@bp.get("/self-evaluation/<int:evaluation_id>/action-plan.pdf")
@allow(READERS)
def action_plan(evaluation_id: int):
    """The self-evaluation and action plan as a PDF."""
    evaluation = get_self_evaluation(evaluation_id, current_school(), current_role())
    return pdf_download(services.action_plan_pdf(evaluation, clock.today()))


@bp.get("/self-evaluation/<int:evaluation_id>/board-pack.pdf")
@allow(READERS)
def board_pack(evaluation_id: int):
    """The governing board pack (summary, then the action plan) as a PDF."""
    evaluation = get_self_evaluation(evaluation_id, current_school(), current_role())
    return pdf_download(services.board_pack_pdf(evaluation, clock.today()))


@bp.get("/actions.csv")
@allow(STAFF)
def actions_csv():
    """Every action of the school, one row each, as CSV."""
    school = current_school()
    data = exports.actions_csv(exports.action_rows(school.id, clock.today()))
    return download(data, services.safe_filename("actions", school.urn)[:-4] + ".csv",
                    "text/csv; charset=utf-8")


@bp.get("/actions.xlsx")
@allow(STAFF)
def actions_xlsx():
    """Every action of the school, one row each, as an Excel workbook."""
    school = current_school()
    data = exports.actions_xlsx(exports.action_rows(school.id, clock.today()), school.name)
    return download(data, services.safe_filename("actions", school.urn)[:-4] + ".xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/cases/<int:case_id>/evidence-pack.pdf")
@allow(STAFF)
def evidence_pack(case_id: int):
    """A case's whole chronology, for a referral."""
    case = case_reports.school_case(case_id, current_school())
    return pdf_download(case_reports.evidence_pack_pdf(case, clock.today()))


@bp.get("/cases/<int:case_id>/checklist.pdf")
@allow(STAFF)
def contract_checklist(case_id: int):
    """The attendance contract checklist's progress (planning, delivery, review)."""
    case = case_reports.school_case(case_id, current_school())
    return pdf_download(case_reports.checklist_pdf(case, clock.today()))


@bp.get("/cases/<int:case_id>/contracts/<int:contract_id>.pdf")
@allow(STAFF)
def contract(case_id: int, contract_id: int):
    """An attendance contract, ready to sign (or as signed)."""
    case = case_reports.school_case(case_id, current_school())
    return pdf_download(case_reports.contract_pdf(case, contract_id, clock.today()))


@bp.get("/cases/<int:case_id>/meetings/<int:meeting_id>/plan.pdf")
@allow(STAFF)
def meeting_plan(case_id: int, meeting_id: int):
    """The family's copy of a meeting's record and plan (R26)."""
    case = case_reports.school_case(case_id, current_school())
    meeting = next((m for m in case.meetings if m.id == meeting_id), None)
    if meeting is None:
        abort(404)
    return pdf_download(meeting_record.meeting_record_pdf(case, meeting, clock.today()))


@bp.get("/cases/<int:case_id>/letters/<int:letter_id>.pdf")
@allow(STAFF)
def letter(case_id: int, letter_id: int):
    """A letter of the process (draft or issued) in a letter layout."""
    case = case_reports.school_case(case_id, current_school())
    return pdf_download(case_reports.letter_pdf(case, letter_id, clock.today()))

