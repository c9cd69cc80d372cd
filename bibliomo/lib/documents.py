"""Rendering documents: HTML → PDF with WeasyPrint, and small python-docx helpers."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which only PDF views need.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def setup_a4(document: WordDocument, font: str = "Times New Roman", size: float = 12) -> None:
    """A4 portrait with the margins Russian official papers use, one Cyrillic-capable font.

    Word picks the font of a character by its script, so setting only the Latin font would
    leave Cyrillic text in the theme font (Calibri) of the default template; theme font
    references also win over explicit names, so they are removed from the document defaults
    and from the Normal style.
    """
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(2)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run_defaults, font)
    language = run_defaults.find(qn("w:lang"))
    if language is not None:
        language.set(qn("w:val"), "ru-RU")
    normal = document.styles["Normal"]
    normal.font.size = Pt(size)
    _set_fonts(normal.element.get_or_add_rPr(), font)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    document.core_properties.language = "ru-RU"


def _set_fonts(run_properties: BaseOxmlElement, font: str) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for attribute in [name for name in fonts.attrib if name.lower().endswith("theme")]:
        del fonts.attrib[attribute]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), font)
