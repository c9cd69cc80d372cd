import io
import zipfile
from datetime import date, datetime

import docx
import pytest
import xlsxwriter
from pypdf import PdfReader, PdfWriter

from bibliomo.lib import textextract
from bibliomo.lib.documents import html_to_pdf
from bibliomo.lib.textextract import ExtractResult, extract, extract_text

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)


def archive(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in members.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zipped.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def pdf(*pages: str) -> bytes:
    body = "".join(f'<p style="break-before: page">{page}</p>' for page in pages)
    return html_to_pdf(f"<html><body>{body}</body></html>")


def word_xml(body: str) -> bytes:
    document = (
        f'<w:document xmlns:w="{W_NAMESPACE}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return archive({"word/document.xml": document})


def open_document(kind: str, body: str) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NAMESPACES}>'
        f"<office:body><office:{kind}>{body}</office:{kind}></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="application/vnd.oasis.opendocument.{kind}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return archive(
        {
            "mimetype": f"application/vnd.oasis.opendocument.{kind}",
            "content.xml": content,
            "META-INF/manifest.xml": manifest,
        }
    )


def presentation(slides: dict[str, str], order: list[str]) -> bytes:
    """A PPTX skeleton: slide files by name, shown in `order` (relationship ids)."""
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    members = {
        "ppt/presentation.xml": (
            f'<p:presentation xmlns:p="{p}" xmlns:r="{r}"><p:sldIdLst>'
            + "".join(f'<p:sldId id="{256 + i}" r:id="{rid}"/>' for i, rid in enumerate(order))
            + "</p:sldIdLst></p:presentation>"
        ),
        "ppt/_rels/presentation.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Target="slides/{name}" Type="{r}/slide"/>'
                for i, name in enumerate(slides, start=1)
            )
            + "</Relationships>"
        ),
    }
    for name, paragraphs in slides.items():
        members[f"ppt/slides/{name}"] = (
            f'<p:sld xmlns:p="{p}" xmlns:a="{a}"><p:cSld><p:spTree><p:sp><p:txBody>'
            f"{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
    return archive(members)


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_pages_in_order():
    data = pdf("Приказ Минпросвещения России № 858", "Федеральный перечень учебников")

    assert extract(data, "pdf") == ExtractResult(
        "Приказ Минпросвещения России № 858\nФедеральный перечень учебников"
    )


def test_pdf_that_only_forbids_editing_is_read():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf("Положение о конкурсе"))))
    writer.encrypt(user_password="", owner_password="методист", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert extract_text(buffer.getvalue(), "pdf") == "Положение о конкурсе"


def test_pdf_with_a_password_is_reported():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf("Секрет"))))
    writer.encrypt(user_password="пароль", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert extract(buffer.getvalue(), "pdf") == ExtractResult(
        "", "Не удалось извлечь текст из файла PDF: он защищён паролем."
    )


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n" + b"\x00garbage" * 100, pdf("Приказ")[:400], b"not a pdf at all"],
)
def test_damaged_pdf_gives_an_error_and_no_text(data):
    result = extract(data, "pdf")

    assert result.text == ""
    assert result.error == (
        "Не удалось извлечь текст из файла PDF: файл повреждён или сохранён с ошибками."
    )


# --- Word -----------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_cells_in_document_order():
    document = docx.Document()
    document.add_heading("План работы ММО", level=1)
    document.add_paragraph("Раздел 1. Нормативно-правовая база")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Мероприятие"
    table.cell(0, 1).text = "Сроки"
    table.cell(1, 0).text = "Мониторинг обеспеченности учебниками"
    table.cell(1, 1).text = "Сентябрь"
    document.add_paragraph("Ответственный: Леонтьева Э.В.")
    buffer = io.BytesIO()
    document.save(buffer)

    assert extract_text(buffer.getvalue(), "docx") == (
        "План работы ММО\n"
        "Раздел 1. Нормативно-правовая база\n"
        "Мероприятие\nСроки\nМониторинг обеспеченности учебниками\nСентябрь\n"
        "Ответственный: Леонтьева Э.В."
    )


def test_docx_reads_runs_tabs_and_breaks_but_not_deleted_text_or_field_codes():
    data = word_xml(
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
        "<w:r><w:t>Учеб</w:t></w:r><w:r><w:t>ники</w:t></w:r><w:r><w:tab/><w:t>5 класс</w:t>"
        "<w:br/><w:t>6 класс</w:t></w:r>"
        "<w:del><w:r><w:delText>удалено</w:delText></w:r></w:del>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r></w:p>"
    )

    assert extract_text(data, "docx") == "Учебники 5 класс\n6 класс"


def test_docx_text_box_is_read_once_after_its_paragraph():
    text_box = "<w:txbxContent><w:p><w:r><w:t>Надпись</w:t></w:r></w:p></w:txbxContent>"
    data = word_xml(
        "<w:p><w:r><w:t xml:space='preserve'>Текст </w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing>{text_box}</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{text_box}</w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>абзаца</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Следующий</w:t></w:r></w:p>"
    )

    assert extract_text(data, "docx") == "Текст абзаца\nНадпись\nСледующий"


def test_damaged_docx_gives_an_error_and_no_text():
    document = docx.Document()
    document.add_paragraph("Текст")
    buffer = io.BytesIO()
    document.save(buffer)

    for data in (buffer.getvalue()[:500], word_xml("<w:p><w:r><w:t>обрыв")):
        result = extract(data, "docx")
        assert result.text == ""
        assert result.error.startswith("Не удалось извлечь текст из файла DOCX: файл повреждён")


def test_part_that_would_inflate_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(textextract, "MAX_PART_BYTES", 1000)
    data = word_xml("<w:p><w:r><w:t>" + "а" * 1000 + "</w:t></w:r></w:p>")

    assert extract(data, "docx").error is not None


# --- spreadsheets ---------------------------------------------------------------------------


def test_xlsx_cells_sheet_by_sheet():
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as workbook:
        dates = workbook.add_format({"num_format": "dd.mm.yyyy"})
        provision = workbook.add_worksheet("Обеспеченность")
        provision.write_row(0, 0, ["Предмет", "Класс", "Учащихся", "Экземпляров"])
        provision.write_row(1, 0, ["Русский язык", "5А", 28, 27.5])
        orders = workbook.add_worksheet("Приказы")
        orders.write(0, 0, "Приказ № 858 от")
        orders.write_datetime(0, 1, datetime(2022, 9, 21), dates)
        orders.write_datetime(1, 1, datetime(2024, 5, 21, 14, 30), dates)
        workbook.add_chartsheet("Диаграмма")

    assert extract_text(buffer.getvalue(), "xlsx") == (
        "Обеспеченность\n"
        "Предмет Класс Учащихся Экземпляров\n"
        "Русский язык 5А 28 27.5\n"
        "\n"
        "Приказы\n"
        "Приказ № 858 от 21.09.2022\n"
        "21.05.2024 14:30"
    )


def test_ods_cells():
    data = open_document(
        "spreadsheet",
        '<table:table table:name="Фонд"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>Алгебра</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="858">'
        "<text:p>858</text:p></table:table-cell>"
        "</table:table-row></table:table>",
    )

    assert extract_text(data, "ods") == "Фонд\nАлгебра 858"


def test_damaged_spreadsheet_gives_an_error():
    result = extract(b"PK\x03\x04 broken", "xlsx")

    assert (result.text, result.error is not None) == ("", True)


def test_cell_values_as_people_search_for_them():
    cell = textextract._cell_text

    assert [cell(858.0), cell(0.5), cell(True), cell(date(2022, 9, 21))] == [
        "858",
        "0.5",
        "да",
        "21.09.2022",
    ]


# --- presentations --------------------------------------------------------------------------


def test_pptx_slides_in_the_order_of_the_presentation():
    data = presentation(
        {
            "slide1.xml": "<a:p><a:r><a:t>Второй слайд</a:t></a:r></a:p>",
            "slide2.xml": (
                "<a:p><a:r><a:t>Ярмарка </a:t></a:r><a:r><a:t>библиотечных идей</a:t></a:r>"
                "<a:br/><a:r><a:t>2025</a:t></a:r></a:p>"
            ),
        },
        order=["rId2", "rId1"],  # the slides were reordered after they were made
    )

    assert extract_text(data, "pptx") == "Ярмарка библиотечных идей\n2025\n\nВторой слайд"


def test_pptx_without_a_presentation_part_is_read_by_slide_numbers():
    slides = {
        f"ppt/slides/slide{n}.xml": (
            f"<p:sld xmlns:p='p' xmlns:a='{DRAWING}'><a:p><a:r><a:t>Слайд {n}</a:t></a:r></a:p>"
            "</p:sld>"
        )
        for n in (10, 2, 1)
    }

    assert extract_text(archive(slides), "pptx") == "Слайд 1\n\nСлайд 2\n\nСлайд 10"


# --- OpenDocument ---------------------------------------------------------------------------


def test_odt_headings_paragraphs_spaces_tabs_and_notes():
    data = open_document(
        "text",
        '<text:h text:outline-level="1">Протокол заседания</text:h>'
        "<text:p>Присутствовали:<text:s text:c='2'/><text:span>12</text:span> человек"
        "<text:tab/>(кворум)<text:line-break/>Повестка"
        "<text:note><text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>Список прилагается.</text:p></text:note-body></text:note>"
        " дня</text:p>"
        "<text:p><office:annotation><text:p>Комментарий</text:p></office:annotation>"
        "Решили</text:p>",
    )

    assert extract_text(data, "odt") == (
        "Протокол заседания\nПрисутствовали: 12 человек (кворум)\nПовестка дня\n"
        "Список прилагается.\nРешили"
    )


def test_odt_deleted_text_of_tracked_changes_is_left_out():
    data = open_document(
        "text",
        "<text:tracked-changes><text:changed-region><text:deletion>"
        "<text:p>Старая редакция</text:p></text:deletion></text:changed-region>"
        "</text:tracked-changes><text:p>Новая редакция</text:p>",
    )

    assert extract_text(data, "odt") == "Новая редакция"


def test_odp_text_frames():
    data = open_document(
        "presentation",
        "<draw:page><draw:frame><draw:text-box><text:p>Международный день</text:p>"
        "<text:p>школьных библиотек</text:p></draw:text-box></draw:frame></draw:page>",
    )

    assert extract_text(data, "odp") == "Международный день\nшкольных библиотек"


# --- plain text, normalisation, limits ------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
def test_plain_text_in_the_encodings_people_save(encoding):
    text = "Список учебников\r\nдля 5 класса"

    assert extract_text(text.encode(encoding), "txt") == "Список учебников\nдля 5 класса"


def test_whitespace_is_collapsed_and_paragraph_breaks_kept():
    raw = "  Первый\u00a0\u00a0абзац\t\tтекста \n\n\n\n Второй аб\u00adзац\x00\n\n"

    assert extract_text(raw.encode(), "txt") == "Первый абзац текста\n\nВторой абзац"


def test_text_is_capped_at_a_word_boundary(monkeypatch):
    monkeypatch.setattr(textextract, "MAX_CHARS", 1000)
    words = " ".join(f"слово{n}" for n in range(1000))

    result = extract(words.encode(), "txt")

    assert result.truncated
    assert len(result.text) <= 1000
    assert words.startswith(result.text + " ")


@pytest.mark.parametrize("kind", ["png", "jpeg", "doc", "ppt", "rtf", "html", "unknown"])
def test_kinds_without_readable_text_give_nothing_and_no_error(kind):
    assert extract(b"\x89PNG\r\n\x1a\n", kind) == ExtractResult("")
