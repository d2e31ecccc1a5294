"""The checklist engine: malformed files, registry, pinning, diff, forms and the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from checklist_app.checklist_engine import pinning
from checklist_app.checklist_engine.diff import ChangeKind, diff, needs_review
from checklist_app.checklist_engine.forms import (
    answers_from_form,
    build_form_class,
    field_name,
    form_data_from_answers,
)
from checklist_app.checklist_engine.loader import DefinitionError, parse_definition
from checklist_app.checklist_engine.registry import Registry, registry
from checklist_app.extensions import db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "definitions"
GOOD = (FIXTURES / "demo-checklist" / "1.0.yaml").read_text()
PATH = Path("checklists/demo-checklist/1.0.yaml")


def _broken(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


# (name, file text, expected line, expected key, expected words in the message)
MALFORMED = [
    ("not yaml", "key: [unclosed\n", 2, "key", "not valid YAML"),
    ("not a mapping", "- just\n- a list\n", 1, "", "must be a mapping"),
    ("duplicate item id", _broken("id: bravo", "id: alpha"), 24, "sections[0].items[1].id",
     "duplicate item id 'alpha'"),
    ("unknown response type", _broken("response: {type: self-evaluation}\n      - id: bravo",
                                      "response: {type: essay}\n      - id: bravo"),
     23, "sections[0].items[0].response.type", "got 'essay'"),
    ("missing text", _broken("        text: Bravo checkpoint text.\n", ""), 24,
     "sections[0].items[1].text", "required"),
    ("empty text", _broken("text: Bravo checkpoint text.", 'text: "  "'), 26,
     "sections[0].items[1].text", "at least 1 character"),
    ("bad version", _broken('version: "1.0"', 'version: "one"'), 2, "version",
     "not in the expected form"),
    ("version not the file name", _broken('version: "1.0"', 'version: "1.5"'), 2, "version",
     "does not match the file name"),
    ("key not the folder", _broken("key: demo-checklist", "key: other-checklist"), 1, "key",
     "does not match the folder"),
    ("unknown replaced_by", _broken("        response: {type: self-evaluation}\n      - id: echo",
                                    "        response: {type: self-evaluation}\n"
                                    "        withdrawn: true\n        replaced_by: zulu\n"
                                    "      - id: echo"), 37, "sections[0].items[3].replaced_by",
     "unknown item 'zulu'"),
    ("replaced_by on a live item", _broken("        text: Echo checkpoint text.\n",
                                           "        text: Echo checkpoint text.\n"
                                           "        replaced_by: alpha\n"), 39,
     "sections[0].items[4].replaced_by", "only for withdrawn items"),
    ("misspelt key", _broken("publisher:", "publsher:"), 5, "publsher", "unknown key"),
    ("bad status", _broken("status: published", "status: final"), 8, "status", "draft"),
    ("bad date", _broken("edition_date: 2024-09-01", "edition_date: next autumn"), 7,
     "edition_date", "date"),
    ("no rating scale", _broken("rating_scale:\n  - {value: low, label: Low}\n"
                                "  - {value: high, label: High}\n", ""), 1, "rating_scale",
     "need a rating_scale"),
    ("choice without options", _broken("response: {type: self-evaluation}\n      - id: bravo",
                                       "response: {type: choice}\n      - id: bravo"), 23,
     "sections[0].items[0].response", "at least two options"),
    ("duplicate section id", GOOD + "  - id: main\n    title: Again\n    items:\n"
     "      - {id: zulu, number: '9', text: Z, response: {type: self-evaluation}}\n", 40,
     "sections[1].id", "duplicate section id"),
    ("bad item id", _broken("id: charlie", "id: Charlie Checkpoint"), 28, "sections[0].items[2].id",
     "not in the expected form"),
    ("section without items", GOOD + "  - id: empty\n    title: Empty\n    items: []\n", 42,
     "sections[1].items", "at least 1 item"),
]


@pytest.mark.parametrize("name,text,line,key,message", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_definitions_name_file_line_and_key(name, text, line, key, message):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, PATH)
    problems = caught.value.problems
    assert any(p.line == line and p.key == key and message in p.message for p in problems), \
        [str(p) for p in problems]
    assert str(PATH) in str(caught.value)


def test_registry_refuses_a_bad_file_and_keeps_the_others(tmp_path):
    shutil.copytree(FIXTURES / "demo-checklist", tmp_path / "demo-checklist")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "1.0.yaml").write_text("key: broken\nversion: [\n")
    reg = Registry.scan(tmp_path)
    assert [d.version for d in reg.versions("demo-checklist")] == ["1.0", "1.1"]
    assert reg.newest_published("demo-checklist").version == "1.1"
    assert len(reg.problems) == 1 and "broken/1.0.yaml" in str(reg.problems[0])


def test_versions_are_ordered_numerically(tmp_path):
    folder = tmp_path / "demo-checklist"
    folder.mkdir()
    for version in ("1.9", "1.10", "1.2"):
        (folder / f"{version}.yaml").write_text(GOOD.replace('"1.0"', f'"{version}"'))
    reg = Registry.scan(tmp_path)
    assert [d.version for d in reg.versions("demo-checklist")] == ["1.2", "1.9", "1.10"]


def test_diff_reports_every_kind_of_change():
    reg = Registry.scan(FIXTURES)
    changes = diff(reg.get("demo-checklist", "1.0"), reg.get("demo-checklist", "1.1"))
    found = {(c.item_id, c.kind) for c in changes}
    assert found == {
        ("alpha", ChangeKind.CHANGED), ("bravo", ChangeKind.CHANGED),
        ("charlie", ChangeKind.WITHDRAWN), ("delta", ChangeKind.REPLACED),
        ("foxtrot", ChangeKind.ADDED), ("echo", ChangeKind.MOVED)}
    by_id = {c.item_id: c for c in changes}
    assert by_id["alpha"].detail == "text"
    assert by_id["bravo"].detail == "guidance"
    assert by_id["delta"].detail == "replaced by foxtrot"
    assert needs_review(changes) == {"alpha", "bravo"}


@pytest.fixture
def fixture_app(app, tmp_path):
    root = tmp_path / "defs"
    shutil.copytree(FIXTURES, root, ignore=shutil.ignore_patterns("*.md"))
    app.config["CHECKLISTS_DIR"] = str(root)
    return app


def test_pinning_stores_the_first_use_and_survives_removal(fixture_app):
    root = Path(fixture_app.config["CHECKLISTS_DIR"]) / "demo-checklist"
    definition = registry().get("demo-checklist", "1.0")
    snapshot = pinning.pin(definition)
    db.session.commit()
    assert pinning.pin(definition).id == snapshot.id  # pinned once
    (root / "1.0.yaml").unlink()
    assert registry().get("demo-checklist", "1.0") is None
    restored = pinning.definition_of(snapshot)
    assert restored == definition
    assert [d.problem for d in pinning.drift(registry())] == [
        "the file has been removed; records keep the pinned copy"]


def test_a_published_file_changed_after_use_is_reported(fixture_app):
    root = Path(fixture_app.config["CHECKLISTS_DIR"]) / "demo-checklist"
    snapshot = pinning.pin(registry().get("demo-checklist", "1.0"))
    db.session.commit()
    path = root / "1.0.yaml"
    path.write_text(path.read_text().replace("Bravo checkpoint text.", "Bravo, silently edited."))
    changed = registry().get("demo-checklist", "1.0")
    with pytest.raises(pinning.ChangedInPlace, match="publish the change as a new version"):
        pinning.pin(changed)
    assert "new version" in pinning.drift(registry())[0].problem
    assert pinning.definition_of(snapshot).item("bravo").text == "Bravo checkpoint text."


def test_comment_only_edits_do_not_count_as_changes(fixture_app):
    path = Path(fixture_app.config["CHECKLISTS_DIR"]) / "demo-checklist" / "1.0.yaml"
    pinning.pin(registry().get("demo-checklist", "1.0"))
    path.write_text("# a comment added later\n" + path.read_text())
    assert pinning.drift(registry()) == []


def test_form_class_is_built_per_request_and_round_trips(fixture_app):
    definition = registry().get("demo-checklist", "1.0")
    items = definition.items()[:2]
    with fixture_app.test_request_context(method="POST", data=MultiDict({
            field_name("alpha", "rating"): "high", field_name("alpha", "where_now"): "We are here.",
            field_name("bravo", "rating"): "nonsense"})):
        first, second = build_form_class(definition, items), build_form_class(definition, items)
        assert first is not second
        form = first()
        assert not form.validate()
        assert list(form.errors) == [field_name("bravo", "rating")]
        answers = answers_from_form(form, definition, items)
        assert answers["alpha"] == {"rating": "high", "where_now": "We are here."}
    assert form_data_from_answers(answers, definition, items)[field_name("alpha", "where_now")] \
        == "We are here."


def test_local_checkpoints_follow_the_official_ones(fixture_app):
    from checklist_app.checklist_engine.models import LocalCheckpoint
    from tests.factories import SchoolFactory

    school = SchoolFactory()
    db.session.add(LocalCheckpoint(school_id=school.id, definition_key="demo-checklist",
                                   section_id="main", item_id="local-1", number="L1",
                                   text="Our own checkpoint on breakfast club."))
    db.session.commit()
    merged = pinning.with_local_items(registry().get("demo-checklist", "1.0"), school.id)
    assert [i.id for i in merged.items()][-1] == "local-1"
    assert merged.items()[-1].local is True
    other = pinning.with_local_items(registry().get("demo-checklist", "1.0"), school.id + 1)
    assert "local-1" not in [i.id for i in other.items()]


def test_cli_validate_and_diff(fixture_app, tmp_path):
    runner = fixture_app.test_cli_runner()
    result = runner.invoke(args=["checklists", "validate"])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad" / "bad-one"
    bad.mkdir(parents=True)
    (bad / "1.0.yaml").write_text(_broken("id: bravo", "id: alpha").replace("demo-checklist",
                                                                         "bad-one"))
    result = runner.invoke(args=["checklists", "validate", str(bad / "1.0.yaml")])
    assert result.exit_code == 1
    assert "line 24" in result.output and "duplicate item id 'alpha'" in result.output
    result = runner.invoke(args=["checklists", "diff", "demo-checklist", "1.0", "1.1"])
    assert result.exit_code == 0
    assert "replaced" in result.output and "foxtrot" in result.output
    result = runner.invoke(args=["checklists", "list"])
    assert "demo-checklist  1.1  published" in result.output


def test_one_macro_renders_every_field_of_an_item(fixture_app):
    """The engine's item_fields macro renders the fields the engine built, by the engine's names."""
    from flask import render_template_string

    from checklist_app.checklist_engine.forms import item_fields

    definition = registry().get("demo-checklist", "1.0")
    item = definition.items()[0]
    with fixture_app.test_request_context():
        form = build_form_class(definition, [item])()
        parts = [part for part, _f in item_fields(form, definition, item)]
        assert parts == ["rating", *(p.id for p in definition.evidence_prompts)]
        html = render_template_string(
            '{% from "checklist_engine/item.html" import item_fields %}'
            "{{ item_fields(form, definition, item) }}", form=form, definition=definition, item=item)
    for part in parts:
        assert f'name="{field_name(item.id, part)}"' in html
    assert "Not rated yet" in html and html.count("govuk-radios__hint") == len(definition.rating_scale)
