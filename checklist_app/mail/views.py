"""E-mail an issued letter to the family from its page (and send again after a failure)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from checklist_app.casework.loading import case_with_records, child_of
from checklist_app.casework.models import Letter
from checklist_app.clock import today
from checklist_app.editing import run
from checklist_app.errors import Refused
from checklist_app.mail.blueprint import bp
from checklist_app.mail.letters import send_letter
from checklist_app.security import STAFF, allow, current_school


@bp.post("/<int:case_id>/letters/<int:letter_id>/email")
@allow(STAFF)
def email_letter(case_id: int, letter_id: int):
    """E-mail the issued letter, PDF attached, to each parent or carer with an e-mail address."""
    from checklist_app.reporting.case_reports import letter_pdf

    case = case_with_records(current_school(), case_id)
    letter = child_of(case, Letter, letter_id)
    back = url_for("casework.letter_page", case_id=case.id, letter_id=letter.id)
    user, on = current_user, today()
    try:
        # The failed attempts are contacts too (R23), so they are committed with the rest.
        sending = run(lambda: send_letter(case, letter, letter_pdf(case, letter.id, on), user, on))
    except Refused as error:
        flash(str(error), "error")
        return redirect(back)
    if sending.problem:
        flash(sending.problem, "error")
        return redirect(back)
    sent = sending.sent
    flash(f"E-mailed to {sent} parent{'s' if sent != 1 else ''} or carer{'s' if sent != 1 else ''}; "
          "recorded on the case as a contact.", "success")
    return redirect(back)
