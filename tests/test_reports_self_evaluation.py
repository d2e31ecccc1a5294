"""Self-evaluation PDFs read back: every word entered, owners, review dates, overdue marks, the
board pack's summary, access by role, the cache, and hostile evidence that reads nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from checklist_app.reporting import cache, pdf, services
from checklist_app.reporting.pdf import ASSETS_DIR
from checklist_app.reporting.self_evaluation_context import action_plan_report
from checklist_app.self_evaluation import services as se_services
from tests.factories import SchoolFactory, UserFactory, login
from tests.reporting_factories import (
    FIRST_ITEM,
    filled_evaluation,
    flat,
    pdf_pages,
    pdf_text,
    people_and_plan,
    school_with_leader,
)
from tests.self_evaluation_factories import finalise
from tests.test_pdf_core import ROOT, SENSITIVE, access_log, opened_outside  # noqa: F401

TODAY = date.today()


@pytest.fixture
def app_config(tmp_path):
    return {"REPORT_CACHE_DIR": str(tmp_path / "report-cache")}


@pytest.fixture
def setup(app):
    school, leader = school_with_leader()
    evaluation = filled_evaluation(school, words=40, evidence={FIRST_ITEM: {
        "where_now": "\n\n".join(f"long{n:04d} " * 1 + " ".join(f"long{n:04d}x{k}" for k in range(9))
                                 for n in range(1, 301))}})
    owner, overdue, future, done = people_and_plan(school, evaluation)
    evaluation.sign_off = {"school_name": school.name, "person_completing": "Zoë Ó Briain",
                           "role": "Headteacher", "date": "2026-11-20",
                           "next_review_date": "2027-03-22", "comments": "Agreed by SLT.\nSee plan."}
    db.session.commit()
    return {"school": school, "leader": leader, "evaluation": evaluation, "owner": owner}


def get_pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Content-Disposition"].endswith(".pdf")
    assert "no-store" in response.headers["Cache-Control"]
    return response.data


def test_action_plan_holds_every_word_owner_review_date_and_overdue_mark(client, setup):
    evaluation = setup["evaluation"]
    login(client, setup["leader"])
    pages = pdf_pages(get_pdf(client, f"/reports/self-evaluation/{evaluation.id}/action-plan.pdf"))
    text = "\n".join(pages)
    words = re.findall(r"\b(?:long\d{4}(?:x\d)?|cp\d+(?:wher|next|impa)\d{4})\b", text)
    expected = re.findall(r"\S+", " ".join(
        " ".join(c.answer.answers[p] for p in ("where_now", "next_steps", "impact"))
        for c in se_services.checkpoints_of(evaluation)))
    assert words == expected  # every word of all three prompts, in order, nothing cut
    assert len(expected) > 25 * 3 * 40
    body = flat(text)
    for needle in ("Sign-off", "Zoë Ó Briain", "Headteacher", "20 November 2026", "22 March 2027",
                   "Agreed by SLT.", "See plan.", "Recommendations / Actions", "Łukasz Nowak",
                   "Siân Ó Briain", "Zoë Hart", "5 January 2020", "22 November 2030", "Overdue",
                   "Ring every family on the first day of absence", "Train Siân's team on the new codes",
                   "Publish the attendance policy", "Done", "Where are we now?",
                   "What needs to happen next?",
                   "How will we demonstrate impact of our decisions and actions?",
                   "Rating: Established"):
        assert needle in body, needle
    assert "Page 1 of" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert "St Siân's Primary School" in page and f"Page {number} of {len(pages)}" in page
        assert f"Produced {TODAY.day} {TODAY:%B %Y}" in page
        assert "OFFICIAL" not in page  # no pupil data in a self-evaluation


def test_board_pack_summarises_the_term_then_prints_the_plan(client, setup):
    school = setup["school"]
    last = filled_evaluation(school, "2026-27-summer" if False else "2025-26-summer", words=2,
                             rating="developing")
    finalise(last)
    evaluation = setup["evaluation"]
    login(client, setup["leader"])
    pages = pdf_pages(get_pdf(client, f"/reports/self-evaluation/{evaluation.id}/board-pack.pdf"))
    summary = flat("\n".join(pages[:2]))
    assert "Governing board pack – Autumn term 2026/27" in summary
    assert "compared with Summer term 2025/26" in summary
    assert "Up from Developing" in summary and summary.count("Up from Developing") == 25
    assert re.search(r"Established 25 0", summary) and re.search(r"Developing 0 25", summary)
    assert re.search(r"Opened in Autumn term 2026/27 3", summary)
    assert re.search(r"Done in Autumn term 2026/27 1", summary)
    assert re.search(r"Overdue now \(open, review date passed\) 1", summary)
    assert "Date of next review: 22 March 2027" in summary
    rest = flat("\n".join(pages[2:]))
    assert "Self-evaluation and action plan – Autumn term 2026/27" in rest
    assert "cp25impa0040" in rest and "Łukasz Nowak" in rest and "Overdue" in rest


def test_governors_get_finalised_pdfs_only(client, setup):
    evaluation, school = setup["evaluation"], setup["school"]
    governor = UserFactory(school=school, role=Role.GOVERNOR, name="Siân Governor")
    db.session.commit()
    login(client, governor)
    for kind in ("action-plan", "board-pack"):
        assert client.get(f"/reports/self-evaluation/{evaluation.id}/{kind}.pdf").status_code == 404
    finalise(evaluation)
    text = flat(pdf_text(get_pdf(client, f"/reports/self-evaluation/{evaluation.id}/action-plan.pdf")))
    assert "Finalised" in text and "Łukasz Nowak" in text


def test_another_schools_self_evaluation_is_not_found(client, setup):
    evaluation = setup["evaluation"]
    finalise(evaluation)
    stranger = UserFactory(school=SchoolFactory(name="Elsewhere"), role=Role.SENIOR_LEADER)
    db.session.commit()
    login(client, stranger)
    assert client.get(f"/reports/self-evaluation/{evaluation.id}/action-plan.pdf").status_code == 404
    assert client.get(f"/reports/self-evaluation/{evaluation.id}/board-pack.pdf").status_code == 404


def test_overview_and_action_plan_pages_link_to_the_pdfs(client, setup):
    evaluation = setup["evaluation"]
    login(client, setup["leader"])
    for page in ("", "/action-plan"):
        html = client.get(f"/self-evaluation/{evaluation.id}{page}").get_data(as_text=True)
        assert f"/reports/self-evaluation/{evaluation.id}/action-plan.pdf" in html
        assert f"/reports/self-evaluation/{evaluation.id}/board-pack.pdf" in html


def test_finalised_pdf_is_cached_and_a_change_makes_a_new_one(app, setup, monkeypatch):
    evaluation = setup["evaluation"]
    finalise(evaluation)
    renders = []
    real = services.render_pdf

    def counting(template, context, **kwargs):
        renders.append(template)
        return real(template, context, **kwargs)

    monkeypatch.setattr(services, "render_pdf", counting)
    first = services.action_plan_pdf(evaluation, TODAY).data
    second = services.action_plan_pdf(evaluation, TODAY).data
    assert first == second and len(renders) == 1
    files = list(cache.cache_dir().glob("action-plan-*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == first
    assert files[0].name.startswith(f"action-plan-{evaluation.id}-v{evaluation.version}-")
    # The record changes: a new version, a new PDF, the old file removed.
    evaluation.sign_off = {**evaluation.sign_off, "person_completing": "Łukasz Nowak"}
    db.session.commit()
    third = services.action_plan_pdf(evaluation, TODAY).data
    assert len(renders) == 2 and "Person completing this form Łukasz Nowak" in flat(pdf_text(third))
    assert len(list(cache.cache_dir().glob("action-plan-*.pdf"))) == 1
    # A layout change: a new fingerprint, a new PDF.
    monkeypatch.setattr(cache, "template_fingerprint", lambda: "changed-layout")
    services.action_plan_pdf(evaluation, TODAY)
    assert len(renders) == 3
    # Drafts are never cached.
    draft = filled_evaluation(setup["school"], "2026-27-spring", words=1)
    services.action_plan_pdf(draft, TODAY)
    services.action_plan_pdf(draft, TODAY)
    assert len(renders) == 5


HOSTILE_EVIDENCE = "\n\n".join([
    'Before <img src="file:///etc/passwd"> after',
    "<script>alert('boom')</script>",
    "![remote](http://127.0.0.1:9/x.png)",
    "[a link](http://127.0.0.1:9/)",
    "<style>@import url(http://127.0.0.1:9/b.css)</style>",
    '<link rel="stylesheet" href="http://127.0.0.1:9/a.css">',
    "safeword123",
])


def test_hostile_evidence_reads_no_file_and_fetches_nothing(app, access_log):  # noqa: F811
    school, _leader = school_with_leader()
    evaluation = filled_evaluation(school, words=1, evidence={FIRST_ITEM: {
        "where_now": HOSTILE_EVIDENCE}})
    people_and_plan(school, evaluation)
    action = evaluation  # the action point is plain text: shown escaped, never as markup
    from tests.self_evaluation_factories import make_action

    make_action(action, text='<img src="file:///etc/passwd"> and <script>x()</script>')
    context = action_plan_report(evaluation, TODAY)
    access_log["audit"].clear()
    data = pdf.render_pdf("pdf/action_plan.html", context)
    assert access_log["network"] == []
    assert not [event for event, _ in access_log["audit"] if event != "open"]
    assert opened_outside(access_log, ASSETS_DIR, ROOT / "reports") == []
    for uri, answer in access_log["resolved"]:
        assert answer != pdf.REFUSED, uri
    text = flat(pdf_text(data))
    assert "safeword123" in text and "Before after" in text and "a link" in text
    assert "alert" not in text and "127.0.0.1" not in text.replace(
        '<img src="file:///etc/passwd"> and <script>x()</script>', "")
    assert '<img src="file:///etc/passwd"> and <script>x()</script>' in text
