"""E-mail through a real SMTP server: letters to families (recorded as contacts), failures and
sending again, bulk e-mail from a job, password reset links, and the development mail folder."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from checklist_app.casework import letter_operations
from checklist_app.casework.enums import ContactMethod
from checklist_app.casework.models import Contact
from checklist_app.extensions import db
from checklist_app.jobs.models import Job, JobState
from checklist_app.jobs.runner import wait_for_jobs
from tests.conftest import make_app
from tests.factories import PASSWORD, SchoolFactory, UserFactory, login
from tests.jobs_factories import TODAY, case_with_draft_not_due
from tests.smtp_server import smtp_inbox  # noqa: F401 - fixture


@pytest.fixture
def app_config(smtp_inbox, tmp_path):  # noqa: F811
    _inbox, port = smtp_inbox
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
            "MAIL_DEFAULT_SENDER": "Oak Primary <office@oak.example>", "JOBS_DIR": str(tmp_path / "j"),
            "REPORT_CACHE_DIR": str(tmp_path / "cache"), "SERVER_NAME": "checklist.example"}


@pytest.fixture
def clock():
    with time_machine.travel("2027-01-08 10:00 +0000", tick=True) as traveller:
        yield traveller


def _issued_letter(school, leader, parents_emails=("mum@family.example", "dad@family.example")):
    case, parents, letter = case_with_draft_not_due(school, leader)
    from tests.casework_factories import make_parent

    second = make_parent(case.pupil, first="Daniel", relationship_to_pupil="Father")
    parents[0].email, second.email = parents_emails
    letter_operations.issue_letter(letter, leader, TODAY)
    db.session.commit()
    return case, letter


def _contacts() -> list[Contact]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Contact).order_by(Contact.id)))


def test_issued_letter_is_emailed_to_each_parent_and_recorded(clock, client, school, leader,
                                                              smtp_inbox):  # noqa: F811
    inbox, _port = smtp_inbox
    case, letter = _issued_letter(school, leader)
    page = client.get(f"/cases/{case.id}/letters/{letter.id}").get_data(as_text=True)
    assert "E-mail the letter" in page and "mum@family.example" in page
    response = client.post(f"/cases/{case.id}/letters/{letter.id}/email", follow_redirects=True)
    assert "E-mailed to 2 parents or carers" in response.get_data(as_text=True)
    assert sorted(m["To"] for m in inbox.messages) == ["dad@family.example", "mum@family.example"]
    message = inbox.messages[0]
    assert str(message["Subject"]).strip().startswith(letter.title)
    body = message.get_body(("plain",)).get_content()
    assert "we want to help" in body and case.pupil.first_name in body
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    contacts = _contacts()
    assert [(c.method, c.made) for c in contacts] == [(ContactMethod.EMAIL, True)] * 2
    assert contacts[0].outcome == f"{letter.title} e-mailed to mum@family.example (PDF attached)."
    assert contacts[0].recorded_by == leader.name


def test_refused_email_is_shown_recorded_and_can_be_sent_again(clock, client, school, leader,
                                                               smtp_inbox):  # noqa: F811
    inbox, _port = smtp_inbox
    case, letter = _issued_letter(school, leader)
    inbox.refuse = True
    response = client.post(f"/cases/{case.id}/letters/{letter.id}/email", follow_redirects=True)
    assert "could not be e-mailed to" in response.get_data(as_text=True)
    assert [c.made for c in _contacts()] == [False, False]
    assert "could not be e-mailed to mum@family.example" in _contacts()[0].outcome
    inbox.refuse = False
    client.post(f"/cases/{case.id}/letters/{letter.id}/email")
    assert len(inbox.messages) == 2
    assert [c.made for c in _contacts()] == [False, False, True, True]


def test_draft_letters_are_never_emailed(clock, client, school, leader, smtp_inbox):  # noqa: F811
    inbox, _port = smtp_inbox
    case, _parents, letter = case_with_draft_not_due(school, leader)
    response = client.post(f"/cases/{case.id}/letters/{letter.id}/email", follow_redirects=True)
    assert "Only an issued letter can be e-mailed" in response.get_data(as_text=True)
    assert inbox.messages == []


def test_bulk_job_emails_issued_letters(clock, app, client, school, leader, smtp_inbox):  # noqa: F811
    inbox, _port = smtp_inbox
    case, _letter = _issued_letter(school, leader, ("mum@family.example", ""))
    draft_case, _p, _draft = case_with_draft_not_due(school, leader)
    from checklist_app.jobs.runner import dispatch, start_job

    job = start_job(school, leader, TODAY, "bulk-letters", "Letters",
                    {"letter_ids": [_letter.id, _draft.id], "email": True})
    db.session.commit()
    dispatch(job.id)
    db.session.rollback()
    wait_for_jobs(app)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state is JobState.DONE and job.done == 2
    assert [m["To"] for m in inbox.messages] == ["mum@family.example"]
    assert job.errors == [f"{_draft.title} for {draft_case.pupil.full_name} is still a draft, so it was "
                          "printed but not e-mailed."]
    assert "1 e-mail sent" in job.summary


def _reset_link(inbox) -> str:
    body = inbox.messages[-1].get_body(("plain",)).get_content()
    return re.search(r"http://checklist\.example(/reset-password/\S+)", body).group(1)


def test_password_reset_link_works_once(client, school, smtp_inbox):  # noqa: F811
    inbox, _port = smtp_inbox
    user = UserFactory(school=school, email="jo@oak.example")
    db.session.commit()
    response = client.post("/forgot-password", data={"email": "jo@oak.example"}, follow_redirects=True)
    assert "If that address belongs to an account" in response.get_data(as_text=True)
    assert inbox.messages[-1]["To"] == "jo@oak.example"
    link = _reset_link(inbox)
    assert client.get(link).status_code == 200
    short = client.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    done = client.post(link, data={"password": "a new long password", "confirm": "a new long password"},
                       follow_redirects=True)
    assert "Your password has been changed" in done.get_data(as_text=True)
    assert login(client, user, "a new long password").status_code == 302
    client.post("/logout")
    again = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "already been used" in again
    assert login(client, user, PASSWORD).status_code == 400


def test_password_reset_link_expires_and_unknown_addresses_get_no_mail(client, school, smtp_inbox):  # noqa: F811
    inbox, _port = smtp_inbox
    UserFactory(school=school, email="sam@oak.example")
    db.session.commit()
    client.post("/forgot-password", data={"email": "nobody@oak.example"})
    assert inbox.messages == []
    with time_machine.travel("2027-01-08 10:00 +0000", tick=False) as traveller:
        client.post("/forgot-password", data={"email": "sam@oak.example"})
        link = _reset_link(inbox)
        traveller.shift(timedelta(hours=2))
        page = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "This link has expired" in page
    page = client.get("/reset-password/not-a-token", follow_redirects=True).get_data(as_text=True)
    assert "This link is not valid" in page


def test_development_mail_is_written_to_a_folder(tmp_path, monkeypatch):
    for name in ("MAIL_SERVER", "CHECKLIST_MAIL_SERVER", "MAIL_BACKEND", "CHECKLIST_MAIL_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "mail"
    monkeypatch.setenv("MAIL_FILE_PATH", str(folder))
    app = make_app(f"sqlite:///{tmp_path / 'dev.sqlite3'}", SERVER_NAME="localhost")
    with app.app_context():
        db.create_all()
        user = UserFactory(school=SchoolFactory())
        db.session.commit()
        with app.test_request_context():
            from checklist_app.auth.password_reset import send_reset_link

            send_reset_link(user)
        db.session.remove()
        db.engine.dispose()
    written = list(folder.iterdir())
    assert len(written) == 1 and "/reset-password/" in written[0].read_text()
