"""Certificates, their verification, the ZIP job, minutes and calendar feeds."""

import io
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from bibliomo.core.models import Job
from bibliomo.events import certificates, services
from bibliomo.events.models import Certificate, Event, Minutes
from tests.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(cast, past_event):
    services.programme_set(
        cast.methodist,
        past_event,
        [
            {"topic": "Из опыта работы", "speaker": cast.librarian_a},
        ],
    )
    services.attendance_import(cast.methodist, past_event, [cast.librarian_a])
    return past_event


def test_certificates_go_only_to_those_who_attended(cast, attended):
    issued = certificates.certificates_issue(cast.methodist, attended)
    roles = sorted((c.person.email, c.role) for c in issued)
    assert roles == [("lib.a@test.ru", "participant"), ("lib.a@test.ru", "speaker")]
    participant = next(c for c in issued if c.role == "participant")
    assert participant.recipient_dative == "Ивановой Анне Сергеевне"
    assert certificates.certificates_issue(cast.methodist, attended) == []  # idempotent


def test_no_certificates_before_the_event_or_without_attendance(cast, event, past_event):
    with pytest.raises(Exception, match="после мероприятия"):
        certificates.certificates_issue(cast.methodist, event)
    with pytest.raises(Exception, match="сначала отметьте посещение"):
        certificates.certificates_issue(cast.methodist, past_event)


def test_certificate_pdf_names_the_person_in_the_dative(cast, login, attended):
    certificates.certificates_issue(cast.methodist, attended)
    number = Certificate.objects.get(role="participant").number
    response = login(cast.librarian_a).get(reverse("events:certificate_pdf", args=[number]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Ивановой Анне Сергеевне" in text and number in text
    # Another librarian cannot fetch it; the methodist can.
    assert (
        login(cast.librarian_b).get(reverse("events:certificate_pdf", args=[number])).status_code
        == 404
    )
    assert (
        login(cast.methodist).get(reverse("events:certificate_pdf", args=[number])).status_code
        == 200
    )


def test_verification_page_confirms_and_says_when_a_number_does_not_exist(cast, client, attended):
    certificates.certificates_issue(cast.methodist, attended)
    number = Certificate.objects.get(role="participant").number
    page = client.get(reverse("certificate_verify", args=[number])).content.decode()
    assert "Сертификат подлинный" in page and "Иванова Анна Сергеевна" in page
    forged = client.get(reverse("certificate_verify", args=["2024-DEADBEEF"]))
    body = forged.content.decode()
    assert forged.status_code == 404 and "Сертификат не найден" in body
    assert "Иванова" not in body


def test_certificate_and_verification_page_name_the_kind_with_nested_quotes(cast, client, attended):
    Event.objects.filter(pk=attended.pk).update(
        title="Мастер-класс «Школа, семья и библиотека»", kind="seminar"
    )
    certificates.certificates_issue(cast.methodist, attended)
    certificate = Certificate.objects.get(role="participant")
    text = " ".join(
        PdfReader(io.BytesIO(certificates.certificate_pdf(certificate)))
        .pages[0]
        .extract_text()
        .split()
    )
    assert "за участие в семинаре «Мастер-класс „Школа, семья и библиотека“»" in text
    assert "»»" not in text
    assert "(объём — 2 ак. ч.)" in text.replace("\u00a0", " ")
    page = client.get(reverse("certificate_verify", args=[certificate.number])).content.decode()
    assert "Семинар «Мастер-класс „Школа, семья и библиотека“»" in page


def test_methodist_corrects_the_declined_name(cast, login, attended):
    certificates.certificates_issue(cast.methodist, attended)
    certificate = Certificate.objects.get(role="participant")
    url = reverse("events:certificate_name", args=[certificate.number])
    assert login(cast.librarian_a).post(url, {"recipient_dative": "X"}).status_code == 403
    login(cast.methodist).post(url, {"recipient_dative": " Ивановой  Анне Сергеевне "})
    certificate.refresh_from_db()
    assert certificate.recipient_dative == "Ивановой Анне Сергеевне"
    response = login(cast.methodist).post(url, {"recipient_dative": ""})
    assert "Обязательное поле." in response.content.decode()


def test_template_with_an_unknown_placeholder_is_refused(cast, login):
    url = reverse("events:certificate_template", args=["participant"])
    response = login(cast.methodist).post(
        url, {"title": "СЕРТИФИКАТ", "body": "выдан {кому}", "signatures": ""}
    )
    assert "Неизвестная подстановка {кому}" in response.content.decode()
    login(cast.methodist).post(
        url,
        {
            "title": "СЕРТИФИКАТ",
            "subtitle": "участника",
            "body": "выдан {получатель_дп} за {мероприятие}",
            "signatures": "Методист — Э.В. Леонтьева",
        },
    )
    template = certificates.template_for(cast.association, "participant")
    assert template.body == "выдан {получатель_дп} за {мероприятие}"
    assert login(cast.librarian_a).get(url).status_code == 403
    assert (
        login(cast.methodist).get(reverse("events:certificate_template", args=["x"])).status_code
        == 404
    )


def test_zip_of_all_certificates_runs_as_a_job(
    cast, login, attended, django_capture_on_commit_callbacks
):
    certificates.certificates_issue(cast.methodist, attended)
    client = login(cast.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:certificate_zip", args=[attended.pk]))
    job = Job.objects.get()
    assert job.status == "done" and job.message == "В архиве 2 сертификата."
    download = client.get(reverse("job_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 2 and all(n.endswith(".pdf") for n in archive.namelist())


def test_librarian_cannot_issue_or_zip(cast, login, attended):
    client = login(cast.librarian_a)
    assert client.post(reverse("events:certificate_issue", args=[attended.pk])).status_code == 403
    assert client.post(reverse("events:certificate_zip", args=[attended.pk])).status_code == 403
    assert not Certificate.objects.exists()


# --- minutes ---------------------------------------------------------------------------------


def test_minutes_of_a_meeting_in_word(cast, login):
    import docx

    meeting = make_event(cast, kind="meeting", title="Заседание ММО")
    client = login(cast.head)
    url = reverse("events:minutes", args=[meeting.pk])
    response = client.post(
        url,
        {
            "number": "2",
            "chair": "Никитенко Т.Г.",
            "secretary": "Леонтьева Э.В.",
            "invited": "",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-title": "О плане работы",
            "items-0-speaker": "Никитенко Т.Г.",
            "items-0-heard": "Информацию о плане.",
            "items-0-decided": "Утвердить план.",
        },
    )
    assert response.status_code == 302
    assert Minutes.objects.get(event=meeting).items.count() == 1
    word = client.get(reverse("events:minutes_docx", args=[meeting.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "ПРОТОКОЛ" in text and "№\u00a02" in text
    assert "О плане работы" in text and "Утвердить план." in text
    # The association in the genitive after «заседания», the place the minutes come from.
    assert "заседания Муниципального методического объединения школьных библиотекарей" in text
    assert "г. Серпухов" in text
    assert "Т.Г. Никитенко" in text  # the chair signs as «И.О. Фамилия»


def _meeting_on(cast, day: datetime) -> Event:
    meeting = make_event(cast, kind="meeting", title=f"Заседание {day:%d.%m.%Y}")
    Event.objects.filter(pk=meeting.pk).update(starts_at=day, ends_at=day + timedelta(hours=2))
    meeting.refresh_from_db()
    return meeting


def test_minutes_are_numbered_within_the_academic_year(cast, login):
    from bibliomo.events import minutes as minutes_services

    moscow = ZoneInfo("Europe/Moscow")
    _meeting_on(cast, datetime(2025, 5, 20, 15, tzinfo=moscow))  # the year before
    _meeting_on(cast, datetime(2025, 9, 10, 15, tzinfo=moscow))
    _meeting_on(cast, datetime(2025, 10, 15, 15, tzinfo=moscow))
    third = _meeting_on(cast, datetime(2025, 11, 20, 15, tzinfo=moscow))
    _meeting_on(cast, datetime(2026, 1, 20, 15, tzinfo=moscow))  # later: not counted
    assert minutes_services.meeting_number(third) == 3
    # The form offers it, and a blank number is filled with it.
    page = login(cast.head).get(reverse("events:minutes", args=[third.pk])).content.decode()
    assert 'name="number" value="3"' in page
    saved = minutes_services.minutes_save(
        cast.head,
        third,
        number="",
        chair="Никитенко Т.Г.",
        secretary="Леонтьева Э.В.",
        invited="",
        items=[{"title": "О плане работы"}],
    )
    assert saved.number == "3"


def test_the_august_meeting_planning_the_year_is_that_years_number_one(cast):
    from bibliomo.events import minutes as minutes_services
    from bibliomo.plans import services as plans
    from bibliomo.plans.models import WorkPlan

    moscow = ZoneInfo("Europe/Moscow")
    plan = WorkPlan.objects.create(association=cast.association, academic_year=2026)
    section = plans.section_create(cast.methodist, plan, "Организационно-методическая работа")
    planning = plans.activity_create(
        cast.methodist,
        section,
        content="Заседание ММО: планирование работы на 2026/2027 учебный год",
        timing_text="август",
        responsible_text="Руководитель ММО",
    )
    may = _meeting_on(cast, datetime(2026, 5, 28, 14, tzinfo=moscow))
    _meeting_on(cast, datetime(2026, 1, 20, 14, tzinfo=moscow))
    august = _meeting_on(cast, datetime(2026, 8, 29, 14, tzinfo=moscow))
    august.activities.set([planning])
    november = _meeting_on(cast, datetime(2026, 11, 20, 14, tzinfo=moscow))
    # a meeting in August with no line of the new plan stays in the year it closes
    stray = _meeting_on(cast, datetime(2026, 8, 20, 14, tzinfo=moscow))
    assert minutes_services.work_year(august) == 2026
    assert minutes_services.work_year(stray) == 2025
    numbers = [minutes_services.meeting_number(e) for e in (may, stray, august, november)]
    assert numbers == [2, 3, 1, 2]


def test_minutes_need_an_agenda_and_a_meeting(cast, login, event):
    meeting = make_event(cast, kind="meeting", title="Заседание")
    response = login(cast.methodist).post(
        reverse("events:minutes", args=[meeting.pk]),
        {
            "number": "1",
            "chair": "А",
            "secretary": "Б",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
        },
    )
    assert "хотя бы один вопрос" in response.content.decode()
    assert login(cast.methodist).get(reverse("events:minutes", args=[event.pk])).status_code == 404
    assert (
        login(cast.librarian_a).get(reverse("events:minutes", args=[meeting.pk])).status_code == 403
    )


# --- calendar feeds --------------------------------------------------------------------------


def test_personal_feeds_are_valid_icalendar_and_follow_registrations(cast, client, event):
    other = make_event(cast, title="Другое мероприятие")
    meeting = make_event(cast, kind="meeting", title="Заседание ММО: итоги полугодия", days=9)
    for registered in (event, meeting):
        services.registration_create(cast.librarian_a, registered, cast.librarian_a)
    token = services.participant_settings(cast.librarian_a).calendar_token
    mine = Calendar.from_ical(client.get(reverse("personal_feed", args=[token, "my"])).content)
    titles = [str(e["SUMMARY"]) for e in mine.walk("VEVENT")]
    # named once, and «ММО» stays in capitals
    assert titles == [f"Семинар «{event.title}»", "Заседание ММО: итоги полугодия"]
    everything = Calendar.from_ical(
        client.get(reverse("personal_feed", args=[token, "all"])).content
    )
    assert len(everything.walk("VEVENT")) == 3 and other.title in everything.to_ical().decode()
    assert everything.walk("VTIMEZONE")


def test_a_reset_token_kills_the_old_feed(cast, client):
    old = services.participant_settings(cast.librarian_a).calendar_token
    services.calendar_token_reset(cast.librarian_a)
    assert client.get(reverse("personal_feed", args=[old, "my"])).status_code == 404
    assert client.get(reverse("personal_feed", args=["nonsense", "all"])).status_code == 404


def test_public_feed_and_pages_show_only_public_events(cast, client, event):
    public = make_event(cast, audience="public", title="Открытая ярмарка идей")
    feed = client.get(reverse("public_events_feed")).content.decode()
    assert public.title in feed and event.title not in feed
    assert public.title in client.get(reverse("public_events")).content.decode()
    assert client.get(reverse("public_event", args=[public.pk])).status_code == 200
    assert client.get(reverse("public_event", args=[event.pk])).status_code == 404
