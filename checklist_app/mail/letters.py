"""E-mailing an issued letter to the parents and carers with an e-mail address (PDF attached).

Every sending, and every failure, is recorded as a contact in the case's chronology (R23), so staff
see what was sent and can send again. The covering text is short and "support first".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, render_template
from flask_mailman import EmailMessage

from checklist_app.casework.enums import ContactMethod, LetterStatus
from checklist_app.casework.models import Case, Contact, Letter, Parent
from checklist_app.clock import now
from checklist_app.extensions import db
from checklist_app.mail import mail


class LetterMailError(RuntimeError):
    """A letter could not be e-mailed; the message says why in plain words."""


def email_recipients(case: Case, letter: Letter) -> list[Parent]:
    """The letter's recipient and the pupil's other parents with parental responsibility, each with
    an e-mail address (the recipient first)."""
    parents = [p for p in case.pupil.parents if p.email.strip()
               and (p.id == letter.recipient_parent_id or p.parental_responsibility)]
    return sorted(parents, key=lambda p: p.id != letter.recipient_parent_id)


def _message(case: Case, letter: Letter, parent: Parent, pdf: Any) -> EmailMessage:
    school = case.school
    body = render_template("mail/letter_email.txt", school=school, pupil=case.pupil, parent=parent,
                           letter=letter, sender=case.lead)
    reply_to = [case.lead.email] if case.lead else ([school.email] if school.email else [])
    message = EmailMessage(subject=f"{letter.title} – {case.pupil.first_name} – {school.name}",
                           body=body, to=[parent.email.strip()], reply_to=reply_to)
    message.attach(pdf.filename, pdf.data, "application/pdf")
    return message


def send_letter(case: Case, letter: Letter, parent: Parent | None, pdf: Any, user: Any,
                today: date) -> int:
    """E-mail an issued letter to each parent with an address; records each sending as a contact
    and flushes (the caller commits). Returns how many were sent; raises LetterMailError when none
    could be, after recording the failures."""
    if letter.status is not LetterStatus.ISSUED:
        raise LetterMailError("Only an issued letter can be e-mailed: issue it first.")
    recipients = email_recipients(case, letter)
    if not recipients:
        raise LetterMailError(f"No parent or carer of {case.pupil.full_name} has an e-mail address, "
                              f"so {letter.title} was not e-mailed. Post it instead.")
    sent, failures = 0, []
    who = getattr(user, "name", "") or "Printing job"
    for each in recipients:
        try:
            # A connection per message, closed even when the server refuses it.
            with mail.get_connection() as connection:
                connection.send_messages([_message(case, letter, each, pdf)])
        except Exception as error:  # noqa: BLE001 - SMTP errors come in many kinds
            current_app.logger.warning("E-mail to parent %s failed: %s", each.id, error)
            failures.append(each)
            outcome = (f"{letter.title} could not be e-mailed to {each.email}: the mail server did "
                       "not accept it. Send it again from the letter's page, or post it.")
            made = False
        else:
            sent += 1
            outcome = f"{letter.title} e-mailed to {each.email} (PDF attached)."
            made = True
        db.session.add(Contact(school_id=case.school_id, case_id=case.id, occurred_at=now(),
                               method=ContactMethod.EMAIL, with_whom=each.full_name, parent_id=each.id,
                               made=made, outcome=outcome, recorded_by=who))
    db.session.flush()
    if failures:
        names = ", ".join(p.full_name for p in failures)
        raise LetterMailError(f"{letter.title} for {case.pupil.full_name} could not be e-mailed to "
                              f"{names}. Try again from the letter's page, or post it.")
    return sent


def letter_sendings(case: Case, letter: Letter) -> list[Contact]:
    """The e-mail contacts recorded for this letter, newest first (from the loaded case)."""
    return sorted((c for c in case.contacts if c.method is ContactMethod.EMAIL
                   and c.outcome.startswith(letter.title)), key=lambda c: c.occurred_at, reverse=True)
