"""Demo of the bank of practices: ~20 practices of schools across the association, most
presented at an ideas fair, taken up by other schools; a few published on the portal.

Built through the services with a fixed seed; dates follow the Timeline, nothing after today.
Running it twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bibliomo.demo.directory import DemoCast
from bibliomo.demo.timeline import Timeline, at
from bibliomo.events.models import Event
from bibliomo.practices import services
from bibliomo.practices.models import Implementation, Practice

# (title, form, grades, tags, goal, description)
PRACTICES = [
    (
        "Квест «Тайна старой библиотеки»",
        "quest",
        "5 классы",
        ["популяризация чтения"],
        "Познакомить пятиклассников с библиотекой и каталогом.",
        "Команды проходят шесть станций: каталог, периодика, справочный фонд, выставка.",
    ),
    (
        "Акция «Подари книгу школе»",
        "campaign",
        "1–11 классы, родители",
        ["работа с родителями", "работа с фондом"],
        "Пополнить фонд художественной литературы силами семей.",
        "Неделя сбора книг, проверка по списку экстремистских материалов, торжественная передача.",
    ),
    (
        "Клуб «Читающая семья»",
        "club",
        "1–4 классы, родители",
        ["семейное чтение", "работа с родителями"],
        "Вовлечь родителей в чтение с детьми.",
        "Встречи раз в месяц: громкие чтения, обсуждение, домашнее задание для всей семьи.",
    ),
    (
        "Библиотечный урок «Как читать инфографику»",
        "lesson",
        "7–8 классы",
        ["функциональная грамотность", "информационная грамотность"],
        "Развивать читательскую грамотность на несплошных текстах.",
        "Разбор трёх инфографик, работа в парах, самостоятельное составление вопросов.",
    ),
    (
        "Выставка-диалог «Книги, которые нас выбрали»",
        "exhibition",
        "9–11 классы",
        ["популяризация чтения"],
        "Показать книги глазами старшеклассников.",
        "Каждую книгу на выставке сопровождает отзыв ученика и QR-код на аудиозапись.",
    ),
    (
        "Краеведческий квест «Серпухов литературный»",
        "quest",
        "6–7 классы",
        ["краеведение", "популяризация чтения"],
        "Познакомить с литературными местами города.",
        "Маршрут по городу с заданиями по книгам писателей, связанных с Серпуховом.",
    ),
    (
        "Игра «Читательский марафон»",
        "game",
        "3–5 классы",
        ["популяризация чтения"],
        "Поддержать регулярное чтение в течение четверти.",
        "Классы соревнуются в прочитанных страницах; итоги — на линейке.",
    ),
    (
        "Проект «Книжная полка героя»",
        "project",
        "8–10 классы",
        ["патриотическое воспитание"],
        "Рассказать о земляках — участниках Великой Отечественной войны через книги.",
        "Ученики собирают книги и документы о земляках и оформляют полку в библиотеке.",
    ),
    (
        "Урок «Проверяем факты в сети»",
        "lesson",
        "8–9 классы",
        ["информационная грамотность", "цифровые ресурсы"],
        "Научить отличать достоверные источники от недостоверных.",
        "Практикум: три новости, поиск первоисточника, вывод в таблицу.",
    ),
    (
        "Конкурс буктрейлеров",
        "contest",
        "6–11 классы",
        ["цифровые ресурсы", "популяризация чтения"],
        "Развить интерес к чтению через создание видео.",
        "Положение, сроки, жюри из учеников; лучшие работы — на сайте школы.",
    ),
    (
        "Клуб «Бумажный театр»",
        "club",
        "2–4 классы",
        ["семейное чтение"],
        "Читать и разыгрывать сказки вместе.",
        "Дети готовят кукол из бумаги и показывают сказку младшим.",
    ),
    (
        "Акция «Книжный доктор»",
        "campaign",
        "1–5 классы",
        ["работа с фондом"],
        "Научить бережно обращаться с учебниками.",
        "Ремонт учебников вместе с учениками, памятка по уходу за книгой.",
    ),
    (
        "Выставка «Учебник в цифре»",
        "exhibition",
        "учителя, родители",
        ["цифровые ресурсы", "работа с родителями"],
        "Показать электронные приложения к учебникам ФПУ.",
        "Стенд с QR-кодами на электронные формы учебников и инструкцией для родителей.",
    ),
    (
        "Урок «Читаем задачу»",
        "lesson",
        "5–6 классы",
        ["функциональная грамотность"],
        "Совместно с учителем математики развивать смысловое чтение.",
        "Разбор условий задач: ключевые слова, лишние данные, переформулирование.",
    ),
    (
        "Инклюзивные чтения «Мы вместе»",
        "other",
        "1–11 классы",
        ["инклюзия"],
        "Создать среду чтения для детей с ОВЗ.",
        "Книги с крупным шрифтом и тактильные книги, чтения в смешанных группах.",
    ),
    (
        "Игра «Библиотечный детектив»",
        "game",
        "4–6 классы",
        ["информационная грамотность"],
        "Научить искать информацию в справочных изданиях.",
        "Расследование по подсказкам, которые находятся в энциклопедиях и словарях.",
    ),
    (
        "Проект «Семейная летопись»",
        "project",
        "5–7 классы, родители",
        ["краеведение", "работа с родителями"],
        "Собрать истории семей учеников.",
        "Интервью с родными, оформление страниц летописи, презентация в библиотеке.",
    ),
    (
        "Квест «Путешествие по ФПУ»",
        "quest",
        "учителя",
        ["работа с фондом"],
        "Познакомить учителей с федеральным перечнем учебников.",
        "Станции: поиск учебника по коду, предельный срок, заказ на следующий год.",
    ),
    (
        "Книжная выставка «Родная речь»",
        "exhibition",
        "1–11 классы",
        ["популяризация чтения", "патриотическое воспитание"],
        "Привлечь внимание к словарям и родному языку.",
        "Словари, пословицы, викторина по устаревшим словам.",
    ),
    (
        "Клуб «Литературная гостиная»",
        "club",
        "9–11 классы",
        ["популяризация чтения"],
        "Обсуждать современную литературу со старшеклассниками.",
        "Встреча раз в месяц, книга выбирается голосованием.",
    ),
]

NOTES = [
    "Провели в параллели, дети просят продолжения.",
    "Адаптировали под наших читателей, получилось.",
    "Провели вместе с учителем литературы.",
    "Взяли идею для недели детской книги.",
    "Хороший отклик родителей.",
]


def _fairs(association) -> list[Event]:
    return list(
        Event.objects.filter(
            association=association, kind=Event.Kind.IDEAS_FAIR, status=Event.Status.HELD
        ).order_by("starts_at")
    )


def build(cast: DemoCast, today=None) -> int:
    timeline = Timeline.of(today)
    association = cast.association
    if Practice.objects.filter(association=association).exists():
        return Practice.objects.filter(association=association).count()
    rng = random.Random(1812)
    fairs = _fairs(association)
    librarians = [p for p in cast.librarians if p.is_active and p.school_id]
    with transaction.atomic():
        for number, (title, form, grades, tags, goal, description) in enumerate(PRACTICES):
            author = librarians[(number * 7) % len(librarians)]
            fair = fairs[number % len(fairs)] if fairs and number % 4 != 3 else None
            practice = services.practice_create(
                author,
                association,
                title=title,
                form=form,
                grades=grades,
                tags=tags,
                goal=goal,
                description=description,
                fair=fair,
            )
            created = (
                timezone.localdate(fair.starts_at)
                if fair
                else timeline.clamp(timeline.start() + timedelta(days=20 + number * 3))
            )
            Practice.objects.filter(pk=practice.pk).update(created_at=at(created))
            services.material_add(
                author,
                practice,
                title="Сценарий и раздаточный материал",
                link=f"https://disk.yandex.ru/d/demo-practice-{number + 1}",
            )
            _implementations(practice, author, librarians, created, timeline, rng)
            if number in (0, 2, 3, 5, 9):
                services.practice_publish(cast.methodist, practice)
    return len(PRACTICES)


def _implementations(practice, author, librarians, created, timeline, rng) -> None:
    """0–5 other schools took it up after it was presented, each one once."""
    days_since = (timeline.today - created).days
    if days_since < 10:
        return
    others = sorted(
        {p.school_id: p for p in librarians if p.school_id != author.school_id}.values(),
        key=lambda p: p.pk,
    )
    count = rng.choice([0, 1, 1, 2, 2, 3, 4, 5])
    for person in rng.sample(others, min(count, len(others))):
        day = created + timedelta(days=rng.randint(7, days_since - 1))
        services.implementation_mark(person, practice, implemented_on=day, note=rng.choice(NOTES))
    Implementation.objects.filter(practice=practice).update(created_at=at(timeline.today))
