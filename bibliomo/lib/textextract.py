"""The text of an uploaded document, for full-text search.

Uploaded files come from anywhere — a ministry's PDF, a school's Word document, a table saved
by LibreOffice — and some are damaged. Extraction never raises on a bad file: the result
carries a Russian `error` for the methodist and an empty text, and the document stays findable
by its title. An empty text without an error means there was nothing to read, e.g. a scan.

Office Open XML and OpenDocument parts are read as XML streams from the archive, paragraph by
paragraph, so a large document is never held as a whole tree; reading stops once the text
reaches MAX_CHARS.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from bibliomo.lib.filetypes import text_encoding
from bibliomo.lib.ru import format_date, format_datetime

logger = logging.getLogger(__name__)

MAX_CHARS = 2_000_000  # a few thousand pages: more than any document the association keeps
# A part inflated beyond this is a zip bomb, not a document (zipfile never inflates a member
# past the size its header declares, so checking the declared size is enough).
MAX_PART_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class ExtractResult:
    text: str
    error: str | None = None  # in Russian, for the person who uploaded the file
    truncated: bool = False  # the text was cut at MAX_CHARS


def extract_text(data: bytes, kind_code: str) -> str:
    """The text of `data` (a file of kind `kind_code` from filetypes.detect), or ""."""
    return extract(data, kind_code).text


def extract(data: bytes, kind_code: str) -> ExtractResult:
    """The text of `data`, or an empty text and the reason it could not be read."""
    reader = _READERS.get(kind_code)
    if reader is None:  # images, DOC, PPT, RTF: no text we can read
        return ExtractResult("")
    label = kind_code.upper()
    try:
        text, truncated = _assemble(reader(data))
    except _Protected as protected:
        return ExtractResult("", f"Не удалось извлечь текст из файла {label}: {protected.reason}.")
    # Parsers of untrusted files fail in more ways than they document (KeyError, struct.error,
    # RecursionError on absurd nesting…); none of them should break an upload.
    except Exception:
        logger.debug("Extracting text from a %s file failed", label, exc_info=True)
        return ExtractResult(
            "",
            f"Не удалось извлечь текст из файла {label}: файл повреждён или сохранён с ошибками.",
        )
    return ExtractResult(text, None, truncated)


class _Protected(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# --- assembling and normalising -------------------------------------------------------------

# Characters that carry no text and would break words apart or break storage: control
# characters (PostgreSQL refuses NUL), soft hyphens and zero-width marks from typesetting,
# and the lone surrogates some PDF encoders produce.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u00ad\u200b-\u200d\u2060\ufeff\ud800-\udfff]")


def _assemble(pieces: Iterable[str]) -> tuple[str, bool]:
    """One line per paragraph, spaces collapsed, at most one blank line between paragraphs."""
    lines: list[str] = []
    size = 0
    for piece in pieces:
        cleaned = _INVISIBLE.sub("", unicodedata.normalize("NFC", piece))
        for raw_line in cleaned.splitlines() or [""]:  # "" is an empty paragraph
            line = " ".join(raw_line.split())
            if line or (lines and lines[-1]):
                lines.append(line)
                size += len(line) + 1
            if size > MAX_CHARS:
                return _cut("\n".join(lines), MAX_CHARS), True
    return "\n".join(lines).strip(), False


def _cut(text: str, limit: int) -> str:
    cut = text[:limit]
    head, space, _tail = cut.rpartition(" ")
    # Keep whole words unless the last hundred characters have no space at all.
    return (head if space and len(head) > limit - 100 else cut).rstrip()


# --- PDF ------------------------------------------------------------------------------------


def _pdf(data: bytes) -> Iterator[str]:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        _unlock(reader)
    for page in reader.pages:
        yield page.extract_text()


def _unlock(reader: PdfReader) -> None:
    """Most «protected» PDFs only forbid editing and open without a password; try that."""
    try:
        opened = reader.decrypt("")
    except DependencyError as error:
        # AES needs the optional `cryptography` package; without it the file stays closed.
        raise _Protected("он зашифрован") from error
    except FileNotDecryptedError as error:
        raise _Protected("он защищён паролем") from error
    if not opened:
        raise _Protected("он защищён паролем")


# --- Office Open XML and OpenDocument -------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


@dataclass(frozen=True)
class _Markup:
    """Which elements of an XML vocabulary make paragraphs and hold text."""

    paragraphs: frozenset[str]
    skipped: frozenset[str]  # with everything inside
    texts: frozenset[str] = frozenset()  # elements whose own text is document text
    tabs: frozenset[str] = frozenset()
    breaks: frozenset[str] = frozenset()
    spaces: str = ""  # ODF <text:s text:c="3"/>: a run of spaces
    mixed: bool = False  # ODF: all character data inside a paragraph is text, tails included


# A drawing in Word comes twice, as DrawingML and as a VML fallback: reading both would double
# every text box. Paragraph properties hold tab stops, which are no tabs.
_WORD = _Markup(
    paragraphs=frozenset({f"{_W}p"}),
    skipped=frozenset({f"{_MC}Fallback", f"{_W}pPr"}),
    texts=frozenset({f"{_W}t"}),  # not w:delText (deleted) nor w:instrText (field codes)
    tabs=frozenset({f"{_W}tab"}),
    breaks=frozenset({f"{_W}br", f"{_W}cr"}),
)
_DRAWING = _Markup(
    paragraphs=frozenset({f"{_A}p"}),
    skipped=frozenset({f"{_MC}Fallback"}),
    texts=frozenset({f"{_A}t"}),
    breaks=frozenset({f"{_A}br"}),
)
# Comments, the deleted text kept for tracked changes and footnote numbers are not the
# document's text (a number glued to a word would change the word).
_OPEN_DOCUMENT = _Markup(
    paragraphs=frozenset({f"{_TEXT}p", f"{_TEXT}h"}),
    skipped=frozenset({f"{_OFFICE}annotation", f"{_TEXT}tracked-changes", f"{_TEXT}note-citation"}),
    tabs=frozenset({f"{_TEXT}tab"}),
    breaks=frozenset({f"{_TEXT}line-break"}),
    spaces=f"{_TEXT}s",
    mixed=True,
)


def _docx(data: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        yield from _xml_paragraphs(_open_part(archive, "word/document.xml"), _WORD)


def _pptx(data: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for slide in _slide_parts(archive):
            yield from _xml_paragraphs(_open_part(archive, slide), _DRAWING)
            yield ""  # a blank line between slides


def _open_document(data: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        yield from _xml_paragraphs(_open_part(archive, "content.xml"), _OPEN_DOCUMENT)


def _open_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise ValueError(f"{name} inflates to {info.file_size} bytes")
    return archive.open(info)


def _slide_parts(archive: zipfile.ZipFile) -> list[str]:
    """Slides in the order of the presentation, which after reordering is not their numbers."""
    names = set(archive.namelist())
    by_number = sorted(
        (name for name in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", name)),
        key=lambda name: int(re.sub(r"\D", "", name)),
    )
    if "ppt/presentation.xml" not in names or "ppt/_rels/presentation.xml.rels" not in names:
        return by_number
    relationships = _parse(archive, "ppt/_rels/presentation.xml.rels")
    targets = {
        rel.get("Id"): "ppt/" + (rel.get("Target") or "").removeprefix("/ppt/")
        for rel in relationships.iter(f"{_PKG_RELS}Relationship")
    }
    ordered = [
        targets.get(slide.get(f"{_R}id"))
        for slide in _parse(archive, "ppt/presentation.xml").iter(f"{_P}sldId")
    ]
    in_order = [name for name in ordered if name in names]
    return in_order or by_number


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element:
    with _open_part(archive, name) as part:
        return ET.parse(part).getroot()


def _xml_paragraphs(source: IO[bytes], markup: _Markup) -> Iterator[str]:
    """The paragraphs of an XML part in document order, streamed.

    Only the outermost paragraphs are read as they close, each with everything inside it, and
    then dropped, so memory holds one paragraph rather than the document.
    """
    skipping = 0
    open_paragraphs = 0
    with source:
        for event, element in ET.iterparse(source, events=("start", "end")):
            tag = element.tag
            if tag in markup.skipped:
                skipping += 1 if event == "start" else -1
            elif tag in markup.paragraphs:
                open_paragraphs += 1 if event == "start" else -1
                if event == "end" and open_paragraphs == 0:
                    if not skipping:
                        yield from _ParagraphText(markup).lines(element)
                    element.clear()


class _ParagraphText:
    """A paragraph's text, then the paragraphs nested in it (text boxes, footnotes) as lines
    of their own, so that neither breaks the paragraph's words apart."""

    def __init__(self, markup: _Markup) -> None:
        self.markup = markup
        self.pieces: list[str] = []
        self.nested: list[str] = []

    def lines(self, paragraph: ET.Element) -> list[str]:
        self._walk(paragraph)
        return ["".join(self.pieces), *self.nested]

    def _walk(self, element: ET.Element) -> None:
        markup = self.markup
        if markup.mixed and element.text:
            self.pieces.append(element.text)
        for child in element:
            tag = child.tag
            if tag in markup.skipped:
                pass
            elif tag in markup.paragraphs:
                self.nested += _ParagraphText(markup).lines(child)
            elif tag in markup.texts:
                self.pieces.append(child.text or "")
            elif tag in markup.tabs:
                self.pieces.append("\t")
            elif tag in markup.breaks:
                self.pieces.append("\n")
            elif tag == markup.spaces:
                self.pieces.append(" " * _count(child.get(f"{_TEXT}c")))
            else:
                self._walk(child)
            if markup.mixed and child.tail:
                self.pieces.append(child.tail)


def _count(value: str | None) -> int:
    return min(int(value), 100) if value and value.isdigit() else 1


# --- spreadsheets ---------------------------------------------------------------------------


def _spreadsheet(data: bytes) -> Iterator[str]:
    """Sheet by sheet: the sheet's name, then each row's filled cells on a line."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as error:
        raise _Protected("он защищён паролем") from error
    for sheet in workbook.sheets_metadata:
        if sheet.typ != SheetTypeEnum.WorkSheet:
            continue  # chart and macro sheets have no cells
        yield sheet.name
        for row in workbook.get_sheet_by_name(sheet.name).iter_rows():
            yield " ".join(text for text in map(_cell_text, row) if text)
        yield ""


def _cell_text(value: object) -> str:
    match value:
        case bool():
            return "да" if value else "нет"
        case float() if value.is_integer():
            return str(int(value))  # Excel keeps every number as a float: 858 arrives as 858.0
        case datetime() if value.time() == time(0):
            return format_date(value)  # a date in Russian form, as a person would search for it
        case datetime():
            return format_datetime(value)
        case date():
            return format_date(value)
        case time():
            return value.strftime("%H:%M")
    return str(value)


# --- plain text -----------------------------------------------------------------------------


def _plain_text(data: bytes) -> Iterator[str]:
    yield data.decode(text_encoding(data) or "utf-8", "replace")


_READERS: dict[str, Callable[[bytes], Iterable[str]]] = {
    "pdf": _pdf,
    "docx": _docx,
    "pptx": _pptx,
    "odt": _open_document,
    "odp": _open_document,
    "xlsx": _spreadsheet,
    "xls": _spreadsheet,
    "ods": _spreadsheet,
    "txt": _plain_text,
}
