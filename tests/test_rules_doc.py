"""Every rule number cited in the code and the tests is defined in docs/RULES.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "docs" / "RULES.md"
CITATION = re.compile(r"\bR(\d{1,3})\b")
SUFFIXES = {".py", ".html", ".md", ".yaml", ".txt", ".toml"}


def _defined() -> set[int]:
    text = RULES.read_text(encoding="utf-8")
    headings = {int(n) for n in re.findall(r"^### R(\d+)\. ", text, re.M)}
    anchors = {int(n) for n in re.findall(r'^<a id="r(\d+)"></a>$', text, re.M)}
    assert headings == anchors, "each rule needs both its heading and its anchor"
    return headings


def _cited() -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for folder in ("checklist_app", "tests"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            for number in CITATION.findall(path.read_text(encoding="utf-8", errors="ignore")):
                found.setdefault(int(number), []).append(str(path.relative_to(ROOT)))
    return found


def test_rules_are_numbered_one_to_thirty_five_once_each():
    text = RULES.read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r"^### R(\d+)\. ", text, re.M)]
    assert numbers == list(range(1, 36))


def test_every_cited_rule_is_defined():
    defined = _defined()
    cited = _cited()
    assert cited, "the code cites rules, so the scan must find some"
    missing = {f"R{n}": sorted(set(paths))[:3] for n, paths in cited.items() if n not in defined}
    assert missing == {}
