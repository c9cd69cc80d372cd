"""The demo's plans: the user's own 2024/2025 plan, approved and carried out, and a draft
2025/2026 plan rolled over from it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from bibliomo.directory.demo import DemoCast
from bibliomo.plans import services
from bibliomo.plans.models import PlanActivity, PlanRevision, WorkPlan
from bibliomo.plans.reading import read_plan

SAMPLE = Path(__file__).resolve().parent / "samples" / "plan-2024-2025.docx"
MOSCOW = ZoneInfo("Europe/Moscow")

# How each activity of the user's plan went, by a phrase of its content.
OUTCOMES = [
    (
        "Формирование пакета документов",
        "done",
        "Пакет документов ММО сформирован и размещён в библиотеке документов; обновлён в январе.",
    ),
    (
        "Планирование деятельности",
        "done",
        "Заседание ММО 29.08.2024: план обсуждён, «Профессиональные диалоги» — 3 встречи.",
    ),
    (
        "Мы за них в ответе",
        "done",
        "Участие в 4 заседаниях творческой группы; подготовлены рекомендации по летнему чтению.",
    ),
    (
        "Празднование международного дня",
        "done",
        "28.10.2024 — праздник в 19 школах; семинар для молодых специалистов, 14 участников.",
    ),
    (
        "Круглый стол",
        "cancelled",
        "Объединён с Ярмаркой библиотечных идей по решению заседания ММО от 15.11.2024.",
    ),
    (
        "Ярмарка библиотечных идей",
        "done",
        "18.12.2024 — 11 идей представлено, 6 внедрено в школах округа.",
    ),
    (
        "Алгоритм заказа",
        "moved",
        "январь",
        "Перенесён до выхода приказа Минпросвещения об изменениях федерального перечня.",
    ),
    ("Муниципальный семинар", "done", "24.04.2025 — Гимназия № 1, 32 участника."),
    ("Мастер-класс", "done", "17.04.2025 — СОШ № 3, 21 участник, материалы на портале."),
    ("Участие в вебинарах", "done", "9 вебинаров и 2 курса повышения квалификации."),
    ("индивидуального консультирования", "done", "47 консультаций за год."),
    ("Информационно-методическое сопровождение", "done", "Ежемесячные рассылки, 10 выпусков."),
    ("образовательном портале", "done", "23 публикации на портале."),
    (
        "Мониторинг обеспеченности",
        "done",
        "Мониторинг проведён в сентябре: 19 школ, средняя обеспеченность 97,4%; обмен — 1 240 экз.",
    ),
    ("Информационно-образовательных мероприятиях", "done", "6 онлайн-совещаний."),
    ("аналитической информации", "done", "Справки по 3 конкурсам и 2 конференциям."),
    ("Анализ результатов", "done", "Анализ работы за год представлен на заседании 28.05.2025."),
]


def _outcome(content: str):
    for outcome in OUTCOMES:
        if outcome[0] in content:
            return outcome
    return None


@transaction.atomic
def build(cast: DemoCast) -> list[WorkPlan]:
    association = cast.association
    plan = WorkPlan.objects.filter(association=association, academic_year=2024).first()
    if plan is None:
        document = read_plan(SAMPLE.read_bytes(), SAMPLE.name)
        plan = services.plan_import(cast.methodist, association, document)
        services.plan_submit(cast.methodist, plan)
        services.plan_approve(cast.director, plan)
        # The demo happens later than the plan: date the approval as it really was.
        approved = datetime(2024, 9, 2, 10, 0, tzinfo=MOSCOW)
        WorkPlan.objects.filter(pk=plan.pk).update(
            submitted_at=datetime(2024, 8, 30, 15, 0, tzinfo=MOSCOW), approved_at=approved
        )
        PlanRevision.objects.filter(plan=plan).update(approved_at=approved)
        for activity in PlanActivity.objects.filter(section__plan=plan):
            outcome = _outcome(activity.content)
            if outcome is None:
                continue
            if outcome[1] == "moved":
                services.activity_mark(
                    cast.methodist, activity, "moved", moved_to_text=outcome[2], reason=outcome[3]
                )
            elif outcome[1] == "cancelled":
                services.activity_mark(cast.head, activity, "cancelled", reason=outcome[2])
            else:
                services.activity_mark(cast.methodist, activity, "done", report=outcome[2])
        plan.refresh_from_db()
    draft = WorkPlan.objects.filter(association=association, academic_year=2025).first()
    if draft is None:
        draft = services.plan_rollover(cast.methodist, plan)
    return [plan, draft]
