"""The annual work plan as stored: header, sections, activities, execution, revisions."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association
from bibliomo.lib import ru
from bibliomo.plans.responsible import Responsible
from bibliomo.plans.timing import Timing


class WorkPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на утверждении"
        RETURNED = "returned", "возвращён на доработку"
        APPROVED = "approved", "утверждён"

    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        related_name="work_plans",
        verbose_name="объединение",
    )
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    status = models.CharField(
        "состояние", max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveSmallIntegerField("редакция", default=1)
    title_lines = models.JSONField("заголовок (строки)", default=list, blank=True)
    theme = models.TextField("методическая тема", blank=True)
    goal = models.TextField("цель", blank=True)
    tasks = models.JSONField("задачи", default=list, blank=True)
    approval_position = models.CharField(
        "должность утверждающего", max_length=200, blank=True, default="директор МОУ ДПО УМЦ"
    )
    approval_name = models.CharField("утверждающий (И.О. Фамилия)", max_length=100, blank=True)
    approval_year = models.PositiveSmallIntegerField("год утверждения", null=True, blank=True)
    approved_on = models.DateField("дата утверждения в документе", null=True, blank=True)
    signatories = models.JSONField("подписи", default=list, blank=True)

    submitted_at = models.DateTimeField("передан на утверждение", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="передал(а)",
    )
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="утвердил(а)",
    )
    return_comment = models.TextField("замечания при возврате", blank=True)
    rolled_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="создан из плана",
    )
    created_at = models.DateTimeField("создан", default=timezone.now)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "план работы"
        verbose_name_plural = "планы работы"
        ordering = ["-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "academic_year"],
                name="one_plan_per_year",
                violation_error_message="План на этот учебный год уже есть.",
            )
        ]

    def __str__(self) -> str:
        return f"План работы на {self.academic_year_label} учебный год"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def academic_year_label(self) -> str:
        return ru.format_academic_year(self.academic_year)

    @property
    def is_editable(self) -> bool:
        """Content changes only in a draft or a returned plan; an approved one is frozen."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def was_ever_approved(self) -> bool:
        return self.status == self.Status.APPROVED or self.revision > 1

    @property
    def approval_day(self) -> date | None:
        """The one date under «УТВЕРЖДАЮ» in every copy, Word and PDF alike.

        The date written in the imported document wins; otherwise the day the director
        approved the plan in the system; None (blanks to fill by hand) before that.
        """
        if self.approved_on is not None:
            return self.approved_on
        if self.status == self.Status.APPROVED and self.approved_at:
            return timezone.localdate(self.approved_at)
        return None

    @property
    def approval_date_line(self) -> str:
        """«02» сентября 2024 г. once approved; blanks to sign by hand otherwise."""
        day = self.approval_day
        if day is not None:
            return f"«{day:%d}» {ru.month_name(day.month, 'genitive')} {day.year} г."
        return f"«___» ________ {self.approval_year or self.academic_year} г."


class PlanSection(models.Model):
    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="sections", verbose_name="план"
    )
    position = models.PositiveSmallIntegerField("порядок")
    title = models.CharField("раздел", max_length=500)

    class Meta:
        verbose_name = "раздел плана"
        verbose_name_plural = "разделы плана"
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.title


class PlanActivity(models.Model):
    # Set on the activities of plans.selectors.execution_report: how the line went.
    outcome: str
    overdue: bool

    class Status(models.TextChoices):
        PLANNED = "planned", "запланировано"
        DONE = "done", "выполнено"
        MOVED = "moved", "перенесено"
        CANCELLED = "cancelled", "отменено"

    section = models.ForeignKey(
        PlanSection, on_delete=models.CASCADE, related_name="activities", verbose_name="раздел"
    )
    position = models.PositiveSmallIntegerField("порядок")
    content = models.TextField("содержание деятельности")
    timing_text = models.CharField("сроки", max_length=300, blank=True)
    timing_data = models.JSONField("сроки (разбор)", default=dict, blank=True)
    responsible_text = models.CharField("ответственный", max_length=300, blank=True)
    responsible_data = models.JSONField("ответственный (разбор)", default=dict, blank=True)

    status = models.CharField(
        "выполнение", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    report = models.TextField("отчёт о выполнении", blank=True)
    evidence = models.JSONField(
        "подтверждения",
        default=list,
        blank=True,
        help_text="Ссылки на мероприятия, документы, публикации: [{title, url}].",
    )
    moved_to_text = models.CharField("новый срок", max_length=300, blank=True)
    moved_to_data = models.JSONField("новый срок (разбор)", default=dict, blank=True)
    status_reason = models.TextField("причина", blank=True)
    status_changed_at = models.DateTimeField("выполнение отмечено", null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="отметил(а)",
    )

    class Meta:
        verbose_name = "мероприятие плана"
        verbose_name_plural = "мероприятия плана"
        ordering = ["section__position", "position"]

    def __str__(self) -> str:
        return self.content[:80]

    @property
    def timing(self) -> Timing:
        return Timing.from_dict(self.timing_data) if self.timing_data else Timing(text="")

    @property
    def responsible(self) -> Responsible:
        if self.responsible_data:
            return Responsible.from_dict(self.responsible_data)
        return Responsible(text="")

    @property
    def effective_timing(self) -> Timing:
        """Where the activity now falls: the new timing once it was moved."""
        # A moved activity later held keeps its new timing: that is when it was held.
        moved = self.status in (self.Status.MOVED, self.Status.DONE)
        if moved and self.moved_to_data:
            return Timing.from_dict(self.moved_to_data)
        return self.timing

    def has_held_or_coming_event(self, today: date) -> bool:
        """An event linked to the line was held, or is announced for today or later."""
        for event in self.events.all():
            if event.status == "held":
                return True
            if event.status == "announced" and timezone.localdate(event.starts_at) >= today:
                return True
        return False

    def is_overdue(self, today: date, plan: WorkPlan) -> bool:
        """Still planned although every month it falls in is over, with nothing held or moved.

        Only an approved plan is carried out, so a draft has nothing overdue.
        """
        if not plan.was_ever_approved:
            return False
        if self.status not in (self.Status.PLANNED, self.Status.MOVED):
            return False
        if self.has_held_or_coming_event(today):
            return False
        return self.time_is_over(today, plan)

    def time_is_over(self, today: date, plan: WorkPlan) -> bool:
        """Every month the line (or its new timing) falls in is over, whatever was done."""
        academic_year = plan.academic_year
        timing = self.effective_timing
        if timing.flagged:
            return False
        if timing.deadline is not None:
            return timing.deadline < today
        if timing.runs_all_year:
            # A year-long activity is overdue only once the year is over.
            return date(academic_year + 1, 9, 1) <= today
        last = timing.calendar_months[-1]
        year = academic_year if last >= 9 else academic_year + 1
        next_month = date(year + (last == 12), last % 12 + 1, 1)
        return next_month <= today


class PlanRevision(models.Model):
    """A frozen, approved revision of a plan: what the director signed."""

    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="revisions", verbose_name="план"
    )
    number = models.PositiveSmallIntegerField("редакция")
    snapshot = models.JSONField("содержание")
    approved_at = models.DateTimeField("утверждена")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="утвердил(а)",
    )

    class Meta:
        verbose_name = "утверждённая редакция плана"
        verbose_name_plural = "утверждённые редакции плана"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_revision")
        ]

    def __str__(self) -> str:
        return f"{self.plan}, редакция {self.number}"
