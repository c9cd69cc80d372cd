import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bibliomo.plans import services
from bibliomo.plans.models import PlanActivity, WorkPlan
from bibliomo.plans.reading import read_plan
from tests.plans.user_plan import TEXT_SAMPLE, WORD_SAMPLE

pytestmark = pytest.mark.django_db

MANAGERS = ["methodist", "head"]
READERS = ["director", "librarian_a"]


def _upload(client, content: bytes, name: str):
    return client.post(reverse("plans:import"), {"file": SimpleUploadedFile(name, content)})


# --- import ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", [WORD_SAMPLE, TEXT_SAMPLE])
def test_methodist_uploads_previews_and_saves_the_plan(cast, login, sample):
    client = login(cast.methodist)
    response = _upload(client, sample.read_bytes(), sample.name)
    assert response["Location"] == reverse("plans:import_preview")
    preview = client.get(reverse("plans:import_preview")).content.decode()
    assert "5 задач, 4 раздела, 17 мероприятий, 2 подписи" in preview
    assert "Пока ничего не сохранено" in preview
    assert not WorkPlan.objects.exists()
    response = client.post(reverse("plans:import_preview"))
    plan = WorkPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    assert PlanActivity.objects.filter(section__plan=plan).count() == 17


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "plan.docx", "Отправленный файл пуст"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "plan.doc", "старом формате Word"),
        (b"PK\x03\x04 broken zip", "plan.docx", "повреждён"),
        ("Список покупок\nхлеб\nмолоко".encode(), "plan.txt", "не найдена таблица плана"),
        (bytes(range(256)) * 4, "plan.txt", "кодировка"),
        (b"%PDF-1.4", "plan.pdf", "формате .docx (Word) или .txt"),
    ],
)
def test_bad_files_get_a_russian_message_and_create_nothing(cast, login, content, name, message):
    response = _upload(login(cast.methodist), content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkPlan.objects.exists()


def test_oversized_upload_is_refused(cast, login, settings):
    settings.UPLOAD_LIMITS_MB = {**settings.UPLOAD_LIMITS_MB, "plan": 1}
    response = _upload(login(cast.methodist), b"x" * (1024 * 1024 + 1), "plan.txt")
    assert "Файл слишком большой" in response.content.decode()


def test_preview_without_upload_sends_back_to_the_form(cast, login):
    response = login(cast.methodist).get(reverse("plans:import_preview"))
    assert response["Location"] == reverse("plans:import")


def test_existing_year_is_not_overwritten_without_consent(cast, login):
    client = login(cast.methodist)
    services.plan_import(
        cast.methodist, cast.association, read_plan(WORD_SAMPLE.read_bytes(), "p.docx")
    )
    _upload(client, WORD_SAMPLE.read_bytes(), WORD_SAMPLE.name)
    response = client.post(reverse("plans:import_preview"))
    assert "уже есть" in response.content.decode()
    assert WorkPlan.objects.count() == 1


@pytest.mark.parametrize("who", ["director", "librarian_a", "outsider"])
def test_only_managers_import(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("plans:import")).status_code == 403
    response = _upload(client, WORD_SAMPLE.read_bytes(), WORD_SAMPLE.name)
    assert response.status_code == 403


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MANAGERS + READERS)
def test_members_read_the_plan(cast, login, plan, who):
    response = login(getattr(cast, who)).get(plan.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "УТВЕРЖДАЮ" in body and "Ярмарка библиотечных идей" in body
    assert "Никитенко Т.Г." in body
    assert ("+ Новый раздел" in body) == (who in MANAGERS)


def test_outsider_gets_404_on_our_plan(cast, login, plan):
    assert login(cast.outsider).get(plan.get_absolute_url()).status_code == 404


def test_plan_page_query_count_does_not_grow_with_the_plan(
    cast, login, plan, django_assert_max_num_queries
):
    client = login(cast.methodist)
    # 14 for the plan, 3 for the seminar ideas a draft shows the methodist (consultations),
    # 9 for the year's records the user's lines name (plans.facts).
    with django_assert_max_num_queries(26):
        client.get(plan.get_absolute_url())
    section = plan.sections.first()
    for n in range(20):
        services.activity_create(
            cast.methodist,
            section,
            content=f"Новое {n}",
            timing_text="май",
            responsible_text="Методист",
        )
    with django_assert_max_num_queries(26):
        response = client.get(plan.get_absolute_url())
    assert "Новое 19" in response.content.decode()


@pytest.mark.parametrize("name", ["plans:by_month", "plans:report", "plans:revisions"])
def test_year_views_open_for_readers(cast, login, plan, name):
    response = login(cast.librarian_a).get(reverse(name, args=[plan.pk]))
    assert response.status_code == 200


def test_by_month_lists_december_and_the_year_long(cast, login, plan):
    body = login(cast.director).get(reverse("plans:by_month", args=[plan.pk])).content.decode()
    assert "Декабрь" in body and "В течение года" in body


# --- editing in place ------------------------------------------------------------------------


def test_manager_edits_a_timing_in_place(cast, login, plan):
    activity = PlanActivity.objects.get(section__plan=plan, content__contains="Ярмарка")
    client = login(cast.head)
    url = reverse("plans:activity_edit", args=[activity.pk])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert form.startswith('\n<div id="plan-table"') or 'id="plan-table"' in form[:200]
    assert "<html" not in form and 'name="timing_text"' in form
    response = client.post(
        url,
        {"content": activity.content, "timing_text": "ноябрь", "responsible_text": "Методист"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    activity.refresh_from_db()
    assert activity.timing_text == "ноябрь" and activity.timing.months == [11]


def test_edit_without_javascript_falls_back_to_full_pages(cast, login, plan):
    activity = PlanActivity.objects.get(section__plan=plan, content__contains="Ярмарка")
    client = login(cast.methodist)
    url = reverse("plans:activity_edit", args=[activity.pk])
    assert "<html" in client.get(url).content.decode()
    response = client.post(
        url, {"content": activity.content, "timing_text": "май", "responsible_text": "Методист"}
    )
    assert response["Location"] == plan.get_absolute_url()


def test_edit_with_empty_content_answers_next_to_the_field(cast, login, plan):
    activity = PlanActivity.objects.get(section__plan=plan, content__contains="Ярмарка")
    response = login(cast.methodist).post(
        reverse("plans:activity_edit", args=[activity.pk]),
        {"content": "", "timing_text": "май"},
        HTTP_HX_REQUEST="true",
    )
    assert "Обязательное поле." in response.content.decode()
    activity.refresh_from_db()
    assert activity.timing_text == "декабрь"


@pytest.mark.parametrize("who", [*READERS, "outsider"])
def test_readers_cannot_edit(cast, login, plan, who):
    activity = PlanActivity.objects.get(section__plan=plan, content__contains="Ярмарка")
    client = login(getattr(cast, who))
    response = client.post(
        reverse("plans:activity_edit", args=[activity.pk]),
        {"content": "Взлом", "timing_text": "май", "responsible_text": ""},
    )
    assert response.status_code in (403, 404)
    assert client.post(reverse("plans:activity_delete", args=[activity.pk])).status_code in (
        403,
        404,
    )
    activity.refresh_from_db()
    assert activity.content.startswith("Ярмарка")


def test_manager_adds_moves_and_deletes(cast, login, plan):
    client = login(cast.methodist)
    section = plan.sections.order_by("position").first()
    client.post(
        reverse("plans:activity_add", args=[section.pk]),
        {"content": "Обзор новинок", "timing_text": "март", "responsible_text": "Методист"},
        HTTP_HX_REQUEST="true",
    )
    added = PlanActivity.objects.get(content="Обзор новинок")
    assert added.position == 2
    client.post(reverse("plans:activity_move", args=[added.pk, "up"]), HTTP_HX_REQUEST="true")
    added.refresh_from_db()
    assert added.position == 1
    assert (
        client.post(reverse("plans:activity_move", args=[added.pk, "sideways"])).status_code == 404
    )
    client.post(reverse("plans:activity_delete", args=[added.pk]), HTTP_HX_REQUEST="true")
    assert not PlanActivity.objects.filter(pk=added.pk).exists()
    client.post(reverse("plans:section_add", args=[plan.pk]), {"title": "Конкурсы"})
    assert plan.sections.filter(title="Конкурсы").exists()


def test_header_edit_changes_tasks_and_signatories(cast, login, plan):
    client = login(cast.methodist)
    response = client.post(
        reverse("plans:header_edit", args=[plan.pk]),
        {
            "title_lines": "ПЛАН\n2024-2025 учебный год",
            "theme": "Тема",
            "goal": "Цель",
            "tasks": "Первая\n\nВторая",
            "approval_position": "директор МОУ ДПО УМЦ",
            "approval_name": "Г.В. Венкова",
            "signatories": "Методист-куратор — Леонтьева Э.В.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.tasks == ["Первая", "Вторая"]
    assert plan.signatories == [["Методист-куратор", "Леонтьева Э.В."]]


def test_header_signatory_without_dash_is_refused(cast, login, plan):
    response = login(cast.methodist).post(
        reverse("plans:header_edit", args=[plan.pk]),
        {
            "title_lines": "ПЛАН",
            "theme": "Т",
            "goal": "Ц",
            "tasks": "З",
            "approval_position": "директор",
            "approval_name": "Г.В. Венкова",
            "signatories": "Леонтьева Э.В.",
        },
    )
    assert "через тире" in response.content.decode()


# --- execution -------------------------------------------------------------------------------


def test_manager_marks_an_activity_done_with_evidence(cast, login, approved_plan):
    activity = PlanActivity.objects.get(section__plan=approved_plan, content__contains="Ярмарка")
    response = login(cast.head).post(
        reverse("plans:activity_mark", args=[activity.pk]),
        {"status": "done", "report": "11 идей", "evidence": "Фото | https://example.ru/foto"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.status == "done"
    assert activity.evidence == [{"title": "Фото", "url": "https://example.ru/foto"}]


def test_marking_with_a_bad_link_is_refused(cast, login, approved_plan):
    activity = PlanActivity.objects.get(section__plan=approved_plan, content__contains="Ярмарка")
    response = login(cast.head).post(
        reverse("plans:activity_mark", args=[activity.pk]),
        {"status": "done", "report": "ok", "evidence": "не ссылка вовсе"},
    )
    assert "Это не похоже на ссылку" in response.content.decode()


def test_librarian_cannot_mark_execution(cast, login, approved_plan):
    activity = PlanActivity.objects.get(section__plan=approved_plan, content__contains="Ярмарка")
    response = login(cast.librarian_a).post(
        reverse("plans:activity_mark", args=[activity.pk]), {"status": "done", "report": "x"}
    )
    assert response.status_code == 403


# --- approval --------------------------------------------------------------------------------


def test_submit_approve_journey(cast, login, plan):
    assert login(cast.methodist).post(reverse("plans:submit", args=[plan.pk])).status_code == 302
    home = login(cast.director).get(reverse("home")).content.decode()
    assert "План работы на 2024/2025 учебный год" in home
    login(cast.director).post(reverse("plans:approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == WorkPlan.Status.APPROVED and plan.approved_by == cast.director
    page = login(cast.librarian_a).get(plan.get_absolute_url()).content.decode()
    assert "утверждён" in page


@pytest.mark.parametrize("who", ["methodist", "head", "librarian_a"])
def test_only_the_director_approves(cast, login, plan, who):
    services.plan_submit(cast.methodist, plan)
    assert (
        login(getattr(cast, who)).post(reverse("plans:approve", args=[plan.pk])).status_code == 403
    )
    plan.refresh_from_db()
    assert plan.status == WorkPlan.Status.SUBMITTED


def test_director_cannot_submit_or_edit(cast, login, plan):
    client = login(cast.director)
    assert client.post(reverse("plans:submit", args=[plan.pk])).status_code == 403
    assert client.get(reverse("plans:header_edit", args=[plan.pk])).status_code == 403


def test_return_needs_a_comment(cast, login, plan):
    services.plan_submit(cast.methodist, plan)
    client = login(cast.director)
    response = client.post(reverse("plans:return", args=[plan.pk]), {"comment": ""})
    assert response.status_code == 400
    assert "Обязательное поле." in response.content.decode()
    client.post(reverse("plans:return", args=[plan.pk]), {"comment": "Уточните сроки"})
    plan.refresh_from_db()
    assert plan.status == WorkPlan.Status.RETURNED
    assert "Уточните сроки" in login(cast.methodist).get(plan.get_absolute_url()).content.decode()


def test_approved_plan_is_frozen_until_a_new_revision(cast, login, approved_plan):
    client = login(cast.methodist)
    activity = PlanActivity.objects.get(section__plan=approved_plan, content__contains="Ярмарка")
    url = reverse("plans:activity_edit", args=[activity.pk])
    assert client.get(url).status_code == 403
    client.post(reverse("plans:revise", args=[approved_plan.pk]))
    assert client.get(url).status_code == 200
    revisions = client.get(reverse("plans:revisions", args=[approved_plan.pk])).content.decode()
    assert "Редакция 1" in revisions and "Редакция 2" in revisions
    first = client.get(reverse("plans:revision_detail", args=[approved_plan.pk, 1]))
    assert "Только для чтения" in first.content.decode()


def test_rollover_from_the_page(cast, login, approved_plan):
    response = login(cast.head).post(reverse("plans:rollover", args=[approved_plan.pk]))
    new = WorkPlan.objects.get(academic_year=2025)
    assert response["Location"] == new.get_absolute_url()
    assert login(cast.librarian_a).post(reverse("plans:rollover", args=[new.pk])).status_code == 403


# --- printing --------------------------------------------------------------------------------


def test_word_export_reads_back_as_the_same_plan(cast, login, plan):
    response = login(cast.librarian_a).get(reverse("plans:export", args=[plan.pk, "docx"]))
    assert response["Content-Disposition"].startswith('attachment; filename="plan-2024-2025.docx"')
    original = read_plan(WORD_SAMPLE.read_bytes(), WORD_SAMPLE.name)
    assert read_plan(response.content, "export.docx") == original


def test_pdf_export_is_an_a4_pdf_with_the_plan(cast, login, plan):
    from pypdf import PdfReader

    response = login(cast.director).get(reverse("plans:export", args=[plan.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "УТВЕРЖДАЮ" in text and "Г.В. Венкова" in text
    assert "Ярмарка библиотечных идей" in text and "Леонтьева Э.В." in text
    # The table header is repeated on every page the table spans.
    assert all("Содержание деятельности" in page.extract_text() for page in pdf.pages[1:])


def test_unknown_export_kind_is_404(cast, login, plan):
    assert (
        login(cast.director).get(reverse("plans:export", args=[plan.pk, "exe"])).status_code == 404
    )


def test_execution_report_in_word(cast, login, approved_plan):
    response = login(cast.director).get(
        reverse("plans:report", args=[approved_plan.pk]), {"format": "docx"}
    )
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Отчёт о выполнении плана работы на 2024/2025 учебный год" in text
    assert "Всего 17 мероприятий" in text
