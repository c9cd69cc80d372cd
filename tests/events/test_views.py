import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bibliomo.events import services
from bibliomo.events.models import Event, Material, Registration
from tests.factories import make_event

pytestmark = pytest.mark.django_db


# --- lists and the card ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["methodist", "head", "director", "librarian_a"])
def test_members_see_the_list_and_the_card(cast, login, event, who):
    client = login(getattr(cast, who))
    assert event.title in client.get(reverse("events:index")).content.decode()
    card = client.get(event.get_absolute_url())
    assert card.status_code == 200 and "Записаться" in card.content.decode()


def test_drafts_are_seen_only_by_organisers_and_the_methodist(cast, login):
    draft = make_event(cast, status="draft", title="Секретный черновик", organisers=[cast.head])
    assert "Секретный черновик" in login(cast.head).get(reverse("events:index")).content.decode()
    body = login(cast.librarian_a).get(reverse("events:index")).content.decode()
    assert "Секретный черновик" not in body
    assert login(cast.librarian_a).get(draft.get_absolute_url()).status_code == 404


def test_outsider_does_not_find_our_events(cast, login, event):
    client = login(cast.outsider)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert event.title not in client.get(reverse("events:index")).content.decode()


def test_list_filters_and_bad_parameters(cast, login, event):
    client = login(cast.librarian_a)
    body = client.get(reverse("events:index"), {"kind": "webinar"}).content.decode()
    assert event.title not in body
    response = client.get(reverse("events:index"), {"kind": "x", "format": "y", "month": "2024-13"})
    assert response.status_code == 200 and event.title in response.content.decode()
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    assert event.title in client.get(reverse("events:index"), {"mine": "1"}).content.decode()
    assert (
        event.title
        not in login(cast.librarian_b).get(reverse("events:index"), {"mine": "1"}).content.decode()
    )


def test_the_list_of_events_i_organise_keeps_to_the_coming_ones(cast, login):
    mine = make_event(cast, title="Семинар, который веду я", organisers=[cast.head])
    other = make_event(cast, title="Семинар методиста", organisers=[cast.methodist])
    past = make_event(cast, title="Прошлый мой семинар", days=-30, organisers=[cast.head])
    client = login(cast.head)
    body = client.get(reverse("events:index"), {"organised": "1"}).content.decode()
    assert mine.title in body and other.title not in body and past.title not in body
    assert "1 мероприятие впереди" in body and 'name="organised" value="1" checked' in body
    body = client.get(reverse("events:index"), {"organised": "1", "past": "1"}).content.decode()
    assert mine.title in body and past.title in body and other.title not in body
    # anything but «1» is no filter; a librarian organises nothing here and finds nothing
    body = client.get(reverse("events:index"), {"organised": "да"}).content.decode()
    assert mine.title in body and other.title in body
    body = login(cast.librarian_a).get(reverse("events:index"), {"organised": "1"}).content
    assert "Мероприятий не найдено" in body.decode()


def test_calendar_month_shows_the_event_on_its_day(cast, login, event):
    month = timezone.localdate(event.starts_at).strftime("%Y-%m")
    body = (
        login(cast.librarian_a).get(reverse("events:calendar"), {"month": month}).content.decode()
    )
    assert event.title[:30] in body
    assert (
        login(cast.librarian_a).get(reverse("events:calendar"), {"month": "garbage"}).status_code
        == 200
    )


def test_list_and_calendar_query_counts_do_not_grow(cast, login, django_assert_max_num_queries):
    for n in range(30):
        make_event(cast, days=3 + n % 20, title=f"Событие {n}")
    client = login(cast.librarian_a)
    with django_assert_max_num_queries(10):
        client.get(reverse("events:index"))
    with django_assert_max_num_queries(10):
        client.get(reverse("events:calendar"))


# --- registration through the pages ----------------------------------------------------------


def test_librarian_registers_and_cancels_herself(cast, login, event):
    client = login(cast.librarian_a)
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "Вы записаны" in response.content.decode()
    assert Registration.objects.get(person=cast.librarian_a).status == "registered"
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "Вы уже записаны" in response.content.decode()
    client.post(reverse("events:unregister", args=[event.pk]))
    assert Registration.objects.get(person=cast.librarian_a).status == "cancelled"


def test_cancelling_ones_registration_asks_first(cast, login, event):
    client = login(cast.librarian_a)
    url = reverse("events:unregister", args=[event.pk])
    client.post(reverse("events:register", args=[event.pk]))
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert f'href="{url}"' in page
    confirm = client.get(url)
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Отменить запись?" in body and event.title in body and 'method="post"' in body
    assert Registration.objects.get(person=cast.librarian_a).status == "registered"  # only asked
    client.post(url)
    assert Registration.objects.get(person=cast.librarian_a).status == "cancelled"
    # Not registered (or already cancelled): back to the event with a Russian message.
    response = login(cast.librarian_b).get(url, follow=True)
    assert "Вы не записаны на это мероприятие." in response.content.decode()
    response = login(cast.librarian_a).get(url, follow=True)
    assert "Запись уже отменена." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("events:detail", args=[event.pk])
    assert login(cast.outsider).get(url).status_code in (403, 404)


def test_register_needs_post(cast, login, event):
    assert (
        login(cast.librarian_a).get(reverse("events:register", args=[event.pk])).status_code == 405
    )


def test_methodist_registers_others(cast, login, event):
    response = login(cast.methodist).post(
        reverse("events:register_other", args=[event.pk]),
        {"person": cast.librarian_b.pk},
        follow=True,
    )
    assert "Петрова О.И.: записан(а)" in response.content.decode()


@pytest.mark.parametrize("who", ["director", "librarian_a"])
def test_only_managers_register_others(cast, login, event, who):
    response = login(getattr(cast, who)).post(
        reverse("events:register_other", args=[event.pk]), {"person": cast.librarian_b.pk}
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_register_other_with_garbage(cast, login, event):
    response = login(cast.methodist).post(
        reverse("events:register_other", args=[event.pk]), {"person": "abc"}, follow=True
    )
    assert "Выберите участника" in response.content.decode()


def test_librarian_cannot_see_the_participant_list(cast, login, event):
    assert (
        login(cast.librarian_a).get(reverse("events:registrations", args=[event.pk])).status_code
        == 403
    )
    assert (
        login(cast.director).get(reverse("events:registrations", args=[event.pk])).status_code
        == 200
    )


# --- editing ---------------------------------------------------------------------------------


def _event_form(cast, **changes):
    start = (timezone.localtime() + timedelta(days=5)).replace(microsecond=0)
    data = {
        "title": "Семинар «Алгоритм заказа»",
        "kind": "seminar",
        "description": "",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "format": "in_person",
        "building": cast.school_a.buildings.get().pk,
        "room": "",
        "address": "",
        "online_url": "",
        "audience": "members",
        "audience_school": "",
        "capacity": "20",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "hours": "2",
        "organisers": [cast.methodist.pk],
        "programme-TOTAL_FORMS": "2",
        "programme-INITIAL_FORMS": "0",
        "programme-0-topic": "Открытие",
        "programme-0-starts_at": "10:00",
        "programme-0-speaker": cast.head.pk,
        "programme-1-topic": "",
        "programme-1-speaker_name": "",
    }
    data.update(changes)
    return data


def test_manager_creates_an_event_with_a_programme(cast, login):
    response = login(cast.head).post(reverse("events:create"), _event_form(cast))
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.status == "draft" and event.capacity == 20
    assert [item.topic for item in event.programme.all()] == ["Открытие"]
    assert timezone.localtime(event.starts_at).hour == timezone.localtime().hour


def test_event_form_errors_are_russian_and_nothing_is_saved(cast, login):
    client = login(cast.methodist)
    response = client.post(reverse("events:create"), _event_form(cast, title="", format="online"))
    body = response.content.decode()
    assert "Обязательное поле." in body
    response = client.post(reverse("events:create"), _event_form(cast, format="online"))
    assert "ссылку для подключения" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize("who", ["director", "librarian_a"])
def test_readers_cannot_create_or_edit(cast, login, event, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("events:create")).status_code == 403
    assert (
        client.post(reverse("events:edit", args=[event.pk]), _event_form(cast)).status_code == 403
    )
    for name in ("events:announce", "events:held", "events:cancel"):
        assert client.post(reverse(name, args=[event.pk]), {"reason": "x"}).status_code == 403


def test_cancel_from_the_page_needs_a_reason(cast, login, event):
    client = login(cast.methodist)
    client.post(reverse("events:cancel", args=[event.pk]), {"reason": ""})
    event.refresh_from_db()
    assert event.status == "announced"
    client.post(reverse("events:cancel", args=[event.pk]), {"reason": "Карантин"})
    event.refresh_from_db()
    assert event.status == "cancelled"


# --- attendance ------------------------------------------------------------------------------


def test_bulk_attendance_from_the_participants_page(cast, login, past_event):
    ids = list(past_event.registrations.values_list("pk", flat=True))
    response = login(cast.methodist).post(
        reverse("events:attendance", args=[past_event.pk]),
        {"bulk": "attended", "selected": [str(i) for i in ids]},
        follow=True,
    )
    assert "Посещение сохранено (изменений: 2)" in response.content.decode()
    assert set(past_event.registrations.values_list("attendance", flat=True)) == {"attended"}


def test_attendance_with_unknown_value_changes_nothing(cast, login, past_event):
    registration = past_event.registrations.first()
    response = login(cast.methodist).post(
        reverse("events:attendance", args=[past_event.pk]),
        {f"attendance_{registration.pk}": "teleported"},
        follow=True,
    )
    assert "Неизвестная отметка" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attendance == "unknown"


def test_attendance_import_previews_then_marks(cast, login, past_event):
    client = login(cast.methodist)
    csv = (
        "ФИО;E-mail\n"
        "Иванова Анна Сергеевна;\n"
        "Никитенко Татьяна Геннадьевна;HEAD@test.ru\n"
        "Незнакомка;x@y.ru\n"
    )
    response = client.post(
        reverse("events:attendance_import", args=[past_event.pk]),
        {"file": SimpleUploadedFile("webinar.csv", csv.encode("utf-8"))},
    )
    body = response.content.decode()
    assert "Найдены (2)" in body and "Не найдены среди участников объединения (1)" in body
    assert set(past_event.registrations.values_list("attendance", flat=True)) == {"unknown"}
    client.post(
        reverse("events:attendance_import", args=[past_event.pk]),
        {"confirm": "1", "person": [cast.librarian_a.pk, cast.head.pk, cast.outsider.pk]},
    )
    rows = dict(past_event.registrations.values_list("person__email", "attendance"))
    assert rows["lib.a@test.ru"] == rows["head@test.ru"] == "attended"
    assert "outsider@test.ru" not in rows  # not offered by the preview, so ignored


def test_attendance_import_with_a_broken_file_lists_the_rows(cast, login, past_event):
    csv = "ФИО;E-mail\nИванова Анна;ivanova@\n"
    response = login(cast.methodist).post(
        reverse("events:attendance_import", args=[past_event.pk]),
        {"file": SimpleUploadedFile("list.csv", csv.encode("utf-8"))},
    )
    body = response.content.decode()
    assert "Ничего не изменено" in body and "Строка 2, столбец «E-mail»" in body
    assert not past_event.registrations.filter(attendance="attended").exists()


def test_sign_in_sheet_in_word_and_pdf(cast, login, event):
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    client = login(cast.director)
    import docx
    from pypdf import PdfReader

    word = client.get(reverse("events:signin_sheet", args=[event.pk, "docx"]))
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(word.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Иванова Анна Сергеевна" in text and "Подпись" in text
    pdf = client.get(reverse("events:signin_sheet", args=[event.pk, "pdf"]))
    assert "Иванова Анна Сергеевна" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert client.get(reverse("events:signin_sheet", args=[event.pk, "exe"])).status_code == 404
    assert (
        login(cast.librarian_b)
        .get(reverse("events:signin_sheet", args=[event.pk, "pdf"]))
        .status_code
        == 403
    )


# --- materials -------------------------------------------------------------------------------


def _material(cast, event, visibility, name="slides.pdf"):
    return services.material_add(
        cast.methodist,
        event,
        title="Презентация",
        visibility=visibility,
        file=SimpleUploadedFile(name, b"%PDF-1.4 test"),
    )


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member", "participant"),
    [("public", 200, 200, 200), ("members", 404, 200, 200), ("participants", 404, 403, 200)],
)
def test_material_visibility(
    cast, login, client, event, visibility, anonymous, member, participant
):
    material = _material(cast, event, visibility)
    url = reverse("material_download", args=[material.pk])
    assert client.get(url).status_code == anonymous
    assert login(cast.librarian_b).get(url).status_code == member
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    response = login(cast.librarian_a).get(url)
    assert response.status_code == participant
    if participant == 200:
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")


def test_material_upload_checks_type_and_size(cast, login, event, settings):
    client = login(cast.methodist)
    url = reverse("events:material_add", args=[event.pk])
    response = client.post(
        url,
        {
            "title": "Вирус",
            "visibility": "public",
            "file": SimpleUploadedFile("evil.html", b"<script>"),
        },
    )
    assert "страница HTML, такие файлы не принимаются" in response.content.decode()
    settings.UPLOAD_LIMITS_MB = {**settings.UPLOAD_LIMITS_MB, "material": 1}
    response = client.post(
        url,
        {
            "title": "Большой",
            "visibility": "public",
            "file": SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1)),
        },
    )
    assert "Файл слишком большой" in response.content.decode()
    response = client.post(url, {"title": "Пусто", "visibility": "public"})
    assert "Приложите файл или укажите ссылку" in response.content.decode()
    assert not Material.objects.exists()
    assert login(cast.librarian_a).get(url).status_code == 403


def test_stored_file_name_is_random_and_the_original_kept_as_data(cast, event):
    material = _material(cast, event, "public", name="../../etc/Программа.pdf")
    assert material.original_name == "Программа.pdf"
    assert "etc" not in material.file.name and material.file.name.endswith(".pdf")


# --- feedback and my participation -----------------------------------------------------------


def test_participant_leaves_feedback_and_the_methodist_sees_the_summary(cast, login, past_event):
    services.attendance_import(cast.methodist, past_event, [cast.librarian_a])
    client = login(cast.librarian_a)
    assert "Ваш отзыв" in client.get(past_event.get_absolute_url()).content.decode()
    client.post(
        reverse("events:feedback", args=[past_event.pk]),
        {"useful": "5", "organisation": "4", "applicable": "3", "comment": "Спасибо"},
    )
    body = login(cast.methodist).get(past_event.get_absolute_url()).content.decode()
    assert "Отзывы участников (1)" in body and "«Спасибо»" in body


def test_feedback_with_missing_ratings_is_refused(cast, login, past_event):
    services.attendance_import(cast.methodist, past_event, [cast.librarian_a])
    response = login(cast.librarian_a).post(
        reverse("events:feedback", args=[past_event.pk]), {"useful": "5"}, follow=True
    )
    assert "Оцените каждый вопрос" in response.content.decode()


def test_my_participation_counts_hours_of_attended_events(cast, login, past_event):
    services.attendance_import(cast.methodist, past_event, [cast.librarian_a])
    body = login(cast.librarian_a).get(reverse("events:my")).content.decode()
    assert "Посещено: 1 мероприятие, 2 ак. ч." in body
    assert past_event.title in body


def test_reminders_switch_and_calendar_token_reset(cast, login):
    client = login(cast.librarian_a)
    client.get(reverse("events:my"))
    old = cast.librarian_a.event_settings.calendar_token
    client.post(reverse("events:my"), {"reset_token": "1"})
    client.post(reverse("events:my"), {})
    cast.librarian_a.event_settings.refresh_from_db()
    assert cast.librarian_a.event_settings.calendar_token != old
    assert cast.librarian_a.event_settings.reminders is False


@pytest.mark.parametrize(
    ("kind", "title", "named"),
    [
        ("seminar", "Алгоритм заказа", "семинар «Алгоритм заказа»"),
        ("ideas_fair", "Ярмарка библиотечных идей", "ярмарка библиотечных идей"),
        ("meeting", "Заседание ММО: итоги года", "заседание ММО: итоги года"),
        ("round_table", "Круглый стол «Читаем вместе»", "круглый стол «Читаем вместе»"),
        ("webinar", "Вебинары для молодых", "вебинары для молодых"),
        ("conference", "Чтение и цифра", "конференция «Чтение и цифра»"),
    ],
)
def test_an_event_is_named_with_its_kind_once(kind, title, named):
    assert Event(kind=kind, title=title).named == named


def test_event_page_warns_of_a_registration_at_the_same_time(cast, login):
    fair = make_event(cast, title="Ярмарка идей")
    practice = make_event(cast, title="Практикум по заказу")
    later = make_event(cast, title="Вебинар позже")
    start = fair.starts_at.replace(microsecond=0)
    Event.objects.filter(pk__in=[fair.pk, practice.pk]).update(
        starts_at=start, ends_at=start + timedelta(hours=2)
    )
    Event.objects.filter(pk=later.pk).update(
        starts_at=start + timedelta(hours=2), ends_at=start + timedelta(hours=3)
    )
    fair.refresh_from_db()
    services.registration_create(cast.librarian_a, fair, cast.librarian_a)
    client = login(cast.librarian_a)
    before = client.get(reverse("events:detail", args=[practice.pk])).content.decode()
    link = f'<a href="{fair.get_absolute_url()}">семинар «Ярмарка идей»</a>'
    assert f"В это же время у вас уже есть запись: {link}" in before
    # Registered for both: choose one. An event right after the other is no clash.
    services.registration_create(cast.librarian_a, practice, cast.librarian_a)
    both = client.get(reverse("events:detail", args=[practice.pk])).content.decode()
    assert f"Вы записаны и на другое в это же время: {link}" in both
    assert "Выберите, куда пойдёте, и отмените лишнюю запись." in both

    def warned(client, event) -> bool:
        page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
        return "в это же время" in page.lower()

    assert not warned(client, later)
    # Another person's registration and a cancelled event say nothing.
    assert not warned(login(cast.librarian_b), practice)
    services.event_cancel(cast.methodist, fair, "Перенос")
    assert not warned(client, practice)
