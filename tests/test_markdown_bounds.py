"""Markdown at the longest text a form accepts (a letter body, 50,000 characters) built to make
Python-Markdown quadratic or recursive: it still renders, keeps the words, nests no deeper than a
PDF can lay out, and the letter's page and PDF answer 200. (Timings are in benchmarks/, not here.)"""

from __future__ import annotations

import html
import re
import threading
from datetime import date

import markdown
import nh3
import pytest

from checklist_app import markdown_bounds
from checklist_app.auth.models import Role
from checklist_app.casework import letter_operations
from checklist_app.extensions import db
from checklist_app.formatting import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitise_markdown
from tests.factories import SchoolFactory, UserFactory, login
from tests.reporting_factories import casework_story, pdf_text

LETTER_LIMIT = 50_000  # LetterForm body: Length(max=50_000), the longest text field


def fill(pattern: str, size: int = LETTER_LIMIT) -> str:
    """``pattern`` repeated to exactly ``size`` characters."""
    return (pattern * (size // len(pattern) + 1))[:size]


ADVERSARIAL = {
    "open brackets": fill("["),
    "image brackets": fill("!["),
    "unclosed links": fill("[a]("),
    "reference links": fill("[a]["),
    "nested brackets": "[" * 25_000 + "]" * 25_000,
    "star emphasis run": fill("*a"),
    "underscore run": fill("_a"),
    "strong run": fill("**a"),
    "mixed emphasis": fill("*_"),
    "deep quote on one line": fill(">"),
    "deep quote with spaces": fill("> "),
    "quotes deepening line by line": "\n".join(">" * i + " x" for i in range(1, 316)),
    "lists nested by indent": "\n".join("    " * i + "- x" for i in range(150))[:LETTER_LIMIT],
    "lists nested on one line": fill("1. "),
    "bullets nested on one line": fill("- "),
    "setext headings": fill("x\n=\n"),
    "rules": fill("- - -\n"),
    "autolinks": fill("<http://"),
    "inline html openers": fill("<a"),
    "backslashes": fill("\\"),
    "code spans": fill("`a"),
    "entities": fill("&amp;"),
    "list paragraphs": fill("- x\n\n"),
    "emphasis paragraphs": fill("*a* *b*\n\n"),
    # each "<" and "&" is a separate text node to html5lib, and each was a PDF fragment
    "less-than signs": fill("<"),
    "ampersands": fill("&"),
    "words and signs": fill("a < b & c "),
    "one-letter words": fill("a "),  # one paragraph of 25,000 words over many PDF pages
}


def depth(markup: str) -> int:
    """How deeply the HTML elements nest."""
    level = deepest = 0
    for tag in re.finditer(r"<(/?)(\w+)[^>]*?(/?)>", markup):
        if tag.group(2) in ("br", "hr") or tag.group(3):
            continue
        level += -1 if tag.group(1) else 1
        deepest = max(deepest, level)
    return deepest


def visible(markup: str) -> str:
    """The text a reader sees."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_text_renders_sensibly(name):
    text = ADVERSARIAL[name]
    out = sanitise_markdown(text)
    assert depth(out) <= 2 * markdown_bounds.MAX_DEPTH + 3
    shown = visible(out)
    for mark in "[]>*_`\\":
        if text.count(mark) > 1000 and mark not in "*_`>-":  # markup it keeps as markup may go
            assert shown.count(mark) == text.count(mark), mark
    if name in ("open brackets", "nested brackets", "backslashes", "deep quote on one line"):
        assert shown.strip() == text  # shown as plain text, every character kept


def test_ordinary_markdown_is_untouched():
    text = ("Dear Ms Ó Briain,\n\nWe **must** meet. See [our policy](https://example.org/p) "
            "and `the code`.\n\n- one\n- two\n    - nested\n\n> quoted\n>> twice\n\n1. first\n"
            "2. second\n\n### Heading")
    assert sanitise_markdown(text) == nh3.clean(
        markdown.markdown(text, extensions=["sane_lists"]), tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer")


def test_a_complex_block_between_ordinary_ones_keeps_its_place():
    out = sanitise_markdown("**before**\n\n" + "[" * 40 + "\n\n*after*")
    assert out.index("<strong>before</strong>") < out.index("[" * 40) < out.index("<em>after</em>")


def test_a_forged_placeholder_is_just_text():
    out = sanitise_markdown("mdplain0000000000000000x0x\n\n" + "[" * 40)
    assert "mdplain0000000000000000x0x" in out


def test_one_markdown_instance_per_thread_reset_between_uses():
    first = markdown_bounds._markdown()
    assert markdown_bounds._markdown() is first
    assert sanitise_markdown("[a]: http://x\n\n[a]") != sanitise_markdown("[a]")  # no carry-over
    assert "http://x" not in sanitise_markdown("[a]")
    seen = []
    thread = threading.Thread(target=lambda: seen.append(markdown_bounds._markdown()))
    thread.start()
    thread.join()
    assert seen[0] is not first


@pytest.fixture
def letter(app):
    school = SchoolFactory(name="Oakfield Primary School")
    lead = UserFactory(school=school, role=Role.ATTENDANCE_LEAD, name="Łukasz Nowak")
    db.session.commit()
    story = casework_story(school, lead)
    mum = story["case"].pupil.parents[0]
    found = letter_operations.draft_letter(story["case"], "contract-outcome", mum, None,
                                           date.today())
    db.session.commit()
    return found, lead


# xhtml2pdf spills a long document to a temporary file it leaves to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("name", ["open brackets", "star emphasis run", "deep quote on one line",
                                  "quotes deepening line by line", "lists nested by indent",
                                  "lists nested on one line"])
def test_letter_page_and_pdf_answer_with_adversarial_body(client, letter, name):
    found, lead = letter
    found.body_markdown = ADVERSARIAL[name]
    db.session.commit()
    login(client, lead)
    page = client.get(f"/cases/{found.case_id}/letters/{found.id}")
    assert page.status_code == 200
    response = client.get(f"/reports/cases/{found.case_id}/letters/{found.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    if name != "open brackets":  # one unbreakable word is drawn off the line
        assert "x" in pdf_text(response.data) or "a" in pdf_text(response.data)


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_paragraphs_and_items_are_bounded_whatever_the_text(name):
    out = sanitise_markdown(ADVERSARIAL[name])
    blocks = len(re.findall(r"<(?:p|li|h[1-6]|blockquote|pre)\b", out))
    # a loose list item is an <li> and a <p>
    assert blocks <= 2 * markdown_bounds.MAX_LINES + LETTER_LIMIT // markdown_bounds.PLAIN_PARAGRAPH + 2


def test_plain_text_beyond_the_budget_keeps_every_word_in_order():
    words = [f"word{n:05d}" for n in range(4000)]
    out = sanitise_markdown("\n\n".join(words))
    assert re.findall(r"word\d{5}", out) == words
    assert out.count("<p>") < 300
