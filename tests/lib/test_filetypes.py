import email.message
import email.utils
import io
import struct
import zipfile

import docx
import pytest
import xlsxwriter

from bibliomo.lib.filetypes import (
    ArchiveLimits,
    FileKind,
    FileRejected,
    check_archive,
    check_upload,
    content_disposition,
    describe_allowed,
    detect,
    safe_download_name,
    sha256,
)

LIBRARY_FORMATS = {"pdf", "docx", "doc", "xlsx", "odt", "pptx", "png", "jpeg"}
LIMIT = 20 * 1024 * 1024

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def word_document(text: str = "План работы ММО на 2024/2025 учебный год") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def workbook() -> bytes:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as book:
        book.add_worksheet("Обеспеченность").write_row(0, 0, ["Класс", "Учащихся"])
    return buffer.getvalue()


def archive(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in members.items():
            # OpenDocument wants «mimetype» first and uncompressed.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zipped.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def open_document(kind: str) -> bytes:
    return archive(
        {
            "mimetype": f"application/vnd.oasis.opendocument.{kind}",
            "content.xml": "<office:document-content/>",
        }
    )


FREE_SECTOR, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(tree: dict[str, dict | None]) -> bytes:
    """A Compound File Binary (the container of DOC, XLS, PPT) with empty streams.

    `tree` maps entry names to None for a stream or to a dict for a storage. Siblings are
    chained through their right-sibling links; one FAT sector chains the directory sectors.
    """
    entries: list[list] = []  # name, type, left, right, child

    def add(name: str, object_type: int) -> int:
        entries.append([name, object_type, NO_STREAM, NO_STREAM, NO_STREAM])
        return len(entries) - 1

    def fill(parent: int, children: dict[str, dict | None]) -> None:
        previous = None
        for name, subtree in children.items():
            index = add(name, 2 if subtree is None else 1)
            if previous is None:
                entries[parent][4] = index
            else:
                entries[previous][3] = index
            previous = index
            if subtree is not None:
                fill(index, subtree)

    fill(add("Root Entry", 5), tree)
    while len(entries) % 4:
        entries.append(["", 0, NO_STREAM, NO_STREAM, NO_STREAM])
    directory_sectors = len(entries) // 4
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        bytes(16),
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        1,  # FAT sectors
        1,  # first directory sector
        0,
        4096,
        END_OF_CHAIN,
        0,
        END_OF_CHAIN,
        0,
    ) + struct.pack("<109I", 0, *[FREE_SECTOR] * 108)
    chain = [*range(2, directory_sectors + 1), END_OF_CHAIN]
    fat = [FAT_SECTOR, *chain]
    fat_sector = struct.pack("<128I", *fat, *[FREE_SECTOR] * (128 - len(fat)))
    directory = b"".join(
        struct.pack(
            "<64sHBBIII16sIQQIQ",
            name.encode("utf-16-le"),
            (len(name) + 1) * 2 if name else 0,
            object_type,
            1,
            left,
            right,
            child,
            bytes(16),
            0,
            0,
            0,
            END_OF_CHAIN,
            0,
        )
        for name, object_type, left, right, child in entries
    )
    return header + fat_sector + directory


def rejection(data: bytes, filename: str, allowed: set[str] = LIBRARY_FORMATS) -> str:
    with pytest.raises(FileRejected) as caught:
        check_upload(data, filename, allowed=allowed, max_bytes=LIMIT)
    return caught.value.message


# --- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "code", "extension"),
    [
        (PDF, "приказ.pdf", "pdf", "pdf"),
        (PNG, "обложка.png", "png", "png"),
        (JPEG, "фото.jpg", "jpeg", "jpg"),
        (JPEG, "ФОТО.JPEG", "jpeg", "jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "анимация.gif", "gif", "gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "снимок.webp", "webp", "webp"),
        (b"{\\rtf1\\ansi\\ansicpg1251 ", "письмо.rtf", "rtf", "rtf"),
    ],
)
def test_kinds_told_by_their_signatures(data, filename, code, extension):
    kind = detect(data, filename)

    assert (kind.code, kind.extension, kind.renamed) == (code, extension, False)


def test_office_open_xml_told_by_the_parts_inside_the_zip():
    presentation = archive({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})

    assert detect(word_document(), "план.docx").code == "docx"
    assert detect(workbook(), "мониторинг.xlsx").code == "xlsx"
    assert detect(presentation, "семинар.pptx").code == "pptx"


def test_office_open_xml_mime_types():
    assert detect(word_document(), "план.docx").mime == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert detect(workbook(), "мониторинг.xlsx").mime == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.mark.parametrize(
    ("kind", "code"), [("text", "odt"), ("spreadsheet", "ods"), ("presentation", "odp")]
)
def test_open_document_told_by_its_mimetype_member(kind, code):
    detected = detect(open_document(kind), f"файл.{code}")

    assert detected.code == code
    assert detected.mime == f"application/vnd.oasis.opendocument.{kind}"


def test_other_zip_archives_are_zip():
    assert detect(archive({"фото/1.jpg": JPEG}), "материалы.zip").code == "zip"
    assert detect(open_document("graphics"), "схема.odg").code == "zip"


def test_office_document_with_macros_is_its_own_kind():
    macro = archive({"word/document.xml": "<w:document/>", "word/vbaProject.bin": b"\x00"})

    assert detect(macro, "бланк.docm").code == "macro"


def test_damaged_zip_is_unknown():
    assert detect(word_document()[:300], "план.docx").code == "unknown"


@pytest.mark.parametrize(
    ("stream", "code"),
    [
        ("WordDocument", "doc"),
        ("Workbook", "xls"),
        ("Book", "xls"),
        ("PowerPoint Document", "ppt"),
        ("EncryptedPackage", "encrypted"),
    ],
)
def test_compound_files_told_by_the_streams_in_their_root(stream, code):
    data = compound_file({"\x05SummaryInformation": None, stream: None})

    assert detect(data, "файл.bin").code == code


def test_password_protected_docx_is_not_taken_for_a_document():
    data = compound_file({"EncryptionInfo": None, "EncryptedPackage": None})

    assert detect(data, "план.docx").code == "encrypted"


def test_only_the_root_storage_of_a_compound_file_counts():
    # An Excel workbook with a Word document embedded in it: the directory spans two sectors.
    data = compound_file(
        {"Workbook": None, "MBD0001": {"WordDocument": None, "1Table": None}, "ObjectPool": {}}
    )

    assert detect(data, "таблица.xls").code == "xls"


def test_compound_file_of_another_application_is_unknown():
    msi = compound_file({"\x05SummaryInformation": None, "Property": None})

    assert detect(msi, "установка.doc").code == "unknown"


def test_unreadable_compound_file_is_taken_by_its_extension_among_doc_xls_ppt():
    damaged = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)

    assert detect(damaged, "старый отчёт.xls").code == "xls"
    assert detect(damaged, "старый отчёт.pdf").code == "unknown"


def test_content_wins_over_the_name():
    kind = detect(word_document(), "приказ.pdf")

    assert kind == FileKind("docx", "DOCX", kind.mime, "docx", renamed=True)


def test_a_name_without_extension_is_not_renamed():
    kind = detect(PDF, "приказ")

    assert (kind.code, kind.extension, kind.renamed) == ("pdf", "pdf", False)


def test_path_sent_by_an_old_browser_is_ignored():
    assert detect(PDF, "C:\\Users\\Библиотека\\приказ.pdf").extension == "pdf"
    assert not detect(PDF, "C:\\Users\\Библиотека.2024\\приказ").renamed


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<!DOCTYPE html><html><body>Hi</body></html>", "html"),
        (b"\xef\xbb\xbf \r\n\t<HTML lang=ru>", "html"),
        (b"<script>alert(1)</script>", "html"),
        (b"<!-- saved from url=(0014)about:internet -->\n<html>", "html"),
        (b"  <p>text</p>", "html"),
        ("<html>".encode("utf-16"), "html"),
        (
            b'<?xml version="1.0"?>\n<!-- Inkscape -->\n<svg xmlns="http://www.w3.org/2000/svg">',
            "svg",
        ),
        (b'<svg onload="alert(1)">', "svg"),
        (b'<?xml version="1.0"?><svg:svg xmlns:svg="http://www.w3.org/2000/svg">', "svg"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">', "html"),
        (b'<?xml version="1.0" encoding="UTF-8"?><catalog/>', "xml"),
    ],
)
def test_markup_sniffed_in_the_first_kilobyte(data, code):
    assert detect(data, "приказ.pdf").code == code


@pytest.mark.parametrize(
    "data", [b"MZ\x90\x00\x03\x00\x00\x00", b"\x7fELF\x02\x01\x01", b"\xcf\xfa\xed\xfe\x07"]
)
def test_programs_are_exe(data):
    assert detect(data, "инструкция.pdf").code == "exe"


def test_plain_text_in_utf8_and_windows_1251():
    utf8 = detect("Список учебников: 5 класс".encode(), "список.txt")
    cp1251 = detect("Список учебников: 5 класс".encode("cp1251"), "список.csv")

    assert (utf8.code, utf8.mime) == ("txt", "text/plain; charset=utf-8")
    assert (cp1251.code, cp1251.extension, cp1251.mime) == (
        "txt",
        "csv",
        "text/plain; charset=windows-1251",
    )


def test_binary_noise_is_unknown_and_nothing_is_empty():
    assert detect(bytes(range(256)) * 4, "данные.txt").code == "unknown"
    assert detect(b"", "пусто.pdf").code == "empty"


# --- checking uploads -----------------------------------------------------------------------


def test_accepted_upload_returns_its_kind():
    kind = check_upload(PDF, "приказ.pdf", allowed=LIBRARY_FORMATS, max_bytes=LIMIT)

    assert kind.code == "pdf"
    assert not kind.refused


def test_renamed_file_is_accepted_under_its_real_type():
    kind = check_upload(word_document(), "приказ.pdf", allowed=LIBRARY_FORMATS, max_bytes=LIMIT)

    assert (kind.code, kind.extension, kind.renamed) == ("docx", "docx", True)


def test_empty_file_is_rejected():
    assert rejection(b"", "приказ.pdf") == "Файл пустой."


def test_too_big_file_is_rejected_with_both_sizes():
    data = PDF + bytes(LIMIT)

    assert rejection(data, "приказ.pdf").startswith("Файл больше 20 МБ: в нём 20,1 МБ.")


def test_limit_that_is_not_a_whole_number_of_megabytes():
    with pytest.raises(FileRejected, match=r"^Файл больше 4,8 МБ: в нём 4,8 МБ\."):
        check_upload(PDF + bytes(5_000_000), "скан.pdf", allowed={"pdf"}, max_bytes=5_000_000)


def test_web_page_named_pdf_is_rejected_as_what_it_really_is():
    message = rejection(b"<!doctype html><title>x</title>", "приказ.pdf")

    assert message == (
        "Файл «приказ.pdf» на самом деле страница HTML — такие файлы не принимаются. "
        "Принимаются: PDF, DOCX, DOC, XLSX, ODT, PPTX, изображения PNG и JPEG."
    )


def test_refused_kinds_are_refused_even_when_allowed():
    message = rejection(b"<svg/>", "логотип.svg", allowed={"svg", "png"})

    assert message == (
        "Файл «логотип.svg» — рисунок SVG, такие файлы не принимаются. "
        "Принимаются: изображения PNG."
    )


def test_program_is_rejected():
    assert rejection(b"MZ\x90\x00", "приказ.pdf").startswith(
        "Файл «приказ.pdf» на самом деле программа — такие файлы не принимаются."
    )


def test_kind_not_allowed_here_lists_what_is():
    message = rejection(b"GIF89a\x01\x00", "C:\\fakepath\\открытка.gif")

    assert message == (
        "Файл «открытка.gif» — изображение GIF, такие файлы здесь не принимаются. "
        "Принимаются: PDF, DOCX, DOC, XLSX, ODT, PPTX, изображения PNG и JPEG."
    )


def test_password_protected_and_macro_documents_are_rejected():
    encrypted = compound_file({"EncryptionInfo": None, "EncryptedPackage": None})
    macro = archive({"xl/workbook.xml": "<w/>", "xl/vbaProject.bin": b"\x00"})

    assert rejection(encrypted, "план.docx") == (
        "Файл «план.docx» защищён паролем. Снимите пароль и загрузите файл снова."
    )
    assert rejection(macro, "расчёт.xlsm").startswith(
        "Файл «расчёт.xlsm» содержит макросы — такие файлы не принимаются."
    )


def test_unrecognised_file_is_rejected():
    assert rejection(bytes(range(256)), "приказ.pdf").startswith(
        "Не удалось распознать формат файла «приказ.pdf» — возможно, он повреждён. Принимаются: "
    )


def test_describe_allowed_orders_documents_then_images():
    assert describe_allowed({"jpeg", "png", "gif", "pdf"}) == "PDF, изображения PNG, JPEG и GIF"
    assert describe_allowed({"ods", "xlsx", "xls", "html"}) == "XLSX, XLS, ODS"


# --- names and hashes -----------------------------------------------------------------------


def pdf_kind() -> FileKind:
    return detect(PDF, "x.pdf")


def test_download_name_keeps_the_russian_title_readable():
    name = safe_download_name("План работы ММО на 2024/2025 учебный год", pdf_kind())

    assert name == "План работы ММО на 2024-2025 учебный год.pdf"


def test_download_name_drops_what_breaks_file_systems_and_headers():
    title = 'Приказ: «О фонде»\r\n"учебников" <№ 858> ..\\..\\etc\x00 ?*|.'

    assert safe_download_name(title, pdf_kind()) == "Приказ О фонде учебников № 858 ..-..-etc.pdf"


def test_download_name_is_limited_to_120_characters_at_a_word_boundary():
    title = "Положение о конкурсе «Ярмарка библиотечных идей» " * 5
    name = safe_download_name(title, pdf_kind())

    assert len(name) <= 120
    assert name == (
        "Положение о конкурсе Ярмарка библиотечных идей Положение о конкурсе Ярмарка "
        "библиотечных идей Положение о конкурсе.pdf"
    )


def test_download_name_of_an_empty_title():
    assert safe_download_name(" «» ", pdf_kind()) == "документ.pdf"


def test_content_disposition_carries_the_name_twice():
    header = content_disposition("Приказ № 858 «Об утверждении».pdf")

    assert header == (
        'attachment; filename="Prikaz N 858 Ob utverzhdenii.pdf"; '
        "filename*=UTF-8''%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7%20%E2%84%96%20858%20"
        "%C2%AB%D0%9E%D0%B1%20%D1%83%D1%82%D0%B2%D0%B5%D1%80%D0%B6%D0%B4%D0%B5%D0%BD%D0%B8"
        "%D0%B8%C2%BB.pdf"
    )


def test_content_disposition_round_trips_through_a_mail_parser():
    name = "Щитова Юлия — журнал учёта.xlsx"
    message = email.message.Message()
    message["Content-Disposition"] = content_disposition(name, inline=True)

    params = message.get_params(header="content-disposition")
    (extended,) = [value for key, value in params if key == "filename" and isinstance(value, tuple)]

    assert params[0] == ("inline", "")
    assert email.utils.collapse_rfc2231_value(extended) == name


def test_content_disposition_cannot_be_broken_out_of():
    header = content_disposition('a"b\\c\r\nSet-Cookie: x=1.pdf')

    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="abcSet-Cookie: x=1.pdf"; filename*=')


def test_sha256():
    assert sha256(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


# --- ZIP-based files: what they would unpack to ----------------------------------------------


def _zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


_SMALL = ArchiveLimits(max_unzipped=2 * 1024 * 1024, max_ratio=200, max_members=10)


def test_an_ordinary_archive_passes_the_archive_check():
    data = _zipped({"word/document.xml": "<w:document>Приказ</w:document>" * 1000})
    check_archive(data, "prikaz.docx", _SMALL)  # no exception
    check_archive(b"%PDF-1.4 not a zip", "x.pdf", _SMALL)


def test_too_many_members_are_refused():
    data = _zipped({f"part{n}.xml": b"<x/>" for n in range(11)})
    with pytest.raises(FileRejected, match="состоит из 11 частей"):
        check_archive(data, "x.xlsx", _SMALL)


def test_a_highly_compressed_member_is_refused_by_its_ratio():
    data = _zipped({"xl/worksheets/sheet1.xml": b" " * (1024 * 1024 + 10)})
    with pytest.raises(FileRejected, match=r"сжата в \d+ раз \(допускается не больше 200\)"):
        check_archive(data, "x.xlsx", _SMALL)


def test_a_member_whose_header_lies_about_its_size_is_measured_by_inflating_it():
    content = bytes(range(256)) * (3 * 4096)  # 3 MB that compress poorly: no ratio trip
    data = bytearray(_zipped({"word/document.xml": content}))
    size = len(content).to_bytes(4, "little")
    small = (100).to_bytes(4, "little")
    # Both the local header and the central directory claim 100 bytes.
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    assert data[local + 22 : local + 26] == size and data[central + 24 : central + 28] == size
    data[local + 22 : local + 26] = small
    data[central + 24 : central + 28] = small
    with pytest.raises(FileRejected, match="в распакованном виде больше 2 МБ"):
        check_archive(bytes(data), "x.docx", _SMALL)


def test_check_upload_measures_archives_before_returning_the_kind():
    data = _zipped({"word/document.xml": b" " * (3 * 1024 * 1024)})
    with pytest.raises(FileRejected, match=r"word/document\.xml"):
        check_upload(data, "x.docx", allowed={"docx"}, max_bytes=10**8, archive_limits=_SMALL)
