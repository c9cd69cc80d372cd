"""The demo's analyses: each finished year's analysis written in May and approved in June.

Two steps around the rest of the demo: `draft` before the plans are rolled over (so next
year's plan takes its tasks from the analysis, as in life), `approve` after every event,
document and campaign exists (the approval freezes the figures of the year).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from bibliomo.demo.directory import DemoCast
from bibliomo.demo.timeline import SEED_YEAR, Stamps, Timeline, at
from bibliomo.reviews import services
from bibliomo.reviews.models import Review

CONCLUSIONS = {
    "tasks": (
        "Задачи года в основном решены: повышение профессиональной компетентности и освоение "
        "новых технологий шли через семинары, ярмарку идей и вебинары. Меньше сделано по "
        "функциональной грамотности — перенести в задачи следующего года."
    ),
    "plan": (
        "План выполнен почти полностью. Круглый стол объединён с Ярмаркой библиотечных идей, "
        "семинар «Алгоритм заказа учебной литературы» перенесён на январь до выхода приказа "
        "об изменениях федерального перечня."
    ),
    "events": (
        "Самые высокие оценки участников — у практических форм (ярмарка идей, мастер-класс). "
        "Сертификаты выданы всем, кто присутствовал."
    ),
    "growth": (
        "Большинство педагогов-библиотекарей повышали квалификацию в мероприятиях ММО. Тех, кто "
        "не участвовал ни разу, пригласить лично и предложить онлайн-формы."
    ),
    "people": "Объединение охватывает все школы округа; молодым специалистам нужны наставники.",
    "documents": "Пакет документов ММО обновлён; утратившие силу документы отмечены.",
    "portal": "Анонсы, материалы мероприятий и новости объединения выходят на портале.",
    "professional_growth": (
        "Курсы и аттестация педагогов-библиотекарей учтены в их картах; сроки аттестации — "
        "на контроле методиста."
    ),
    "mentoring": "Пары наставничества работают по своим планам; отчёты пар приняты.",
    "groups": "Продукты творческой группы публиковать на портале и в банке практик.",
    "consultations": (
        "Частые темы вопросов взять в план семинаров; ответы, решившие вопрос, — в базу ответов."
    ),
    "practices": "Практики, которые внедрили другие школы, представить на ярмарке идей.",
    "contests": "Конкурсы объединения прошли по положениям; итоги опубликованы на портале.",
    "provision": (
        "Обеспеченность по годам — в таблице; нехватку по отдельным предметам закрывают обмен "
        "и заказ на следующий учебный год."
    ),
    "exchange": "Обмен прошёл по актам; одна перевозка не возвращена в срок — на контроле.",
    "order": "Заказ на следующий год собран по прогнозу контингента с учётом обмена.",
}

# A later year's plan is the user's plan rolled over, with nothing merged or moved.
LATER_PLAN = "План выполнен полностью: каждая строка — в свой срок."

NEXT_TASKS = [
    "Повышать профессиональную компетентность педагогов-библиотекарей: каждому члену ММО — "
    "не меньше двух мероприятий объединения за год",
    "Провести семинар «Алгоритм заказа учебной литературы» до начала заказа, в декабре",
    "Развивать наставничество: закрепить наставника за каждым молодым специалистом",
    "Формировать функциональную грамотность обучающихся на основе ресурсов школьных библиотек",
    "Обеспечить сдачу отчётов мониторинга обеспеченности до 30 сентября и возврат учебников "
    "по обмену в срок",
    "Внедрять креативные формы популяризации чтения, работы с читателями",
]


def _written(year: int) -> date:
    return date(year + 1, 5, 12)


def _approved(year: int) -> date:
    return date(year + 1, 6, 2)


@transaction.atomic
def draft(cast: DemoCast, today: date | None = None) -> list[Review]:
    """The analysis of every year whose May has come, with its conclusions and tasks."""
    timeline = Timeline.of(today)
    reviews = []
    for year in timeline.years:
        if timeline.today < _written(year):
            continue
        review = Review.objects.filter(association=cast.association, academic_year=year).first()
        if review is None:
            stamps = Stamps()
            review = services.review_create(cast.methodist, cast.association, year)
            conclusions = CONCLUSIONS if year == SEED_YEAR else {**CONCLUSIONS, "plan": LATER_PLAN}
            review = services.review_update(cast.head, review, conclusions, NEXT_TASKS)
            written = at(_written(year), 15)
            stamps.done(written)
            Review.objects.filter(pk=review.pk).update(created_at=written)
        reviews.append(review)
    return reviews


@transaction.atomic
def approve(cast: DemoCast, today: date | None = None) -> None:
    """Every analysis whose June has come: submitted on 28 May, approved on 2 June."""
    timeline = Timeline.of(today)
    drafts = Review.objects.filter(association=cast.association, status=Review.Status.DRAFT)
    for review in drafts:
        if timeline.today < _approved(review.academic_year):
            continue
        stamps = Stamps()
        submitted = at(date(review.academic_year + 1, 5, 28), 15)
        approved = at(_approved(review.academic_year), 11)
        services.review_submit(cast.methodist, review)
        services.review_approve(cast.director, review)
        stamps.done(approved)
        Review.objects.filter(pk=review.pk).update(submitted_at=submitted, approved_at=approved)
