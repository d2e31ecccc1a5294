"""Background jobs in process (no REDIS_URL): bulk letters, progress page, results, stale jobs, CLI."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from pypdf import PdfReader

from checklist_app.clock import now
from checklist_app.extensions import db
from checklist_app.jobs.models import Job, JobState
from checklist_app.jobs.runner import STOPPED_MESSAGE, wait_for_jobs
from tests.factories import SchoolFactory
from tests.jobs_factories import TODAY, case_with_draft_not_due, case_with_due_invite


@pytest.fixture
def app_config(tmp_path):
    return {"JOBS_DIR": str(tmp_path / "jobs"), "REPORT_CACHE_DIR": str(tmp_path / "cache")}


@pytest.fixture
def clock():
    with time_machine.travel("2027-01-08 10:00 +0000", tick=True) as traveller:
        yield traveller


def _wait(app) -> None:
    """Let the background thread run: the test's own session must not hold SQLite's write lock."""
    db.session.rollback()
    wait_for_jobs(app)


def _only_job() -> Job:
    db.session.expire_all()
    return db.session.scalars(db.select(Job)).one()


def test_due_letters_print_as_one_pdf_with_progress_page(clock, app, client, school, leader):
    due_case, _parents, due_letter = case_with_due_invite(school, leader)
    case_with_draft_not_due(school, leader)
    response = client.post("/jobs/bulk-letters", data={"which": "due"})
    assert response.status_code == 302
    _wait(app)
    job = _only_job()
    assert (job.state, job.done, job.total, job.errors) == (JobState.DONE, 1, 1, [])
    assert job.on_date == TODAY and job.started_by_id == leader.id
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "<progress" in page and 'value="100"' in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    assert "1 letter, 1 pages to print." in page or "1 letter, 2 pages to print." in page
    download = client.get(f"/jobs/{job.id}/result")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(download.data)).pages)
    assert due_case.pupil.first_name in text


def test_chosen_cases_include_every_draft(clock, app, client, school, leader):
    first, _p, _l = case_with_due_invite(school, leader)
    second, _p2, _l2 = case_with_draft_not_due(school, leader)
    form = client.get("/jobs/").get_data(as_text=True)
    assert second.pupil.full_name in form and "(1 draft letter)" in form
    cases = form[form.index('<fieldset class="govuk-fieldset" id="case_ids"'):]
    cases = cases[:cases.index("</fieldset>")]  # GOV.UK checkboxes, each with its own label
    assert cases.count('class="govuk-checkboxes__input"') == 2
    assert '<label class="govuk-label govuk-checkboxes__label" for="case_ids-0">' in cases
    client.post("/jobs/bulk-letters", data={"which": "cases", "case_ids": [first.id, second.id]})
    _wait(app)
    job = _only_job()
    assert (job.state, job.done, job.total) == (JobState.DONE, 2, 2)


def test_choosing_no_case_is_refused_keeping_the_choice(clock, client, school, leader):
    response = client.post("/jobs/bulk-letters", data={"which": "cases"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose at least one case" in page
    assert '<a href="#case_ids">Cases: Choose at least one case' in page  # the summary leads to the boxes
    assert 'id="case_ids-error"' in page and re.search(r'<input checked[^>]*value="cases"', page)
    assert db.session.scalars(db.select(Job)).first() is None


def test_nothing_due_fails_in_plain_words(clock, app, client, school, leader):
    case_with_draft_not_due(school, leader)
    client.post("/jobs/bulk-letters", data={"which": "due"})
    _wait(app)
    job = _only_job()
    assert job.state is JobState.FAILED
    assert job.errors == ["No letter is due by 15 January 2027 that has a draft written."]
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "This job did not finish" in page and "Start it again" in page


def test_running_job_shows_refreshing_progress_then_stale_one_is_reported(clock, client, school, leader):
    job = Job(school_id=school.id, kind="bulk-letters", title="Letters to print", on_date=TODAY,
              params={}, state=JobState.RUNNING, done=3, total=12, errors=[], heartbeat_at=now())
    db.session.add(job)
    db.session.commit()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and 'value="25"' in page and "3 of 12 done" in page
    clock.shift(timedelta(minutes=5))  # the worker died: no heartbeat for five minutes
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Failed" in page and STOPPED_MESSAGE.replace("'", "&#39;") in page
    assert _only_job().state is JobState.FAILED


def test_another_schools_job_is_not_found(clock, client, school, leader):
    other = SchoolFactory(name="Elm Academy")
    job = Job(school_id=other.id, kind="warm-cache", title="Finished documents made ready",
              on_date=TODAY, params={}, errors=[], state=JobState.DONE, result_file="x.pdf")
    db.session.add(job)
    db.session.commit()
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/jobs/{job.id}/result").status_code == 404


def test_cli_bulk_letters_writes_the_merged_pdf(app, school, tmp_path, clock):
    first, _p, _l = case_with_due_invite(school)
    second, _p2, _l2 = case_with_draft_not_due(school)
    out, urn, ids = tmp_path / "letters.pdf", school.urn, (str(first.id), str(second.id))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "bulk-letters", urn, "--case", ids[0], "--case", ids[1],
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 letters" in result.output
    assert len(PdfReader(out).pages) >= 2
    result = runner.invoke(args=["report", "bulk-letters", urn, "--case", "999", "-o", str(out)])
    assert result.exit_code == 1 and "has no case numbered 999" in result.output
    result = runner.invoke(args=["report", "bulk-letters", urn, "-o", str(out)])
    assert "Say which letters" in result.output


def test_warm_cache_makes_issued_letters_ready(app, client, school, clock):
    from checklist_app.auth.models import Role
    from checklist_app.casework import letter_operations
    from tests.factories import UserFactory, login

    admin = UserFactory(school=school, role=Role.ADMIN)
    _case, _parents, letter = case_with_draft_not_due(school)
    letter_operations.issue_letter(letter, admin, TODAY)
    login(client, admin)
    client.post("/jobs/warm-cache")
    _wait(app)
    job = _only_job()
    assert (job.state, job.done, job.total) == (JobState.DONE, 1, 1)
    assert len(list((app.config["REPORT_CACHE_DIR"] and __import__("pathlib").Path(
        app.config["REPORT_CACHE_DIR"])).glob("letter-*.pdf"))) == 1


def test_a_queued_job_lost_with_a_restarted_process_is_reported(clock, client, school, leader):
    job = Job(school_id=school.id, kind="bulk-letters", title="Letters to print", on_date=TODAY,
              params={}, state=JobState.QUEUED, errors=[])
    db.session.add(job)
    db.session.commit()
    assert "Waiting to start" in client.get(f"/jobs/{job.id}").get_data(as_text=True)
    clock.shift(timedelta(minutes=5))  # no thread of this process holds it: it was lost
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "The work never started" in page and "Start it again" in page


def test_board_packs_offer_the_terms_by_name_not_a_typed_slug(clock, app, client, school, leader):
    from pypdf import PdfReader as Reader

    from tests.self_evaluation_factories import make_evaluation

    make_evaluation(school, "2025-26-summer")
    page = client.get("/jobs/").get_data(as_text=True)
    board = page.split(">Board packs</h2>")[1].split("</form>")[0]
    assert "2026-27-autumn</" not in board and "For example" not in board
    labels = [line.split(">")[-1] for line in board.split("</label>")[:-1]]
    assert labels[:3] == ["Spring term 2026/27", "Autumn term 2026/27", "Summer term 2025/26"]
    assert re.search(r'<input checked [^>]*type="radio" value="2026-27-spring">', board)  # this term
    response = client.post("/jobs/board-packs", data={"term": "2025-26-summer"})
    assert response.status_code == 302
    _wait(app)
    job = _only_job()
    assert job.state is JobState.DONE and job.params["term"] == "2025-26-summer"
    assert "Summer term 2025/26" in job.summary
    pdf = Reader(io.BytesIO(client.get(f"/jobs/{job.id}/result").data))
    assert school.name in pdf.pages[0].extract_text()


@pytest.mark.parametrize("term", ["2019-20-autumn", "autumn", "", "2026-27-winter"])
def test_a_term_not_offered_is_refused_in_plain_words(clock, client, school, leader, term):
    response = client.post("/jobs/board-packs", data={"term": term} if term else {})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose one of the terms listed." in page or "Choose the term." in page
    assert 'class="govuk-error-summary"' in page
    assert db.session.scalars(db.select(Job)).first() is None
