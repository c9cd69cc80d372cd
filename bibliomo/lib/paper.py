"""One way to make a Word paper: what every official document of the association needs.

ГОСТ Р 7.0.97-2016 and Russian office practice, in one place:

- A4, margins of 30 mm on the left (for the binding), 15 mm on the right, 20 mm top and bottom
  (at least what п. 5.2 requires), Times New Roman for Latin and Cyrillic alike;
- tables with column widths in proportion to their content, written in the three places Word
  and LibreOffice read them (the grid, every cell, a fixed layout), the header row repeated on
  each page and no row ever torn between two pages;
- the page number in the footer (a PAGE field, so it is right however the text flows);
- the signature block kept on one page with the paragraph before it, the position, a line for
  the signature and the name as «И.О. Фамилия» (п. 5.23);
- document properties naming the association and the moment of writing, not the library;
- every text through `ru.typography`: quotes inside quotes as „…“, «№» joined to its number.

No Django here: documents pass plain strings in and get bytes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from xml.sax.saxutils import escape

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from bibliomo.lib.documents import setup_a4
from bibliomo.lib.ru import typography

FONT = "Times New Roman"
PAGE_SHORT, PAGE_LONG = Cm(21), Cm(29.7)
LEFT, RIGHT, TOP, BOTTOM = Cm(3), Cm(1.5), Cm(2), Cm(2)
SIGNATURE_LINE = "_" * 14

LEFT_ALIGN = WD_ALIGN_PARAGRAPH.LEFT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT_ALIGN = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


@dataclass(frozen=True)
class Column:
    """A table column: its heading, its share of the width, how its cells are aligned."""

    title: str
    weight: float
    align: WD_ALIGN_PARAGRAPH = LEFT_ALIGN


@dataclass(frozen=True)
class Signature:
    """One line of a signature block: «Директор ____________ А.Н. Сергеев»."""

    position: str
    name: str  # «И.О. Фамилия»; blank leaves a line to write it by hand


class Paper:
    """A Word document being written; `to_bytes()` gives the .docx."""

    def __init__(
        self,
        *,
        title: str,
        author: str,
        size: float = 12,
        landscape: bool = False,
    ) -> None:
        self.document: WordDocument = docx.Document()
        self.size = size
        setup_a4(self.document, FONT, size)
        section = self.document.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = PAGE_LONG, PAGE_SHORT
        section.left_margin, section.right_margin = LEFT, RIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.footer_distance = Cm(1)
        self._add_page_number(section)
        self._set_properties(title, author)

    @property
    def text_width(self) -> Length:
        section = self.document.sections[0]
        width, left, right = section.page_width, section.left_margin, section.right_margin
        assert width is not None and left is not None and right is not None  # set by setup_a4
        return Emu(width - left - right)

    # --- paragraphs --------------------------------------------------------------------------

    def paragraph(
        self,
        text: str = "",
        *,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = None,
        size: float | None = None,
        before: float = 0,
        after: float = 0,
        first_line: Length | None = None,
        left_indent: Length | None = None,
        keep_with_next: bool = False,
    ) -> Paragraph:
        paragraph = self.document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if first_line is not None:
            fmt.first_line_indent = first_line
        if left_indent is not None:
            fmt.left_indent = left_indent
        if keep_with_next:
            fmt.keep_with_next = True
        if text:
            self.run(paragraph, text, bold=bold, size=size)
        return paragraph

    def run(
        self, paragraph: Paragraph, text: str, *, bold: bool = False, size: float | None = None
    ):
        run = paragraph.add_run(typography(text))  # a "\n" becomes a line break
        run.bold = bold or None
        if size is not None:
            run.font.size = Pt(size)
        return run

    def labelled(self, label: str, text: str, *, before: float = 0) -> Paragraph:
        """«Председатель: Т.Г. Никитенко» with the label in bold."""
        paragraph = self.paragraph(align=JUSTIFY, before=before)
        self.run(paragraph, f"{label}:", bold=True)
        if text:
            self.run(paragraph, f" {text}")
        return paragraph

    def title(self, *lines: str, size: float | None = None, after: float = 12) -> None:
        """The centred bold title; its lines stay together and with what follows."""
        lines = tuple(line for line in lines if line)
        for index, line in enumerate(lines):
            self.paragraph(
                line,
                bold=True,
                align=CENTER,
                size=size,
                after=after if index == len(lines) - 1 else 0,
                keep_with_next=True,
            )

    # --- tables ------------------------------------------------------------------------------

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[str]],
        *,
        size: float | None = None,
        bold_rows: Iterable[int] = (),
        borders: bool = True,
        header: bool = True,
    ) -> Table:
        """A table the width of the text, widths in proportion to `Column.weight`.

        The header row repeats on every page; no row is split between pages. `bold_rows` are
        indexes into `rows` (a totals row, a section heading).
        """
        widths = self._widths([column.weight for column in columns])
        table = self.document.add_table(rows=0, cols=len(columns))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # a fixed layout: the widths below are kept
        _set_table_width(table, sum(widths))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid (<w:gridCol>)
        _set_borders(table, "single" if borders else "nil")
        size = size if size is not None else self.size
        if header:
            row = add_row(table, header=True)
            for cell, column, width in zip(row.cells, columns, widths, strict=True):
                self._cell(cell, column.title, width, bold=True, align=CENTER, size=size)
        bold_rows = set(bold_rows)
        for index, values in enumerate(rows):
            row = add_row(table)
            for cell, column, width, text in zip(row.cells, columns, widths, values, strict=True):
                self._cell(
                    cell, str(text), width, bold=index in bold_rows, align=column.align, size=size
                )
        return table

    def merged_row(self, table: Table, text: str, *, bold: bool = True) -> _Row:
        """A row across the whole table (a section heading), kept with the row below it."""
        row = add_row(table)
        cell = row.cells[0].merge(row.cells[-1])
        self._cell(cell, text, None, bold=bold, align=CENTER, size=self.size)
        cell.paragraphs[0].paragraph_format.keep_with_next = True
        return row

    def _cell(
        self,
        cell: _Cell,
        text: str,
        width: Length | None,
        *,
        bold: bool,
        align: WD_ALIGN_PARAGRAPH,
        size: float,
    ) -> None:
        if width is not None:
            cell.width = width  # <w:tcW>: Word reads the cell's own width, not only the grid
        cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        if text:
            self.run(paragraph, text, bold=bold, size=size)

    def _widths(self, weights: Sequence[float]) -> list[Length]:
        total = sum(weights)
        width = int(self.text_width)
        widths = [int(width * weight / total) for weight in weights]
        widths[-1] += width - sum(widths)  # rounding leftovers go to the last column
        return [Emu(value) for value in widths]

    # --- signatures ----------------------------------------------------------------------------

    def signatures(self, signatures: Sequence[Signature], *, before: float = 24) -> None:
        """Position, a line to sign on, «И.О. Фамилия»; kept on the page of the text before.

        Plain paragraphs on tab stops (the line from the middle of the text, the name flush
        right), every one kept with the next and the paragraph before kept with the block:
        Word and LibreOffice both then move the signatures to a new page only together with
        the last paragraph of the text.
        """
        if not signatures:
            return
        self.keep_last_with_next()
        width = self.text_width
        line_at = Emu(int(width * 0.55))
        for index, signature in enumerate(signatures):
            last = index == len(signatures) - 1
            position = signature.position
            name = signature.name or SIGNATURE_LINE
            if len(position) > 40:  # a long position takes a line of its own
                self.paragraph(position, before=before if index == 0 else 14, keep_with_next=True)
                position, space = "", 0.0
            else:
                space = before if index == 0 else 14
            paragraph = self.paragraph(before=space, keep_with_next=not last)
            stops = paragraph.paragraph_format.tab_stops
            stops.add_tab_stop(line_at)
            stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            self.run(paragraph, f"{position}\t{SIGNATURE_LINE}\t{name}")

    def keep_last_with_next(self) -> None:
        """What was written last stays on the page of what comes next.

        After a table that is its last row: Word keeps a row with the next paragraph when the
        row's paragraphs are «keep with next», and LibreOffice reads it the same way.
        """
        blocks = [child for child in self.document.element.body if child.tag != qn("w:sectPr")]
        if not blocks:
            return
        last = blocks[-1]
        if last.tag == qn("w:tbl"):
            for paragraph in last.tr_lst[-1].iter(qn("w:p")):
                Paragraph(paragraph, self.document._body).paragraph_format.keep_with_next = True
        else:
            Paragraph(last, self.document._body).paragraph_format.keep_with_next = True

    @staticmethod
    def keep_table_together(table: Table) -> None:
        rows = list(table.rows)
        for index, row in enumerate(rows):
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if index < len(rows) - 1:
                        paragraph.paragraph_format.keep_with_next = True

    # --- the file ----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        for table in self.document.tables:
            fix_widths(table)
        blocks = [child for child in self.document.element.body if child.tag != qn("w:sectPr")]
        if blocks and blocks[-1].tag == qn("w:tbl"):
            self.document.add_paragraph()  # Word expects the body to end with a paragraph
        self._set_application()
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def _set_properties(self, title: str, author: str) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        props = self.document.core_properties
        props.title = typography(title)
        props.author = author
        props.last_modified_by = author
        props.created = now
        props.modified = now
        props.last_printed = now
        props.revision = 1
        props.comments = ""  # the template says «generated by python-docx»
        props.subject = ""
        props.keywords = ""
        props.category = ""
        props.language = "ru-RU"

    def _set_application(self) -> None:
        """docProps/app.xml: the template says «Microsoft Macintosh Word»; say who wrote it."""
        author = escape(self.document.core_properties.author or "")
        for part in self.document.part.package.iter_parts():
            if str(part.partname) == "/docProps/app.xml":
                part._blob = (
                    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'extended-properties"><Application>Bibliomo</Application>'
                    f"<Company>{author}</Company></Properties>"
                ).encode()

    @staticmethod
    def _add_page_number(section) -> None:
        """A centred page number in the footer, as a PAGE field Word and LibreOffice fill in."""
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = CENTER
        run = paragraph.add_run()
        for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None)):
            if kind == "instr":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            else:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        shown = paragraph.add_run("1")
        shown.font.size = Pt(10)
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        paragraph.add_run()._r.append(end)


def add_row(table: Table, *, header: bool = False) -> _Row:
    """A row never torn between pages (<w:cantSplit>); a header row repeats (<w:tblHeader>)."""
    row = table.add_row()
    properties = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        flag = OxmlElement(name)  # appended in the order the schema requires
        flag.set(qn("w:val"), "true")
        properties.append(flag)
    return row


def fix_widths(table: Table) -> None:
    """Write the grid's widths into the table and each of its cells, and fix the layout.

    Word reads a cell's own width (<w:tcW>) before the grid; a table built with only the
    grid set is laid out by Word's guess, which is how six equal columns came about.
    """
    grid = [int(col.get(qn("w:w")) or 0) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    if not grid or not all(grid):
        return
    table.autofit = False
    _set_table_width(table, sum(grid) * 635)
    for row in table._tbl.tr_lst:
        column = 0
        for cell in row.tc_lst:
            span = cell.grid_span
            width = sum(grid[column : column + span])
            column += span
            cell.width = Emu(width * 635)


def _set_table_width(table: Table, width: int) -> None:
    properties = table._tbl.tblPr
    element = properties.find(qn("w:tblW"))
    if element is None:
        element = OxmlElement("w:tblW")
        properties.insert_element_before(
            element,
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
        )
    element.set(qn("w:w"), str(int(width) // 635))  # EMU → twentieths of a point
    element.set(qn("w:type"), "dxa")


def _set_borders(table: Table, style: str) -> None:
    """Thin «single» lines around and between all cells, or «nil» for a layout table."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), style)
        if style != "nil":
            line.set(qn("w:sz"), "4")  # eighths of a point: a ½ pt line
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "000000")
        borders.append(line)
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )
