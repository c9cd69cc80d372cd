"""The demo's contests: two of the user's 2024/2025 year carried out from announcement to
diplomas (one for librarians, one for pupils through their librarians), the members' outside
conferences and forums of that year, and one contest of the current year open for entries.

Built through the services with a fixed seed. The services accept entries only while
applications are open, so a past contest is run with its dates around today and then moved
to its real dates (as the events demo dates what it records)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from bibliomo.contests import awards, services
from bibliomo.contests.models import Award, Contest, Entry, ExternalEvent, Sheet
from bibliomo.demo.directory import DemoCast
from bibliomo.demo.timeline import SEED_YEAR, Stamps, Timeline, at
from bibliomo.documents.models import Document

SEED = 1717
PUPILS = [
    ("Смирнова Дарья", "5–7 классы"),
    ("Кузнецов Артём", "8–11 классы"),
    ("Волкова Полина", "5–7 классы"),
    ("Морозов Никита", "8–11 классы"),
    ("Лебедева Софья", "8–11 классы"),
    ("Соколов Иван", "5–7 классы"),
    ("Новикова Алиса", "5–7 классы"),
    ("Фёдоров Глеб", "8–11 классы"),
]
BOOKS = [
    "«Капитанская дочка»",
    "«Тимур и его команда»",
    "«Кортик»",
    "«Два капитана»",
    "«Белый Бим Чёрное ухо»",
    "«Чучело»",
    "«Дикая собака динго»",
    "«Серпуховские были»",
]
LIBRARIAN_TOPICS = [
    "Библиотечный квест «По страницам истории края»",
    "Проект «Книжная полка класса»",
    "Цикл уроков информационной грамотности",
    "Учёт фонда учебников без бумаги",
    "Клуб семейного чтения",
    "Неделя детской книги онлайн",
    "Школьный буккроссинг",
    "Наставничество в библиотеке",
]


@dataclass(frozen=True)
class Terms:
    title: str
    regulation: str  # the start of the regulation's title in the library
    audience: str
    categories: list[str]
    criteria: list[dict]
    blind: bool
    aggregation: str
    age_groups: str = ""
    entry_terms: str = ""
    goals: str = ""


LIBRARIAN_2025 = Terms(
    title="Библиотекарь года — 2025",
    regulation="Положение о муниципальном конкурсе «Библиотекарь года",
    audience="librarians",
    categories=[
        "Библиотека — центр чтения",
        "Информационная грамотность школьника",
        "Эффективное управление фондом учебников",
        "Дебют",
    ],
    criteria=[
        {"title": "Актуальность и новизна опыта", "max_points": 5, "weight": Decimal("1")},
        {"title": "Системность работы с читателями", "max_points": 5, "weight": Decimal("1")},
        {"title": "Результативность", "max_points": 5, "weight": Decimal("1.5")},
        {"title": "Качество представления материалов", "max_points": 5, "weight": Decimal("0.5")},
    ],
    blind=False,
    aggregation="mean",
    entry_terms="Портфолио и описание библиотечного проекта (PDF или Word, до 20 МБ).",
    goals="Повышение престижа профессии педагога-библиотекаря, распространение лучших практик.",
)
BOOKTRAILER_2025 = Terms(
    title="Конкурс буктрейлеров «Читаем вместе»",
    regulation="Положение о конкурсе буктрейлеров",
    audience="pupils",
    categories=["Классика в новом прочтении", "Книги о Серпуховском крае", "Читаем всей семьёй"],
    criteria=[
        {"title": "Соответствие содержанию книги", "max_points": 10, "weight": Decimal("1.5")},
        {"title": "Оригинальность замысла", "max_points": 10, "weight": Decimal("1")},
        {"title": "Качество монтажа и звука", "max_points": 10, "weight": Decimal("1")},
        {"title": "Грамотность текста", "max_points": 5, "weight": Decimal("1")},
    ],
    blind=True,
    aggregation="median",
    age_groups="5–7 классы\n8–11 классы",
    entry_terms="Ролик до двух минут (ссылкой в описании) и сценарий в PDF.",
    goals="Привлечение детей и подростков к чтению, развитие медиаграмотности.",
)
LESSON_CURRENT = Terms(
    title="Лучший библиотечный урок",
    regulation="",
    audience="librarians",
    categories=["Урок в начальной школе", "Урок в основной и средней школе"],
    criteria=[
        {"title": "Раскрытие темы", "max_points": 10, "weight": Decimal("1.5")},
        {"title": "Методическая грамотность", "max_points": 10, "weight": Decimal("1")},
        {"title": "Оформление конспекта", "max_points": 5, "weight": Decimal("0.5")},
    ],
    blind=True,
    aggregation="mean",
    entry_terms="Конспект урока и презентация (PDF, Word или PowerPoint).",
    goals="Обмен методическими находками библиотечных уроков.",
)
ROUNDS: list[dict[str, Any]] = [
    {"name": "Заочный этап", "form": "correspondence", "passes": 3},
    {"name": "Очный этап", "form": "in_person", "passes": None},
]


def _pdf(number: int) -> bytes:
    """A one-page PDF, small and valid (WeasyPrint for each of sixty entries would be slow)."""
    text = f"Contest entry {number}".encode()
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{index} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _file(number: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"Работа {number}.pdf", _pdf(number))


def _contest(
    cast: DemoCast, terms: Terms, today: date, close_in: int, opens: date | None = None
) -> Contest:
    regulation = (
        Document.objects.filter(association=cast.association, title__startswith=terms.regulation)
        .order_by("pk")
        .first()
        if terms.regulation
        else None
    )
    contest = services.contest_create(
        cast.methodist,
        cast.association,
        categories=terms.categories,
        criteria=[c | {"captions": {"0": "не проявлено", "5": "ярко"}} for c in terms.criteria],
        rounds=ROUNDS,
        title=terms.title,
        goals=terms.goals,
        regulation=regulation,
        audience=terms.audience,
        age_groups=terms.age_groups,
        entry_terms=terms.entry_terms,
        applications_open=opens or today - timedelta(days=10),
        applications_close=today + timedelta(days=close_in),
        judging_until=today + timedelta(days=close_in + 14),
        results_on=today + timedelta(days=close_in + 21),
        blind=terms.blind,
        aggregation=terms.aggregation,
        scores_after_own=True,
    )
    return services.contest_announce(cast.methodist, contest)


def _one_per_school(cast: DemoCast) -> list:
    seen, found = set(), []
    for person in cast.librarians:
        if person.school_id not in seen and person.pk != cast.head.pk:
            seen.add(person.school_id)
            found.append(person)
    return found


def _entries(contest: Contest, librarians, rng: random.Random, share: float) -> list[Entry]:
    categories = list(contest.categories.all())
    chosen = [p for p in librarians if rng.random() < share]
    entries = []
    for n, person in enumerate(chosen):
        if contest.audience == Contest.Audience.PUPILS:
            pupil, group = PUPILS[n % len(PUPILS)]
            fields = {
                "title": f"Буктрейлер по книге {BOOKS[n % len(BOOKS)]}",
                "authors": pupil,
                "age_group": group,
                "parent_consent": True,
                "publish_names": n % 3 != 0,  # a third of the parents did not agree to publish
            }
        else:
            fields = {
                "title": LIBRARIAN_TOPICS[n % len(LIBRARIAN_TOPICS)],
                "authors": person.full_name,
                "age_group": "",
            }
        entries.append(
            services.entry_submit(
                person,
                contest,
                file=_file(n + 1),
                category=categories[n % len(categories)],
                description="Описание опыта и материалы — в приложенном файле.",
                **fields,
            )
        )
    return entries


def _judge(cast: DemoCast, contest: Contest, jurors, rng: random.Random) -> None:
    for person in jurors:
        services.juror_add(cast.methodist, contest, person, is_chair=person is jurors[0])
    services.sheets_assign(None, contest)
    criteria = list(contest.criteria.all())
    quality = {e.pk: rng.uniform(0.45, 0.95) for e in contest.entries.all()}
    for sheet in Sheet.objects.filter(entry__contest=contest).select_related(
        "juror__person", "entry"
    ):
        base = quality[sheet.entry_id]
        points = {
            c.pk: max(0, min(c.max_points, round(c.max_points * (base + rng.uniform(-0.15, 0.15)))))
            for c in criteria
        }
        juror = sheet.juror.person
        assert juror is not None, "sheets_assign gives sheets to seated jurors only"
        services.sheet_submit(juror, sheet, points, "")


def _decide(cast: DemoCast, contest: Contest) -> None:
    from bibliomo.contests.selectors import results

    services.contest_close(cast.methodist, contest)
    first, second = list(contest.rounds.all())
    for row in results(contest):
        rank = row.rank
        passes = rank is not None and rank <= (first.passes or 0)
        services.decision_record(cast.methodist, row.entry, first, passes)
        if passes and rank is not None:
            services.decision_record(cast.methodist, row.entry, second, rank <= 3)
            services.place_set(cast.methodist, row.entry, rank)
    services.results_publish(cast.methodist, contest)


def _move_to(contest: Contest, opens: date, closes: date, results_on: date) -> None:
    """The contest's real dates, and everything recorded for it dated within them."""
    Contest.objects.filter(pk=contest.pk).update(
        applications_open=opens,
        applications_close=closes,
        judging_until=results_on - timedelta(days=5),
        results_on=results_on,
        results_published_at=at(results_on, 15),
        created_at=at(opens - timedelta(days=7)),
    )
    Entry.objects.filter(contest=contest).update(
        submitted_at=at(closes - timedelta(days=3)), updated_at=at(closes - timedelta(days=3))
    )
    Sheet.objects.filter(entry__contest=contest).update(
        submitted_at=at(results_on - timedelta(days=8))
    )
    contest.refresh_from_db()


@transaction.atomic
def build(cast: DemoCast, today: date | None = None) -> list[Contest]:
    timeline = Timeline.of(today)
    today = timeline.today
    association = cast.association
    if Contest.objects.filter(association=association).exists():
        return list(Contest.objects.filter(association=association))
    rng = random.Random(SEED)
    librarians = _one_per_school(cast)
    stamps = Stamps()
    built = []
    past = [
        (LIBRARIAN_2025, date(2025, 1, 20), date(2025, 3, 28), date(2025, 4, 25)),
        (BOOKTRAILER_2025, date(2025, 1, 13), date(2025, 3, 3), date(2025, 3, 24)),
    ]
    others = [p for p in cast.librarians if p.school_id != librarians[-1].school_id]
    juries = [
        [cast.head, cast.director, librarians[-1]],
        [cast.director, librarians[-1], others[len(others) // 2]],
    ]
    for (terms, opens, closes, results_on), jurors in zip(past, juries, strict=True):
        contest = _contest(cast, terms, today, 20)
        _entries(contest, librarians, rng, 0.8)
        _judge(cast, contest, jurors, rng)
        _decide(cast, contest)
        _move_to(contest, opens, closes, results_on)
        services.conclusions_save(
            cast.methodist,
            contest,
            "Участие школ выросло; сильная сторона работ — содержание, слабая — оформление.\n"
            "Предложение: провести мастер-класс по оформлению конкурсных материалов.",
        )
        awards.awards_issue(cast.methodist, contest)
        Award.objects.filter(contest=contest).update(issued_at=at(results_on, 16))
        stamps.done(results_on)
        built.append(contest)
    # The years in between hold last year's edition of the current contest, so that its note
    # compares participation with the year before.
    for year in timeline.between:
        contest = _contest(cast, LESSON_CURRENT, today, 20)
        _entries(contest, librarians, rng, 0.6)
        _judge(cast, contest, juries[0], rng)
        _decide(cast, contest)
        results_on = date(year + 1, 3, 20)
        _move_to(contest, date(year + 1, 1, 15), date(year + 1, 2, 20), results_on)
        awards.awards_issue(cast.methodist, contest)
        Award.objects.filter(contest=contest).update(issued_at=at(results_on, 16))
        stamps.done(results_on)
        built.append(contest)
    for title, kind, level, held, people, result in (
        (
            "Региональный форум школьных библиотекарей Подмосковья",
            "форум",
            ExternalEvent.Level.REGIONAL,
            date(SEED_YEAR, 11, 14),
            6,
            "Выступление руководителя ММО с опытом сетевого обмена учебниками",
        ),
        (
            "Всероссийская конференция «Школьная библиотека: пространство чтения»",
            "конференция",
            ExternalEvent.Level.FEDERAL,
            date(SEED_YEAR + 1, 3, 27),
            3,
            "Публикация в сборнике материалов конференции",
        ),
    ):
        services.external_event_create(
            cast.methodist,
            association,
            title=title,
            kind=kind,
            level=level,
            held_on=held,
            participants=people,
            results=result,
        )
    stamps.done(date(SEED_YEAR + 1, 3, 28))
    # The current year: open for entries, a few schools have already sent theirs.
    # Opened ten days ago, but not before its academic year began (on 1 September: today).
    opens = max(today - timedelta(days=10), timeline.start())
    current = _contest(cast, LESSON_CURRENT, today, 30, opens)
    _entries(current, librarians[:6], rng, 0.7)
    for person in (cast.head, cast.director, librarians[-1]):
        services.juror_add(cast.methodist, current, person, is_chair=person is cast.head)
    services.sheets_assign(None, current)
    built.append(current)
    return built
