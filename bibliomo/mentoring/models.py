"""Mentoring of early-career librarians: pairs, their programme, log, questions and results."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association
from bibliomo.events.models import Event


class ProgrammeTemplate(models.Model):
    """The association's model programme: a new pair's goals and steps start from it."""

    association = models.OneToOneField(
        Association,
        on_delete=models.CASCADE,
        related_name="mentoring_template",
        verbose_name="объединение",
    )
    goals = models.TextField("цели программы")
    steps = models.TextField(
        "шаги программы",
        help_text="По одному шагу в строке; сроки шагов распределяются по периоду пары.",
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "шаблон программы наставничества"
        verbose_name_plural = "шаблоны программ наставничества"

    def __str__(self) -> str:
        return f"Шаблон программы: {self.association}"

    @property
    def step_lines(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class Pair(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "идёт"
        FINISHED = "finished", "завершена"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="mentoring_pairs"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentee_pairs",
        verbose_name="наставник",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
        verbose_name="молодой специалист",
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    goals = models.TextField("цели")
    seminar = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentoring_pairs",
        verbose_name="семинар для молодых специалистов",
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    final_report = models.TextField("итоговый отчёт", blank=True)
    finished_on = models.DateField("завершена", null=True, blank=True)
    created_at = models.DateTimeField("создана", default=timezone.now)

    class Meta:
        verbose_name = "пара наставничества"
        verbose_name_plural = "пары наставничества"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="mentoring_pair_ends_after_start",
                violation_error_message="Окончание должно быть позже начала.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor.short_name} → {self.mentee.short_name}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:pair", args=[self.pk])

    def side_of(self, person) -> str:
        if person.pk == self.mentor_id:
            return Survey.Side.MENTOR
        if person.pk == self.mentee_id:
            return Survey.Side.MENTEE
        return ""


class Step(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("№")
    title = models.CharField("шаг", max_length=500)
    due_on = models.DateField("срок")
    done_on = models.DateField("выполнен", null=True, blank=True)

    class Meta:
        verbose_name = "шаг программы"
        verbose_name_plural = "шаги программы"
        ordering = ["pair", "position"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class Meeting(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("дата встречи")
    topic = models.CharField("тема", max_length=300)
    agreed = models.TextField("о чём договорились")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "встреча пары"
        verbose_name_plural = "встречи пары"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.topic


class Question(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField("вопрос")
    asked_at = models.DateTimeField("задан", default=timezone.now)
    answer = models.TextField("ответ", blank=True)
    answered_at = models.DateTimeField("ответ дан", null=True, blank=True)

    class Meta:
        verbose_name = "вопрос молодого специалиста"
        verbose_name_plural = "вопросы молодых специалистов"
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Survey(models.Model):
    class Side(models.TextChoices):
        MENTOR = "mentor", "наставник"
        MENTEE = "mentee", "молодой специалист"

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="surveys")
    side = models.CharField("кто отвечает", max_length=10, choices=Side.choices)
    rating = models.PositiveSmallIntegerField(
        "насколько полезной была работа пары (1–5)",
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    achieved = models.TextField("что получилось")
    next_time = models.TextField("что сделать иначе", blank=True)
    submitted_at = models.DateTimeField("заполнена", default=timezone.now)

    class Meta:
        verbose_name = "анкета по итогам"
        verbose_name_plural = "анкеты по итогам"
        constraints = [models.UniqueConstraint(fields=["pair", "side"], name="one_survey_per_side")]

    def __str__(self) -> str:
        return f"{self.pair}: {self.get_side_display()}"
