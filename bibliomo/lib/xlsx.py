"""A new Excel workbook as every export starts it: in memory, user text never a formula."""

from __future__ import annotations

import io

import xlsxwriter


def new_book(title: str = "Обеспеченность учебниками"):
    """(buffer, workbook, header format): the header is bold on a pale fill, wrapped."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # A school named «=HYPERLINK(…)» stays a name: user text is never a formula.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties({"title": title, "author": "Bibliomo"})
    head = book.add_format(
        {"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True, "valign": "top"}
    )
    return buffer, book, head
