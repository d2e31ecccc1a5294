"""Letter templates: markdown files with YAML front matter, validated like definitions.

A letter template (``reports/letters/<step>-<key>.md``) starts with front matter between ``---``
lines, then the letter body in markdown with Jinja merge fields. The front matter is validated with
pydantic; every problem names the file, the line and the key, as definition problems do
(:class:`~checklist_app.checklist_engine.loader.DefinitionError`). Features ask
:func:`load_letter_templates` (or the cached ``registry.letter_templates``) and never parse YAML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import StringConstraints, ValidationError

from checklist_app.checklist_engine.loader import (
    DefinitionError,
    Problem,
    friendly_message,
    is_echo,
    loc_without_unions,
    problem_at,
)
from checklist_app.checklist_engine.schema import Slug, Strict, Text

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
StepCode = Annotated[str, StringConstraints(pattern=r"^\d+[a-z]?$", max_length=4)]
RuleCode = Annotated[str, StringConstraints(pattern=r"^(R\d+)?$")]


class LetterTemplate(Strict):
    """One letter of the process: its front matter and markdown body."""

    step: StepCode
    key: Slug
    title: Text
    rule: RuleCode = ""
    needs_meeting: bool = False
    notes_for_school: tuple[Text, ...] = ()
    body: str = ""


def parse_letter_template(text: str, display: str,
                          steps: Sequence[str] | None = None) -> LetterTemplate:
    """A template from its file text; raise :class:`DefinitionError` naming file, line and key.

    ``steps``, when given, are the step codes the process knows: any other step is refused.
    """
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise DefinitionError([Problem(display, 1, "", "the file must start with front matter "
                                       "between --- lines")])
    front = "\n" + match.group(1)  # the leading newline keeps the file's line numbers
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)
        data = yaml.safe_load(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DefinitionError([Problem(display, mark.line + 1 if mark else None, "",
                                       f"not valid YAML: {getattr(error, 'problem', None) or error}")
                               ]) from None
    if not isinstance(data, dict):
        raise DefinitionError([Problem(display, 2, "", "the front matter must be a mapping of keys")])
    if "body" in data:
        raise DefinitionError([problem_at(display, root, ("body",), "unknown key (the body is the "
                                          "markdown after the front matter)")])
    if isinstance(data.get("step"), int | float):
        data["step"] = str(data["step"])
    problems: list[Problem] = []
    codes = [str(x) for x in steps] if steps is not None else None
    if codes is not None and data.get("step") is not None and str(data["step"]) not in codes:
        problems.append(problem_at(display, root, ("step",), f"unknown step {data['step']!r} "
                                   f"(one of {', '.join(codes)})"))
    try:
        template = LetterTemplate.model_validate({**data, "body": match.group(2).strip() + "\n"})
    except ValidationError as error:
        errors = [(loc_without_unions(e["loc"]), e) for e in error.errors()]
        problems += [problem_at(display, root, loc, _message(e)) for loc, e in errors
                     if not is_echo(loc, e, errors)]
        template = None
    if problems:
        raise DefinitionError(sorted(problems, key=lambda p: (p.line or 0, p.key)))
    return template


def _message(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (check the spelling against reports/letters/README.md)"
    return friendly_message(error)


def load_letter_templates(folder: Path, steps: Sequence[str] | None = None) -> list[LetterTemplate]:
    """Every template of ``folder`` (``*.md`` but its README), in the order of ``steps`` if given.

    Raises :class:`DefinitionError` with the problems of every bad file, or of two files that
    share a key.
    """
    problems: list[Problem] = []
    found: list[LetterTemplate] = []
    for path in letter_template_paths(folder):
        try:
            found.append(parse_letter_template(path.read_text(encoding="utf-8"), path.name, steps))
        except DefinitionError as error:
            problems += error.problems
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path.name, None, "", f"cannot be read: {error}"))
    keys = [t.key for t in found]
    problems += [Problem(folder.name, None, "key", f"duplicate letter key '{key}'")
                 for key in sorted({k for k in keys if keys.count(k) > 1})]
    if problems:
        raise DefinitionError(problems)
    if steps is not None:  # each template's step becomes the caller's own value (an enum member)
        by_code = {str(step): (i, step) for i, step in enumerate(steps)}
        found = [t.model_copy(update={"step": by_code[t.step][1]})
                 for t in sorted(found, key=lambda t: by_code[t.step][0])]
    return found


def letter_template_paths(folder: Path) -> list[Path]:
    """The template files of a folder, by name."""
    return sorted(p for p in folder.glob("*.md") if p.name != "README.md")
