"""Ratings this term against last term across a change of edition: the pure comparison, the
board pack's change table (read back from the PDF) and the governor's home page.

Last term is on edition 2022.1; this term on 2026.1, where checkpoint 2 is reworded, 19 is
withdrawn and replaced by a new 26, and 5 is withdrawn with no replacement.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import time_machine
import yaml

from checklist_app.auth.models import Role
from checklist_app.checklist_engine.loader import load_definition_file
from checklist_app.checklist_engine.schema import Definition, Item, Response, ResponseType
from checklist_app.extensions import db
from checklist_app.reporting import services as reports
from checklist_app.self_evaluation import carry, rating_changes
from checklist_app.self_evaluation.models import CheckpointAnswer
from checklist_app.self_evaluation.rating_changes import Kind
from tests.factories import UserFactory, login
from tests.reporting_factories import flat, pdf_pages, school_with_leader
from tests.self_evaluation_factories import finalise, make_evaluation, rate

ROOT = Path(__file__).resolve().parent.parent
KEY = "school-attendance-self-evaluation"
ETHOS, CONTACTS, EARLY_HELP = "sa-02-attendance-ethos", "sa-04-pias-contacts", "sa-05-early-help-requests"
PLAN, NEW_PLAN = "sa-19-attendance-improvement-plan", "sa-26-attendance-action-plan"
DAY = date(2027, 2, 10)


def _edition(old: Definition, changes: dict[str, dict], extra: tuple[Item, ...] = ()) -> Definition:
    section = old.sections[0]
    items = tuple(i.model_copy(update=changes.get(i.id, {})) for i in section.items) + extra
    return old.model_copy(update={"version": "2026.1",
                                  "sections": (section.model_copy(update={"items": items}),
                                               *old.sections[1:])})


@pytest.fixture
def editions():
    old = load_definition_file(ROOT / "checklists" / KEY / "2022.1.yaml")
    response = Response(type=ResponseType.SELF_EVALUATION)
    new = _edition(old, {ETHOS: {"text": "Attendance is everyone's business. (Reworded in 2026.)"},
                         PLAN: {"withdrawn": True, "replaced_by": NEW_PLAN},
                         EARLY_HELP: {"withdrawn": True}},
                   (Item(id=NEW_PLAN, number="26", text="Our attendance action plan is part of the "
                         "school improvement plan.", response=response),))
    return old, new


def _by_id(rows):
    return {r.item_id: r for r in rows}


def test_withdrawn_reworded_and_replacing_checkpoints_are_compared_honestly(editions):
    old, new = editions
    before = {i.id: "developing" for i in old.items()} | {PLAN: "embedded", EARLY_HELP: "established"}
    now = {i.id: "developing" for i in new.items()} | {ETHOS: "established", NEW_PLAN: "established"}
    rows = rating_changes.compare(old, new, [i.id for i in new.items()], before, now)
    by_id = _by_id(rows)
    assert len(rows) == 26  # 23 carried on, 26 new, 5 and 19 withdrawn: none vanishes
    assert [r.number for r in rows][17:21] == ["18", "19", "20", "21"]  # withdrawn ones in place
    assert by_id[ETHOS].description == "Wording changed; up from Developing"
    assert by_id[ETHOS].kind is Kind.SAME and by_id[ETHOS].changed
    assert by_id[CONTACTS].description == "No change" and not by_id[CONTACTS].changed
    assert by_id[PLAN].description == ("Withdrawn in the new edition (was Embedded); "
                                       "replaced by checkpoint 26")
    assert by_id[EARLY_HELP].description == "Withdrawn in the new edition (was Established)"
    assert by_id[NEW_PLAN].description == "New: replaces checkpoint 19 (was Embedded); down"
    assert by_id[NEW_PLAN].before.label == "Embedded" and by_id[NEW_PLAN].movement == -1


def test_the_same_edition_and_no_earlier_term(editions):
    old, _new = editions
    ids = [i.id for i in old.items()]
    rows = rating_changes.compare(old, old, ids, {ETHOS: "developing"}, {ETHOS: "embedded"})
    assert len(rows) == 25 and all(r.kind is Kind.SAME for r in rows)
    assert _by_id(rows)[ETHOS].description == "Up from Developing"
    assert _by_id(rows)[CONTACTS].description == "Not rated"
    first = rating_changes.compare(None, old, ids, {}, {ETHOS: "embedded"})
    assert {r.description for r in first} == {"No earlier term"} and len(first) == 25


def test_a_checkpoint_replacing_two_and_a_local_one_withdrawn(editions):
    old, new = editions
    local = Item(id="local-1", number="1a", text="Our own walking bus.", local=True,
                 response=Response(type=ResponseType.SELF_EVALUATION))
    old = _edition(old, {}, (local,)).model_copy(update={"version": "2022.1"})
    new = _edition(new, {EARLY_HELP: {"withdrawn": True, "replaced_by": NEW_PLAN}},
                   (local.model_copy(update={"withdrawn": True}),))
    rows = _by_id(rating_changes.compare(old, new, [i.id for i in new.items()],
                                         {PLAN: "embedded", "local-1": "developing"}, {}))
    assert rows[NEW_PLAN].description == ("New: replaces checkpoints 5 (not rated last term) and "
                                          "19 (was Embedded); not rated yet")
    assert rows["local-1"].description == "Withdrawn by the school (was Developing)"


# --- the board pack and the governor's home, on real editions in a temporary folder ----------

@pytest.fixture
def app_config(tmp_path):
    root = tmp_path / "checklists"
    (root / KEY).mkdir(parents=True)
    shutil.copy(ROOT / "checklists" / KEY / "2022.1.yaml", root / KEY / "2022.1.yaml")
    return {"CHECKLISTS_DIR": str(root), "REPORT_CACHE_DIR": str(tmp_path / "report-cache")}


def _publish_new_edition(app) -> None:
    folder = Path(app.config["CHECKLISTS_DIR"]) / KEY
    data = yaml.safe_load((folder / "2022.1.yaml").read_text(encoding="utf-8"))
    data.update(version="2026.1", supersedes="2022.1", edition_date=date(2026, 9, 1))
    items = data["sections"][0]["items"]
    by_id = {item["id"]: item for item in items}
    by_id[ETHOS]["text"] = "Attendance is everyone's business here. (Reworded in 2026.)"
    by_id[PLAN].update(withdrawn=True, replaced_by=NEW_PLAN)
    by_id[EARLY_HELP].update(withdrawn=True)
    items.append({"id": NEW_PLAN, "number": "26", "response": {"type": "self-evaluation"},
                  "text": "Our attendance action plan is part of the school improvement plan."})
    (folder / "2026.1.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                        encoding="utf-8")


@pytest.fixture
def two_terms(app):
    """Autumn finalised on 2022.1; spring carried onto 2026.1, re-rated and finalised."""
    school, leader = school_with_leader()
    autumn = make_evaluation(school, "2026-27-autumn")
    rate(autumn, {ETHOS: "developing", CONTACTS: "developing", PLAN: "developing",
                  EARLY_HELP: "embedded"})
    finalise(autumn)
    _publish_new_edition(app)
    spring = carry.start_next_term(school, leader)
    assert spring.snapshot.version == "2026.1"
    answers = {a.item_id: a for a in db.session.scalars(db.select(CheckpointAnswer).where(
        CheckpointAnswer.self_evaluation_id == spring.id))}
    answers[ETHOS].rating = "embedded"     # reworded, and up
    answers[NEW_PLAN].rating = "established"  # carried from 19 (developing), now up
    db.session.commit()
    finalise(spring)
    return school, leader, spring


@time_machine.travel(DAY)
def test_board_pack_change_table_across_editions(two_terms):
    _school, _leader, spring = two_terms
    pages = pdf_pages(reports.board_pack_pdf(spring, DAY).data)
    summary = flat("\n".join(pages[:3]))
    table = summary[summary.index("Change since last term, by checkpoint"):
                    summary.index("Governing board comments")]
    assert "Wording changed; up from Developing" in table
    assert "Withdrawn in the new edition (was Developing); replaced by checkpoint 26" in table
    assert "Withdrawn in the new edition (was Embedded)" in table
    assert "New: replaces checkpoint 19 (was Developing); up" in table
    assert "Not rated last term" not in table
    assert "Our school has an additional action" in table  # the withdrawn one, by its title
    assert table.count("No change") == 22  # 1, 3, 4, 6-18, 20-25 kept Established or Developing
    assert table.index("18 ") < table.index("Withdrawn in the new edition (was Developing)") \
        < table.index("20 ")


@time_machine.travel(DAY)
def test_governor_home_lists_withdrawn_reworded_and_replacing_checkpoints(client, two_terms):
    school, _leader, _spring = two_terms
    login(client, UserFactory(school=school, role=Role.GOVERNOR))
    page = " ".join(client.get("/").get_data(as_text=True).split())
    assert "What changed since Autumn term 2026/27" in page
    assert "Wording changed; up from Developing" in page
    assert "Withdrawn in the new edition (was Embedded)" in page
    assert "New: replaces checkpoint 19 (was Developing); up" in page
    assert "5. Our school" in page and "19. Our school has an additional action" in page
    assert f"/checkpoints/{CONTACTS}" not in page  # unchanged: not listed


@time_machine.travel(DAY)
def test_term_on_term_page_says_what_each_new_edition_did(client, two_terms):
    _school, leader, _spring = two_terms
    login(client, leader)
    page = " ".join(client.get("/self-evaluation/compare").get_data(as_text=True).split())
    assert "Wording changed in edition 2026.1" in page
    assert "Withdrawn in edition 2026.1; replaced by checkpoint 26" in page
    assert "Withdrawn in edition 2026.1</span>" in page  # checkpoint 5, no replacement
    assert "New in edition 2026.1, replacing checkpoint 19" in page
    assert page.count("in edition 2026.1") == 4


def test_edition_notes_skip_terms_on_the_same_edition(editions):
    old, new = editions
    notes = rating_changes.edition_notes([old, old, new, new])
    assert notes == {ETHOS: ["Wording changed in edition 2026.1"],
                     EARLY_HELP: ["Withdrawn in edition 2026.1"],
                     PLAN: ["Withdrawn in edition 2026.1; replaced by checkpoint 26"],
                     NEW_PLAN: ["New in edition 2026.1, replacing checkpoint 19"]}
    assert rating_changes.edition_notes([old, old]) == {}
