from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.documents import selectors, services
from bibliomo.documents.models import Document, DocumentVersion, PackageItem
from tests.factories import DOCUMENT_FIELDS, docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def _document(cast, **changes):
    return services.document_create(
        cast.methodist, cast.association, **{**DOCUMENT_FIELDS, **changes}
    )


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (
            {"kind": "letter", "issuer": "Министерство образования Московской области"},
            "Письмо Министерства образования Московской области от 02.12.2024 № 18",
        ),
        (
            {"kind": "order", "issuer": "Комитет по образованию г.о. Серпухов"},
            "Приказ Комитета по образованию г.о. Серпухов от 02.12.2024 № 18",
        ),
        (
            {"kind": "order", "issuer": "Минпросвещения России"},
            "Приказ Минпросвещения России от 02.12.2024 № 18",
        ),
        (
            {"kind": "other", "issuer": "ММО школьных библиотекарей"},
            "ММО школьных библиотекарей от 02.12.2024 № 18",
        ),
    ],
)
def test_an_acts_line_names_whose_act_it_is(fields, line):
    document = Document(**fields, date=date(2024, 12, 2), number="18")
    assert document.act_line == line


# --- files and versions ----------------------------------------------------------------------


def test_text_is_extracted_and_searchable_by_another_word_form(cast, order):
    version = order.versions.get()
    assert version.text_state == "done" and "предельного срока" in version.text
    found = selectors.search(Document.objects.all(), "учебника")
    assert list(found) == [order]
    assert list(selectors.search(Document.objects.all(), "858")) == [order]
    assert list(selectors.search(Document.objects.all(), "балет")) == []


def test_new_version_keeps_the_old_one(cast, order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.version_add(
            cast.head,
            order,
            docx_bytes("Редакция с изменениями 2024 года"),
            "prikaz-858-v2.docx",
            "Изменения от 21.02.2024",
        )
    numbers = list(order.versions.values_list("number", "kind_code"))
    assert numbers == [(2, "docx"), (1, "pdf")]
    assert list(selectors.search(Document.objects.all(), "изменениями")) == [order]


def test_identical_file_is_recognised(cast, order):
    data = pdf_bytes("Учебники используются до истечения предельного срока.")
    with pytest.raises(DomainError, match="уже загружен: «Об утверждении федерального перечня"):
        _document(cast, title="Копия", file_data=data, filename="copy.pdf")
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.pdf", "пустой"),
        (b"<!doctype html><script>alert(1)</script>", "evil.pdf", "HTML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "pic.png", "SVG"),
        (b"MZ\x90\x00" + b"\0" * 100, "setup.docx", "не принимаются"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(cast, data, name, message):
    with pytest.raises(DomainError, match=message):
        _document(cast, file_data=data, filename=name)
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_oversized_file_is_refused(cast, settings):
    settings.UPLOAD_LIMITS_MB = {**settings.UPLOAD_LIMITS_MB, "document": 1}
    with pytest.raises(DomainError, match="больше"):
        _document(cast, file_data=b"%PDF-1.4\n" + b"0" * (1024 * 1024), filename="big.pdf")


def test_repeal_links_the_replacing_act(cast, order):
    newer = _document(cast, title="Новый перечень", number="999")
    services.document_repeal(cast.methodist, order, date(2025, 1, 1), newer)
    order.refresh_from_db()
    assert order.status == "repealed" and order.repealed_by == newer
    assert newer.links_out.get().target == order
    with pytest.raises(DomainError, match="сам себя"):
        services.document_repeal(cast.methodist, newer, date(2025, 1, 1), newer)


# --- audience --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "methodist", "librarian", "outsider"),
    [("public", True, True, False), ("members", True, True, False), ("staff", True, False, False)],
)
def test_who_sees_a_document(cast, audience, methodist, librarian, outsider):
    document = _document(cast, audience=audience)

    def sees(person, association=cast.association):
        return selectors.visible_documents(person, association).filter(pk=document.pk).exists()

    assert sees(cast.methodist) == methodist
    assert sees(cast.director) == methodist
    assert sees(cast.librarian_a) == librarian
    assert sees(cast.outsider, cast.other_association) == outsider


def test_members_only_file_is_never_reachable_by_a_visitor(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _document(
            cast, audience="members", file_data=pdf_bytes("Секретный шаблон"), filename="s.pdf"
        )
    version = document.versions.get()
    assert client.get(reverse("document_file", args=[version.pk])).status_code == 404
    assert client.get(reverse("public_document", args=[document.pk])).status_code == 404
    body = client.get(reverse("public_documents"), {"q": "секретный"}).content.decode()
    assert document.title not in body


def test_staff_only_document_is_403_for_a_librarian(
    cast, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = _document(
            cast,
            audience="staff",
            title="Проект приказа",
            file_data=pdf_bytes("Проект"),
            filename="p.pdf",
        )
    client = login(cast.librarian_a)
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    version = document.versions.get()
    assert client.get(reverse("document_file", args=[version.pk])).status_code == 403
    assert (
        "Проект приказа"
        not in client.get(reverse("documents:index"), {"q": "проект"}).content.decode()
    )


def test_download_is_an_attachment_with_a_neutral_type(cast, login, order):
    version = order.versions.get()
    response = login(cast.librarian_a).get(reverse("document_file", args=[version.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["methodist", "head", "director", "librarian_a"])
def test_members_search_the_library(cast, login, order, who):
    body = (
        login(getattr(cast, who))
        .get(reverse("documents:index"), {"q": "учебника"})
        .content.decode()
    )
    assert "Об утверждении федерального перечня учебников" in body
    assert "<mark>" in body


def test_search_ranks_by_relevance_not_by_date(
    cast, login, order, django_capture_on_commit_callbacks
):
    """«учебник»: the federal-list order (in its title, summary and text) comes before newer
    documents that only mention textbooks once, on both the page and in the selector."""
    with django_capture_on_commit_callbacks(execute=True):
        newer = [
            _document(
                cast,
                title=f"Шаблон протокола заседания № {n}",
                kind="template",
                number="",
                date=date(2026, 11, n),
                summary="В приложении — список учебников.",
                tags=[],
            )
            for n in range(1, 4)
        ]
    found = list(selectors.search(Document.objects.all(), "учебник"))
    assert found[0] == order and set(found[1:]) == set(newer)
    assert found[1:] == sorted(newer, key=lambda d: d.date, reverse=True)  # ties: newest first
    body = (
        login(cast.librarian_a).get(reverse("documents:index"), {"q": "учебник"}).content.decode()
    )
    assert body.index("Об утверждении федерального перечня учебников") < body.index(
        "Шаблон протокола заседания № 3"
    )


def test_search_fragment_is_escaped(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _document(cast, summary="Учебники <script>alert(1)</script>", title="Памятка")
    body = login(cast.methodist).get(reverse("documents:index"), {"q": "учебники"}).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_library_filters_and_garbage(cast, login, order):
    client = login(cast.methodist)
    assert order.title in client.get(reverse("documents:index"), {"kind": "order"}).content.decode()
    assert (
        order.title
        not in client.get(reverse("documents:index"), {"kind": "letter"}).content.decode()
    )
    response = client.get(reverse("documents:index"), {"kind": "x", "year": "20x4", "page": "q"})
    assert response.status_code == 200


def test_library_query_count_is_bounded(cast, login, django_assert_max_num_queries):
    for n in range(25):
        _document(cast, title=f"Документ {n}", number=str(n))
    client = login(cast.methodist)
    with django_assert_max_num_queries(12):
        client.get(reverse("documents:index"))


def test_methodist_adds_a_document_with_a_file(cast, login):
    response = login(cast.methodist).post(
        reverse("documents:create"),
        {
            "title": "Положение о конкурсе",
            "kind": "regulation",
            "category": "association",
            "issuer": "ММО",
            "number": "",
            "date": "2024-09-02",
            "audience": "members",
            "summary": "",
            "tags": "конкурс, чтение",
            "file": SimpleUploadedFile(
                "polozhenie.docx", docx_bytes("Положение о конкурсе чтецов")
            ),
        },
    )
    document = Document.objects.get()
    assert response["Location"] == document.get_absolute_url()
    assert document.tags == ["конкурс", "чтение"] and document.versions.count() == 1


def test_upload_of_a_disguised_file_answers_in_russian(cast, login):
    response = login(cast.methodist).post(
        reverse("documents:create"),
        {
            "title": "Вирус",
            "kind": "other",
            "category": "methodical",
            "audience": "public",
            "file": SimpleUploadedFile("x.pdf", b"<html><script>1</script></html>"),
        },
    )
    assert "HTML" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["director", "librarian_a"])
def test_readers_cannot_change_the_library(cast, login, order, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("documents:create")).status_code == 403
    for name in (
        "documents:edit",
        "documents:repeal",
        "documents:link",
        "documents:version_upload",
        "documents:propose",
        "documents:publish",
    ):
        assert client.post(reverse(name, args=[order.pk])).status_code == 403, name
    order.refresh_from_db()
    assert order.status == "in_force"


def test_repeal_through_the_page(cast, login, order):
    client = login(cast.methodist)
    client.post(reverse("documents:repeal", args=[order.pk]), {"repealed_on": "2025-03-01"})
    order.refresh_from_db()
    assert order.status == "repealed" and order.repealed_on == date(2025, 3, 1)
    response = client.post(
        reverse("documents:repeal", args=[order.pk]), {"repealed_on": "вчера"}, follow=True
    )
    assert "Введите правильную дату." in response.content.decode()


# --- the yearly package ----------------------------------------------------------------------


def test_package_shows_what_is_missing_or_repealed(cast, login, order):
    client = login(cast.methodist)
    url = reverse("documents:package_year", args=[2024])
    client.post(url, {"title": "Федеральный перечень учебников", "document": order.pk})
    client.post(url, {"title": "Анализ работы ММО за год"})
    body = client.get(url).content.decode()
    assert "Не хватает: 1; утратили силу: 0." in body
    services.document_repeal(cast.methodist, order, date(2025, 1, 1))
    assert "Не хватает: 1; утратили силу: 1." in client.get(url).content.decode()
    response = client.post(url, {"title": ""})
    assert "Обязательное поле." in response.content.decode()
    assert login(cast.librarian_a).post(url, {"title": "x"}).status_code == 403


def test_package_in_edit_mode_links_to_its_documents(cast, login, order):
    services.package_item_add(cast.methodist, cast.association, 2024, "Перечень", order)
    url = reverse("documents:package_year", args=[2024])
    link = f'href="{order.get_absolute_url()}"'
    manager_page = login(cast.methodist).get(url).content.decode()
    assert 'name="document"' in manager_page and link in manager_page
    assert link in login(cast.librarian_a).get(url).content.decode()


def test_package_link_opens_the_newest_package(cast, login, order):
    services.package_item_add(cast.methodist, cast.association, 2024, "Перечень", order)
    response = login(cast.librarian_a).get(reverse("documents:package"))
    assert response["Location"] == reverse("documents:package_year", args=[2024])


def test_package_copy_starts_the_year_from_the_latest_package(cast, login, order):
    own = _document(cast, title="План работы ММО на 2024/2025 учебный год", category="association")
    services.package_item_add(
        cast.methodist, cast.association, 2024, "План работы ММО на 2024/2025 учебный год", own
    )
    services.package_item_add(cast.methodist, cast.association, 2024, "Перечень", order)
    services.package_item_add(
        cast.methodist, cast.association, 2024, "Анализ работы ММО за 2023-2024 учебный год"
    )
    url = reverse("documents:package_year", args=[2026])
    client = login(cast.methodist)
    page = client.get(url).content.decode()
    assert "Взять список из пакета 2024/2025" in page  # 2025/2026 has none: the latest before
    response = client.post(url, {"copy": "1"}, follow=True)
    body = response.content.decode()
    assert "Из пакета 2024/2025 перенесено 3 строки" in body
    items = list(PackageItem.objects.filter(academic_year=2026).order_by("position"))
    assert [(i.title, i.document) for i in items] == [
        ("План работы ММО на 2026/2027 учебный год", None),  # the association's: link anew
        ("Перечень", order),  # an act stays linked
        ("Анализ работы ММО за 2025-2026 учебный год", None),
    ]
    assert "Не хватает: 2; утратили силу: 0." in body
    assert AuditEntry.objects.filter(object_id=str(items[0].pk), comment="Из пакета 2024/2025")
    # Twice is refused, and the package stays as it is.
    again = client.post(url, {"copy": "1"}, follow=True).content.decode()
    assert "Пакет на этот год уже заведён." in again
    assert PackageItem.objects.filter(academic_year=2026).count() == 3


def test_package_copy_needs_an_earlier_package_and_the_managers_right(cast, login, order):
    url = reverse("documents:package_year", args=[2024])
    client = login(cast.methodist)
    assert "Взять список из пакета" not in client.get(url).content.decode()
    refused = client.post(url, {"copy": "1"}, follow=True).content.decode()
    assert "Пакетов прошлых лет нет" in refused
    services.package_item_add(cast.methodist, cast.association, 2024, "Перечень", order)
    later = reverse("documents:package_year", args=[2025])
    for reader in (cast.librarian_a, cast.director):
        assert login(reader).post(later, {"copy": "1"}).status_code == 403
        assert "Взять список из пакета" not in login(reader).get(later).content.decode()
    assert not PackageItem.objects.filter(academic_year=2025).exists()
