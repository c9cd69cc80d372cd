"""Professional growth: the card, confirmation of courses, hours counted from Bibliomo events,
the individual route, the methodist's overview, the portfolio and the export."""

import io
from datetime import timedelta
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.events import services as event_services
from bibliomo.events.models import Event
from bibliomo.growth import selectors, services
from bibliomo.growth.models import Learning
from tests.factories import make_event, png_bytes
from tests.growth.builders import add_course, this_year

pytestmark = pytest.mark.django_db


def _attended_event(cast, person, hours=4):
    event = make_event(cast, title="Семинар «Наставничество»", hours=Decimal(hours))
    registration = event_services.registration_create(person, event, person)
    start = timezone.now() - timedelta(days=3)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    event.refresh_from_db()
    event_services.attendance_mark(cast.methodist, event, {registration.pk: "attended"})
    return event


# --- The card --------------------------------------------------------------------------------


def test_librarian_adds_a_course_with_its_certificate(cast, login):
    client = login(cast.librarian_a)
    today = timezone.localdate()
    response = client.post(
        reverse("growth:learning_add"),
        {
            "kind": "course",
            "title": "Информационно-библиотечный центр школы",
            "organiser": "Корпоративный университет",
            "hours": "36",
            "starts_on": today.strftime("%d.%m.%Y"),
            "ends_on": "",
            "certificate_number": "7701 123",
            "certificate_file": SimpleUploadedFile("скан.png", png_bytes()),
        },
    )
    assert response.status_code == 302
    learning = Learning.objects.get()
    assert learning.person == cast.librarian_a and learning.ends_on == today
    assert learning.certificate and not learning.confirmed_at
    card = client.get(reverse("growth:card", args=[cast.librarian_a.pk])).content.decode()
    assert "Информационно-библиотечный центр школы" in card and "ждёт подтверждения" in card


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"title": ""}, "Обязательное поле"),
        ({"hours": "-3"}, "больше либо равно 0"),
        ({"starts_on": "31.02.2026"}, "Введите правильную дату"),
        ({"ends_on": "01.01.2020"}, "Окончание не может быть раньше начала"),
    ],
)
def test_bad_learning_is_refused(cast, login, changes, error):
    data = {
        "kind": "webinar",
        "title": "Вебинар",
        "hours": "2",
        "starts_on": "01.12.2026",
        **changes,
    }
    response = login(cast.librarian_a).post(reverse("growth:learning_add"), data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not Learning.objects.exists()


def test_a_librarian_reads_and_edits_only_her_own_record(cast, login):
    course = add_course(cast.librarian_b)
    client = login(cast.librarian_a)
    assert client.get(reverse("growth:card", args=[cast.librarian_b.pk])).status_code == 403
    assert client.get(reverse("growth:learning_edit", args=[course.pk])).status_code == 404
    assert client.get(reverse("growth:certificate", args=[course.pk])).status_code == 404
    assert client.post(reverse("growth:learning_delete", args=[course.pk])).status_code == 404
    assert client.get(reverse("growth:route", args=[cast.librarian_b.pk])).status_code == 403
    response = client.get(reverse("growth:portfolio", args=[cast.librarian_b.pk, "docx"]))
    assert response.status_code == 403
    # The methodist reads it but does not edit it; the director reads it.
    assert (
        login(cast.methodist).get(reverse("growth:card", args=[cast.librarian_b.pk])).status_code
        == 200
    )
    assert (
        login(cast.methodist).get(reverse("growth:learning_edit", args=[course.pk])).status_code
        == 403
    )
    assert (
        login(cast.director).get(reverse("growth:card", args=[cast.librarian_b.pk])).status_code
        == 200
    )


def test_the_index_sends_a_librarian_to_her_card(cast, login):
    response = login(cast.librarian_a).get(reverse("growth:index"))
    assert response["Location"] == reverse("growth:card", args=[cast.librarian_a.pk])


def test_the_category_form(cast, login):
    client = login(cast.librarian_a)
    response = client.post(
        reverse("growth:card_edit"),
        {
            "category": "first",
            "category_assigned_on": "20.12.2024",
            "category_valid_until": "20.12.2029",
            "category_order": "Распоряжение № 123",
        },
    )
    assert response.status_code == 302
    assert selectors.card_of(cast.librarian_a).category == "first"
    bad = client.post(
        reverse("growth:card_edit"),
        {
            "category": "first",
            "category_assigned_on": "20.12.2024",
            "category_valid_until": "01.01.2020",
        },
    )
    assert bad.status_code == 200 and "раньше присвоения" in bad.content.decode()


# --- Confirmation ----------------------------------------------------------------------------


def test_methodist_confirms_a_course_and_only_then_its_hours_count(cast, login):
    course = add_course(cast.librarian_a, hours=72)
    year = this_year()
    assert selectors.hours_by_person(cast.association, year).get(cast.librarian_a.pk) is None
    assert (
        login(cast.head).post(reverse("growth:learning_confirm", args=[course.pk])).status_code
        == 403
    )
    assert (
        login(cast.librarian_a)
        .post(reverse("growth:learning_confirm", args=[course.pk]))
        .status_code
        == 403
    )
    login(cast.methodist).post(reverse("growth:learning_confirm", args=[course.pk]))
    course.refresh_from_db()
    assert course.confirmed_at and course.confirmed_by == cast.methodist
    assert selectors.hours_by_person(cast.association, year)[cast.librarian_a.pk].courses == 72
    with pytest.raises(DomainError, match="подтверждены"):
        services.learning_update(cast.librarian_a, course, title="Другое")


def test_a_course_without_a_certificate_file_is_not_confirmed(cast, login):
    course = add_course(cast.librarian_a, certificate=False)
    login(cast.methodist).post(reverse("growth:learning_confirm", args=[course.pk]))
    course.refresh_from_db()
    assert course.confirmed_at is None
    with pytest.raises(DomainError, match="без файла удостоверения"):
        services.learning_confirm(cast.methodist, course)
    response = login(cast.methodist).post(
        reverse("growth:learning_return", args=[course.pk]), {"comment": ""}
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.return_comment == ""
    login(cast.methodist).post(
        reverse("growth:learning_return", args=[course.pk]), {"comment": "Приложите скан."}
    )
    course.refresh_from_db()
    assert course.return_comment == "Приложите скан."


# --- Bibliomo events and the route -----------------------------------------------------------


def test_attended_events_are_counted_with_their_certificates(cast, login):
    _attended_event(cast, cast.librarian_a, hours=4)
    hours = selectors.hours_by_person(cast.association, this_year())[cast.librarian_a.pk]
    assert hours.events == 4 and hours.total == 4
    card = login(cast.librarian_a).get(reverse("growth:card", args=[cast.librarian_a.pk]))
    assert "Семинар «Наставничество»" in card.content.decode()


def test_an_event_step_of_the_route_closes_itself_when_she_attends(cast, login):
    client = login(cast.librarian_a)
    year = this_year()
    url = reverse("growth:route", args=[cast.librarian_a.pk]) + f"?year={year}"
    assert client.post(url, {"goal": ""}).status_code == 200
    client.post(url, {"goal": "Освоить цифровые сервисы для читателей"})
    route = selectors.route_of(cast.librarian_a, year)
    event = make_event(cast, title="Вебинар о цифровых сервисах")
    step_url = reverse("growth:step_add", args=[cast.librarian_a.pk]) + f"?year={year}"
    client.post(step_url, {"kind": "event", "event": event.pk, "due_on": "2027-03-01"})
    client.post(
        step_url, {"kind": "self_study", "title": "Прочитать книгу", "due_on": "2027-04-01"}
    )
    client.post(step_url, {"kind": "self_study", "title": "", "due_on": ""})
    steps = selectors.route_steps(route)
    assert [s.title for s in steps] == ["Вебинар о цифровых сервисах", "Прочитать книгу"]
    assert not any(s.is_done for s in steps)
    registration = event_services.registration_create(cast.librarian_a, event, cast.librarian_a)
    start = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=1))
    event.refresh_from_db()
    event_services.attendance_mark(cast.methodist, event, {registration.pk: "attended"})
    assert [s.is_done for s in selectors.route_steps(route)] == [True, False]
    client.post(reverse("growth:step_done", args=[steps[1].pk]))
    assert all(s.is_done for s in selectors.route_steps(route))
    # The methodist plans with her; another librarian cannot touch the route.
    assert (
        login(cast.librarian_b).post(reverse("growth:step_delete", args=[steps[1].pk])).status_code
        == 404
    )
    assert (
        login(cast.methodist).post(reverse("growth:step_delete", args=[steps[1].pk])).status_code
        == 302
    )


# --- The methodist's view, export, portfolio -------------------------------------------------


def test_overview_lists_hours_people_without_any_and_courses_ending_soon(
    cast, login, django_assert_max_num_queries
):
    course = add_course(cast.librarian_a, days=15)
    services.learning_confirm(cast.methodist, course)
    client = login(cast.methodist)
    with django_assert_max_num_queries(15):
        body = client.get(reverse("growth:index")).content.decode()
    assert "Курсы заканчиваются в ближайшие 30 дней" in body
    assert course.title[:40] in body
    assert "Без повышения квалификации" in body and "Петрова О.И." in body
    assert client.get(reverse("growth:index"), {"year": "garbage"}).status_code == 200
    assert login(cast.librarian_a).get(reverse("growth:export")).status_code == 403


def test_export_keeps_text_as_text(cast, login):
    cast.librarian_a.last_name = '=HYPERLINK("http://x")'
    cast.librarian_a.save()
    response = login(cast.methodist).get(reverse("growth:export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Педагоги"]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert any(name.startswith("=HYPERLINK") for name in names)
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_portfolio_in_word_and_pdf(cast, login):
    course = add_course(cast.librarian_a)
    services.learning_confirm(cast.methodist, course)
    _attended_event(cast, cast.librarian_a)
    client = login(cast.librarian_a)
    response = client.get(reverse("growth:portfolio", args=[cast.librarian_a.pk, "docx"]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Портфолио профессионального развития" in text and "Иванова Анна Сергеевна" in text
    assert "А.С. Иванова" in text
    tables = docx.Document(io.BytesIO(response.content)).tables
    assert any("Современная школьная библиотека" in t.cell(1, 0).text for t in tables)
    pdf = client.get(reverse("growth:portfolio", args=[cast.librarian_a.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("growth:portfolio", args=[cast.librarian_a.pk, "odt"])).status_code
        == 404
    )


def test_year_figures(cast):
    course = add_course(cast.librarian_a, hours=36)
    services.learning_confirm(cast.methodist, course)
    _attended_event(cast, cast.librarian_a, hours=2)
    figures = selectors.year_figures(cast.association, this_year())
    assert figures["librarians"] == 2 and figures["without_development"] == 1
    assert figures["hours"] == {"total": 38.0, "events": 2.0, "courses": 36.0, "other": 0.0}
    assert figures["courses_confirmed"] == 1
    assert {row["school"] for row in figures["by_school"]} == {
        "МБОУ «СОШ № 1»",
        "МБОУ «Гимназия № 5»",
    }


def test_owner_edits_and_deletes_her_unconfirmed_learning(cast, login):
    course = add_course(cast.librarian_a, certificate=False)
    client = login(cast.librarian_a)
    url = reverse("growth:learning_edit", args=[course.pk])
    assert client.get(url).status_code == 200
    data = {
        "kind": "course",
        "title": "Фонд учебников: учёт и заказ",
        "organiser": "МОУ ДПО УМЦ",
        "hours": "24",
        "starts_on": course.starts_on.isoformat(),
        "ends_on": course.ends_on.isoformat(),
        "certificate_file": SimpleUploadedFile("скан.png", png_bytes()),
    }
    assert client.post(url, data).status_code == 302
    course.refresh_from_db()
    assert course.title == "Фонд учебников: учёт и заказ" and course.certificate
    bad = client.post(url, {**data, "kind": "astrology"})
    assert bad.status_code == 200 and "Выберите корректный вариант" in bad.content.decode()
    assert client.post(reverse("growth:learning_delete", args=[course.pk])).status_code == 302
    assert not Learning.objects.exists()


def test_readers_see_the_overview_and_the_export(cast, login):
    add_course(cast.librarian_a)
    for person in (cast.head, cast.director):
        assert login(person).get(reverse("growth:index")).status_code == 200
    response = login(cast.methodist).get(reverse("growth:export"), {"year": "2026"})
    assert response.status_code == 200
    assert "Профессиональное развитие 2026-2027.xlsx" in response["Content-Disposition"] or (
        "filename*" in response["Content-Disposition"]
    )
    assert (
        login(cast.outsider).get(reverse("growth:card", args=[cast.librarian_a.pk])).status_code
        == 404
    )


def test_the_card_lists_her_contests_and_a_place_only_after_the_results(cast, login):
    from tests.contests.builders import open_contest, submit

    contest = open_contest(cast)
    submit(contest, cast.librarian_a, title="Урок о книге")
    client = login(cast.librarian_a)
    card = client.get(reverse("growth:card", args=[cast.librarian_a.pk])).content.decode()
    assert contest.title in card and "Урок о книге" in card
    assert "участник" in card and "итоги не подведены" in card
    other = login(cast.librarian_b).get(reverse("growth:card", args=[cast.librarian_b.pk]))
    assert "Участия в конкурсах нет." in other.content.decode()
