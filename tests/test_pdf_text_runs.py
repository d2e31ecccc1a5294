"""A letter body at the longest a form accepts, built to be slow to lay out as a PDF: what
xhtml2pdf builds from it stays small (a few fragments per paragraph, no paragraph longer than a
page), which is what keeps the render linear, and every word typed is still in the PDF.

(The times are in benchmarks/markdown_worst.py and BENCHMARKS.md, not here.)
"""

from __future__ import annotations

import html
import re

import html5lib
import pytest
from html5lib import treebuilders
from xhtml2pdf.document import pisaStory

from checklist_app.reporting import pdf, text_runs
from tests.reporting_factories import pdf_text
from tests.test_markdown_bounds import ADVERSARIAL, LETTER_LIMIT, fill

LAYOUT = "<html><body><div class='letter-body'>{}</div></body></html>"
#: A paragraph or list item per line of markdown allowed (MAX_LINES), a paragraph per cut of a
#: long run, and a few fragments each: far below the 50,000 a body of "<" used to make.
MAX_FRAGMENTS = 4 * (200 + LETTER_LIMIT // text_runs.MAX_RUN + 2)


def story(markup: str) -> list:
    """The flowables xhtml2pdf builds for ``markup``, set up as html_to_pdf sets it up."""
    context = pisaStory(markup, path=str(pdf.ASSETS_DIR / "report.html"),
                        link_callback=pdf.link_callback, resource_policy=pdf.resource_policy(),
                        encoding="utf-8")
    return context.story


def visible(markup: str) -> str:
    """The text a reader sees."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_pdf_fragments_and_paragraphs_are_bounded_whatever_the_text(app, name):
    flowables = story(LAYOUT.format(text_runs.markdown_html(ADVERSARIAL[name])))
    paragraphs = [flowable for flowable in flowables if hasattr(flowable, "frags")]
    assert sum(len(paragraph.frags) for paragraph in paragraphs) <= MAX_FRAGMENTS
    for paragraph in paragraphs:
        text = "".join(str(getattr(frag, "text", "") or "") for frag in paragraph.frags).strip()
        # ReportLab breaks the rest of a paragraph again on every page it runs onto
        assert len(text) <= text_runs.MAX_RUN or len(text.split()) == 1, text[:40]


def test_html5lib_gives_xhtml2pdf_one_text_node_per_run(app):
    pdf.resource_policy()  # installs the merge, as the first export does
    parser = html5lib.HTMLParser(tree=treebuilders.getTreeBuilder("dom"))
    document = parser.parse("<p>a &lt; b &amp; c <em>d&lt;</em>&lt;&lt; e</p>")
    paragraph = document.getElementsByTagName("p")[0]
    assert [node.nodeType for node in paragraph.childNodes] == [3, 1, 3]
    assert paragraph.childNodes[0].data == "a < b & c "
    assert paragraph.childNodes[2].data == "<< e"
    assert paragraph.childNodes[2].previousSibling is paragraph.childNodes[1]
    assert paragraph.childNodes[1].firstChild.data == "d<"


def test_cutting_long_runs_keeps_every_character_and_closes_what_it_opens():
    markup = ("<p>" + "x " * 30 + "<em>" + "y " * 30 + "<a href='#'>z z</a></em></p>"
              "<ul><li>" + "w " * 40 + "</li></ul><pre>" + "p " * 40 + "</pre>")
    cut = text_runs.split_long_runs(markup, limit=20)
    assert visible(cut) == visible(markup)
    assert cut.count("<p") > 3 and cut.count("<em>") == cut.count("</em>") > 1
    assert cut.count("<div></div>") >= 3 and "<pre>" + "p " * 40 + "</pre>" in cut
    assert text_runs.split_long_runs("<p>" + "q" * 50 + "</p>", limit=20) == "<p>" + "q" * 50 + "</p>"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_every_word_and_sign_typed_is_in_the_pdf(app):
    words = [f"w{n:05d}" for n in range(LETTER_LIMIT // 10)]
    body = "".join(f"{word} {'<' if n % 2 else '&'} " for n, word in enumerate(words)).strip()
    text = pdf_text(pdf.html_to_pdf(LAYOUT.format(text_runs.markdown_html(body))))
    assert re.findall(r"w\d{5}", text) == words
    assert text.count("<") == body.count("<") and text.count("&") == body.count("&")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_long_typed_paragraph_keeps_every_word_in_order_in_the_pdf(app):
    words = [f"v{n:05d}" for n in range(LETTER_LIMIT // 8)]
    markdown = "**Dear parent**, " + " ".join(words[:100]) + " *" + " ".join(words[100:]) + "*"
    text = pdf_text(pdf.html_to_pdf(LAYOUT.format(text_runs.markdown_html(fill(markdown,
                                                                               len(markdown))))))
    assert re.findall(r"v\d{5}", text) == words
