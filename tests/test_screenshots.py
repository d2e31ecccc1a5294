"""The committed screenshots (artifacts/screenshots/) match the browser journeys: every picture a
journey takes is there and listed in the folder's README.md, and no picture is left over from a
journey that no longer takes it. The browser journeys make them again (tests/browser)."""

from __future__ import annotations

import re

from tests.browser.support import ROOT, SCREENSHOTS

# Screenshot names in the journeys are numbered: "07-sign-off" (failure pictures go elsewhere).
NAME = re.compile(r'"(\d\d-[a-z0-9-]+)"')


def _taken() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests" / "browser").glob("test_*.py"):
        names |= set(NAME.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_screenshot_is_committed_listed_and_still_taken():
    taken = _taken()
    assert len(taken) >= 40, f"Only {len(taken)} screenshot names found in tests/browser"
    committed = {p.stem for p in SCREENSHOTS.glob("*.png")}
    listed = set(re.findall(r"`(\d\d-[a-z0-9-]+)\.png`",
                            (SCREENSHOTS / "README.md").read_text(encoding="utf-8")))
    assert not taken - committed, (f"Not in artifacts/screenshots (run the browser tests): "
                                   f"{sorted(taken - committed)}")
    assert not committed - taken, (f"No journey takes these any more (delete them): "
                                   f"{sorted(committed - taken)}")
    assert listed == taken, (f"artifacts/screenshots/README.md lists {sorted(listed - taken)} "
                             f"but not {sorted(taken - listed)}")
