"""Demo of working groups: «Мы за них в ответе» with members from several schools, a held
meeting with minutes, one coming up, tasks and what the group made.

Built through the services; dates follow the Timeline. Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction

from bibliomo.demo.directory import DemoCast
from bibliomo.demo.events import date_past
from bibliomo.demo.timeline import MOSCOW, SEED_YEAR, Stamps, Timeline, at
from bibliomo.documents.models import Document
from bibliomo.events import services as events
from bibliomo.events.minutes import minutes_save
from bibliomo.events.models import Event, Registration
from bibliomo.groups import services
from bibliomo.groups.models import Task, WorkingGroup
from bibliomo.plans import services as plans
from bibliomo.plans.models import PlanActivity
from bibliomo.portal import services as portal
from bibliomo.portal.models import Post

NAME = "Мы за них в ответе"
MEMBERS = (0, 5, 8, 14, 20, 27)  # indexes of demo librarians, from six schools


def _moment(day, hour: int = 15) -> datetime:
    return datetime.combine(day, time(hour), MOSCOW)


# The group's meetings in a year: (days after 1 September, topic, agenda). Every finished year
# has both; the current one the first, once its day is past (the plan's line «Участие в
# творческой группе "Мы за них в ответе"» runs through every year).
MEETINGS = (
    (
        30,
        "План работы группы на год",
        [
            {
                "title": "О плане работы творческой группы на учебный год",
                "speaker": "head",
                "heard": "План: анкетирование молодых специалистов, памятка, выступление на "
                "семинаре для молодых специалистов.",
                "spoke": "Участники предложили добавить консультации по заказу учебников.",
                "decided": "План принять с дополнением.",
            },
            {
                "title": "О памятке молодому специалисту",
                "speaker": "librarian",
                "heard": "Структура памятки: документы, учёт, учебный фонд, работа с читателями.",
                "spoke": "",
                "decided": "Подготовить памятку к декабрю.",
            },
        ],
    ),
    (
        225,
        "Итоги работы группы за год",
        [
            {
                "title": "Об итогах сопровождения молодых специалистов",
                "speaker": "head",
                "heard": "Анкета проведена, памятка подготовлена, молодые специалисты получили "
                "консультации по учёту фонда и заказу учебников.",
                "spoke": "Участники отметили, что памятку стоит дополнить разделом о мониторинге "
                "обеспеченности учебниками.",
                "decided": "Работу группы признать удовлетворительной; продолжить в следующем "
                "учебном году.",
            },
        ],
    ),
)


def _held_meeting(
    cast: DemoCast, group: WorkingGroup, timeline: Timeline, day, topic: str, agenda: list
) -> Event:
    """Scheduled ahead, people registered, then it took place on `day` (in the past); what was
    recorded for it is dated around that day."""
    stamps = Stamps()
    future = _moment(timeline.today + timedelta(days=30))
    event = services.meeting_schedule(
        cast.head,
        group,
        starts_at=future,
        topic=topic,
        address="г. Серпухов, ул. Ворошилова, д. 79, библиотека",
    )
    members = list(group.members.all())  # registered by the scheduling itself
    start = _moment(day)
    announced = start - timedelta(days=14)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2), created_at=announced
    )
    stamps.done(announced)
    event.refresh_from_db()
    # Everybody came but the last member, who had warned the head: every mark is made.
    marks: dict[int, str] = {
        r.pk: Registration.Attendance.ATTENDED
        if r.person_id != members[-1].pk
        else Registration.Attendance.EXCUSED
        for r in event.registrations.all()
    }
    events.attendance_mark(cast.head, event, marks)
    events.event_mark_held(cast.head, event)
    speakers = {"head": cast.head.short_name, "librarian": cast.librarians[0].short_name}
    minutes_save(
        cast.head,
        event,
        number="",
        chair=cast.head.short_name,
        secretary=cast.librarians[0].short_name,
        invited="",
        items=[{**item, "speaker": speakers[item["speaker"]]} for item in agenda],
    )
    date_past(event, stamps)
    return event


def _carry_out_the_plan_line(cast: DemoCast, event: Event, year: int) -> None:
    """The meeting is a fact of the year's plan line «Участие в творческой группе…»."""
    line = PlanActivity.objects.filter(
        section__plan__association=cast.association,
        section__plan__academic_year=year,
        content__contains="творческой группе",
    ).first()
    if line is None:
        return
    stamps = Stamps()
    linked = list(line.events.values_list("pk", flat=True))
    plans.activity_set_links(cast.methodist, line, events=[*linked, event.pk])
    stamps.done(event.ends_at)


def _meetings(cast: DemoCast, group: WorkingGroup, timeline: Timeline) -> None:
    """Every finished year's two meetings, and the current year's first once it is past."""
    for year in range(SEED_YEAR, timeline.current + 1):
        for days, topic, agenda in MEETINGS if year < timeline.current else MEETINGS[:1]:
            day = timeline.start(year) + timedelta(days=days)
            if day < timeline.today:
                event = _held_meeting(cast, group, timeline, day, topic, agenda)
                _carry_out_the_plan_line(cast, event, year)


def _products(cast: DemoCast, group: WorkingGroup, timeline: Timeline) -> None:
    post = portal.post_create(
        cast.head,
        cast.association,
        title="Памятка молодому специалисту школьной библиотеки",
        lead="Творческая группа «Мы за них в ответе» собрала главное о первых месяцах работы.",
        body="## С чего начать\n\n- паспорт и положение о библиотеке;\n- учёт фонда;\n"
        "- учебный фонд и заказ;\n- работа с читателями.",
        publish_at=None,
    )
    portal.post_submit(cast.head, post)
    portal.post_publish(cast.methodist, post)
    when = at(timeline.clamp(timeline.start() + timedelta(days=70)), 11)
    Post.objects.filter(pk=post.pk).update(published_at=when, created_at=when)
    documents = Document.objects.filter(association=cast.association).order_by("pk")[:1]
    services.products_set(cast.head, group, documents=list(documents), posts=[post])


def build(cast: DemoCast, today=None) -> int:
    timeline = Timeline.of(today)
    association = cast.association
    with transaction.atomic():
        group = WorkingGroup.objects.filter(association=association, name=NAME).first()
        if group is not None:
            return 1
        members = [cast.librarians[i] for i in MEMBERS if i < len(cast.librarians)]
        stamps = Stamps()
        group = services.group_create(
            cast.methodist,
            association,
            name=NAME,
            goal="Сопровождение молодых специалистов школьных библиотек: памятки, консультации, "
            "выступления на семинаре «Наставничество как фактор профессионального развития».",
            head=cast.head,
            members=members,
        )
        # The group works since the user's year, 2024/2025 (a line of its plan).
        created = at(timeline.start(SEED_YEAR) + timedelta(days=14), 10)
        WorkingGroup.objects.filter(pk=group.pk).update(created_at=created)
        stamps.done(created)
        _meetings(cast, group, timeline)
        services.meeting_schedule(
            cast.head,
            group,
            starts_at=_moment(timeline.today + timedelta(days=20)),
            topic="Итоги анкетирования молодых специалистов",
            online_url="https://telemost.yandex.ru/j/demo-group",
        )
        today = timeline.today
        for title, owner, due, done in [
            ("Анкета для молодых специалистов", members[0], -40, True),
            ("Памятка молодому специалисту", members[1], -20, True),
            ("Сводка ответов анкеты", members[2], -3, False),
            ("Выступление на семинаре для молодых специалистов", cast.head, 45, False),
        ]:
            task = services.task_add(
                cast.head, group, title=title, owner=owner, due_on=today + timedelta(days=due)
            )
            if done:
                Task.objects.filter(pk=task.pk).update(done_on=today + timedelta(days=due - 2))
        _products(cast, group, timeline)
    return 1
