"""Casework PDFs read back: the contract (struck agreements, signature blocks), its checklist,
letters one per parent (issued text exactly as frozen), the evidence pack; staff only."""

from __future__ import annotations

import re
from datetime import date

import pytest

from checklist_app.auth.models import Role
from checklist_app.casework import letter_operations
from checklist_app.extensions import db
from checklist_app.formatting import markdown_html
from checklist_app.reporting import case_context, case_reports, pdf, services
from checklist_app.reporting.pdf import ASSETS_DIR
from tests.factories import SchoolFactory, UserFactory, login
from tests.reporting_factories import casework_story, flat, pdf_pages, pdf_text
from tests.test_pdf_core import ROOT, SENSITIVE, access_log, opened_outside  # noqa: F401

TODAY = date.today()


@pytest.fixture
def app_config(tmp_path):
    return {"REPORT_CACHE_DIR": str(tmp_path / "report-cache")}


@pytest.fixture
def story(app):
    school = SchoolFactory(name="Oakfield Primary School")
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Łukasz Nowak")
    db.session.commit()
    return {**casework_story(school, lead), "school": school, "lead": lead}


def get_pdf(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "application/pdf"
    assert re.match(r'attachment; filename="?[a-z0-9-]+\.pdf"?$', response.headers["Content-Disposition"])
    assert "no-store" in response.headers["Cache-Control"]
    pages = pdf_pages(response.data)
    assert "Page 1 of" in pages[0]
    for page in pages:
        assert "Oakfield Primary School" in page and SENSITIVE in page
    return pages


def test_contract_ready_to_sign_keeps_struck_agreements_and_blank_signature_lines(client, story):
    login(client, story["lead"])
    case, contract = story["case"], story["contract"]
    text = flat("\n".join(get_pdf(client, f"/reports/cases/{case.id}/contracts/{contract.id}.pdf")))
    for needle in ("Attendance contract", "Zoë Ó Briain", "Siân Ó Briain (Mother)",
                   "Łukasz Kowalski (Father)", "The governing board of Oakfield Primary School",
                   "Expected duration 3 months", "Review date 5 February 2027",
                   "Parent or carer agrees to", "Pupil agrees to", "School agrees to",
                   "Other agency agrees to",
                   "Make sure Zoë is at the gate by 8:40 every morning",
                   "Who: Siân Ó Briain · By: 22 January 2027 · Status: Open",
                   "Send the uniform grant form", "Status: Complete (struck through)",
                   "Walk to school with a neighbour", "Status: Not applicable (struck through)",
                   "Name: Siân Ó Briain, Mother Signed: 15 January 2027",
                   "Name: Łukasz Kowalski Signature: ____", "On behalf of the governing board"):
        assert needle in text, needle
    assert text.count("Signature: ____") == 2  # Łukasz Kowalski and the school have not signed


def test_signed_contract_shows_names_and_dates_and_is_cached(app, client, story, monkeypatch):
    from checklist_app.casework import contract_operations

    contract, meeting = story["contract"], story["meeting"]
    for attendee in contract_operations.signable_attendees(contract):
        contract_operations.sign_contract(contract, attendee.id, date(2027, 1, 16),
                                          reason="signed the next morning at the office")
    login(client, story["lead"])
    url = f"/reports/cases/{story['case'].id}/contracts/{contract.id}.pdf"
    text = flat("\n".join(get_pdf(client, url)))
    assert "Signature: ____" not in text and meeting.id
    assert "Name: Łukasz Kowalski, Father Signed: 16 January 2027" in text
    assert "Name: Łukasz Nowak, Attendance lead" in text and "signed 16 January 2027" in text
    monkeypatch.setattr(services, "render_pdf", lambda *_a, **_k: pytest.fail("not cached"))
    assert client.get(url).status_code == 200


def test_checklist_progress_by_stage(client, story):
    login(client, story["lead"])
    text = flat("\n".join(get_pdf(client, f"/reports/cases/{story['case'].id}/checklist.pdf")))
    assert "Planning stage: 1 of 11 done (9%)" in text
    assert "Delivery stage: 0 of 9 done (0%)" in text and "Review stage: 0 of 8 done (0%)" in text
    assert "1.1 – Complete" in text and "Read by Łukasz Nowak." in text
    assert "1.2 – Not yet" in text and "1.3 – Not answered" in text


def _letters(story):
    case, mum, dad = story["case"], story["mum"], story["dad"]
    letters = [letter_operations.draft_letter(case, "contract-outcome", parent, None,
                                            letter_date=date(2027, 1, 16)) for parent in (mum, dad)]
    db.session.commit()
    return letters


def test_letters_one_per_parent_issued_text_exactly_as_frozen(client, story):
    from checklist_app.casework import contract_operations

    contract = story["contract"]
    for attendee in contract_operations.signable_attendees(contract):
        contract_operations.sign_contract(contract, attendee.id, date(2027, 1, 16),
                                          reason="signed the next morning at the office")
    to_mum, to_dad = _letters(story)
    to_mum.body_markdown += "\n\nPS from Łukasz: *see you* on **Friday**.\n"
    db.session.commit()
    letter_operations.issue_letter(to_mum, story["lead"], on=date(2027, 1, 16))
    login(client, story["lead"])
    case_id = story["case"].id
    mum_pages = get_pdf(client, f"/reports/cases/{case_id}/letters/{to_mum.id}.pdf")
    mum_text = flat("\n".join(mum_pages))
    dad_text = flat("\n".join(get_pdf(client, f"/reports/cases/{case_id}/letters/{to_dad.id}.pdf")))
    # The issued PDF holds the frozen text: every word of the markdown as rendered, in order.
    frozen = re.sub(r"<[^>]+>", " ", str(markdown_html(to_mum.body_markdown)))
    frozen_words = re.findall(r"\w+", frozen.replace("&amp;", "&").replace("&#39;", "'"))
    running = {"Oakfield Primary School", f"Letter 4: {to_mum.title}", SENSITIVE}
    body = [line for page in mum_pages for line in page.splitlines()
            if line.strip() not in running and not line.startswith("Produced ")
            and not re.fullmatch(r"Page \d+ of \d+", line.strip())]
    body_words = re.findall(r"\w+", "\n".join(body))
    start = body_words.index(frozen_words[0])
    assert body_words[start:] == frozen_words
    assert "Dear Ms Siân Ó Briain" in mum_text and "PS from Łukasz: see you on Friday." in mum_text
    assert "DRAFT" not in mum_text and "1 Oak Lane Oakfield" in mum_text
    assert "Dear Mr Łukasz Kowalski" in dad_text and "9 Birch Close Elmtown EL9 9ZZ" in dad_text
    assert "DRAFT – not yet issued" in dad_text and "Zoë Ó Briain" in dad_text


def test_evidence_pack_holds_the_whole_chronology(client, story):
    from checklist_app.casework import contract_operations

    contract = story["contract"]
    for attendee in contract_operations.signable_attendees(contract):
        contract_operations.sign_contract(contract, attendee.id, date(2027, 1, 16),
                                          reason="signed the next morning at the office")
    to_mum, _to_dad = _letters(story)
    letter_operations.issue_letter(to_mum, story["lead"], on=date(2027, 1, 16))
    login(client, story["lead"])
    text = flat("\n".join(get_pdf(client, f"/reports/cases/{story['case'].id}/evidence-pack.pdf")))
    for needle in ("Case evidence pack – Zoë Ó Briain", "Parent or carer: Łukasz Kowalski",
                   "does not live with the pupil", "Reason for concern Persistent absence",
                   "86.5%", "Two days' illness, phoned in.", "Chronology",
                   "Telephone with Siân Ó Briain", "Agreed to come to the meeting.",
                   "Attendance contract meeting: 15 January 2027 at 09:00 – Held",
                   "Daily check-in.", "Phone by 8:30 on any absence.",
                   "Send the uniform grant form", "Status: Complete (struck through)",
                   "Letters issued", "Letter 4:", "issued 16 January 2027 by Łukasz Nowak",
                   "Dear Ms Siân Ó Briain", "Planning stage: 1 of 11 done", "Letter 4 sent to",
                   "Stage now: Contract in place: monitoring", "Appendix: change log",
                   "Drafted the attendance contract",
                   "Recorded the signature of Łukasz Kowalski (Father) on the attendance contract",
                   "Issued letter 4 (Attendance contract outcome letter) to Siân Ó Briain"):
        assert needle in text, needle


def test_governors_and_other_schools_never_get_casework_pdfs(app, client, story):
    case, contract = story["case"], story["contract"]
    to_mum, _ = _letters(story)
    urls = [f"/reports/cases/{case.id}/evidence-pack.pdf", f"/reports/cases/{case.id}/checklist.pdf",
            f"/reports/cases/{case.id}/contracts/{contract.id}.pdf",
            f"/reports/cases/{case.id}/letters/{to_mum.id}.pdf"]
    governor = UserFactory(school=story["school"], role=Role.GOVERNOR)
    db.session.commit()
    login(client, governor)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_another_schools_case_ids_are_not_found(client, story):
    case, contract = story["case"], story["contract"]
    to_mum, _ = _letters(story)
    stranger = UserFactory(school=SchoolFactory(name="Elsewhere"), role=Role.ATTENDANCE_LEAD)
    db.session.commit()
    login(client, stranger)
    for url in (f"/reports/cases/{case.id}/evidence-pack.pdf", f"/reports/cases/{case.id}/checklist.pdf",
                f"/reports/cases/{case.id}/contracts/{contract.id}.pdf",
                f"/reports/cases/{case.id}/letters/{to_mum.id}.pdf"):
        assert client.get(url).status_code == 404, url


def test_case_page_links_to_the_pdfs(client, story):
    to_mum, to_dad = _letters(story)
    login(client, story["lead"])
    case_id = story["case"].id
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    for url in (f"/reports/cases/{case_id}/evidence-pack.pdf", f"/reports/cases/{case_id}/checklist.pdf",
                f"/reports/cases/{case_id}/contracts/{story['contract'].id}.pdf",
                f"/reports/cases/{case_id}/letters/{to_mum.id}.pdf",
                f"/reports/cases/{case_id}/letters/{to_dad.id}.pdf"):
        assert url in html, url


def test_hostile_case_text_reads_no_file_and_fetches_nothing(app, story, access_log):  # noqa: F811
    from checklist_app.casework import operations as casework

    case = story["case"]
    casework.add_contact(case, {"occurred_at": date(2027, 1, 9), "method": "email",
                                "with_whom": '<img src="file:///etc/passwd">', "made": False,
                                "outcome": "<script>alert(1)</script> <link href='http://127.0.0.1:9/'>"},
                         recorded_by="x")
    to_mum, _ = _letters(story)
    to_mum.body_markdown += ("\n\n![x](http://127.0.0.1:9/x.png) [site](http://127.0.0.1:9/) "
                             '<img src="file:///etc/passwd"> <style>@import url(http://127.0.0.1:9/b.css)'
                             "</style> <script>alert(2)</script>\n")
    db.session.commit()
    case = case_reports.case_by_id(case.id)
    contexts = {"pdf/evidence_pack.html": case_context.evidence_pack(case, TODAY),
                "pdf/letter.html": case_context.letter_report(case, to_mum, TODAY)}
    access_log["audit"].clear()
    texts = {name: flat(pdf_text(pdf.render_pdf(name, context))) for name, context in contexts.items()}
    assert access_log["network"] == []
    assert not [event for event, _ in access_log["audit"] if event != "open"]
    assert opened_outside(access_log, ASSETS_DIR, ROOT / "reports") == []
    assert all(answer != pdf.REFUSED for _uri, answer in access_log["resolved"])
    assert '<img src="file:///etc/passwd">' in texts["pdf/evidence_pack.html"]  # escaped, shown as text
    letter = texts["pdf/letter.html"]
    assert "site" in letter and "alert" not in letter and "passwd" not in letter
