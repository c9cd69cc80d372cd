"""The provision monitoring workbook: a school's textbook data as a spreadsheet that the school
librarian downloads, checks and fills in Excel, and uploads back.

The workbook has an instruction, four sheets to fill — «Контингент», «УМК», «Фонд», «Списание» —
pre-filled with what the system already knows, a hidden «Справочник» with the federal list that
feeds the dropdowns and the titles, and a very hidden «Служебный» sheet that ties the file to one
campaign and one school. Sheets are protected without a password: the protection keeps a person
from typing over a header or a formula by accident; it is no security, and the reader trusts
nothing in the file that it does not check.

Reading is all-or-nothing, like every upload in Bibliomo: the person gets every problem at once,
with its sheet, row and column, fixes the file and uploads it again. The reader forgives what
Excel and people do to numbers and codes (a number stored as text, «12,0», «5а» for grade 5, a
code with a trailing dot, a title above the header, blank rows) and is strict about anything
that changes the meaning.

The package: `layout.py` — the rows, the four sheets and their columns, the stamp's keys (what
the writer and the reader share); `writer.py` — the workbook; `instructions.py` — the
instruction sheet's text; `reader.py` — the sheets back into rows, every problem at once;
`values.py` — forgiving reading of one cell (numbers, grades, codes, dates).
"""

from bibliomo.lib.provision_workbook.layout import (
    CATALOGUE_SHEET,
    DATA_SHEETS,
    DEFAULT_LIMITS,
    ENROLMENT_SHEET,
    FIRST_DATA_ROW,
    FIRST_YEAR,
    FORMAT_VERSION,
    HEADER_ROW,
    HOLDINGS_SHEET,
    INSTRUCTION_SHEET,
    LINES_SHEET,
    MAX_ACT_NUMBER,
    MAX_COUNT,
    MAX_GRADE,
    STAMP_SHEET,
    WRITE_OFF_REASONS,
    WRITE_OFFS_SHEET,
    CatalogueRef,
    EnrolmentRow,
    HoldingRow,
    LineRow,
    SchoolWorkbook,
    WorkbookData,
    WorkbookError,
    WorkbookProblem,
    WriteOffRow,
)
from bibliomo.lib.provision_workbook.reader import (
    TemplateStamp,
    read_template_stamp,
    read_workbook,
)
from bibliomo.lib.provision_workbook.writer import write_workbook

__all__ = [
    "CATALOGUE_SHEET",
    "DATA_SHEETS",
    "DEFAULT_LIMITS",
    "ENROLMENT_SHEET",
    "FIRST_DATA_ROW",
    "FIRST_YEAR",
    "FORMAT_VERSION",
    "HEADER_ROW",
    "HOLDINGS_SHEET",
    "INSTRUCTION_SHEET",
    "LINES_SHEET",
    "MAX_ACT_NUMBER",
    "MAX_COUNT",
    "MAX_GRADE",
    "STAMP_SHEET",
    "WRITE_OFFS_SHEET",
    "WRITE_OFF_REASONS",
    "CatalogueRef",
    "EnrolmentRow",
    "HoldingRow",
    "LineRow",
    "SchoolWorkbook",
    "TemplateStamp",
    "WorkbookData",
    "WorkbookError",
    "WorkbookProblem",
    "WriteOffRow",
    "read_template_stamp",
    "read_workbook",
    "write_workbook",
]
