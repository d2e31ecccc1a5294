"""Worst-case markdown: render each adversarial 50,000-character letter body as a page would
(markdown + nh3) and as the letter PDF would (the same, long runs cut, plus xhtml2pdf), and
print the times.

``python -m benchmarks.markdown_worst [--pdf]`` prints one line per input, then the worst.
The inputs are those of ``tests/test_markdown_bounds.py`` (brackets, emphasis runs, deep quotes
and lists, and the block constructs Python-Markdown splits one at a time).
"""

from __future__ import annotations

import sys
import time

from checklist_app.formatting import markdown_html
from checklist_app.reporting import pdf, text_runs
from tests.test_markdown_bounds import ADVERSARIAL

LAYOUT = "<html><body><div class='letter-body'>{}</div></body></html>"


def main(with_pdf: bool) -> None:
    """Time every adversarial input; print each and the worst."""
    markdown_html("*warm up*")
    pdf.html_to_pdf(LAYOUT.format("warm up"))
    worst_page = worst_pdf = (0.0, "")
    for name, text in ADVERSARIAL.items():
        start = time.perf_counter()
        markdown_html(text)
        page = time.perf_counter() - start
        worst_page = max(worst_page, (page, name))
        line = f"{name:32s} {len(text):6d} chars  page {page * 1000:7.1f} ms"
        if with_pdf:
            start = time.perf_counter()
            pdf.html_to_pdf(LAYOUT.format(text_runs.markdown_html(text)))  # as the PDF filter does
            whole = time.perf_counter() - start
            worst_pdf = max(worst_pdf, (whole, name))
            line += f"  pdf {whole * 1000:8.1f} ms"
        print(line, flush=True)
    print(f"worst page render: {worst_page[0] * 1000:.1f} ms ({worst_page[1]})")
    if with_pdf:
        print(f"worst PDF render: {worst_pdf[0] * 1000:.1f} ms ({worst_pdf[1]})")


if __name__ == "__main__":
    main("--pdf" in sys.argv)
