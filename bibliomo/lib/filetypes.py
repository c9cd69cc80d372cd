"""What an uploaded file really is, told by its content rather than by its name.

A librarian's «приказ.pdf» may be a Word document renamed by hand, a scan saved as «.docx» may be
a JPEG, and a link saved from a browser may be a web page whatever it is called. The content
decides: a file named wrongly is accepted under its real type (`FileKind.renamed` tells the
caller to store it with the right extension), and what a browser could run — HTML, SVG, other
XML, programs — is refused even when the name promises a PDF, because the association publishes
uploaded files on its public portal.

Also here: a safe download name made from a Russian title and the Content-Disposition header
that carries it.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import struct
import unicodedata
import urllib.parse
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAX_DOWNLOAD_NAME = 120
_MEBIBYTE = 1024 * 1024
_SNIFF_BYTES = 1024  # how far browsers look for markup, and so how far we do


@dataclass(frozen=True)
class FileKind:
    code: str  # "pdf", "docx", …, or one of REFUSED
    label: str  # short, for lists and buttons: «PDF», «DOCX», «JPEG»
    mime: str
    extension: str  # without the dot; "" when the type has none worth storing
    renamed: bool = False  # the name's extension disagrees with the content

    @property
    def refused(self) -> bool:
        return self.code in REFUSED

    @property
    def description(self) -> str:
        """«документ Word (DOCX)» — for sentences about the file."""
        return _KINDS[self.code].description


class FileRejected(Exception):
    """The upload cannot be taken; the message is a Russian sentence for the person."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class _Kind:
    label: str
    mime: str
    description: str
    extensions: tuple[str, ...]  # the first is the one to store; the others are fine too


_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_ODF_MIME = "application/vnd.oasis.opendocument."
_BINARY_MIME = "application/octet-stream"

# The order is the one in which allowed formats are listed to people.
_KINDS: dict[str, _Kind] = {
    "pdf": _Kind("PDF", "application/pdf", "документ PDF", ("pdf",)),
    "docx": _Kind("DOCX", _DOCX_MIME, "документ Word (DOCX)", ("docx", "dotx")),
    "doc": _Kind("DOC", "application/msword", "документ Word 97–2003 (DOC)", ("doc", "dot")),
    "rtf": _Kind("RTF", "application/rtf", "документ RTF", ("rtf",)),
    "xlsx": _Kind("XLSX", _XLSX_MIME, "таблица Excel (XLSX)", ("xlsx", "xltx")),
    "xls": _Kind("XLS", "application/vnd.ms-excel", "таблица Excel 97–2003 (XLS)", ("xls", "xlt")),
    "odt": _Kind("ODT", _ODF_MIME + "text", "документ OpenDocument (ODT)", ("odt",)),
    "ods": _Kind("ODS", _ODF_MIME + "spreadsheet", "таблица OpenDocument (ODS)", ("ods",)),
    "odp": _Kind("ODP", _ODF_MIME + "presentation", "презентация OpenDocument (ODP)", ("odp",)),
    "pptx": _Kind("PPTX", _PPTX_MIME, "презентация PowerPoint (PPTX)", ("pptx", "ppsx", "potx")),
    "ppt": _Kind(
        "PPT",
        "application/vnd.ms-powerpoint",
        "презентация PowerPoint 97–2003 (PPT)",
        ("ppt", "pps", "pot"),
    ),
    "txt": _Kind("TXT", "text/plain", "текстовый файл", ("txt", "text", "csv", "tsv")),
    "png": _Kind("PNG", "image/png", "изображение PNG", ("png",)),
    "jpeg": _Kind("JPEG", "image/jpeg", "изображение JPEG", ("jpg", "jpeg", "jpe", "jfif")),
    "gif": _Kind("GIF", "image/gif", "изображение GIF", ("gif",)),
    "webp": _Kind("WEBP", "image/webp", "изображение WebP", ("webp",)),
    # Refused whatever the caller allows.
    "html": _Kind("HTML", "text/html", "страница HTML", ("html", "htm", "xhtml", "shtml")),
    "svg": _Kind("SVG", "image/svg+xml", "рисунок SVG", ("svg",)),
    "xml": _Kind("XML", "application/xml", "документ XML", ("xml",)),
    "exe": _Kind("EXE", _BINARY_MIME, "программа", ("exe", "dll", "com", "scr", "bin")),
    "zip": _Kind("ZIP", "application/zip", "архив", ("zip",)),
    "encrypted": _Kind("—", _BINARY_MIME, "файл, защищённый паролем", ()),
    "macro": _Kind("—", _BINARY_MIME, "документ с макросами", ()),
    "empty": _Kind("—", _BINARY_MIME, "пустой файл", ()),
    "unknown": _Kind("—", _BINARY_MIME, "файл неизвестного формата", ()),
}
REFUSED = frozenset({"html", "svg", "xml", "exe", "zip", "encrypted", "macro", "empty", "unknown"})
IMAGES = frozenset({"png", "jpeg", "gif", "webp"})


# --- detection ------------------------------------------------------------------------------


def detect(data: bytes, filename: str) -> FileKind:
    """The kind of `data`; `filename` only breaks a tie the content cannot and sets `renamed`."""
    extension = _extension(filename)
    code = _detect_code(data, extension)
    kind = _KINDS[code]
    if extension in kind.extensions:
        # «photo.jpg» stays «.jpg» and «list.csv» stays «.csv»: both are right for the content.
        return FileKind(code, kind.label, _mime(code, data), extension)
    stored = kind.extensions[0] if kind.extensions else ""
    renamed = bool(extension) and bool(kind.extensions)
    return FileKind(code, kind.label, _mime(code, data), stored, renamed)


def _detect_code(data: bytes, extension: str) -> str:
    if not data:
        return "empty"
    return _by_magic(data, extension) or _by_markup(data) or _by_text(data) or "unknown"


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"{\\rtf", "rtf"),
    (b"MZ", "exe"),  # Windows
    (b"\x7fELF", "exe"),  # Linux
    (b"\xcf\xfa\xed\xfe", "exe"),  # macOS, 64-bit
    (b"\xce\xfa\xed\xfe", "exe"),  # macOS, 32-bit
    (b"\xca\xfe\xba\xbe", "exe"),  # macOS universal binary (and Java classes)
)
_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: DOC, XLS, PPT, MSI…


def _by_magic(data: bytes, extension: str) -> str | None:
    for magic, code in _MAGIC:
        if data.startswith(magic):
            return code
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data)
    if data.startswith(_CFB_MAGIC):
        return _cfb_kind(data, extension)
    return None


# --- zip containers: OOXML, OpenDocument, anything else zipped -------------------------------

_OOXML_MAIN_PARTS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)
_ODF_MIMETYPES = {
    _ODF_MIME + "text": "odt",
    _ODF_MIME + "spreadsheet": "ods",
    _ODF_MIME + "presentation": "odp",
}
# What zipfile raises on a damaged archive: bad names, unknown versions, broken streams.
_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = _small_member(archive, "mimetype") if "mimetype" in names else ""
    except _ZIP_DAMAGE:
        return "unknown"  # a truncated DOCX is no more a document than random bytes are
    # Office keeps macros in vbaProject.bin whatever the extension; macros are how documents
    # carry malware, and the portal hands uploads to the public.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return "macro"
    for part, code in _OOXML_MAIN_PARTS:
        if part in names:
            return code
    return _ODF_MIMETYPES.get(mimetype, "zip")


def _small_member(archive: zipfile.ZipFile, name: str) -> str:
    """The first bytes of a member, never its whole (possibly enormous) inflated size."""
    with archive.open(name) as member:
        return member.read(100).decode("ascii", "replace").strip()


# --- Compound File Binary: the container of Office 97–2003 files ------------------------------

# Streams in the root storage that name the application; an XLS may embed a Word document in
# a sub-storage, so only the root's own entries count. Office 2007+ files protected by a
# password are a CFB holding an «EncryptedPackage», whatever their extension.
_CFB_ROOT_STREAMS = {
    "worddocument": "doc",
    "powerpoint document": "ppt",
    "workbook": "xls",
    "book": "xls",  # Excel 5.0/95
    "encryptedpackage": "encrypted",
}
_CFB_LEGACY_CODES = frozenset({"doc", "xls", "ppt"})


def _cfb_kind(data: bytes, extension: str) -> str:
    names = _cfb_root_names(data)
    if names is None:  # a directory we cannot walk: trust the name among the three it may be
        return extension if extension in _CFB_LEGACY_CODES else "unknown"
    for name, code in _CFB_ROOT_STREAMS.items():
        if name in names:
            return code
    return "unknown"  # an installer (MSI), an Outlook message, a Visio drawing…


_CFB_END_OF_CHAIN = 0xFFFFFFFE
_CFB_NO_STREAM = 0xFFFFFFFF
_CFB_HEADER_FAT_SECTORS = 109
_CFB_ENTRY_SIZE = 128


class _BadCompoundFile(Exception):
    pass


def _cfb_root_names(data: bytes) -> set[str] | None:
    """The case-folded names of the entries in the root storage, or None if unreadable.

    Reads only what [MS-CFB] needs to find them: the header, the FAT sectors that chain the
    directory, and the directory itself. Every read is bounds-checked and every chain walk is
    bounded by the number of sectors, so a crafted file cannot make this loop or overrun.
    """
    try:
        return _CompoundFile(data).root_names()
    except (_BadCompoundFile, struct.error):
        return None


class _CompoundFile:
    def __init__(self, data: bytes) -> None:
        self.data = data
        (shift,) = struct.unpack_from("<H", data, 30)
        if shift not in (9, 12):  # 512-byte sectors in version 3, 4096 in version 4
            raise _BadCompoundFile
        self.sector_size = 1 << shift
        self.sector_count = max(0, len(data) // self.sector_size - 1)
        self.fat_sectors = self._fat_sector_locations()

    def root_names(self) -> set[str]:
        entries = self._directory_entries()
        if not entries:
            raise _BadCompoundFile
        names: set[str] = set()
        pending = [entries[0][3]]  # the root's child: the top of a tree of siblings
        seen: set[int] = set()
        while pending:
            index = pending.pop()
            if index == _CFB_NO_STREAM or index in seen or index >= len(entries):
                continue
            seen.add(index)
            name, left, right, _child = entries[index]
            names.add(name.casefold())
            pending += [left, right]
        return names

    def _directory_entries(self) -> list[tuple[str, int, int, int]]:
        (first,) = struct.unpack_from("<I", self.data, 48)
        entries = []
        for sector in self._chain(first):
            offset = self._offset(sector)
            for start in range(offset, offset + self.sector_size, _CFB_ENTRY_SIZE):
                entries.append(self._entry(start))
        return entries

    def _entry(self, start: int) -> tuple[str, int, int, int]:
        (name_bytes,) = struct.unpack_from("<H", self.data, start + 64)
        name_bytes = min(name_bytes, 64)
        raw = self.data[start : start + max(0, name_bytes - 2)]  # less the UTF-16 terminator
        name = raw.decode("utf-16-le", "replace")
        left, right, child = struct.unpack_from("<III", self.data, start + 68)
        return name, left, right, child

    def _fat_sector_locations(self) -> list[int]:
        """The header lists the first 109 FAT sectors; DIFAT sectors chain the rest."""
        (fat_count,) = struct.unpack_from("<I", self.data, 44)
        fat_count = min(fat_count, self.sector_count)
        locations = list(struct.unpack_from(f"<{_CFB_HEADER_FAT_SECTORS}I", self.data, 76))
        (difat,) = struct.unpack_from("<I", self.data, 68)
        per_difat = self.sector_size // 4 - 1
        for _ in range(self.sector_count):
            if len(locations) >= fat_count or difat >= self.sector_count:
                break
            offset = self._offset(difat)
            locations += struct.unpack_from(f"<{per_difat}I", self.data, offset)
            (difat,) = struct.unpack_from("<I", self.data, offset + per_difat * 4)
        return locations[:fat_count]

    def _chain(self, sector: int) -> Iterator[int]:
        per_fat_sector = self.sector_size // 4
        for _ in range(self.sector_count):
            if sector == _CFB_END_OF_CHAIN:
                return
            if sector >= self.sector_count:
                raise _BadCompoundFile
            yield sector
            fat_index, position = divmod(sector, per_fat_sector)
            if fat_index >= len(self.fat_sectors):
                raise _BadCompoundFile
            offset = self._offset(self.fat_sectors[fat_index]) + position * 4
            (sector,) = struct.unpack_from("<I", self.data, offset)
        raise _BadCompoundFile  # longer than the file: a loop

    def _offset(self, sector: int) -> int:
        if sector >= self.sector_count:
            raise _BadCompoundFile
        return (sector + 1) * self.sector_size


# --- markup and text ------------------------------------------------------------------------

# Tags that make a browser take a file for a web page (the WHATWG MIME sniffing list).
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|script|iframe|style|title|table|div|font|h1|a|b|br|p)"
    r"(?:[\s/>]|$)|<!--"
)
_FIRST_ELEMENT = re.compile(r"<([a-z][\w:.-]*)")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _by_markup(data: bytes) -> str | None:
    head = _decoded_head(data).lstrip().lower()
    if head.startswith(("<?xml", "<!doctype")):
        # The prolog says nothing; the first element does: <svg>, <html> or any other XML.
        element = _FIRST_ELEMENT.search(re.sub(r"<!--.*?-->", "", head, flags=re.DOTALL))
        root = element.group(1).rpartition(":")[2] if element else ""
        if root in ("svg", "html"):
            return root
        return "html" if head.startswith("<!doctype html") else "xml"
    if re.match(r"<svg(?:[\s/>]|$)", head):
        return "svg"
    if _HTML_START.match(head):
        return "html"
    return None


def _decoded_head(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) : len(bom) + _SNIFF_BYTES].decode(encoding, "ignore")
    return data[:_SNIFF_BYTES].decode("latin-1")  # enough to see ASCII tags in any encoding


def _by_text(data: bytes) -> str | None:
    return "txt" if text_encoding(data) else None


def text_encoding(data: bytes) -> str | None:
    """How `data` is encoded if it is plain text: "utf-8", "utf-16" or "cp1251"; else None.

    Windows-1251 maps almost every byte to some character, so a successful decode proves
    nothing; it is taken only when the result reads as Russian or English writing.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "cp1251")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _is_plain_text(text) and (encoding != "cp1251" or _reads_as_words(text)):
            return encoding.removesuffix("-sig")
    return None


# Control characters other than tab, line feed, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ORDINARY = re.compile(r"[\s\x20-\x7e\u0400-\u04ff«»№–—…]")


def _is_plain_text(text: str) -> bool:
    return _CONTROL.search(text) is None


def _reads_as_words(text: str) -> bool:
    sample = text[:65536]
    ordinary = len(_ORDINARY.findall(sample))
    return ordinary >= 0.95 * len(sample)


def _mime(code: str, data: bytes) -> str:
    if code == "txt":
        # Browsers guess the charset of text badly, and Windows-1251 is still common.
        charset = {"utf-8": "utf-8", "utf-16": "utf-16", "cp1251": "windows-1251"}
        return f"text/plain; charset={charset[text_encoding(data) or 'utf-8']}"
    return _KINDS[code].mime


def _extension(filename: str) -> str:
    name = _base_name(filename)
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _base_name(filename: str) -> str:
    """Old browsers send the whole path: «C:\\Users\\…\\приказ.pdf»."""
    return re.split(r"[\\/]", filename)[-1]


# --- ZIP-based files: what they would unpack to ---------------------------------------------


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps for what a ZIP-based upload (DOCX, XLSX, ODS, …) may unpack to.

    A 1 MB spreadsheet can hold 1 GB of whitespace: parsers inflate members whole, so the
    members are measured — by inflating them into nothing, not by trusting their headers —
    before any parser sees the file.
    """

    max_unzipped: int = 100 * _MEBIBYTE  # all members together
    max_ratio: int = 200  # inflated / compressed, for members of at least RATIO_FLOOR
    max_members: int = 2000


RATIO_FLOOR = _MEBIBYTE  # small members may compress as well as they like
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_INFLATE_CHUNK = 256 * 1024


def check_archive(data: bytes, filename: str, limits: ArchiveLimits | None = None) -> None:
    """FileRejected (in Russian, naming the problem) when a ZIP-based file would unpack to more
    than `limits` allow; anything that is not a zip archive passes untouched.

    A damaged archive passes too: the parser that follows reports it as damaged.
    """
    if not data.startswith(_ZIP_MAGIC):
        return
    limits = limits or ArchiveLimits()
    name = _base_name(filename)
    # The count first, from the archive's end record: a million entries would take zipfile
    # hundreds of megabytes to list.
    count = _declared_members(data)
    if count is not None and count > limits.max_members:
        raise _too_many(name, count, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except _ZIP_DAMAGE:
        return
    if len(members) > limits.max_members:
        raise _too_many(name, len(members), limits)
    declared = sum(member.file_size for member in members)
    if declared > limits.max_unzipped:
        biggest = max(members, key=lambda member: member.file_size)
        raise _too_big(name, limits, biggest.filename, biggest.file_size)
    for member in members:
        if member.file_size >= RATIO_FLOOR:
            _check_ratio(name, limits, member, member.file_size)
    total = 0
    for member in members:
        size = _inflated_size(data, member, limits.max_unzipped - total)
        total += size
        if total > limits.max_unzipped:
            raise _too_big(name, limits, member.filename, size)
        if size >= RATIO_FLOOR:
            _check_ratio(name, limits, member, size)


_END_RECORD = b"PK\x05\x06"
_END_RECORD_SEARCH = 22 + 65535  # the record and the longest comment


def _declared_members(data: bytes) -> int | None:
    """The number of entries the archive's end record announces (None if it has none)."""
    start = data.rfind(_END_RECORD, max(0, len(data) - _END_RECORD_SEARCH))
    if start < 0 or len(data) < start + 12:
        return None
    (count,) = struct.unpack_from("<H", data, start + 10)
    return count


def _too_many(name: str, count: int, limits: ArchiveLimits) -> FileRejected:
    return FileRejected(
        f"Файл «{name}» состоит из {count} частей — больше {limits.max_members}: "
        "так не бывает у обычных документов и таблиц. Сохраните файл заново и загрузите снова."
    )


def _too_big(name: str, limits: ArchiveLimits, member: str, size: int) -> FileRejected:
    return FileRejected(
        f"Файл «{name}» в распакованном виде больше {_megabytes(limits.max_unzipped)} МБ "
        f"(часть «{_shortened(member, 60)}» — не меньше {_megabytes(size)} МБ). "
        "Так бывает у повреждённых или специально испорченных файлов. Сохраните файл "
        "заново (например, «Сохранить как» в Excel или Word) и загрузите снова."
    )


def _check_ratio(name: str, limits: ArchiveLimits, member: zipfile.ZipInfo, size: int) -> None:
    ratio = size // max(member.compress_size, 1)
    if ratio > limits.max_ratio:
        raise FileRejected(
            f"Файл «{name}» отклонён: часть «{_shortened(member.filename, 60)}» сжата "
            f"в {ratio} раз (допускается не больше {limits.max_ratio}) — внутри, скорее "
            "всего, мегабайты пробелов или повторов. Сохраните файл заново и загрузите снова."
        )


def _inflated_size(data: bytes, member: zipfile.ZipInfo, budget: int) -> int:
    """How many bytes `member` really inflates to, counting at most `budget` + 1 of them.

    Headers can lie about sizes, so the stream itself is inflated, chunk by chunk, into
    nothing. Members that cannot be measured count at their declared size: the parser that
    follows refuses such a file as damaged.
    """
    start = member.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or member.flag_bits & 0x1:
        return member.file_size  # damaged, or encrypted (refused elsewhere)
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_SIGNATURE:
        return member.file_size
    begin = start + _LOCAL_HEADER.size + fields[10] + fields[11]
    raw = memoryview(data)[begin : begin + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        return len(raw)
    if member.compress_type != zipfile.ZIP_DEFLATED:
        return member.file_size
    inflater = zlib.decompressobj(-15)
    size = 0
    position = 0
    try:
        while size <= budget:
            if inflater.unconsumed_tail:
                chunk = inflater.decompress(inflater.unconsumed_tail, _INFLATE_CHUNK)
            elif position < len(raw):
                piece = raw[position : position + _INFLATE_CHUNK]
                position += len(piece)
                chunk = inflater.decompress(piece, _INFLATE_CHUNK)
            else:
                break
            size += len(chunk)
            if inflater.eof:
                break
    except zlib.error:
        return member.file_size
    return size


# --- checking an upload ---------------------------------------------------------------------


def check_upload(
    data: bytes,
    filename: str,
    *,
    allowed: set[str],
    max_bytes: int,
    archive_limits: ArchiveLimits | None = None,
) -> FileKind:
    """The kind of an uploaded file, or FileRejected with the reason in Russian.

    A ZIP-based file is measured member by member (`check_archive`) before anything parses it.

    A name that disagrees with the content is no reason to refuse: the result's `renamed` is
    set and its `extension` is the right one. Kinds in REFUSED are refused even if allowed.
    """
    name = _base_name(filename)
    if not data:
        raise FileRejected("Файл пустой.")
    if len(data) > max_bytes:
        raise FileRejected(
            f"Файл больше {_megabytes(max_bytes)} МБ: в нём {_megabytes(len(data))} МБ. "
            "Сожмите изображения в документе или разделите его на части."
        )
    kind = detect(data, filename)
    accepted = f"Принимаются: {describe_allowed(allowed)}."
    if not kind.refused:
        check_archive(data, filename, archive_limits)
    if kind.code == "encrypted":
        raise FileRejected(f"Файл «{name}» защищён паролем. Снимите пароль и загрузите файл снова.")
    if kind.code == "macro":
        raise FileRejected(
            f"Файл «{name}» содержит макросы — такие файлы не принимаются. Сохраните его "
            f"как обычный документ, таблицу или презентацию, без макросов. {accepted}"
        )
    if kind.code == "unknown":
        raise FileRejected(
            f"Не удалось распознать формат файла «{name}» — возможно, он повреждён. {accepted}"
        )
    if kind.refused:
        raise FileRejected(f"{_what_it_is(name, kind)} не принимаются. {accepted}")
    if kind.code not in allowed:
        raise FileRejected(f"{_what_it_is(name, kind)} здесь не принимаются. {accepted}")
    return kind


def _what_it_is(name: str, kind: FileKind) -> str:
    """«Файл «x.pdf» на самом деле страница HTML — такие файлы» or «Файл «x.gif» — изображение
    GIF, такие файлы»: the start of a refusal."""
    if kind.renamed:
        return f"Файл «{name}» на самом деле {kind.description} — такие файлы"
    return f"Файл «{name}» — {kind.description}, такие файлы"


def describe_allowed(allowed: Iterable[str]) -> str:
    """«PDF, DOCX, XLSX, изображения PNG и JPEG» — the accepted formats, documents first."""
    wanted = set(allowed) - REFUSED
    codes = [code for code in _KINDS if code in wanted]
    parts = [_KINDS[code].label for code in codes if code not in IMAGES]
    images = [_KINDS[code].label for code in codes if code in IMAGES]
    if images:
        parts.append("изображения " + _joined(images))
    return ", ".join(parts) if parts else "—"


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} и {items[-1]}"


def _megabytes(size: int) -> str:
    """20 971 520 → «20», 5 000 000 → «4,8».

    Binary megabytes, as Windows shows sizes, rounded up to a tenth: a file just over the
    limit never reads as being exactly at it.
    """
    whole, tenth = divmod(math.ceil(size * 10 / _MEBIBYTE), 10)
    return f"{whole},{tenth}" if tenth else str(whole)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- download names -------------------------------------------------------------------------

# Punctuation a title may keep in a file name; everything else that is not a letter or a digit
# becomes a space, so «Приказ: о фонде» does not turn into «Приказо фонде».
_NAME_PUNCTUATION = frozenset(" .,-–—()[]№_+!;&@#%=")


def safe_download_name(title: str, kind: FileKind) -> str:
    """«План работы ММО на 2024/2025.docx» → «План работы ММО на 2024-2025.docx».

    Spaces stay: the name travels percent-encoded in `filename*`, where they are safe, and a
    person saving the file sees the title as written. Slashes become hyphens (academic years),
    quotes, colons and other characters Windows forbids become spaces, control characters go.
    """
    text = unicodedata.normalize("NFC", title).replace("/", "-").replace("\\", "-")
    kept = "".join(
        char if char.isalnum() or char in _NAME_PUNCTUATION else " "
        for char in text
        if unicodedata.category(char) != "Cc"  # a newline in a title is no word break
    )
    stem = " ".join(kept.split()).strip(" .")  # Windows drops trailing dots and spaces
    suffix = f".{kind.extension}" if kind.extension else ""
    stem = _shortened(stem, MAX_DOWNLOAD_NAME - len(suffix)) or "документ"
    return stem + suffix


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2 :]:  # a word boundary not too far back
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" .,-–—")


def content_disposition(name: str, *, inline: bool = False) -> str:
    """The Content-Disposition value for a download named `name` (RFC 6266 and RFC 5987).

    Every current browser reads `filename*`; `filename` is the transliterated ASCII fallback
    that older clients and some mail gateways show instead.
    """
    disposition = "inline" if inline else "attachment"
    encoded = urllib.parse.quote(_without_controls(name), safe="!#$&+-.^_`|~")
    return f"{disposition}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{encoded}"


def ascii_name(name: str) -> str:
    """«Приказ № 858.pdf» → «Prikaz N 858.pdf»: safe inside a quoted header parameter."""
    latin = "".join(_TRANSLIT.get(char, char) for char in unicodedata.normalize("NFC", name))
    # Accented Latin letters lose their accents rather than the whole letter.
    plain = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r'["\\]', "", _without_controls(plain))
    stem, dot, extension = " ".join(plain.split()).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = stem.strip(" .") or "document"
    return f"{stem}.{extension}" if extension else stem


def _without_controls(text: str) -> str:
    return "".join(char for char in text if unicodedata.category(char) != "Cc")


def _transliteration() -> dict[str, str]:
    single = dict(zip("абвгдеёзийклмнопрстуфыэіґ", "abvgdeeziyklmnoprstufyeig", strict=True))
    multi = {"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu"}
    multi |= {"я": "ya", "ї": "yi", "є": "ye", "ъ": "", "ь": ""}
    lower = single | multi
    upper = {char.upper(): latin.capitalize() for char, latin in lower.items()}
    return lower | upper | {"№": "N", "–": "-", "—": "-", "«": "", "»": ""}


_TRANSLIT = _transliteration()
