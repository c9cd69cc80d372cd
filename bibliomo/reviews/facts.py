"""Section builders from the plan, the events, the people, the documents and the portal.

Each takes (association, academic_year) and returns a `Section` or None (see `sections.py`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association, Person, Role, School
from bibliomo.lib import ru
from bibliomo.reviews.sections import Cell, Section, Table, sentence

# Words in every line of a librarians' plan: they say nothing about which task a line serves.
COMMON_STEMS = {"библио", "школьн", "педаго", "деятел", "работы", "работе", "работн", "учрежд"}
WORD = re.compile(r"[а-яё]{6,}", re.IGNORECASE)


def year_bounds(academic_year: int) -> tuple[datetime, datetime]:
    """1 September to 1 September (the end excluded), Moscow time."""
    return (
        timezone.make_aware(datetime(academic_year, 9, 1)),
        timezone.make_aware(datetime(academic_year + 1, 9, 1)),
    )


def report_day(academic_year: int) -> date:
    """The day the figures are counted on: today, or 31 August once the year is over."""
    return min(timezone.localdate(), date(academic_year + 1, 8, 31))


def hours_text(value: Decimal | float | int) -> str:
    return ru.format_number(value, 1).removesuffix(",0") if value else "0"


def _plan(association: Association, academic_year: int):
    from bibliomo.plans.selectors import plans_with_content

    return plans_with_content().filter(association=association, academic_year=academic_year).first()


# --- Theme, goal and tasks -------------------------------------------------------------------


def _stems(text: str) -> set[str]:
    stems = {w.lower().replace("ё", "е")[:6] for w in WORD.findall(text)}
    return stems - COMMON_STEMS


def _degree(done: int, total: int) -> str:
    if total == 0:
        return "строк плана по задаче не найдено"
    if done == total:
        return "выполнена"
    if done * 4 >= total * 3:
        return "выполнена в основном"
    return "выполнена частично" if done else "не выполнена"


def tasks_section(association: Association, academic_year: int) -> Section | None:
    """The theme, the goal and each task with the plan lines that served it (by their words)."""
    plan = _plan(association, academic_year)
    if plan is None:
        return None
    activities = [a for s in plan.sections.all() for a in s.activities.all()]
    url = plan.get_absolute_url()
    rows = []
    for task in plan.tasks:
        wanted = _stems(task)
        served = [a for a in activities if len(wanted & _stems(a.content)) >= 1]
        done = [a for a in served if a.status == a.Status.DONE]
        events = {e.pk for a in served for e in a.events.all() if e.status == "held"}
        first = f"{url}#activity-{served[0].pk}" if served else url
        rows.append(
            [
                Cell(task),
                Cell(str(len(served)), first),
                Cell(str(len(done)), first),
                Cell(str(len(events)), first),
                Cell(_degree(len(done), len(served))),
            ]
        )
    section = Section("tasks", "Методическая тема, цель и задачи года")
    if plan.theme:
        section.lines.append(sentence("Методическая тема: ", plan.theme))
    if plan.goal:
        section.lines.append(sentence("Цель: ", plan.goal))
    section.lines.append(
        sentence(
            "Строки ",
            Cell("плана работы", url),
            " отнесены к задаче по общим словам; степень выполнения — доля выполненных строк.",
        )
    )
    if rows:
        section.tables.append(
            Table(
                ["Задача", "Строк плана", "Выполнено", "Проведено мероприятий", "Степень"],
                rows,
                numeric=[1, 2, 3],
            )
        )
    return section


# --- The plan, section by section ------------------------------------------------------------


def plan_section(association: Association, academic_year: int) -> Section | None:
    from bibliomo.plans.selectors import (
        OUTCOMES,
        execution_report,
        execution_text,
        execution_totals,
    )

    plan = _plan(association, academic_year)
    if plan is None:
        return None
    report = execution_report(plan, report_day(academic_year))
    url = reverse("plans:report", args=[plan.pk])
    rows = [
        [Cell(row.title), Cell(str(row.total), url)]
        + [Cell(str(getattr(row, k)), url) for k in OUTCOMES]
        for row in report
    ]
    totals = execution_totals(report)
    total = sum(totals.values())
    rows.append(
        [Cell("Итого"), Cell(str(total), url)] + [Cell(str(totals[k]), url) for k in OUTCOMES]
    )
    section = Section("plan", "Выполнение плана работы")
    section.lines.append(
        sentence(
            "По ",
            Cell(f"плану на {plan.academic_year_label} учебный год", plan.get_absolute_url()),
            f" — {ru.plural(total, 'мероприятие', 'мероприятия', 'мероприятий')}, выполнено ",
            Cell(str(totals["done"]), url),
            f" ({_share(totals['done'], total)}).",
        )
    )
    section.tables.append(
        Table(
            ["Раздел", "Всего", "Выполнено", "Перенесено", "Отменено", "Просрочено", "Впереди"],
            rows,
            numeric=[1, 2, 3, 4, 5, 6],
        )
    )
    others = [
        [
            Cell(a.content[:200], f"{plan.get_absolute_url()}#activity-{a.pk}"),
            Cell(execution_text(a)),
        ]
        for row in report
        for a in row.activities
        if a.outcome != "done"
    ]
    if others:
        section.tables.append(
            Table(["Не выполнено в срок", "Причина"], others, title="Не выполнено")
        )
    return section


def _share(part: int, whole: int) -> str:
    return f"{ru.format_number(100 * part / whole, 0)}%" if whole else "—"


# --- Events ----------------------------------------------------------------------------------


def _held_events(association: Association, academic_year: int):
    from bibliomo.events.models import Event, Registration

    first, last = year_bounds(academic_year)
    attended = Q(registrations__attendance=Registration.Attendance.ATTENDED)
    return (
        Event.objects.filter(
            association=association,
            status=Event.Status.HELD,
            starts_at__gte=first,
            starts_at__lt=last,
        )
        .annotate(
            people=Count("registrations__person", filter=attended, distinct=True),
            schools=Count("registrations__person__school", filter=attended, distinct=True),
            issued=Count("certificates", distinct=True),
        )
        .order_by("starts_at")
    )


def _scores(events) -> dict[int, float]:
    """The mean of every rating given to each event (three scores 1–5 per feedback)."""
    from bibliomo.events.models import Feedback

    values: dict[int, list[float]] = defaultdict(list)
    feedback = Feedback.objects.filter(registration__event__in=[e.pk for e in events])
    for event_id, ratings in feedback.values_list("registration__event_id", "ratings"):
        values[event_id] += [
            float(v) for v in (ratings or {}).values() if isinstance(v, int | float)
        ]
    return {pk: sum(v) / len(v) for pk, v in values.items() if v}


def _attendees(events) -> tuple[int, int]:
    """Different people who attended any of the events, and the schools they came from."""
    from bibliomo.events.models import Registration

    rows = (
        Registration.objects.filter(
            event__in=[e.pk for e in events], attendance=Registration.Attendance.ATTENDED
        )
        .values_list("person_id", "person__school_id")
        .distinct()
    )
    people = {person for person, _ in rows}
    schools = {school for _, school in rows if school}
    return len(people), len(schools)


def events_section(association: Association, academic_year: int) -> Section | None:
    from bibliomo.events.models import Event

    events = list(_held_events(association, academic_year))
    if not events:
        return None
    scores = _scores(events)
    index = reverse("events:index")
    kinds = dict(Event.Kind.choices)
    by_kind: dict[str, list] = defaultdict(list)
    for event in events:
        by_kind[event.kind].append(event)

    def figures(label: str, group: list, link: str) -> list[Cell]:
        """Held, participations, hours, certificates and the mean rating of these events."""
        rated = [scores[e.pk] for e in group if e.pk in scores]
        return [
            Cell(label),
            Cell(str(len(group)), link),
            Cell(str(sum(e.people for e in group)), link),
            Cell(hours_text(sum((e.hours or 0) for e in group)), link),
            Cell(str(sum(e.issued for e in group)), link),
            Cell(ru.format_number(sum(rated) / len(rated), 1) if rated else "—"),
        ]

    rows = [
        figures(ru.capfirst(kinds.get(kind, kind)), group, f"{index}?kind={kind}&past=1")
        for kind, group in sorted(by_kind.items(), key=lambda item: list(kinds).index(item[0]))
    ]
    rows.append(figures("Итого", events, f"{index}?past=1"))
    detail = [
        [
            Cell(e.dates_text),
            Cell(ru.capfirst(e.named), e.get_absolute_url()),
            Cell(str(e.people), reverse("events:registrations", args=[e.pk])),
            Cell(str(e.schools)),
            Cell(hours_text(e.hours or 0), e.get_absolute_url()),
            Cell(str(e.issued), reverse("events:certificates", args=[e.pk])),
            Cell(ru.format_number(scores[e.pk], 1) if e.pk in scores else "—"),
        ]
        for e in events
    ]
    people, schools = _attendees(events)
    section = Section("events", "Мероприятия")
    section.lines.append(
        sentence(
            "Проведено ",
            Cell(
                ru.plural(len(events), "мероприятие", "мероприятия", "мероприятий"),
                f"{index}?past=1",
            ),
            f": {'в нём' if len(events) == 1 else 'в них'} участвовали "
            f"{ru.plural(people, 'человек', 'человека', 'человек')} "
            f"из {ru.plural(schools, 'школы', 'школ', 'школ')} "
            f"(участий — {sum(e.people for e in events)}), выдано сертификатов — "
            f"{sum(e.issued for e in events)} (участникам и выступающим).",
        )
    )
    section.tables.append(
        Table(
            ["Вид", "Проведено", "Участий", "Часов", "Сертификатов", "Средняя оценка"],
            rows,
            title="По видам",
            numeric=[1, 2, 3, 4, 5],
        )
    )
    section.tables.append(
        Table(
            ["Дата", "Мероприятие", "Участников", "Школ", "Часов", "Сертификатов", "Оценка"],
            detail,
            title="Каждое мероприятие",
            numeric=[2, 3, 4, 5, 6],
        )
    )
    return section


# --- Professional development of each librarian ----------------------------------------------


def _librarians(association: Association):
    return (
        Person.objects.filter(
            is_active=True,
            role_grants__association=association,
            role_grants__role=Role.LIBRARIAN,
        )
        .select_related("school")
        .distinct()
        .order_by("last_name", "first_name", "patronymic")
    )


def growth_section(association: Association, academic_year: int) -> Section | None:
    from bibliomo.events.models import Certificate, Event, Registration

    people = list(_librarians(association))
    if not people:
        return None
    first, last = year_bounds(academic_year)
    attended = Registration.objects.filter(
        event__association=association,
        event__status=Event.Status.HELD,
        event__starts_at__gte=first,
        event__starts_at__lt=last,
        attendance=Registration.Attendance.ATTENDED,
    ).values_list("person_id", "event__hours")
    hours: dict[int, Decimal] = defaultdict(Decimal)
    count: dict[int, int] = defaultdict(int)
    for person_id, event_hours in attended:
        hours[person_id] += event_hours or 0
        count[person_id] += 1
    if not count:
        return None  # nobody attended anything this year: no events to speak of
    certificates = dict(
        Certificate.objects.filter(
            event__association=association, event__starts_at__gte=first, event__starts_at__lt=last
        )
        .values_list("person_id")
        .annotate(n=Count("pk"))
    )
    rows, idle = [], []
    for person in people:
        if not count[person.pk]:
            idle.append(person)
            continue
        rows.append(
            [
                Cell(person.short_name, person.get_absolute_url()),
                Cell(person.school.short_name if person.school else "—"),
                Cell(str(count[person.pk])),
                Cell(hours_text(hours[person.pk])),
                Cell(str(certificates.get(person.pk, 0))),
            ]
        )
    section = Section("growth", "Профессиональное развитие педагогов-библиотекарей")
    total = sum(hours.values(), Decimal(0))
    section.lines.append(
        sentence(
            f"В мероприятиях объединения повышали квалификацию {len(rows)} из {len(people)} "
            f"педагогов-библиотекарей, всего {hours_text(total)} ак. ч."
        )
    )
    if idle:
        section.lines.append(
            sentence(
                "Не участвовали ни в одном мероприятии: ",
                *_joined([Cell(p.short_name, p.get_absolute_url()) for p in idle]),
                "" if idle[-1].short_name.endswith(".") else ".",  # «Соколова Л.П.» ends it
            )
        )
    if rows:
        section.tables.append(
            Table(
                ["Педагог-библиотекарь", "Школа", "Мероприятий", "Часов", "Сертификатов"],
                rows,
                numeric=[2, 3, 4],
            )
        )
    return section


def _joined(cells: list[Cell]) -> list[Cell]:
    out: list[Cell] = []
    for index, cell in enumerate(cells):
        if index:
            out.append(Cell(", "))
        out.append(cell)
    return out


# --- People of the association ---------------------------------------------------------------


def people_section(association: Association, academic_year: int) -> Section | None:
    from bibliomo.events.models import Event, Registration

    people = list(_librarians(association))
    if not people:
        return None
    first, last = year_bounds(academic_year)
    schools = School.objects.filter(association=association, is_active=True).count()
    covered = len({p.school_id for p in people if p.school_id})
    new = [p for p in people if first <= p.date_joined < last]
    early = (
        Registration.objects.filter(
            event__association=association,
            event__audience=Event.Audience.EARLY_CAREER,
            event__starts_at__gte=first,
            event__starts_at__lt=last,
            attendance=Registration.Attendance.ATTENDED,
        )
        .values("person")
        .distinct()
        .count()
    )
    people_url = reverse("directory:person_list") + f"?role={Role.LIBRARIAN}"
    section = Section("people", "Состав объединения")
    section.lines.append(
        sentence(
            "В объединении ",
            Cell(
                ru.plural(
                    len(people),
                    "педагог-библиотекарь",
                    "педагога-библиотекаря",
                    "педагогов-библиотекарей",
                ),
                people_url,
            ),
            "; школ с педагогом-библиотекарем в объединении — ",
            Cell(f"{covered} из {schools}", reverse("directory:school_list")),
            f"; новых участников в этом учебном году — {len(new)}.",
        )
    )
    if early:
        section.lines.append(
            sentence(
                "В мероприятиях для молодых специалистов участвовали "
                f"{ru.plural(early, 'человек', 'человека', 'человек')}."
            )
        )
    return section


# --- Documents and the portal ----------------------------------------------------------------


def documents_section(association: Association, academic_year: int) -> Section | None:
    """The package of the year (what should be there, what covers it, what is missing) and
    the documents added to the library or repealed during the year."""
    from bibliomo.documents.models import Document
    from bibliomo.documents.selectors import package

    first, last = year_bounds(academic_year)
    docs = Document.objects.filter(association=association)
    added = list(docs.filter(created_at__gte=first, created_at__lt=last).order_by("created_at"))
    repealed = list(
        docs.filter(repealed_on__gte=first.date(), repealed_on__lt=last.date()).order_by(
            "repealed_on"
        )
    )
    items = package(association, academic_year)
    if not added and not repealed and not items:
        return None
    package_url = reverse("documents:package_year", args=[academic_year])
    library = reverse("documents:index")
    section = Section("documents", "Пакет нормативных документов")
    if items:
        covered = [i for i in items if i.state == "ok"]
        section.lines.append(
            sentence(
                "В ",
                Cell("пакете документов на учебный год", package_url),
                f" {ru.plural(len(items), 'позиция', 'позиции', 'позиций')}, закрыто действующими "
                "документами — ",
                Cell(str(len(covered)), package_url),
                ".",
            )
        )
        gaps = [i for i in items if i.state != "ok"]
        if gaps:
            states = {"missing": "нет документа", "repealed": "утратил силу", "draft": "черновик"}
            section.tables.append(
                Table(
                    ["Чего не хватает в пакете", "Состояние"],
                    [[Cell(i.title, package_url), Cell(states[i.state])] for i in gaps],
                )
            )
    if added or repealed:
        section.lines.append(
            sentence(
                "За год добавлено в библиотеку документов — ",
                Cell(str(len(added)), library),
                ", утратили силу — ",
                Cell(str(len(repealed)), library),
                ".",
            )
        )
        rows = [
            [
                Cell(ru.format_date(timezone.localdate(d.created_at))),
                Cell(d.title, d.get_absolute_url()),
                Cell("добавлен"),
            ]
            for d in added
        ] + [
            [
                Cell(ru.format_date(d.repealed_on)),
                Cell(d.title, d.get_absolute_url()),
                Cell("утратил силу"),
            ]
            for d in repealed
        ]
        section.tables.append(Table(["Дата", "Документ", "Что произошло"], rows))
    return section


def portal_section(association: Association, academic_year: int) -> Section | None:
    from bibliomo.portal.models import Post

    first, last = year_bounds(academic_year)
    posts = list(
        Post.objects.filter(
            association=association, published_at__gte=first, published_at__lt=last
        ).order_by("published_at")
    )
    if not posts:
        return None
    section = Section("portal", "Образовательный портал")
    section.lines.append(
        sentence(
            "Опубликовано на портале: ",
            Cell(
                ru.plural(len(posts), "материал", "материала", "материалов"),
                reverse("portal:staff_list"),
            ),
            ".",
        )
    )
    section.tables.append(
        Table(
            ["Дата", "Публикация"],
            [
                [
                    Cell(ru.format_date(timezone.localdate(p.published_at))),
                    Cell(p.title, reverse("portal:preview", args=[p.pk])),
                ]
                for p in posts
            ],
        )
    )
    return section
