"""The demo's events: the 2024/2025 plan carried out, the same plan in every year in between
carried out, the current year up to today carried out, and what is coming up after today."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bibliomo.demo.directory import DemoCast
from bibliomo.demo.timeline import MOSCOW, SEED_YEAR, Stamps, Timeline
from bibliomo.directory.models import Building
from bibliomo.events import certificates, minutes, notifications, services
from bibliomo.events.models import Certificate, Event, Feedback, Material, Registration
from bibliomo.lib import ru
from bibliomo.plans.models import PlanActivity

# The methodist issues certificates within three weeks of an event (Event.CERTIFIED_KINDS).
CERTIFICATES_WITHIN = timedelta(days=21)


def _at(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MOSCOW)


def _building(school_name: str) -> Building | None:
    return Building.objects.filter(school__short_name=school_name, is_main=True).first()


# (title, kind, start, hours long, format, school, audience, plan phrase, capacity)
PAST = [
    (
        "Заседание ММО: планирование работы на 2024/2025 учебный год",
        "meeting",
        _at(2024, 8, 29, 14),
        2,
        "in_person",
        "МБОУ «Гимназия № 1»",
        "members",
        "Планирование деятельности",
        None,
    ),
    (
        "Международный день школьных библиотек: «Библиотека — территория чтения»",
        "celebration",
        _at(2024, 10, 28, 11),
        3,
        "in_person",
        "МБОУ «СОШ № 3»",
        "public",
        "Празднование международного дня",
        None,
    ),
    (
        "Наставничество как фактор профессионального развития",
        "seminar",
        _at(2024, 10, 17, 10),
        3,
        "in_person",
        "МБОУ «Лицей „Серпухов“»",
        "early_career",
        "Празднование международного дня",
        25,
    ),
    (
        "Федеральный перечень учебников: изменения 2024 года",
        "webinar",
        _at(2024, 11, 13, 15),
        1.5,
        "online",
        None,
        "members",
        "Участие в вебинарах",
        None,
    ),
    (
        "Профессиональные диалоги: учёт библиотечного фонда",
        "meeting",
        _at(2024, 11, 20, 14),
        2,
        "in_person",
        "МБОУ «СОШ № 5»",
        "members",
        "Планирование деятельности",
        None,
    ),
    (
        "Круглый стол «Современный ребенок — современный педагог — современный родитель»",
        "round_table",
        _at(2024, 12, 11, 10),
        2,
        "in_person",
        "МБОУ «Гимназия № 5»",
        "members",
        "Круглый стол",
        30,
    ),
    (
        "Ярмарка библиотечных идей. Предлагаем, внедряем, практикуем",
        "ideas_fair",
        _at(2024, 12, 18, 10),
        3,
        "in_person",
        "МБОУ «Гимназия № 1»",
        "public",
        "Ярмарка библиотечных идей",
        40,
    ),
    (
        "Алгоритм заказа учебной литературы",
        "seminar",
        _at(2025, 1, 22, 10),
        2,
        "in_person",
        "МБОУ «СОШ № 12»",
        "members",
        "Алгоритм заказа",
        30,
    ),
    (
        "Мастер-класс «Школа, семья и библиотека: грани сотрудничества в приобщении ребенка к чтению»",
        "master_class",
        _at(2025, 4, 17, 10),
        2,
        "in_person",
        "МБОУ «СОШ № 3»",
        "members",
        "Мастер-класс",
        20,
    ),
    (
        "Школьная библиотека: моё счастливое место, где процветает творчество и воображение",
        "seminar",
        _at(2025, 4, 24, 10),
        4,
        "in_person",
        "МБОУ «Гимназия № 1»",
        "members",
        "Муниципальный семинар",
        40,
    ),
    (
        "Заседание ММО: анализ работы за 2024/2025 учебный год",
        "meeting",
        _at(2025, 5, 28, 14),
        2,
        "in_person",
        "МБОУ «Гимназия № 1»",
        "members",
        "Анализ результатов",
        None,
    ),
]


def _moved(year: int) -> list:
    """The same plan a year (or more) later: the user's events moved to the academic year
    `year` (a year in between, or the current one)."""
    years = year - SEED_YEAR
    label = ru.format_academic_year(year)
    rows = []
    for title, kind, start, hours, fmt, school, audience, phrase, capacity in PAST:
        if kind == "round_table":
            continue  # the round table stays a story of 2024/2025
        title = title.replace("2024/2025", label).replace("2024 года", f"{start.year + years} года")
        start = start.replace(year=start.year + years)
        rows.append((title, kind, start, hours, fmt, school, audience, phrase, capacity))
    return rows


def _upcoming(today, planned: list) -> list:
    """Three events in the weeks after today, whatever today is; one nearly full. None falls
    on a day the plan's own events (`planned` rows) or another of them already take: the
    members who come to both would be expected in two places at once."""
    taken = {row[2].date() for row in planned}
    rows = []
    for row in _upcoming_wished(today):
        start = row[2]
        while start.date() in taken or start.weekday() >= 5:
            start += timedelta(days=1)
        taken.add(start.date())
        rows.append((*row[:2], start, *row[3:]))
    return rows


def _upcoming_wished(today) -> list:
    base = datetime.combine(today, datetime.min.time(), MOSCOW)
    next_order = ru.format_academic_year(ru.academic_year_start(today) + 1)
    return [
        (
            "Новое в федеральном перечне учебников: что учесть при заказе",
            "webinar",
            base + timedelta(days=8, hours=15),
            1.5,
            "online",
            None,
            "members",
            None,
            None,
        ),
        (
            f"Практикум: заказ учебной литературы на {next_order} учебный год",
            "seminar",
            base + timedelta(days=15, hours=10),
            2,
            "in_person",
            "МБОУ «СОШ № 12»",
            "members",
            None,
            12,
        ),
        (
            "Открытый мастер-класс «Буктрейлер: рассказать о книге за минуту»",
            "master_class",
            base + timedelta(days=22, hours=10),
            3,
            "in_person",
            "МБОУ «Гимназия № 1»",
            "public",
            None,
            40,
        ),
    ]


# Guests of the open master class: people from outside the association (made-up addresses).
GUESTS = [
    {
        "full_name": "Белова Светлана Игоревна",
        "email": "s.belova@example.ru",
        "organisation": "Центральная детская библиотека г. Серпухова",
    },
    {
        "full_name": "Григорьев Андрей Николаевич",
        "email": "a.grigoriev@example.ru",
        "organisation": "Гимназия г. Протвино",
    },
]


def build(cast: DemoCast, today: date | None = None) -> list[Event]:
    """The 2024/2025 events (fixed dates, carried out), the current year's events up to today
    carried out, the rest of them and three more in the weeks after today announced."""
    timeline = Timeline.of(today)
    with notifications.muted(), transaction.atomic():
        return _build(cast, timeline)


def _build(cast: DemoCast, timeline: Timeline) -> list[Event]:
    association = cast.association
    if Event.objects.filter(association=association).exists():
        return list(Event.objects.filter(association=association))
    rng = random.Random(2024)
    # A year in between draws from its own generator, so that the 2024/2025 and the current
    # year's figures stay the same however many years lie between them.
    rngs = {year: random.Random(year) for year in timeline.between}
    librarians = [p for p in cast.librarians if p.is_active]
    created: list[Event] = []
    rows = [(row, SEED_YEAR) for row in PAST]
    for year in timeline.between:
        rows += [(row, year) for row in _moved(year)]
    current = _moved(timeline.current)
    rows += [(row, timeline.current) for row in current]
    rows += [(row, timeline.current) for row in _upcoming(timeline.today, current)]
    for row, year in rows:
        title, kind, start, hours, fmt, school, audience, phrase, capacity = row
        stamps = Stamps()
        activities = (
            PlanActivity.objects.filter(
                section__plan__association=association,
                section__plan__academic_year=year,
                content__contains=phrase,
            )
            if phrase
            else []
        )
        building = _building(school) if school else None
        event = services.event_create(
            cast.methodist,
            association,
            title=title,
            kind=kind,
            # «Заседание муниципального …», not «Заседание ММО муниципального …»
            description=ru.capfirst(Event.Kind(kind).label.replace(" ММО", ""))
            + " муниципального методического объединения школьных библиотекарей.",
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            format=fmt,
            building=building,
            room="библиотека" if building else "",
            address="",
            online_url="https://webinar.example.ru/mmo" if fmt != "in_person" else "",
            audience=audience,
            audience_school=None,
            capacity=capacity,
            registration_opens_at=None,
            registration_closes_at=start - timedelta(days=1),
            hours=Decimal(str(hours)),
            organisers=[cast.methodist, cast.head],
            activities=activities,
        )
        services.programme_set(
            cast.methodist,
            event,
            [
                {
                    "starts_at": start.time(),
                    "topic": "Открытие, цели встречи",
                    "speaker": cast.head,
                },
                {
                    "starts_at": (start + timedelta(minutes=20)).time(),
                    "topic": "Из опыта работы школьной библиотеки",
                    "speaker": librarians[len(created) % len(librarians)],
                },
                {
                    "starts_at": (start + timedelta(minutes=60)).time(),
                    "topic": "Обсуждение, ответы на вопросы",
                    "speaker": cast.methodist,
                },
            ],
        )
        services.event_announce(cast.methodist, event)
        created.append(event)
        now = timezone.now()
        announced = min(start - timedelta(days=21), now)
        stamps.done(announced)
        Event.objects.filter(pk=event.pk).update(created_at=announced)
        if event.ends_at <= now:
            _carry_out(cast, event, rngs.get(year, rng), librarians)
            date_past(event, stamps)
        elif capacity and (event.registration_closes_at or event.starts_at) > now:
            # The nearly full seminar: two places left.
            for person in librarians[: capacity - 2 if capacity <= 20 else 6]:
                services.registration_create(person, event, person)
            if audience == Event.Audience.PUBLIC:
                for guest in GUESTS:
                    services.guest_register(event, **guest, consent=True)
            stamps.done(now)
    return created


def date_past(event: Event, stamps: Stamps) -> None:
    """What was recorded for a past event happened around it, not on the day of the demo."""
    now = timezone.now()
    before = event.starts_at - timedelta(days=3)
    after = min(event.ends_at + timedelta(days=1), now)
    Registration.objects.filter(event=event).update(created_at=before, queued_at=before)
    Certificate.objects.filter(event=event).update(issued_at=after)
    Feedback.objects.filter(registration__event=event).update(submitted_at=after)
    Material.objects.filter(event=event).update(uploaded_at=after)
    stamps.done(after)


def _carry_out(cast: DemoCast, event: Event, rng: random.Random, librarians) -> None:
    if "Круглый стол" in event.title:
        services.event_cancel(
            cast.head,
            event,
            "Объединён с Ярмаркой библиотечных идей по решению заседания ММО от 15.11.2024.",
        )
        return
    # The head always comes; the capacity is never exceeded.
    size = min(len(librarians), (event.capacity or 31) - 1)
    attendees = rng.sample(librarians, size)
    services.attendance_import(cast.methodist, event, [cast.head, *attendees])
    absent: dict[int, str] = {
        r.pk: Registration.Attendance.ABSENT
        for r in event.registrations.filter(person__in=attendees[-2:])
    }
    services.attendance_mark(cast.methodist, event, absent)
    services.event_mark_held(cast.methodist, event)
    for registration in event.registrations.filter(attendance=Registration.Attendance.ATTENDED)[:6]:
        services.feedback_submit(
            registration.person,
            event,
            {
                "useful": rng.choice([4, 5, 5]),
                "organisation": rng.choice([4, 5]),
                "applicable": rng.choice([3, 4, 5]),
            },
            rng.choice(
                [
                    "",
                    "Спасибо, очень полезно!",
                    "Хотелось бы больше практики.",
                    "Материалы пригодятся в работе.",
                ]
            ),
        )
    if event.kind == Event.Kind.MEETING:
        minutes.minutes_save(
            cast.methodist,
            event,
            number="",  # numbered within the academic year
            chair=cast.head.short_name,
            secretary=cast.methodist.short_name,
            invited="",
            items=[
                {
                    "title": ru.capfirst(event.title.split(": ", 1)[-1]),
                    "speaker": f"{cast.head.short_name}, руководитель ММО",
                    "heard": "Информацию руководителя ММО о задачах объединения.",
                    "spoke": f"{cast.methodist.short_name}, методист-куратор.",
                    "decided": "Принять информацию к сведению.\nУтвердить предложенный порядок работы.",
                }
            ],
        )
    # The latest events may still be waiting for their certificates (home page: «выдайте»).
    if event.expects_certificates and event.ends_at <= timezone.now() - CERTIFICATES_WITHIN:
        certificates.certificates_issue(cast.methodist, event)
    if event.kind in (Event.Kind.SEMINAR, Event.Kind.MASTER_CLASS, Event.Kind.IDEAS_FAIR):
        _add_materials(cast, event)


def _add_materials(cast: DemoCast, event: Event) -> None:
    """A handout written here (a small Word file) and a link to the recording."""
    import io

    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bibliomo.lib.documents import DOCX_MIME, setup_a4

    document = docx.Document()
    setup_a4(document)
    document.add_heading(event.title, level=1)
    document.add_paragraph(f"{ru.capfirst(event.get_kind_display())}, {event.dates_text}.")
    for item in event.programme.all():
        document.add_paragraph(f"{item.starts_at:%H:%M} — {item.topic} ({item.speaker_label})")
    document.add_paragraph(
        "Памятка участника: материалы семинара можно использовать в работе школьной "
        "библиотеки со ссылкой на ММО школьных библиотекарей городского округа Серпухов."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    services.material_add(
        cast.methodist,
        event,
        title="Программа и памятка участника",
        file=SimpleUploadedFile("Памятка участника.docx", buffer.getvalue(), DOCX_MIME),
        visibility="members",
    )
    services.material_add(
        cast.methodist,
        event,
        title="Запись выступлений",
        link="https://video.example.ru/mmo-serpukhov",
        visibility="participants",
    )
