import io
import re
from datetime import date
from pathlib import Path

import docx
import pypdf
import pytest

from bibliomo.demo import documents_data as demo_data
from bibliomo.demo.documents_data import (
    AUDIENCES,
    BY_KEY,
    CATEGORIES,
    DOCUMENTS,
    FILE_FORMATS,
    KINDS,
    PACKAGE_2024,
    REAL_DOCUMENTS,
    SAMPLE_PLAN_PATH,
    STATUSES,
    USES_SAMPLE_PLAN,
    body_of,
    citation,
    file_name,
    render_file,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def normalise(text: str) -> str:
    return " ".join(text.replace("\xad", "").replace("ё", "е").replace("Ё", "Е").lower().split())


def words(text: str) -> list[str]:
    return [word for word in re.findall(r"\w+", normalise(text)) if len(word) >= 4]


def extract(name: str, content: bytes) -> str:
    if name.endswith(".pdf"):
        reader = pypdf.PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages)
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


@pytest.fixture(scope="module")
def rendered() -> dict:
    """Every version of every document, rendered once: (key, version) → (name, bytes, text)."""
    files = {}
    for doc in DOCUMENTS:
        for version in range(1, doc.versions + 1):
            name, content = render_file(doc, version)
            files[doc.key, version] = (name, content, normalise(extract(name, content)))
    return files


# --- the cards --------------------------------------------------------------------------------


def test_about_forty_documents_with_unique_slug_keys():
    keys = [doc.key for doc in DOCUMENTS]
    assert 35 <= len(keys) <= 50
    assert len(set(keys)) == len(keys)
    assert all(SLUG.match(key) for key in keys), keys
    assert {doc.key: doc for doc in DOCUMENTS} == BY_KEY


def test_fields_use_the_known_values():
    for doc in DOCUMENTS:
        assert doc.kind in KINDS, doc.key
        assert doc.category in CATEGORIES, doc.key
        assert doc.status in STATUSES, doc.key
        assert doc.audience in AUDIENCES, doc.key
        assert doc.file_format in FILE_FORMATS, doc.key
        assert doc.title and doc.issuer and doc.summary, doc.key
        assert doc.tags and all(tag.strip() for tag in doc.tags), doc.key
        limit = 20 if doc.key == "package-2024" else 12  # the checklist has a line per item
        assert 4 <= len(doc.body) <= limit, doc.key
        assert all(paragraph.strip() for paragraph in doc.body), doc.key


def test_every_category_and_the_main_kinds_are_present():
    assert {doc.category for doc in DOCUMENTS} == set(CATEGORIES)
    kinds = {doc.kind for doc in DOCUMENTS}
    assert {"federal_law", "order", "letter", "regulation", "programme", "plan"} <= kinds
    assert {"recommendation", "template", "presentation"} <= kinds


def test_cross_references_point_to_other_documents():
    for doc in DOCUMENTS:
        for key in (*doc.amends, *doc.replaces, *([doc.repealed_by] if doc.repealed_by else [])):
            assert key in BY_KEY, (doc.key, key)
            assert key != doc.key


def test_the_federal_list_and_its_amendments():
    fpu = BY_KEY["prikaz-858"]
    assert (fpu.number, fpu.date, fpu.status) == ("858", date(2022, 9, 21), "in_force")
    amendments = {doc.key for doc in DOCUMENTS if "prikaz-858" in doc.amends}
    assert amendments == {"prikaz-556", "prikaz-119", "prikaz-347"}
    for doc in DOCUMENTS:
        for key in doc.amends:
            assert doc.date > BY_KEY[key].date, (doc.key, key)


def test_real_acts_carry_their_real_numbers_and_dates():
    expected = {
        "fz-273": ("273-ФЗ", date(2012, 12, 29)),
        "fz-78": ("78-ФЗ", date(1994, 12, 29)),
        "fz-436": ("436-ФЗ", date(2010, 12, 29)),
        "prikaz-254": ("254", date(2020, 5, 20)),
        "prikaz-858": ("858", date(2022, 9, 21)),
        "prikaz-556": ("556", date(2023, 7, 21)),
        "prikaz-119": ("119", date(2024, 2, 21)),
        "prikaz-347": ("347", date(2024, 5, 21)),
        "prikaz-769": ("769", date(2024, 11, 5)),
        "prikaz-1077": ("1077", date(2012, 10, 8)),
    }
    for key, (number, when) in expected.items():
        assert (BY_KEY[key].number, BY_KEY[key].date) == (number, when), key
    assert BY_KEY["prikaz-1077"].issuer == "Минкультуры России"
    assert citation(BY_KEY["prikaz-858"]) == "Приказ Минпросвещения России от 21.09.2022 № 858"
    assert citation(BY_KEY["fz-78"]) == (
        "Федеральный закон от 29.12.1994 № 78-ФЗ «О библиотечном деле»"
    )


def test_the_repealed_list_points_to_an_act_in_force():
    repealed = [doc for doc in DOCUMENTS if doc.status == "repealed"]
    assert [doc.key for doc in repealed] == ["prikaz-254"]
    for doc in repealed:
        repealer = BY_KEY[doc.repealed_by]
        assert repealer.status == "in_force"
        assert doc.repealed_on is not None and doc.repealed_on >= repealer.date > doc.date
        assert doc.key in repealer.replaces
    for doc in DOCUMENTS:
        if doc.status != "repealed":
            assert not doc.repealed_by and doc.repealed_on is None, doc.key


def test_dates_are_real_dates():
    for doc in DOCUMENTS:
        for value in (doc.date, doc.repealed_on):
            if value is not None:
                assert type(value) is date, doc.key
                assert date(1990, 1, 1) <= value <= date(2025, 12, 31), doc.key
    # Only the list of extremist materials, which is kept up to date, has no date.
    assert [doc.key for doc in DOCUMENTS if doc.date is None] == ["extremist-list"]


def test_invented_documents_say_so():
    assert set(BY_KEY) >= REAL_DOCUMENTS
    for doc in DOCUMENTS:
        marked = "(демонстрационный документ)" in doc.summary
        assert marked == (doc.key not in REAL_DOCUMENTS), doc.key


def test_audiences_and_drafts():
    for doc in DOCUMENTS:
        if doc.category in ("federal", "regional", "municipal"):
            assert doc.audience == "public", doc.key
        if doc.kind == "template":
            assert doc.audience == "members", doc.key
    drafts = [doc for doc in DOCUMENTS if doc.status == "draft"]
    assert 2 <= len(drafts) <= 3
    assert all(doc.audience == "staff" for doc in drafts)
    assert all(doc.status == "draft" for doc in DOCUMENTS if doc.audience == "staff")
    association = [doc for doc in DOCUMENTS if doc.category == "association"]
    assert {"public", "members", "staff"} <= {doc.audience for doc in association}


def test_a_few_documents_have_a_second_version_with_a_changed_paragraph():
    revised = [doc for doc in DOCUMENTS if doc.versions > 1]
    assert 2 <= len(revised) <= 4
    assert sum(doc.category == "association" for doc in revised) >= 2
    for doc in revised:
        index, text = doc.revision
        assert 0 <= index < len(doc.body) and text != doc.body[index]
        assert body_of(doc, 2) != body_of(doc, 1) == doc.body
        assert len(body_of(doc, 2)) == len(doc.body)
    assert all(doc.revision is None for doc in DOCUMENTS if doc.versions == 1)


def test_the_package_misses_exactly_one_item():
    missing = [title for title, key in PACKAGE_2024 if key is None]
    assert missing == ["Анализ работы ММО за 2023/2024 учебный год"]
    keys = [key for _, key in PACKAGE_2024 if key is not None]
    assert all(key in BY_KEY for key in keys)
    assert len(set(keys)) == len(keys)
    assert len({title for title, _ in PACKAGE_2024}) == len(PACKAGE_2024)
    for key in ("plan-2024-2025", "records-requirements", "prikaz-858", "npa-list"):
        assert key in keys
    assert all(BY_KEY[key].status == "in_force" for key in keys)


def test_the_plan_is_the_users_own_file():
    assert {"plan-2024-2025"} == USES_SAMPLE_PLAN
    plan = BY_KEY["plan-2024-2025"]
    assert (plan.kind, plan.category, plan.file_format) == ("plan", "association", "docx")
    assert SAMPLE_PLAN_PATH.is_file()
    sample = normalise(extract(SAMPLE_PLAN_PATH.name, SAMPLE_PLAN_PATH.read_bytes()))
    assert "библиотек" in sample and "учебник" in sample


def test_the_module_stays_free_of_django():
    source = Path(demo_data.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(?:from|import)\s+django", source, re.MULTILINE)


# --- the files --------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda doc: doc.key)
def test_every_document_renders_to_searchable_text(rendered, doc):
    name, content, text = rendered[doc.key, 1]
    assert name == file_name(doc) == f"{doc.key}.{doc.file_format}"
    assert name.isascii()
    assert content.startswith(b"%PDF" if doc.file_format == "pdf" else b"PK")
    assert len(content) < 200_000
    missing = [word for word in words(doc.title) if word not in text]
    assert not missing, missing
    assert "учебник" in text or "библиотек" in text
    # Every paragraph of the body is in the file, so full-text search finds it.
    for paragraph in body_of(doc):
        if paragraph != demo_data.TABLE:
            assert all(word in text for word in words(paragraph)), paragraph


def test_files_say_what_they_are(rendered):
    for doc in DOCUMENTS:
        text = rendered[doc.key, 1][2]
        if doc.key in USES_SAMPLE_PLAN:
            continue
        if doc.key in REAL_DOCUMENTS:
            assert "не официальный текст" in text, doc.key
        else:
            assert "демонстрационный документ" in text, doc.key
    assert "приказ" in rendered["prikaz-858", 1][2]
    assert "федеральный закон" in rendered["fz-273", 1][2]
    assert "письмо" in rendered["letter-excluded-textbooks", 1][2]
    assert "утверждаю" in rendered["contest-booktrailer", 1][2]
    assert "проект" in rendered["plan-2025-2026-draft", 1][2]


def test_the_repealed_file_says_by_what(rendered):
    text = rendered["prikaz-254", 1][2]
    assert "утратил силу с 21.09.2022" in text
    assert "от 21.09.2022 № 858" in text


def test_a_later_version_shows_its_number_and_the_change(rendered):
    for doc in DOCUMENTS:
        if doc.versions == 1:
            continue
        first, second = rendered[doc.key, 1], rendered[doc.key, 2]
        assert second[0] == f"{doc.key}-v2.{doc.file_format}"
        assert "редакция 2" in second[2] and "редакция 2" not in first[2]
        assert all(word in second[2] for word in words(doc.revision[1]))
        assert second[2] != first[2]


def test_forms_have_their_tables(rendered):
    forms = [doc for doc in DOCUMENTS if doc.table_columns]
    assert {"template-transfer-act", "template-write-off-act", "template-textbook-request"} <= {
        doc.key for doc in forms
    }
    for doc in forms:
        _, content, text = rendered[doc.key, 1]
        assert demo_data.TABLE.lower() not in text
        if doc.file_format == "docx":
            table = docx.Document(io.BytesIO(content)).tables[0]
            assert [cell.text for cell in table.rows[0].cells] == list(doc.table_columns)
        assert all(word in text for column in doc.table_columns for word in words(column))


def test_the_presentation_has_a_slide_per_paragraph(rendered):
    doc = BY_KEY["ideas-fair-2024"]
    reader = pypdf.PdfReader(io.BytesIO(rendered[doc.key, 1][1]))
    assert len(reader.pages) == 1 + len(doc.body)
    page = reader.pages[0].mediabox
    assert page.width > page.height  # landscape


def test_unknown_versions_are_refused():
    doc = BY_KEY["fz-273"]
    for version in (0, doc.versions + 1):
        with pytest.raises(ValueError):
            render_file(doc, version)
