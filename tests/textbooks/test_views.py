import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bibliomo.textbooks import services
from bibliomo.textbooks.models import Enrolment, Submission
from tests.factories import RUSSIAN_5

pytestmark = pytest.mark.django_db


def _submission(campaign, school):
    return Submission.objects.get(campaign=campaign, school=school)


def test_librarian_cannot_reach_another_schools_data_by_any_url(cast, login, filled, campaign):
    other = _submission(campaign, cast.school_a)
    client = login(cast.librarian_b)
    for name in (
        "textbooks:submission",
        "textbooks:template",
        "textbooks:enrolment",
        "textbooks:lines",
        "textbooks:holdings",
        "textbooks:write_off",
    ):
        assert client.get(reverse(name, args=[other.pk])).status_code == 403, name
    for name in ("textbooks:upload", "textbooks:submit", "textbooks:decide"):
        assert client.post(reverse(name, args=[other.pk])).status_code == 403, name
    assert (
        client.get(reverse("textbooks:school_provision", args=[cast.school_a.pk])).status_code
        == 403
    )
    assert client.get(reverse("textbooks:summary")).status_code == 403
    assert Enrolment.objects.filter(school=cast.school_a).count() == 3


def test_outsider_finds_nothing(cast, login, filled, campaign):
    client = login(cast.outsider)
    assert client.get(reverse("textbooks:submission", args=[filled.pk])).status_code == 404
    assert client.get(reverse("textbooks:campaign", args=[campaign.pk])).status_code in (403, 404)


def test_librarian_edits_enrolment_in_the_web_form(cast, login, campaign):
    submission = _submission(campaign, cast.school_b)
    client = login(cast.librarian_b)
    page = client.get(reverse("textbooks:enrolment", args=[submission.pk]))
    assert page.status_code == 200
    data = {"e-TOTAL_FORMS": "11", "e-INITIAL_FORMS": "11"}
    for n in range(11):
        data[f"e-{n}-grade"] = str(n + 1)
        data[f"e-{n}-building"] = ""
        data[f"e-{n}-pupils"] = "25" if n == 4 else ""
        data[f"e-{n}-classes"] = "1" if n == 4 else ""
    response = client.post(reverse("textbooks:enrolment", args=[submission.pk]), data)
    assert response.status_code == 302
    assert list(Enrolment.objects.filter(school=cast.school_b).values_list("grade", "pupils")) == [
        (5, 25)
    ]
    submission.refresh_from_db()
    assert submission.status == "filling"


def test_lines_form_rejects_a_grade_outside_the_textbook(cast, login, campaign):
    from bibliomo.textbooks.models import CatalogEntry

    submission = _submission(campaign, cast.school_b)
    entry = CatalogEntry.objects.get(code=RUSSIAN_5.code)
    response = login(cast.librarian_b).post(
        reverse("textbooks:lines", args=[submission.pk]),
        {
            "l-TOTAL_FORMS": "1",
            "l-INITIAL_FORMS": "0",
            "l-0-grade": "7",
            "l-0-entry": entry.pk,
            "l-0-pupils": "20",
        },
        follow=True,
    )
    assert "для 5 класса, а указан 7 класс" in response.content.decode()


def test_template_round_trip_and_upload_errors(cast, login, filled):
    client = login(cast.librarian_a)
    template = client.get(reverse("textbooks:template", args=[filled.pk]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(template.content))
    assert {"Инструкция", "Контингент", "УМК", "Фонд", "Списание"} <= set(book.sheet_names)
    response = client.post(
        reverse("textbooks:upload", args=[filled.pk]),
        {"file": SimpleUploadedFile("t.xlsx", template.content)},
        follow=True,
    )
    assert "Файл загружен: данные в нём те же, что в Bibliomo." in response.content.decode()
    response = client.post(
        reverse("textbooks:upload", args=[filled.pk]),
        {"file": SimpleUploadedFile("t.xlsx", b"not a workbook")},
        follow=True,
    )
    body = response.content.decode()
    assert "Файл не загружен" in body and "Данные не изменены" in body
    assert Enrolment.objects.filter(school=cast.school_a).count() == 3


def test_submit_accept_and_return(cast, login, filled):
    client = login(cast.librarian_a)
    client.post(reverse("textbooks:submit", args=[filled.pk]))
    filled.refresh_from_db()
    assert filled.status == "submitted"
    assert (
        login(cast.librarian_a)
        .post(reverse("textbooks:decide", args=[filled.pk]), {"decision": "accept"})
        .status_code
        == 403
    )
    response = login(cast.methodist).post(
        reverse("textbooks:decide", args=[filled.pk]),
        {"decision": "return", "comment": ""},
        follow=True,
    )
    assert "Напишите, что исправить" in response.content.decode()
    login(cast.methodist).post(
        reverse("textbooks:decide", args=[filled.pk]),
        {"decision": "return", "comment": "Проверьте фонд"},
    )
    filled.refresh_from_db()
    assert filled.status == "returned" and filled.comment == "Проверьте фонд"


def _index(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("textbooks:index"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_monitorings_list_says_how_far_each_one_is(cast, login, filled, campaign, catalogue):
    client = login(cast.methodist)
    body, first = _index(client)
    # school A is filling its report, school B has not started: two schools, nothing handed in
    assert "Из 2 отчётов школ принято 0, ждёт приёмки 0, на доработке 0, не сдано 2" in body
    services.submission_submit(cast.librarian_a, filled)
    body, _ = _index(client)
    assert "принято 0, ждёт приёмки 1, на доработке 0, не сдано 1" in body
    services.submission_decide(cast.methodist, filled, accept=True)
    services.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг 2025/2026",
        academic_year=2025,
        as_of=campaign.as_of.replace(year=2025),
        deadline=campaign.deadline.replace(year=2025),
    )
    body, more = _index(client)
    assert "принято 1, ждёт приёмки 0, на доработке 0, не сдано 1" in body
    assert body.index("Мониторинг 2025/2026") < body.index("Мониторинг 2024/2025")
    assert more == first  # one query for every campaign's figures
    # a librarian sees her own school's report, not the association's figures
    body, _ = _index(login(cast.librarian_b))
    assert "Из 2 отчётов школ" not in body and "Моя школа" in body


def test_submit_without_data_is_refused(cast, login, campaign):
    submission = _submission(campaign, cast.school_b)
    response = login(cast.librarian_b).post(
        reverse("textbooks:submit", args=[submission.pk]), follow=True
    )
    assert "Заполните контингент" in response.content.decode()


def test_summary_and_exports_for_the_methodist_and_director(cast, login, filled):
    for who in (cast.methodist, cast.director):
        client = login(who)
        body = client.get(reverse("textbooks:summary")).content.decode()
        assert "МБОУ «СОШ № 1»" in body and "Математика" in body
        excel = client.get(reverse("textbooks:summary"), {"format": "xlsx"})
        book = CalamineWorkbook.from_filelike(io.BytesIO(excel.content))
        assert book.sheet_names[:2] == ["Линии", "По школам"]
        regional = client.get(reverse("textbooks:summary"), {"format": "regional"})
        sheets = CalamineWorkbook.from_filelike(io.BytesIO(regional.content)).sheet_names
        assert sheets == ["Потребность", "Списание"]
    assert (
        login(cast.director).get(reverse("textbooks:summary"), {"format": "exe"}).status_code == 404
    )


def test_summary_query_count_does_not_grow_with_schools(
    cast, login, filled, django_assert_max_num_queries
):
    client = login(cast.methodist)
    with django_assert_max_num_queries(25):  # the first read stores the schools' totals
        client.get(reverse("textbooks:summary"))
    with django_assert_max_num_queries(12):
        client.get(reverse("textbooks:summary"))


def test_school_provision_page(cast, login, filled):
    body = (
        login(cast.librarian_a)
        .get(reverse("textbooks:school_provision", args=[cast.school_a.pk]))
        .content.decode()
    )
    assert RUSSIAN_5.code in body and "нет данных" not in body


def test_remind_late_schools(cast, login, filled, campaign, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.methodist).post(
            reverse("textbooks:campaign_remind", args=[campaign.pk]), follow=True
        )
    assert "Напоминания отправлены: 2 школам" in response.content.decode()
    assert {m.to[0] for m in mail.outbox} == {"lib.a@test.ru", "lib.b@test.ru"}
    # Each letter links to the school's own report.
    by_email = {m.to[0]: m.body for m in mail.outbox}
    for email, school in (("lib.a@test.ru", cast.school_a), ("lib.b@test.ru", cast.school_b)):
        submission = campaign.submissions.get(school=school)
        link = reverse("textbooks:submission", args=[submission.pk])
        assert settings.SITE_URL + link in by_email[email]
    assert {m.subject for m in mail.outbox} == {
        f"Мониторинг учебников: напоминание — {campaign.name}"
    }
    assert (
        login(cast.librarian_a)
        .post(reverse("textbooks:campaign_remind", args=[campaign.pk]))
        .status_code
        == 403
    )


def test_remind_asks_first_naming_schools_and_people(cast, login, filled, campaign):
    from django.core import mail

    url = reverse("textbooks:campaign_remind", args=[campaign.pk])
    page = login(cast.methodist).get(reverse("textbooks:campaign", args=[campaign.pk]))
    assert f'href="{url}"' in page.content.decode()
    body = login(cast.methodist).get(url).content.decode()
    assert "уйдёт <strong>2 школам</strong> (адресатов: 2)" in body
    assert cast.school_a.short_name in body and cast.school_b.short_name in body
    assert mail.outbox == []  # the GET only asks
    assert login(cast.librarian_a).get(url).status_code == 403
    assert (
        login(cast.methodist).get(reverse("textbooks:campaign_remind", args=[999999])).status_code
        == 404
    )


def test_campaign_form_bad_input(cast, login, catalogue):
    response = login(cast.methodist).post(
        reverse("textbooks:campaign_create"),
        {
            "name": "М",
            "academic_year": "2024-2026",
            "as_of": "2024-09-15",
            "deadline": "2024-09-01",
        },
    )
    assert "2024/2025" in response.content.decode()
    response = login(cast.methodist).post(
        reverse("textbooks:campaign_create"),
        {
            "name": "М",
            "academic_year": "2024/2025",
            "as_of": "2024-09-15",
            "deadline": "2024-09-01",
        },
    )
    assert "Срок сдачи не может быть раньше" in response.content.decode()
    assert login(cast.librarian_a).get(reverse("textbooks:campaign_create")).status_code == 403


@pytest.mark.parametrize(
    ("schools", "start"), [(1, "из 1 отчёта школ"), (3, "из 3 отчётов школ"), (21, "из 21 отчёта")]
)
def test_progress_sentence_agrees_with_its_number(schools, start):
    from types import SimpleNamespace

    from bibliomo.textbooks.selectors import progress_sentence

    campaign = SimpleNamespace(
        schools=schools, accepted=schools, waiting=0, returned=0, not_handed=0
    )
    assert progress_sentence(campaign).startswith(start)
