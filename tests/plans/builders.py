"""Small plans built on the fly, so that each reading rule is tested on a file made for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

import docx

PREAMBLE = [
    "УТВЕРЖДАЮ",
    "директор МОУ ДПО УМЦ",
    "________ Г.В. Венкова",
    "«___» ________ 2024 г.",
    "ПЛАН РАБОТЫ ММО ШКОЛЬНЫХ БИБЛИОТЕКАРЕЙ",
    "2024-2025 учебный год",
    "Методическая тема: Чтение как ресурс развития.",
    "Цель: Поддержка школьных библиотекарей.",
    "Задачи:",
    "- Проводить семинары;",
    "- Обобщать опыт.",
]
SIGNATURES = ["Руководитель ММО\tНикитенко Т.Г.", "Методист-куратор\tЛеонтьева Э.В."]
HEADER = ["Содержание деятельности", "Сроки", "Ответственный"]


@dataclass(frozen=True)
class Heading:
    """A section row; `number` goes into a «№ п/п» column, the title spans the rest."""

    title: str
    number: str = ""


Row = Sequence[str] | Heading


def word_file(
    rows: Sequence[Row],
    *,
    header: Sequence[str] | None = HEADER,
    merge_headings: bool = True,
    preamble: Sequence[str] = PREAMBLE,
    epilogue: Sequence[str] = SIGNATURES,
) -> bytes:
    """A .docx with the given table; headings merged across it or typed into the first cell."""
    document = docx.Document()
    for line in preamble:
        document.add_paragraph(line)
    if header is not None:
        table = document.add_table(rows=0, cols=len(header))
        for cell, text in zip(table.add_row().cells, header, strict=True):
            cell.text = text
        for row in rows:
            cells = table.add_row().cells
            if isinstance(row, Heading):
                _write_heading(cells, row, merge_headings)
            else:
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
    for line in epilogue:
        document.add_paragraph(line)
    return save(document)


def _write_heading(cells: Sequence, heading: Heading, merge: bool) -> None:
    first = 1 if heading.number else 0
    if heading.number:
        cells[0].text = heading.number
    target = cells[first].merge(cells[-1]) if merge else cells[first]
    target.text = heading.title


def save(document: docx.document.Document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_file(rows: Sequence[Row], *, encoding: str = "utf-8") -> bytes:
    """The same plan as TAB-separated text, the way it looks when copied out of Word."""
    lines = [*PREAMBLE, "", "\t".join(HEADER)]
    for row in rows:
        lines.append(f"{row.title}\t\t" if isinstance(row, Heading) else "\t".join(row))
    lines += ["", *SIGNATURES]
    return "\n".join(lines).encode(encoding)


ACTIVITY = ["Семинар «Читающая школа»", "октябрь", "Методист, руководитель ММО"]
