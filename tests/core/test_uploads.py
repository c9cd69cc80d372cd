"""Hostile and oversized uploads (issue 13): every upload path refuses a ZIP-based file that
would unpack to too much, before any parser sees it, with a Russian sentence naming the problem;
event materials are sniffed by content like the document library."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bibliomo.documents.models import Document
from bibliomo.events.models import Material
from bibliomo.plans.models import WorkPlan
from bibliomo.textbooks.models import CatalogueImport, Holding
from tests.factories import docx_bytes, make_event

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024
CONTENT_TYPES = b'<?xml version="1.0"?><Types/>'


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def whitespace_workbook(member: str = "xl/worksheets/sheet1.xml", size: int = 3 * MiB) -> bytes:
    """A spreadsheet whose `member` is mostly whitespace (the issue's 1 GB case, scaled down)."""
    members = {
        "[Content_Types].xml": CONTENT_TYPES,
        "xl/workbook.xml": b"<workbook/>",
        "xl/worksheets/sheet1.xml": b"<worksheet/>",
    }
    members[member] = b"<x>" + b" " * size + b"</x>"
    return zipped(members)


def whitespace_docx(size: int = 3 * MiB) -> bytes:
    return zipped(
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b" " * size + b"<w/>"}
    )


@pytest.fixture(autouse=True)
def small_archive_limits(settings):
    """The crafted files are a few megabytes; the caps are scaled down with them."""
    settings.MAX_UNZIPPED_MB = 2


def _refused(body: str, member: str) -> bool:
    return f"«{member}»" in body and "Сохраните файл заново" in body


def test_monitoring_template_with_whitespace_inside_is_refused(cast, login, campaign):
    submission = campaign.submissions.get(school=cast.school_a)
    client = login(cast.librarian_a)
    response = client.post(
        reverse("textbooks:upload", args=[submission.pk]),
        {"file": SimpleUploadedFile("template.xlsx", whitespace_workbook())},
        follow=True,
    )
    assert _refused(response.content.decode(), "xl/worksheets/sheet1.xml")
    assert not Holding.objects.exists()


def test_monitoring_template_over_its_size_limit_is_refused(cast, login, campaign, settings):
    settings.UPLOAD_LIMITS_MB = {**settings.UPLOAD_LIMITS_MB, "monitoring": 1}
    submission = campaign.submissions.get(school=cast.school_a)
    response = login(cast.librarian_a).post(
        reverse("textbooks:upload", args=[submission.pk]),
        {"file": SimpleUploadedFile("template.xlsx", b"PK" + b"\0" * MiB)},
        follow=True,
    )
    assert "Файл слишком большой" in response.content.decode()


def test_plan_docx_with_a_huge_document_xml_is_refused(cast, login):
    response = login(cast.methodist).post(
        reverse("plans:import"), {"file": SimpleUploadedFile("plan.docx", whitespace_docx())}
    )
    assert _refused(response.content.decode(), "word/document.xml")
    assert not WorkPlan.objects.exists()


def test_attendance_list_with_a_huge_mimetype_member_is_refused(cast, login):
    event = make_event(cast, days=-1)
    response = login(cast.methodist).post(
        reverse("events:attendance_import", args=[event.pk]),
        {"file": SimpleUploadedFile("list.xlsx", whitespace_workbook("mimetype"))},
    )
    assert _refused(response.content.decode(), "mimetype")


def test_federal_list_with_whitespace_inside_is_refused(cast, login):
    cast.methodist.is_regional_operator = True
    cast.methodist.save()
    response = login(cast.methodist).post(
        reverse("textbooks:catalogue_import"),
        {"file": SimpleUploadedFile("fpu.xlsx", whitespace_workbook())},
    )
    assert _refused(response.content.decode(), "xl/worksheets/sheet1.xml")
    assert not CatalogueImport.objects.exists()


def test_document_library_refuses_a_docx_bomb(cast, login):
    response = login(cast.methodist).post(
        reverse("documents:create"),
        {
            "title": "Положение",
            "kind": "other",
            "category": "methodical",
            "audience": "members",
            "file": SimpleUploadedFile("polozhenie.docx", whitespace_docx()),
        },
    )
    assert _refused(response.content.decode(), "word/document.xml")
    assert not Document.objects.exists()


def _add_material(client, event, name, content):
    return client.post(
        reverse("events:material_add", args=[event.pk]),
        {"title": "Материал", "visibility": "public", "file": SimpleUploadedFile(name, content)},
    )


def test_event_material_docx_bomb_is_refused(cast, login):
    event = make_event(cast)
    response = _add_material(login(cast.methodist), event, "slides.docx", whitespace_docx())
    assert _refused(response.content.decode(), "word/document.xml")
    assert not Material.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "страница HTML"),
        (
            "photo.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "рисунок SVG",
        ),
        (
            "macro.docx",
            zipped({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"\0" * 64}),
            "содержит макросы",
        ),
    ],
)
def test_event_materials_are_sniffed_by_content(cast, login, client, name, content, message):
    event = make_event(cast)
    response = _add_material(login(cast.methodist), event, name, content)
    assert message in response.content.decode()
    assert not Material.objects.exists()


def test_a_renamed_material_is_kept_under_its_real_type(cast, login):
    event = make_event(cast)
    response = _add_material(login(cast.methodist), event, "programma.pdf", docx_bytes("План"))
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.original_name == "programma.docx" and material.file.name.endswith(".docx")


def test_a_big_attendance_list_is_checked_by_a_background_job(cast, login, settings):
    from django.core.files.storage import default_storage
    from django.test import TestCase

    from bibliomo.core.models import Job

    settings.ATTENDANCE_BACKGROUND_KB = 1
    event = make_event(cast, days=-1)
    lines = ["ФИО;E-mail", "Иванова Анна Сергеевна;", "Никитенко Татьяна Геннадьевна;HEAD@test.ru"]
    lines += [f"Гость {n};guest{n}@example.ru" for n in range(60)]
    client = login(cast.methodist)
    url = reverse("events:attendance_import", args=[event.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url, {"file": SimpleUploadedFile("big.csv", "\n".join(lines).encode())}
        )
    job = Job.objects.get(kind="attendance_check")
    assert response["Location"] == f"{url}?job={job.pk}"
    assert job.status == Job.Status.DONE and "Найдены: 2; не найдены: 60" in job.message
    assert job.result_url == f"{url}?job={job.pk}"
    body = client.get(response["Location"]).content.decode()
    assert "Найдены (2)" in body and "Не найдены среди участников объединения (60)" in body
    client.post(url, {"confirm": "1", "person": [cast.librarian_a.pk, cast.head.pk]})
    marked = event.registrations.filter(attendance="attended").values_list("person", flat=True)
    assert set(marked) == {cast.librarian_a.pk, cast.head.pk}
    assert not default_storage.exists(job.params["file"])  # the upload is not kept
    # The job is its owner's: another manager of the association does not see it.
    assert login(cast.head).get(response["Location"]).status_code == 404
    assert client.get(f"{url}?job=not-a-uuid").status_code == 404


def test_a_big_broken_attendance_list_fails_its_job_and_lists_the_problems(cast, login, settings):
    from django.test import TestCase

    from bibliomo.core.models import Job

    settings.ATTENDANCE_BACKGROUND_KB = 1
    event = make_event(cast, days=-1)
    lines = ["ФИО;E-mail"] + [f"Гость {n};broken{n}@" for n in range(80)]
    client = login(cast.methodist)
    url = reverse("events:attendance_import", args=[event.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url, {"file": SimpleUploadedFile("big.csv", "\n".join(lines).encode())}
        )
    job = Job.objects.get(kind="attendance_check")
    assert job.status == Job.Status.FAILED and "ничего не изменено" in job.message
    body = client.get(response["Location"]).content.decode()
    assert "Ничего не изменено" in body and "E-mail" in body
    assert not event.registrations.filter(attendance="attended").exists()
