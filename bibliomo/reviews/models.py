"""The analysis of the association's year: typed conclusions around figures from the data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association
from bibliomo.lib import ru


class Review(models.Model):
    """«Анализ работы ММО за 2024/2025 учебный год», one version of it.

    Until approval the sections are assembled from the data each time they are shown; the
    approval freezes them in `sections`. An approved version never changes: later data makes
    the next version.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на утверждении"
        RETURNED = "returned", "возвращён на доработку"
        APPROVED = "approved", "утверждён"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="reviews", verbose_name="объединение"
    )
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    version = models.PositiveSmallIntegerField("версия", default=1)
    status = models.CharField(
        "состояние", max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    conclusions = models.JSONField("выводы по разделам", default=dict, blank=True)
    next_tasks = models.JSONField("задачи на следующий учебный год", default=list, blank=True)
    sections = models.JSONField("разделы (зафиксированы при утверждении)", default=list)
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
    created_at = models.DateTimeField("создан", default=timezone.now)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "анализ года"
        verbose_name_plural = "анализы года"
        ordering = ["-academic_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "academic_year", "version"],
                name="one_review_version_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"Анализ работы ММО за {self.academic_year_label} учебный год"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.pk])

    @property
    def academic_year_label(self) -> str:
        return ru.format_academic_year(self.academic_year)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
