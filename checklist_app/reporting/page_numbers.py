"""Stamps "Page N of M" on a finished PDF.

xhtml2pdf can print ``<pdf:pagecount/>`` itself, but only by laying the whole document out twice.
Here each page gets one extra content stream drawing the number in Helvetica (a standard PDF font,
so nothing is embedded), which costs milliseconds.
"""

from __future__ import annotations

import io
from typing import Any

MM = 72 / 25.4  # points per millimetre (ReportLab's ``mm``)
RIGHT_EDGE = 195 * MM  # the right margin of the A4 page in report.css
BASELINE = 7 * MM
SIZE = 8
FONT_NAME = "/ChecklistPageNumber"


def _font() -> Any:
    from pypdf.generic import DictionaryObject, NameObject

    return DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})


def number_pages(pdf: bytes) -> bytes:
    """The PDF with "Page N of M" at the foot of every page, right-aligned, in grey.

    pypdf and ReportLab are imported here, on the first export, not when a process starts.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font_key = NameObject(FONT_NAME)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    total = len(writer.pages)
    font = writer._add_object(_font())
    for number, page in enumerate(writer.pages, start=1):
        text = f"Page {number} of {total}"
        x = RIGHT_EDGE - stringWidth(text, "Helvetica", SIZE)
        stream = DecodedStreamObject()
        stream.set_data(f"q 0.282 0.286 0.286 rg BT {font_key} {SIZE} Tf {x:.2f} {BASELINE:.2f} Td "
                        f"({text}) Tj ET Q".encode("ascii"))
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject())
        resources = resources.get_object()
        fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
        fonts[font_key] = font
        contents = page.get(NameObject("/Contents"))
        existing = contents.get_object() if contents is not None else None
        parts = list(existing) if isinstance(existing, ArrayObject) else \
            ([contents] if contents is not None else [])
        page[NameObject("/Contents")] = ArrayObject([*parts, writer._add_object(stream)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
