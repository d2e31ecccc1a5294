"""Bulk letters: every letter whose step is due, or the chosen cases' draft letters, in one PDF.

With ``email`` the selected *issued* letters are also e-mailed to their recipients (a draft is
never e-mailed: it is printed for checking). Each sending is a contact in the case's chronology.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from werkzeug.exceptions import NotFound

from checklist_app.auth.models import School
from checklist_app.casework.enums import CaseStatus, LetterStatus, LetterStep
from checklist_app.casework.facts import facts_for_cases
from checklist_app.casework.models import Case, Letter, Pupil
from checklist_app.casework.process.next_step import next_step
from checklist_app.casework.settings import settings
from checklist_app.errors import Refused
from checklist_app.extensions import db
from checklist_app.formatting import long_date
from checklist_app.jobs.tasks import JobError, JobResult, Progress, merge_pdfs, register_task

#: "Due" means the case's next step falls due within this many days of today (this school week).
DUE_WITHIN_DAYS = 7


def due_steps(school: School, today: date) -> dict[int, LetterStep]:
    """The next step (by case id) of each open case whose next step is due within
    :data:`DUE_WITHIN_DAYS` of today (or overdue)."""
    chosen = select(Case.id).where(Case.school_id == school.id, Case.status == CaseStatus.OPEN)
    horizon = today + timedelta(days=DUE_WITHIN_DAYS)
    s = settings()
    due: dict[int, LetterStep] = {}
    for case_id, facts in facts_for_cases(chosen, contacts=False).items():
        step = next_step(facts, today, s)
        if step is not None and step.due is not None and step.due <= horizon:
            due[case_id] = step.step
    return due


def select_letters(school: School, today: date, *, due: bool = False,
                   case_ids: list[int] | None = None,
                   letter_ids: list[int] | None = None) -> list[tuple[int, int]]:
    """The (letter id, case id) pairs a bulk job works on, in case then letter order."""
    query = select(Letter.id, Letter.case_id, Letter.step).join(Case, Letter.case_id == Case.id) \
        .join(Pupil, Case.pupil_id == Pupil.id).where(Letter.school_id == school.id) \
        .order_by(Pupil.last_name, Pupil.first_name, Letter.case_id, Letter.id)
    if letter_ids:
        return [(lid, cid) for lid, cid, _s in db.session.execute(query.where(Letter.id.in_(letter_ids)))]
    query = query.where(Letter.status == LetterStatus.DRAFT)
    if case_ids:
        found = set(db.session.scalars(select(Case.id).where(Case.school_id == school.id,
                                                             Case.id.in_(case_ids))))
        missing = [str(c) for c in case_ids if c not in found]
        if missing:
            raise JobError(f"{school.name} has no case numbered {', '.join(missing)}.")
        return [(lid, cid) for lid, cid, _s in db.session.execute(query.where(Letter.case_id.in_(case_ids)))]
    if not due:
        raise JobError("Choose the cases whose letters to print, or ask for every letter that is due.")
    steps = due_steps(school, today)
    rows = db.session.execute(query.where(Letter.case_id.in_(list(steps)))) if steps else []
    return [(lid, cid) for lid, cid, step in rows if steps.get(cid) is step]


def _describe(case: Case, letter: Letter) -> str:
    return f"{letter.title} for {case.pupil.full_name}"


@register_task("bulk-letters")
def bulk_letters(progress: Progress, school: School, user: Any, today: date,
                 params: dict[str, Any]) -> JobResult:
    """Render each selected letter (and e-mail the issued ones when asked); one PDF to print."""
    from checklist_app.reporting.case_reports import case_query, letter_pdf

    pairs = select_letters(school, today, due=bool(params.get("due")),
                           case_ids=params.get("case_ids"), letter_ids=params.get("letter_ids"))
    if not pairs:
        raise JobError("There are no draft letters to print for those cases. Write the letters "
                       "first, then print them together." if not params.get("due") else
                       f"No letter is due by {long_date(today + timedelta(days=DUE_WITHIN_DAYS))} "
                       "that has a draft written.")
    progress.begin(len(pairs))
    documents: list[bytes] = []
    emailed = 0
    for letter_id, case_id in pairs:
        case = db.session.scalar(case_query().where(Case.id == case_id, Case.school_id == school.id))
        letter = next((x for x in case.letters if x.id == letter_id), None) if case else None
        if case is None or letter is None:
            progress.unit_done("A letter was removed while this job was waiting, so it was left out.")
            continue
        try:
            document = letter_pdf(case, letter_id, today)
        except NotFound:
            progress.unit_done(f"{_describe(case, letter)} could not be found, so it was left out.")
            continue
        except Exception:  # noqa: BLE001 - one bad letter must not lose the rest
            db.session.rollback()
            progress.unit_done(f"{_describe(case, letter)} could not be made into a PDF, so it was "
                               "left out. Open the letter, check its wording and try again.")
            continue
        documents.append(document.data)
        problem = None
        if params.get("email"):
            problem, sent = email_one(case, letter, document, user, today)
            emailed += sent
        progress.unit_done(problem)
    if not documents:
        raise JobError("None of the letters could be made into a PDF; see the list below.")
    data, pages = merge_pdfs(documents)
    summary = f"{len(documents):,} letter{'s' if len(documents) != 1 else ''}, {pages:,} pages to print"
    if params.get("email"):
        summary += f"; {emailed:,} e-mail{'s' if emailed != 1 else ''} sent"
    return JobResult(f"letters-{today.isoformat()}.pdf", data, summary + ".")


def email_one(case: Case, letter: Letter, document: Any, user: Any, today: date) -> tuple[str | None, int]:
    """E-mail an issued letter to its family (recorded as contacts, committed with the job's unit);
    (a plain problem or None, how many e-mails were sent)."""
    if letter.status is not LetterStatus.ISSUED:
        return f"{_describe(case, letter)} is still a draft, so it was printed but not e-mailed.", 0
    from checklist_app.mail.letters import send_letter

    try:
        sending = send_letter(case, letter, document, user, today)
    except Refused as error:
        return str(error), 0
    return sending.problem, sending.sent
