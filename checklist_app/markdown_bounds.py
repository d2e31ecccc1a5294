"""Markdown that renders in linear time whatever the text, with one cached Python-Markdown per thread.

Python-Markdown is quadratic (or recursive) on a few constructs, so a text is bounded before it
is parsed, block by block (a block is a run of non-blank lines):

- **inline tokens**: every link, emphasis, code span, escape, entity or inline HTML match costs a
  pass over its paragraph, and an unclosed ``[`` scans to the paragraph's end. A block with more
  than :data:`MAX_BRACKETS` ``[`` or more than :data:`MAX_INLINE` other markup characters
  (``* _ ` < \\ &``) is shown as plain text: every character kept, escaped, lines kept.
- **nesting**: quotes and lists nest by recursion (and xhtml2pdf recurses on the HTML); a block
  with a line nested deeper than :data:`MAX_DEPTH` (``>`` and list markers, or indentation) is
  shown as plain text too.
- **block length**: headings, rules and lists are split off a block one at a time, each time
  copying the rest; a blank line is added after every :data:`MAX_BLOCK_LINES` lines of a block.
- **size**: each line and each markup character costs Python-Markdown tens of microseconds, and
  each paragraph or list item costs xhtml2pdf milliseconds, so once a text has used
  :data:`MAX_LINES` lines or :data:`MAX_TOTAL_INLINE` markup characters, the blocks after that are
  shown as plain text, gathered into paragraphs of at least :data:`PLAIN_PARAGRAPH` characters.

Plain text keeps every character; its line breaks read as spaces, as in a markdown paragraph.

Ordinary writing (a letter, a checkpoint, a comment) is far inside these limits and renders exactly
as Python-Markdown renders it.
"""

from __future__ import annotations

import html
import re
import secrets
import threading

import markdown as markdown_lib

MAX_BRACKETS = 16
MAX_INLINE = 400
MAX_DEPTH = 6
MAX_BLOCK_LINES = 100
MAX_LINES = 200
MAX_TOTAL_INLINE = 3_000
PLAIN_PARAGRAPH = 2_000
INLINE_MARKUP = re.compile(r"[*_`<\\&]")
CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+")
MARKER = re.compile(r">|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")
_local = threading.local()


def _markdown(escape_html: bool = False) -> markdown_lib.Markdown:
    """This thread's Markdown instance, built once and reset before each use.

    With ``escape_html`` any HTML in the text is kept as the words typed rather than parsed.
    """
    name = "markdown_escaping" if escape_html else "markdown"
    instance = getattr(_local, name, None)
    if instance is None:
        instance = markdown_lib.Markdown(extensions=["sane_lists"])
        if escape_html:
            instance.preprocessors.deregister("html_block")
            instance.inlinePatterns.deregister("html")
        setattr(_local, name, instance)
    return instance.reset()


def _depth(line: str) -> int:
    """How deeply a line nests: its quote and list markers plus its indentation in tab stops."""
    indent = len(line) - len(line.lstrip(" \t"))
    width = len(line[:indent].expandtabs(4))
    prefix = CONTAINER_PREFIX.match(line)
    markers = len(MARKER.findall(prefix.group(0))) if prefix else 0
    return width // 4 + markers


def _markup(lines: list[str]) -> int:
    """How many inline markup characters a block has, or -1 when it is too complex to parse."""
    text = "\n".join(lines)
    markup = len(INLINE_MARKUP.findall(text))
    if text.count("[") > MAX_BRACKETS or markup > MAX_INLINE:
        return -1
    if any(_depth(line) > MAX_DEPTH for line in lines):
        return -1
    return markup + text.count("[")


def _plain(blocks: list[list[str]]) -> str:
    """Blocks as plain paragraphs, escaped, every character kept; small blocks gathered so that
    no paragraph is shorter than PLAIN_PARAGRAPH characters (bar the last)."""
    paragraphs: list[str] = []
    current = ""
    for lines in blocks:
        current += ("\n\n" if current else "") + "\n".join(line.strip() for line in lines)
        if len(current) >= PLAIN_PARAGRAPH:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _blocks(text: str) -> list[list[str]]:
    """The text as runs of non-blank lines, none longer than MAX_BLOCK_LINES."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
        if len(current) >= MAX_BLOCK_LINES:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def render(text: str, escape_html: bool = False) -> str:
    """Markdown to (unsanitised) HTML in time linear in the length of the text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    token = f"mdplain{secrets.token_hex(8)}x"
    kept: list[str] = []
    plain: list[list[list[str]]] = []  # each run of consecutive plain blocks
    line_budget, markup_budget = MAX_LINES, MAX_TOTAL_INLINE
    for lines in _blocks(text):
        markup = _markup(lines) if line_budget > 0 and markup_budget > 0 else -1
        line_budget -= len(lines)
        markup_budget -= max(markup, 0)
        if markup >= 0:
            kept.append("\n".join(lines))
        elif kept and kept[-1] == f"{token}{len(plain) - 1}x":
            plain[-1].append(lines)
        else:
            kept.append(f"{token}{len(plain)}x")
            plain.append([lines])
    out = _markdown(escape_html).convert("\n\n".join(kept))
    if not plain:
        return out
    pattern = re.compile(rf"(?:<p>)?{token}(\d+)x(?:</p>)?")
    return pattern.sub(lambda m: _plain(plain[int(m.group(1))]), out)
