"""The demo's plans: the user's own 2024/2025 plan, approved and carried out, and every later
year up to the current one rolled over from the year before and approved."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from bibliomo.demo.directory import THEME_2024, DemoCast
from bibliomo.demo.timeline import MOSCOW, SEED_YEAR, Stamps, Timeline, at
from bibliomo.directory.models import AssociationTheme
from bibliomo.plans import facts, services
from bibliomo.plans.models import PlanActivity, PlanRevision, WorkPlan
from bibliomo.plans.reading import read_plan

SAMPLE = Path(__file__).resolve().parent / "samples" / "plan-2024-2025.docx"

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
        "Участие в заседаниях творческой группы: план работы на год и итоги года.",
    ),
    (
        "Празднование международного дня",
        "done",
        "28.10.2024 — праздник в школах округа; семинар для молодых специалистов — 17.10.2024 "
        "в Лицее «Серпухов».",
    ),
    (
        "Круглый стол",
        "cancelled",
        "Объединён с Ярмаркой библиотечных идей по решению заседания ММО от 15.11.2024.",
    ),
    (
        "Ярмарка библиотечных идей",
        "done",
        "18.12.2024 — 10 идей представлено; их уже внедряют в школах округа.",
    ),
    (
        "Алгоритм заказа",
        "moved",
        "январь",
        "Перенесён до выхода приказа Минпросвещения об изменениях федерального перечня.",
    ),
    ("Муниципальный семинар", "done", "24.04.2025 — Гимназия № 1, итоги на портале."),
    ("Мастер-класс", "done", "17.04.2025 — СОШ № 3, материалы — у участников."),
    (
        "Участие в вебинарах",
        "done",
        "Библиотекари прошли курсы повышения квалификации; удостоверения подтверждены.",
    ),
    (
        "индивидуального консультирования",
        "done",
        "Консультации по телефону и при встречах; вопросы в Bibliomo — с 2025/2026 учебного года.",
    ),
    ("Информационно-методическое сопровождение", "done", "Ежемесячные рассылки, 10 выпусков."),
    (
        "образовательном портале",
        "done",
        "На портале — итоги ярмарки идей и муниципального семинара.",
    ),
    (
        "Мониторинг обеспеченности",
        "done",
        "Мониторинг проведён в сентябре, отчёты всех школ приняты; по его итогам опубликован "
        "план обмена учебниками.",
    ),
    ("Информационно-образовательных мероприятиях", "done", "6 онлайн-совещаний."),
    (
        "аналитической информации",
        "done",
        "Справки по итогам двух конкурсов ММО и участия во внешних конкурсах.",
    ),
    ("Анализ результатов", "done", "Анализ работы за год представлен на заседании 28.05.2025."),
]


def _outcome(content: str):
    for outcome in OUTCOMES:
        if outcome[0] in content:
            return outcome
    return None


def _done_on(activity: PlanActivity, plan: WorkPlan) -> date:
    """When an activity's time was over: the first day after its last month (or its deadline)."""
    timing = activity.effective_timing
    year = plan.academic_year
    if timing.deadline is not None:
        return timing.deadline
    if timing.runs_all_year:
        return date(year + 1, 5, 31)
    last = timing.calendar_months[-1]
    calendar_year = year if last >= 9 else year + 1
    return date(calendar_year + (last == 12), last % 12 + 1, 1) - timedelta(days=1)


def _approve(cast: DemoCast, plan: WorkPlan, submitted: datetime, approved: datetime) -> None:
    """Submit and approve through the services, then date both as they really were."""
    stamps = Stamps()
    year_in_document = plan.approval_year  # the user's plan names it; keep it as it is
    services.plan_submit(cast.methodist, plan)
    stamps.done(submitted)
    services.plan_approve(cast.director, plan)
    stamps.done(approved)
    WorkPlan.objects.filter(pk=plan.pk).update(
        submitted_at=submitted,
        approved_at=approved,
        approval_year=year_in_document or approved.year,
    )
    PlanRevision.objects.filter(plan=plan).update(approved_at=approved)


def _mark(actor, activity: PlanActivity, when: datetime, status: str, **texts) -> None:
    stamps = Stamps()
    services.activity_mark(actor, activity, status, **texts)
    stamps.done(when)
    PlanActivity.objects.filter(pk=activity.pk).update(status_changed_at=when)


@transaction.atomic
def build(cast: DemoCast, today: date | None = None) -> list[WorkPlan]:
    """The user's plan (2024/2025, fixed dates), each later year rolled over from the one
    before and approved; the years before the current one carried out, the current one up to
    `today`."""
    timeline = Timeline.of(today)
    plan = _seed_plan(cast)
    plans = [plan]
    for year in timeline.years[1:]:
        previous = plan
        found = WorkPlan.objects.filter(association=cast.association, academic_year=year).first()
        plan = found if found is not None else _next_year(cast, previous, timeline, year)
        plans.append(plan)
    return plans


def _seed_plan(cast: DemoCast) -> WorkPlan:
    association = cast.association
    plan = WorkPlan.objects.filter(association=association, academic_year=SEED_YEAR).first()
    if plan is not None:
        return plan
    stamps = Stamps()
    document = read_plan(SAMPLE.read_bytes(), SAMPLE.name)
    plan = services.plan_import(cast.methodist, association, document)
    created = datetime(2024, 8, 26, 11, 0, tzinfo=MOSCOW)
    stamps.done(created)
    WorkPlan.objects.filter(pk=plan.pk).update(created_at=created)
    # The demo happens later than the plan: date the approval as it really was.
    _approve(
        cast,
        plan,
        datetime(2024, 8, 30, 15, 0, tzinfo=MOSCOW),
        datetime(2024, 9, 2, 10, 0, tzinfo=MOSCOW),
    )
    for activity in PlanActivity.objects.filter(section__plan=plan).select_related("section"):
        outcome = _outcome(activity.content)
        if outcome is None:
            continue
        when = datetime.combine(_done_on(activity, plan), time(16), MOSCOW)
        if outcome[1] == "moved":
            _mark(
                cast.methodist,
                activity,
                datetime(2024, 12, 2, 12, 0, tzinfo=MOSCOW),
                "moved",
                moved_to_text=outcome[2],
                reason=outcome[3],
            )
        elif outcome[1] == "cancelled":
            _mark(
                cast.head,
                activity,
                datetime(2024, 11, 15, 17, 0, tzinfo=MOSCOW),
                "cancelled",
                reason=outcome[2],
            )
        else:
            _mark(cast.methodist, activity, when, "done", report=outcome[2])
    plan.refresh_from_db()
    return plan


def _next_year(cast: DemoCast, previous: WorkPlan, timeline: Timeline, year: int) -> WorkPlan:
    """Rolled over in August, approved before 1 September; what is over by today is done."""
    stamps = Stamps()
    plan = services.plan_rollover(cast.methodist, previous)
    created = at(date(year, 8, 20), 11)
    stamps.done(created)
    WorkPlan.objects.filter(pk=plan.pk).update(created_at=created)
    _approve(cast, plan, at(date(year, 8, 28), 15), at(date(year, 8, 30), 10))
    plan.refresh_from_db()
    # The association keeps working on the same theme: the public page names this year's.
    AssociationTheme.objects.get_or_create(
        association=cast.association, academic_year=year, defaults={"theme": THEME_2024}
    )
    return plan


@transaction.atomic
def execute(cast: DemoCast, today: date | None = None) -> None:
    """After the rest of the demo: every line of a later year whose time is over by today is
    done, with the event held for it when there is one."""
    timeline = Timeline.of(today)
    plans = WorkPlan.objects.filter(association=cast.association, academic_year__gt=SEED_YEAR)
    for plan in plans:
        label = plan.academic_year_label
        activities = PlanActivity.objects.filter(
            section__plan=plan, status=PlanActivity.Status.PLANNED
        ).select_related("section")
        for activity in activities:
            if not (plan.was_ever_approved and activity.time_is_over(timeline.today, plan)):
                continue  # its time has not passed yet: still planned
            held = activity.events.filter(status="held").order_by("starts_at").first()
            if held is not None:
                report = f"{timezone.localdate(held.starts_at):%d.%m.%Y} — {held.title}."
            elif facts.kinds(activity.content):  # the page and the report show the figures
                report = "Выполнено в срок; цифры — по данным Bibliomo."
            else:
                report = f"Выполнено в срок; итоги — в анализе работы ММО за {label} учебный год."
            when = at(min(_done_on(activity, plan), timeline.today), 16)
            _mark(cast.methodist, activity, when, "done", report=report)
