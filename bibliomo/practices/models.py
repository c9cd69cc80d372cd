"""The bank of practices («Ярмарка библиотечных идей»): what a school does well, and where
else it has been taken up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association, School
from bibliomo.events.models import Event


class Form(models.TextChoices):
    LESSON = "lesson", "библиотечный урок"
    CAMPAIGN = "campaign", "акция"
    CLUB = "club", "клуб"
    QUEST = "quest", "квест"
    EXHIBITION = "exhibition", "книжная выставка"
    GAME = "game", "игра"
    PROJECT = "project", "проект"
    CONTEST = "contest", "конкурс"
    OTHER = "other", "другое"


# The tags a practice may carry (a fixed list keeps the bank's filter meaningful).
TAGS = [
    "функциональная грамотность",
    "популяризация чтения",
    "работа с родителями",
    "краеведение",
    "патриотическое воспитание",
    "информационная грамотность",
    "семейное чтение",
    "цифровые ресурсы",
    "работа с фондом",
    "инклюзия",
]


class Practice(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="practices", verbose_name="объединение"
    )
    title = models.CharField("название", max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="practices",
        verbose_name="автор",
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="practices", verbose_name="школа"
    )
    grades = models.CharField(
        "аудитория (классы)", max_length=100, help_text="Например, «5–7 классы» или «родители»."
    )
    form = models.CharField("форма", max_length=20, choices=Form.choices)
    goal = models.TextField("цель")
    description = models.TextField("описание")
    tags = models.JSONField("темы", default=list, blank=True)
    fair = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name="представлена на ярмарке идей",
    )
    published_at = models.DateTimeField("опубликована на портале", null=True, blank=True)
    created_at = models.DateTimeField("добавлена", default=timezone.now)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "практика"
        verbose_name_plural = "практики"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.published_at is not None


class Material(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="materials", verbose_name="практика"
    )
    title = models.CharField("название", max_length=300)
    file = models.FileField("файл", upload_to="practices/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    link = models.URLField("ссылка", blank=True)
    added_at = models.DateTimeField("добавлен", default=timezone.now)

    class Meta:
        verbose_name = "материал практики"
        verbose_name_plural = "материалы практик"
        ordering = ["added_at"]

    def __str__(self) -> str:
        return self.title


class Implementation(models.Model):
    """«Внедрили у нас»: another school took the practice up."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="implementations", verbose_name="практика"
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name="школа"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="отметил(а)",
    )
    implemented_on = models.DateField("когда внедрили")
    note = models.TextField("как прошло", blank=True)
    photo = models.FileField("фотография", upload_to="practices/photos/%Y/%m/", blank=True)
    photo_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField("отмечено", default=timezone.now)

    class Meta:
        verbose_name = "внедрение практики"
        verbose_name_plural = "внедрения практик"
        ordering = ["-implemented_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "school"],
                name="practice_implemented_once_per_school",
                violation_error_message="Эта школа уже отметила, что внедрила практику.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice} — {self.school}"
