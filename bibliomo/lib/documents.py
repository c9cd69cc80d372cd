"""Rendering documents: HTML → PDF with WeasyPrint, and small python-docx helpers."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which only PDF views need.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def setup_a4(document: WordDocument, font: str = "Times New Roman", size: int = 12) -> None:
    """A4 portrait with the margins Russian official papers use, Cyrillic-capable font."""
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)
