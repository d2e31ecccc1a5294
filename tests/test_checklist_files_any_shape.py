"""A definition file of any shape gets a message naming file, line and key, never a traceback; one
bad file in the live folder is listed on /checklists/ and by ``checklists list``, the rest work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist_app.auth.models import Role
from checklist_app.checklist_engine.loader import (
    DefinitionError,
    load_definition_file,
    parse_definition,
)
from checklist_app.checklist_engine.registry import Registry
from tests.factories import SchoolFactory, UserFactory, login
from tests.test_checklist_engine import FIXTURES, GOOD, PATH


def _broken(old: str, new: str) -> str:
    """The good fixture with one change."""
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)

# (name, file text or bytes, line, key, words in the message)
ODD = [
    ("impossible date", _broken("edition_date: 2024-09-01", "edition_date: 2023-02-31"), 7,
     "edition_date", "'2023-02-31' is not a real date"),
    ("sections a number", GOOD.split("sections:")[0] + "sections: 5\n", 14, "sections",
     "should be a list (one entry per line starting with '-'), not 5"),
    ("sections a list of words", GOOD.split("sections:")[0] + "sections: [a, b]\n", 14,
     "sections[0]", "should be a mapping of keys, not 'a'"),
    ("items a mapping", GOOD.split("    items:")[0] + "    items: {a: 1}\n", 17,
     "sections[0].items", "should be a list"),
    ("response a word", _broken("response: {type: self-evaluation}\n      - id: bravo",
                                "response: essay\n      - id: bravo"), 23,
     "sections[0].items[0].response", "should be a mapping of keys, not 'essay'"),
    ("list at top level", "- key: demo-checklist\n- version: 1.0\n", 1, "", "must be a mapping"),
    ("empty file", "", 1, "", "must be a mapping"),
    ("a tab", _broken("  - id: main", "\t- id: main"), 15, "id", "not tabs"),
    ("duplicate key", _broken("status: published", "status: published\nstatus: draft"), 9,
     "status", "duplicate key 'status' (first on line 8)"),
    ("list as a key", _broken("publisher:", "[a, b]:"), 5, "[a, b]", "plain word"),
    ("alias", _broken("status: published", "status: &s published\nsummary: *s"), 9, "summary",
     "aliases"),
    ("control character", _broken("Demo checklist", "Demo \x07checklist"), 3, "title",
     "not allowed"),
    ("nested too deeply", GOOD + "deep: " + "[" * 5000 + "]" * 5000 + "\n", None, "",
     "nested too deeply"),
    ("id a number", _broken("id: bravo", "id: 7"), 24, "sections[0].items[1].id", "string"),
]


@pytest.mark.parametrize("name,text,line,key,message", ODD, ids=[o[0] for o in ODD])
def test_odd_files_name_file_line_and_key(name, text, line, key, message):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, PATH)
    problems = caught.value.problems
    assert any(p.line == line and p.key == key and message in p.message for p in problems), \
        [str(p) for p in problems]
    assert str(PATH) in str(caught.value)


def test_non_utf8_bytes_name_the_line(tmp_path):
    folder = tmp_path / "demo-checklist"
    folder.mkdir()
    (folder / "1.0.yaml").write_bytes(_broken("Demo checklist", "Demo ZZ").encode()
                                      .replace(b"ZZ", b"\xff\xfe"))
    with pytest.raises(DefinitionError) as caught:
        load_definition_file(folder / "1.0.yaml", tmp_path)
    [problem] = caught.value.problems
    assert (problem.line, problem.key) == (3, "title") and "not UTF-8" in problem.message
    assert problem.path == f"{tmp_path.name}/demo-checklist/1.0.yaml"


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=8), st.dates().map(str))
SHAPES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["key", "version", "title", "sections", "items", "id",
                                     "number", "text", "response", "type", "options",
                                     "withdrawn", "replaced_by", "edition_date", "status"]),
                    inner, max_size=5)), max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=SHAPES, replace=st.sampled_from(["sections", "status", "key", "edition_date",
                                              "title", None]))
def test_any_yaml_shape_gives_problems_not_tracebacks(shape, replace):
    data = yaml.safe_load(GOOD)
    if replace:
        data[replace] = shape
        text = yaml.safe_dump(data, allow_unicode=True)
    else:
        text = yaml.safe_dump(shape, allow_unicode=True)
    try:
        parse_definition(text, PATH)
    except DefinitionError as error:
        assert error.problems and all(str(PATH) in str(p) for p in error.problems)


@settings(max_examples=150, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(GOOD)), junk=st.text(max_size=6))
def test_any_edit_of_the_text_gives_problems_not_tracebacks(cut, junk):
    try:
        parse_definition(GOOD[:cut] + junk + GOOD[cut:], PATH)
    except DefinitionError as error:
        assert error.problems


def _live_folder(tmp_path: Path) -> Path:
    root = tmp_path / "defs"
    shutil.copytree(FIXTURES, root, ignore=shutil.ignore_patterns("*.md"))
    (root / "broken").mkdir()
    (root / "broken" / "1.0.yaml").write_text(
        "key: broken\nversion: '1.0'\nedition_date: 2023-02-31\nsections: 5\n")
    return root


def test_one_bad_file_in_the_live_folder_is_reported_and_the_rest_work(app, client, tmp_path):
    app.config["CHECKLISTS_DIR"] = str(_live_folder(tmp_path))
    registry = Registry.scan(Path(app.config["CHECKLISTS_DIR"]))
    assert registry.newest_published("demo-checklist").version == "1.1"
    result = app.test_cli_runner().invoke(args=["checklists", "list"])
    assert result.exit_code == 0 and "demo-checklist  1.1" in result.output
    assert "REFUSED defs/broken/1.0.yaml, line 3, key edition_date: not valid YAML: " \
        "'2023-02-31' is not a real date" in result.output
    result = app.test_cli_runner().invoke(args=["checklists", "validate"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    user = UserFactory(school=SchoolFactory(name="Oakfield"), role=Role.ADMIN)
    login(client, user)
    page = client.get("/checklists/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "defs/broken/1.0.yaml, line 3, key edition_date" in text
    assert client.get("/checklists/demo-checklist/1.1").status_code == 200
