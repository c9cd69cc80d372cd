"""The demo growth records: every librarian's qualification category and courses over the
years (some with none this year, two ending soon, two waiting for confirmation), webinars
outside Bibliomo, and individual routes (ИОМ) for a few. Dates relative to today."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from PIL import Image, ImageDraw

from bibliomo.core.mail import letters_muted
from bibliomo.demo.directory import DemoCast
from bibliomo.demo.timeline import Timeline, at
from bibliomo.events.models import Event, Registration
from bibliomo.growth import services
from bibliomo.growth.models import Category, Learning

COURSES = [
    ("Современная школьная библиотека: цифровые сервисы и ресурсы", "АСОУ", 72),
    (
        "Информационно-библиотечный центр образовательной организации",
        "Корпоративный университет Минпросвещения России",
        36,
    ),
    ("Формирование читательской грамотности обучающихся", "Академия Минпросвещения России", 48),
    ("Фонд учебников: учёт, обеспеченность, заказ по ФПУ", "МОУ ДПО УМЦ", 24),
    ("Библиотечно-информационное обслуживание детей с ОВЗ", "АСОУ", 36),
]
WEBINARS = [
    (
        "webinar",
        "Новый федеральный перечень учебников: что изменилось",
        "Издательство «Просвещение»",
        2,
    ),
    ("conference", "Школьная библиотека — центр чтения и просвещения", "РШБА", 6),
    ("master_class", "Буктрейлер за один урок", "Российская государственная детская библиотека", 3),
]
WAITING = (3, 8)  # finished courses with their certificate, waiting for the methodist
CATEGORIES = [Category.HIGHEST, Category.FIRST, Category.CONFORMITY, Category.FIRST, Category.NONE]


def _certificate_scan(number: str) -> tuple[bytes, str]:
    image = Image.new("RGB", (420, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 411, 291), outline="navy", width=4)
    draw.text((40, 130), f"No {number}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), f"udostoverenie-{number}.png"


def _course(person, index: int, starts_on: date, *, certificate: bool) -> Learning:
    title, organiser, hours = COURSES[index % len(COURSES)]
    number = f"5024{starts_on:%y}{index:05d}"
    return services.learning_add(
        person,
        person,
        kind="course",
        title=title,
        organiser=organiser,
        hours=Decimal(hours),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=13 + hours // 6),
        link="",
        certificate_number=number if certificate else "",
        certificate=_certificate_scan(number) if certificate else None,
    )


def _confirm(cast: DemoCast, learning: Learning) -> None:
    services.learning_confirm(cast.methodist, learning)
    Learning.objects.filter(pk=learning.pk).update(
        confirmed_at=at(learning.ends_on + timedelta(days=5), 12)
    )


def build(cast: DemoCast, today: date) -> int:
    # Nobody is e-mailed about made-up questions and courses.
    with letters_muted(), transaction.atomic():
        return _build(cast, today)


def _build(cast: DemoCast, today: date) -> int:
    timeline = Timeline.of(today)
    association = cast.association
    if Learning.objects.filter(association=association).exists():
        return Learning.objects.filter(association=association).count()
    current = timeline.current
    for index, person in enumerate(p for p in cast.librarians if p.school_id):
        category = CATEGORIES[index % len(CATEGORIES)]
        assigned = date(current - 1 - index % 4, 12, 20)
        services.card_update(
            person,
            person,
            category=category,
            category_assigned_on=assigned if category != Category.NONE else None,
            category_valid_until=(
                date(assigned.year + 5, 12, 20) if category != Category.NONE else None
            ),
            category_order=(
                f"Распоряжение Министерства образования Московской области № {700 + index}-р"
                if category in (Category.FIRST, Category.HIGHEST)
                else ""
            ),
        )
        # Earlier years: a confirmed course every other year.
        for year in timeline.years[:-1]:
            if (index + year) % 2 == 0:
                _confirm(cast, _course(person, index + year, date(year, 10, 14), certificate=True))
        # This year: most took a course; every fifth took none.
        if index % 5 in (1, 2, 3):
            starts = min(timeline.start() + timedelta(days=30 + index), today - timedelta(days=20))
            course = _course(person, index, starts, certificate=True)
            if course.ends_on < today and index not in WAITING:
                _confirm(cast, course)
        if index in (2, 7):  # in progress, ending within a month
            _course(person, index + 1, today - timedelta(days=15), certificate=False)
        if index % 4 == 1:
            kind, title, organiser, hours = WEBINARS[index % len(WEBINARS)]
            day = max(timeline.start() + timedelta(days=40), today - timedelta(days=25 + index))
            services.learning_add(
                person,
                person,
                kind=kind,
                title=title,
                organiser=organiser,
                hours=Decimal(hours),
                starts_on=min(day, today),
                ends_on=min(day, today),
                link="https://vebinar.example.ru/zapis",
                certificate_number="",
            )
    _routes(cast, timeline)
    return Learning.objects.filter(association=association).count()


def _routes(cast: DemoCast, timeline: Timeline) -> None:
    """ИОМ of the current year for three librarians: an event step she attended (closed by
    itself), an upcoming event, a course and a self-study step."""
    events = Event.objects.filter(association=cast.association).exclude(
        status=Event.Status.CANCELLED
    )
    start, today = timeline.start(), timeline.today
    upcoming = events.filter(starts_at__date__gt=today).order_by("starts_at").first()
    goals = [
        "Освоить цифровые сервисы для продвижения чтения и вести учёт фонда учебников в Bibliomo.",
        "Подготовиться к аттестации на первую категорию; освоить работу с ФПУ и заказ учебников.",
        "Научиться проводить квесты и буктрейлеры для 5–7 классов.",
    ]
    for person, goal in zip(cast.librarians[:3], goals, strict=False):
        route = services.route_save(person, person, timeline.current, goal)
        attended = (
            Registration.objects.filter(
                person=person,
                attendance=Registration.Attendance.ATTENDED,
                event__starts_at__date__gte=start,
            )
            .select_related("event")
            .order_by("event__starts_at")
            .first()
        )
        if attended is not None:
            services.step_add(
                person,
                route,
                kind="event",
                title="",
                event=attended.event,
                due_on=attended.event.starts_at.date(),
            )
        if upcoming is not None:
            services.step_add(
                cast.methodist,
                route,
                kind="event",
                title="",
                event=upcoming,
                due_on=upcoming.starts_at.date(),
            )
        services.step_add(
            person,
            route,
            kind="course",
            title="Курсы повышения квалификации (36 ч)",
            due_on=date(timeline.current + 1, 3, 31),
        )
        step = services.step_add(
            person,
            route,
            kind="self_study",
            title="Изучить методические рекомендации по формированию фонда учебников",
            due_on=min(start + timedelta(days=60), today),
        )
        services.step_done(person, step, min(start + timedelta(days=55), today))
