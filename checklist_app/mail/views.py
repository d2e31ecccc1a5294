"""E-mail an issued letter to the family from its page (and send again after a failure)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user

from checklist_app.clock import today
from checklist_app.extensions import db
from checklist_app.mail.letters import LetterMailError, send_letter
from checklist_app.security import STAFF, allow, current_school

bp = Blueprint("mail", __name__, url_prefix="/cases", template_folder="templates")


@bp.post("/<int:case_id>/letters/<int:letter_id>/email")
@allow(STAFF)
def email_letter(case_id: int, letter_id: int):
    """E-mail the issued letter, PDF attached, to each parent or carer with an e-mail address."""
    from checklist_app.reporting.case_reports import letter_pdf, school_case

    case = school_case(case_id, current_school())
    letter = next((x for x in case.letters if x.id == letter_id), None)
    if letter is None:
        abort(404)
    back = url_for("casework.letter_page", case_id=case.id, letter_id=letter.id)
    try:
        sent = send_letter(case, letter, letter.recipient, letter_pdf(case, letter.id, today()),
                           current_user, today())
    except LetterMailError as error:
        db.session.commit()  # the failed attempts are contacts too (R23)
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(f"E-mailed to {sent} parent{'s' if sent != 1 else ''} or carer{'s' if sent != 1 else ''}; "
          "recorded on the case as a contact.", "success")
    return redirect(back)
