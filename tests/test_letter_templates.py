"""The checklist engine reads and checks the letter templates: problems name file, line and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checklist_app.casework.enums import LetterStep
from checklist_app.checklist_engine.letter_templates import (
    load_letter_templates,
    parse_letter_template,
)
from checklist_app.checklist_engine.loader import DefinitionError

LETTERS = Path(__file__).resolve().parent.parent / "reports" / "letters"
GOOD = '---\nstep: "4"\nkey: contract-outcome\ntitle: Outcome\nrule: R14\n---\n\nDear {{ x }}\n'


def test_the_shipped_templates_load_in_step_order_with_enum_steps():
    templates = load_letter_templates(LETTERS, list(LetterStep))
    assert [t.step for t in templates] == [LetterStep.INVITE, LetterStep.SECOND_INVITE,
                                           LetterStep.OUTCOME, LetterStep.FAILED_TO_ATTEND,
                                           LetterStep.IMPROVED, LetterStep.REVIEW_INVITE,
                                           LetterStep.TERMINATION_WARNING,
                                           LetterStep.NOTICE_TO_IMPROVE, LetterStep.LEGAL_REFERRAL,
                                           LetterStep.CONTRACT_ENDED]
    assert all(isinstance(t.step, LetterStep) for t in templates)
    assert all(t.body.strip() and t.title for t in templates)


def test_a_good_template_parses_with_its_body():
    template = parse_letter_template(GOOD, "4-contract-outcome.md", list(LetterStep))
    assert (template.step, template.key, template.rule, template.needs_meeting) == \
        ("4", "contract-outcome", "R14", False)
    assert template.body == "Dear {{ x }}\n"


@pytest.mark.parametrize(("text", "line", "key", "words"), [
    ("Dear parent\n", 1, "", "front matter"),
    ('---\nstep: "4"\nkey: [oops\n---\nbody\n', 3, "key", "not valid YAML"),
    (GOOD.replace('step: "4"', 'step: "12"'), 2, "step", "unknown step '12'"),
    (GOOD.replace("key: contract-outcome", "key: Contract Outcome"), 3, "key", "expected form"),
    (GOOD.replace("title: Outcome\n", ""), 2, "title", "required"),
    (GOOD.replace("rule: R14", "rule: R14\nneeds_meting: true"), 6, "needs_meting", "unknown key"),
    (GOOD.replace("rule: R14", "rule: fourteen"), 5, "rule", "expected form"),
    (GOOD.replace("rule: R14", "rule: R14\nrule: R15"), 6, "rule", "duplicate key 'rule'"),
    (GOOD.replace("rule: R14", "rule: &r R14\nnotes_for_school: [*r]"), 5,
     "notes_for_school[0]", "aliases"),
])
def test_bad_templates_name_the_file_line_and_key(text, line, key, words):
    with pytest.raises(DefinitionError) as caught:
        parse_letter_template(text, "bad.md", list(LetterStep))
    problem = caught.value.problems[0]
    assert (problem.path, problem.line, problem.key) == ("bad.md", line, key)
    assert words in problem.message
    assert str(problem).startswith(f"bad.md, line {line}")


def test_a_folder_with_a_bad_file_or_a_duplicate_key_is_refused(tmp_path):
    shutil.copytree(LETTERS, tmp_path / "letters")
    folder = tmp_path / "letters"
    (folder / "6b-copy.md").write_text((folder / "6-attendance-improved.md").read_text())
    with pytest.raises(DefinitionError, match="duplicate letter key 'attendance-improved'"):
        load_letter_templates(folder, list(LetterStep))
    (folder / "6b-copy.md").write_text(GOOD.replace('step: "4"', "step: 4").replace(
        "contract-outcome", "another-outcome"))
    assert len(load_letter_templates(folder, list(LetterStep))) == 11  # step 4 as a number is fine


def test_the_registry_rereads_a_changed_template(app, tmp_path):
    from checklist_app.casework.letters import letter_templates

    shutil.copytree(LETTERS, tmp_path / "letters")
    app.config["REPORTS_DIR"] = str(tmp_path)
    with app.app_context():
        assert letter_templates()["contract-outcome"].title != "Changed"
        path = tmp_path / "letters" / "4-contract-outcome.md"
        text = path.read_text()
        path.write_text(text.replace(text.split("title: ")[1].split("\n")[0], "Changed", 1))
        assert letter_templates()["contract-outcome"].title == "Changed"
