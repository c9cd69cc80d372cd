"""Demo of mentoring: experience and education of every demo librarian (some early-career),
a finished pair of last year and a working pair of this year with its log.

Built through the services with a fixed seed; dates follow the Timeline, nothing after today.
Running it twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from bibliomo.demo.directory import DemoCast
from bibliomo.demo.timeline import Timeline, at
from bibliomo.directory import services as directory
from bibliomo.directory.models import Education
from bibliomo.events.models import Event
from bibliomo.mentoring import services
from bibliomo.mentoring.models import Pair, Question, Step

# Indexes into the demo's librarians: these started less than three years ago.
EARLY_CAREER = (5, 11, 17, 23, 30, 38)
MENTOR, MENTEE = 0, 5  # bib01 mentors bib06 this year
PAST_MENTOR, PAST_MENTEE = 8, 11  # last year's pair, finished

EDUCATIONS = [
    (
        Education.HIGHER_LIBRARY,
        "Московский государственный институт культуры, библиотечно-информационная деятельность",
    ),
    (
        Education.HIGHER_PEDAGOGICAL,
        "Московский государственный областной университет, учитель русского языка и литературы",
    ),
    (Education.VOCATIONAL_LIBRARY, "Московский областной колледж культуры, библиотековедение"),
    (Education.RETRAINING, "Переподготовка «Педагог-библиотекарь», 252 ч"),
    (Education.HIGHER_OTHER, "Экономическое образование; переподготовка «Педагог-библиотекарь»"),
]


def _career(cast: DemoCast, timeline: Timeline) -> None:
    rng = random.Random(2026)
    today = timeline.today
    # The mentees came to school just before their pair started.
    fixed = {
        PAST_MENTEE: timeline.start(timeline.current - 1) - timedelta(days=20),
        MENTEE: timeline.start() - timedelta(days=5),
    }
    people = [*cast.librarians, cast.head]  # the head is a librarian of her school too
    for index, person in enumerate(people):
        if person.librarian_since is not None:
            continue
        if index in fixed:
            since = fixed[index]
        elif index in EARLY_CAREER:
            since = today - timedelta(days=rng.randint(150, 1000))
        else:
            since = today - timedelta(days=rng.randint(4 * 365, 28 * 365))
        education, detail = rng.choice(EDUCATIONS)
        directory.person_update(
            None, person, librarian_since=since, education=education, education_detail=detail
        )


def _seminar(association, year: int) -> Event | None:
    return (
        Event.objects.filter(
            association=association,
            title__startswith="Наставничество",
            starts_at__year=year,
        )
        .order_by("starts_at")
        .first()
    )


def _log(pair: Pair, rows, today: date) -> None:
    for days, topic, agreed, who in rows:
        held = pair.starts_on + timedelta(days=days)
        if held <= today:
            services.meeting_add(who, pair, held_on=held, topic=topic, agreed=agreed)


def _past_pair(cast: DemoCast, timeline: Timeline) -> None:
    mentor, mentee = cast.librarians[PAST_MENTOR], cast.librarians[PAST_MENTEE]
    start = timeline.start(timeline.current - 1) + timedelta(days=14)
    pair = services.pair_create(
        cast.methodist,
        cast.association,
        mentor=mentor,
        mentee=mentee,
        starts_on=start,
        ends_on=date(start.year + 1, 5, 29),
        seminar=_seminar(cast.association, start.year),
    )
    for step in pair.steps.all():
        Step.objects.filter(pk=step.pk).update(done_on=step.due_on - timedelta(days=3))
    _log(
        pair,
        [
            (3, "Знакомство с библиотекой", "Составить паспорт библиотеки к 1 октября", mentor),
            (40, "Учёт фонда", "Сверить инвентарную книгу с КСУ", mentee),
            (95, "Заказ учебников", "Подготовить заявку по ФПУ вместе", mentor),
            (180, "Открытое мероприятие", "Провести квест для 5-х классов в марте", mentee),
        ],
        timeline.today,
    )
    question = services.question_ask(mentee, pair, text="Как оформить акт списания учебников?")
    services.question_answer(mentor, question, answer="По форме из пакета документов ММО.")
    services.pair_finish(
        mentor,
        pair,
        report="Программа выполнена полностью: молодой специалист ведёт учёт фонда, провела "
        "открытое мероприятие и выступила на ярмарке идей.",
    )
    Pair.objects.filter(pk=pair.pk).update(finished_on=pair.ends_on)
    pair.refresh_from_db()
    services.survey_submit(mentor, pair, rating=5, achieved="Самостоятельная работа с фондом.")
    services.survey_submit(
        mentee,
        pair,
        rating=5,
        achieved="Разобралась с учётом и заказом.",
        next_time="Больше встреч в первый месяц.",
    )


def _current_pair(cast: DemoCast, timeline: Timeline) -> None:
    mentor, mentee = cast.librarians[MENTOR], cast.librarians[MENTEE]
    today = timeline.today
    start = timeline.clamp(timeline.start() + timedelta(days=10))
    pair = services.pair_create(
        cast.methodist,
        cast.association,
        mentor=mentor,
        mentee=mentee,
        starts_on=start,
        ends_on=date(timeline.current + 1, 5, 29),
        seminar=_seminar(cast.association, timeline.current),
    )
    past = [s for s in pair.steps.all() if s.due_on < today]
    # All but the latest of the steps already due are done; that one is overdue.
    for step in past[:-1]:
        Step.objects.filter(pk=step.pk).update(done_on=step.due_on - timedelta(days=2))
    _log(
        pair,
        [
            (2, "Знакомство с библиотекой", "Прочитать положение о библиотеке и план", mentor),
            (25, "Учёт фонда", "Начать книгу суммарного учёта нового образца", mentee),
            (60, "Мониторинг обеспеченности", "Сдать отчёт школы вместе до срока", mentor),
        ],
        today,
    )
    first = services.question_ask(mentee, pair, text="Как считать обеспеченность по классу?")
    services.question_answer(
        mentor, first, answer="Экземпляры в пользовании делить на число учеников, не больше 100 %."
    )
    services.question_ask(mentee, pair, text="Можно ли списать учебник раньше четырёх лет?")
    asked = at(timeline.clamp(start + timedelta(days=30)))
    Question.objects.filter(pair=pair).update(asked_at=asked)


def build(cast: DemoCast, today: date | None = None) -> int:
    """Returns the number of pairs."""
    timeline = Timeline.of(today)
    with transaction.atomic():
        _career(cast, timeline)
        for person in [*cast.librarians, cast.head]:
            person.refresh_from_db()
        if not Pair.objects.filter(association=cast.association).exists():
            _past_pair(cast, timeline)
            _current_pair(cast, timeline)
    return Pair.objects.filter(association=cast.association).count()
