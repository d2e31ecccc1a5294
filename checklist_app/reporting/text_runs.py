"""One Text node for each run of text in the HTML that xhtml2pdf lays out, so a PDF costs time in
proportion to the elements of a document, not to the ``&`` and ``<`` a person typed.

html5lib's DOM tree builder (the one xhtml2pdf parses with) makes a separate Text node of every
character reference and of every ``<`` or ``&`` in text, where the HTML standard appends each
character to the Text node before it ("insert a character"). xhtml2pdf then builds a paragraph
fragment, with its style copied, for every node and ReportLab breaks and draws each one: a letter
body of 25,000 ``<`` made 50,000 fragments and took seconds to print.

:func:`install` makes the builder hand back the standard tree, every run of adjacent Text nodes
merged into one in a single linear pass, every character kept in order.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from xml.dom import Node

from markupsafe import Markup

from checklist_app import formatting

_lock = threading.Lock()


def merge_text_runs(root: Any) -> int:
    """Merge each run of adjacent Text nodes under ``root`` into its first node (a DOM tree).

    Returns how many nodes were merged away. Linear in the size of the tree: each node's
    children are rebuilt once, the run's text joined once.
    """
    merged = 0
    stack = [root]
    while stack:
        node = stack.pop()
        children = list(node.childNodes)
        kept: list[Any] = []
        run: list[Any] = []
        for child in [*children, None]:
            if child is not None and child.nodeType == Node.TEXT_NODE:
                run.append(child)
                continue
            if len(run) > 1:
                run[0].data = "".join(text.data for text in run)
                for text in run[1:]:
                    text.parentNode = text.previousSibling = text.nextSibling = None
                merged += len(run) - 1
            if run:
                kept.append(run[0])
            run = []
            if child is not None:
                kept.append(child)
                if child.childNodes:
                    stack.append(child)
        if len(kept) != len(children):
            node.childNodes[:] = kept
            for before, after in zip([None, *kept], [*kept, None], strict=True):
                if before is not None:
                    before.nextSibling = after
                if after is not None:
                    after.previousSibling = before
    return merged


def install() -> None:
    """Make the html5lib DOM builder that xhtml2pdf uses merge text runs (once per process)."""
    from xml.dom import minidom

    from html5lib.treebuilders import dom

    builder = dom.getDomModule(minidom).TreeBuilder
    with _lock:
        if getattr(builder, "merges_text_runs", False):
            return
        parsed = builder.getDocument

        def get_document(self: Any) -> Any:
            """The parsed document, each run of text one Text node."""
            document = parsed(self)
            merge_text_runs(document)
            return document

        builder.getDocument = get_document
        builder.merges_text_runs = True


#: The most text (in characters of HTML source) one PDF paragraph holds before it is continued in
#: the next: ReportLab re-breaks the rest of a paragraph at every page it crosses, so one paragraph
#: of many pages costs pages x words. 2,000 characters is well under a page.
MAX_RUN = 2_000
CONTINUED = '<p style="margin-top: 0">'
_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
_VOID = frozenset({"br", "hr", "img", "wbr"})
_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol",
                     "pre", "div", "table", "tr", "td", "th"})


_GLUED = {"<p>": '<p style="margin-bottom: 0">',
          CONTINUED: '<p style="margin-top: 0; margin-bottom: 0">'}


def _space(text: str, before: int) -> int:
    """Where the last space (or line break) of ``text`` at or before ``before`` is, else -1."""
    return max(text.rfind(" ", 0, before + 1), text.rfind("\n", 0, before + 1))


def split_long_runs(markup: str, limit: int = MAX_RUN) -> str:
    """Sanitised HTML with every run of more than ``limit`` characters of text cut at a space
    into pieces ReportLab lays out page by page; every character kept, in order.

    In a ``<p>`` the paragraph is continued in a new ``<p>`` (no margin between the two); in any
    other block (a list item, a heading, a quote) an empty ``<div>`` ends the run. Inline elements
    open at the cut (emphasis, a link) are closed before it and opened again after it. A word
    longer than ``limit`` is not cut (it is one piece already). ``<pre>`` is left alone.
    """
    out: list[str] = []
    stack: list[tuple[str, str, int]] = []  # (name, opening tag, its index in out)
    run = 0
    for token in _TOKEN.findall(markup):
        if token.startswith("<"):
            found = _NAME.match(token)
            name = found.group(1).lower() if found else ""
            if name in _BLOCKS:
                run = 0
            if token.startswith("</"):
                while stack and stack[-1][0] != name:
                    stack.pop()
                if stack:
                    stack.pop()
            elif found and name not in _VOID and not token.endswith("/>"):
                stack.append((name, token, len(out)))
            out.append(token)
            continue
        if any(name == "pre" for name, _tag, _at in stack):
            out.append(token)
            continue
        while run + len(token) > limit:
            cut = _space(token, max(limit - run, 0))
            if cut <= 0:
                found = re.compile(r"[ \n]").search(token, max(limit - run, 1))
                cut = found.start() if found else -1
            if cut <= 0:
                break
            out.append(token[:cut + 1])
            token = token[cut + 1:]
            out.extend(_cut(stack, out))
            run = 0
        run += len(token)
        out.append(token)
    return "".join(out)


def _cut(stack: list[tuple[str, str, int]], out: list[str]) -> list[str]:
    """The markup that ends the current run of text and starts the next, inside ``stack``."""
    block = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] in _BLOCKS), None)
    inline = stack[block + 1:] if block is not None else stack
    closing = [f"</{name}>" for name, _tag, _at in reversed(inline)]
    opening = [tag for _name, tag, _at in inline]
    if block is not None and stack[block][0] == "p":
        name, _tag, at = stack[block]
        out[at] = _GLUED.get(out[at], out[at])
        following = CONTINUED
        stack[block] = (name, following, len(out) + len(closing) + 1)
        for offset, (inner_name, inner_tag, _at) in enumerate(inline):
            stack[block + 1 + offset] = (inner_name, inner_tag,
                                         len(out) + len(closing) + 2 + offset)
        return [*closing, "</p>", following, *opening]
    return [*closing, "<div></div>", *opening]


def markdown_html(text: str | None) -> Markup:
    """PDF template filter: :func:`checklist_app.formatting.markdown_html`, long runs cut."""
    return Markup(split_long_runs(formatting.markdown_html(text)))  # noqa: S704 - sanitised


def markdown_text_html(text: str | None) -> Markup:
    """PDF template filter: :func:`checklist_app.formatting.markdown_text_html`, long runs cut."""
    return Markup(split_long_runs(formatting.markdown_text_html(text)))  # noqa: S704 - sanitised
