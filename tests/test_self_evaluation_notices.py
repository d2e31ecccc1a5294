"""Refusals and conflicts on self-evaluation pages use GOV.UK components: an error summary on a form
page (announced and focusable), an "Important" notification banner on the locked page."""

from __future__ import annotations

import re

from checklist_app.extensions import db
from checklist_app.self_evaluation.models import CheckpointAnswer, SelfEvaluation
from tests.self_evaluation_factories import (
    FIRST,
    RATING,
    finalise,
    make_action,
    make_evaluation,
    rate,
    this_term,
)

SIGN_OFF = {"school_name": "Oak Primary", "person_completing": "Jo Head", "role": "Headteacher",
            "date": "2026-11-20", "next_review_date": "2027-03-26", "intent": "finalise"}
SUMMARY = re.compile(r'<div class="govuk-error-summary"[^>]*tabindex="-1"[^>]*>\s*<div role="alert">\s*'
                     r'<h2 class="govuk-error-summary__title">([^<]*)</h2>\s*'
                     r'<div class="govuk-error-summary__body">(.*?)</div>', re.S)
BANNER = re.compile(r'<div class="govuk-notification-banner" role="alert" aria-labelledby="([^"]+)"'
                    r' data-module="govuk-notification-banner">\s*'
                    r'<div class="govuk-notification-banner__header">\s*'
                    r'<h2 class="govuk-notification-banner__title" id="([^"]+)">Important</h2>\s*</div>\s*'
                    r'<div class="govuk-notification-banner__content">(.*?)</div>', re.S)


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_refused_finalise_is_a_govuk_error_summary(client, leader, school):
    last = make_evaluation(school, this_term().previous())
    rate(last)
    finalise(last)
    assert client.post("/self-evaluation/next-term").status_code == 302
    new = db.session.scalar(db.select(SelfEvaluation).where(SelfEvaluation.id != last.id))
    response = client.post(f"/self-evaluation/{new.id}/sign-off",
                           data={**SIGN_OFF, "version": str(new.version)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = SUMMARY.search(page)
    assert summary and summary.group(1) == "There is a problem"
    assert "need confirming as reviewed this term" in _words(summary.group(2))
    assert "notice-error" not in page


def test_the_locked_page_is_an_important_banner(client, leader, school):
    evaluation = make_evaluation(school)
    rate(evaluation)
    finalise(evaluation)
    answer = db.session.scalar(db.select(CheckpointAnswer).where(CheckpointAnswer.item_id == FIRST))
    response = client.post(f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}",
                           data={"version": str(answer.version), RATING: "developing"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    banner = BANNER.search(page)
    assert banner and banner.group(1) == banner.group(2)
    assert "it can no longer be changed" in _words(banner.group(3))
    assert "notice-error" not in page


def test_an_action_conflict_is_a_govuk_error_summary(client, leader, school):
    evaluation = make_evaluation(school)
    action = make_action(evaluation, text="Original")
    stale = str(action.version)
    data = {"version": stale, "action_point": "Colleague's wording", "checkpoint_ids": [FIRST],
            "owner_user_id": "0", "owner_name": "Sam Lee", "review_date": "2027-01-29",
            "status": "not_started", "comments": ""}
    url = f"/self-evaluation/actions/{action.id}/edit"
    client.post(url, data=data)
    response = client.post(url, data={**data, "action_point": "My wording"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    summary = SUMMARY.search(page)
    assert summary and summary.group(1) == "Someone else saved this action"
    assert "notice-error" not in page


def test_a_checkpoint_conflict_is_a_govuk_error_summary(client, leader, school):
    evaluation = make_evaluation(school)
    url = f"/self-evaluation/{evaluation.id}/checkpoints/{FIRST}"
    client.post(url, data={"version": "0", RATING: "established"})
    response = client.post(url, data={"version": "0", RATING: "developing"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    summary = SUMMARY.search(page)
    assert summary and summary.group(1) == "Someone else saved this checkpoint"
    assert "notice-error" not in page
