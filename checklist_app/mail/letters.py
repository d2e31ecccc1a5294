"""E-mailing an issued letter to the parents and carers with an e-mail address (PDF attached).

Every sending, and every failure, is recorded as a contact in the case's chronology (R23), so staff
see what was sent and can send again. The covering text is short and "support first".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, render_template
from flask_mailman import EmailMessage

from checklist_app.casework.enums import ContactMethod, LetterStatus
from checklist_app.casework.models import Case, Contact, Letter, Parent
from checklist_app.casework.operations import CaseworkError, add_contact, refuse_closed
from checklist_app.clock import now
from checklist_app.mail import mail


class LetterMailError(CaseworkError):
    """A letter cannot be e-mailed at all; the message says why in plain words."""


@dataclass(frozen=True)
class Sending:
    """What e-mailing one letter did: how many parents it reached and who it could not reach."""

    letter: Letter
    sent: int
    failed: list[Parent]

    @property
    def problem(self) -> str | None:
        """The failures in plain words (None when every e-mail went)."""
        if not self.failed:
            return None
        names = ", ".join(p.full_name for p in self.failed)
        return (f"{self.letter.title} for {self.letter.case.pupil.full_name} could not be e-mailed to "
                f"{names}. Try again from the letter's page, or post it.")


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


def send_letter(case: Case, letter: Letter, pdf: Any, user: Any, today: date) -> Sending:
    """E-mail an issued letter to each parent with an address (an operation).

    Refuses (:class:`LetterMailError`) before sending anything when the letter is not issued, the
    case is closed or nobody has an address. Each sending and each failure is recorded as a contact
    through :func:`casework.operations.add_contact` and flushed; the caller commits once, failures
    included, so staff see what went and can send again.
    """
    if letter.status is not LetterStatus.ISSUED:
        raise LetterMailError("Only an issued letter can be e-mailed: issue it first.")
    refuse_closed(case)
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
        add_contact(case, {"occurred_at": now(), "method": ContactMethod.EMAIL,
                           "with_whom": each.full_name, "parent_id": each.id, "made": made,
                           "outcome": outcome}, who)
    return Sending(letter, sent, failures)


def letter_sendings(case: Case, letter: Letter) -> list[Contact]:
    """The e-mail contacts recorded for this letter, newest first (from the loaded case)."""
    return sorted((c for c in case.contacts if c.method is ContactMethod.EMAIL
                   and c.outcome.startswith(letter.title)), key=lambda c: c.occurred_at, reverse=True)
