"""Personal data under 152-ФЗ: dated consents and people's requests to delete their data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Consent(models.Model):
    """A person accepted this version of her association's consent text, at this moment."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name="человек",
    )
    association = models.ForeignKey(
        "directory.Association",
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name="объединение",
    )
    version = models.PositiveIntegerField("редакция текста")
    # The text as accepted: later edits of the association's text must not rewrite it.
    text = models.TextField("текст согласия")
    accepted_at = models.DateTimeField("дано", default=timezone.now)

    class Meta:
        verbose_name = "согласие на обработку персональных данных"
        verbose_name_plural = "согласия на обработку персональных данных"
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "association", "version"], name="one_consent_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: редакция {self.version} ({self.accepted_at:%d.%m.%Y})"


class DeletionRequest(models.Model):
    """A person asks the methodist to delete her data; the methodist anonymises or declines."""

    class Status(models.TextChoices):
        OPEN = "open", "ждёт решения"
        DONE = "done", "данные обезличены"
        DECLINED = "declined", "отклонена"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deletion_requests",
        verbose_name="кто просит",
    )
    association = models.ForeignKey(
        "directory.Association",
        on_delete=models.CASCADE,
        related_name="deletion_requests",
        verbose_name="объединение",
    )
    reason = models.TextField("причина", blank=True)
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField("подана", default=timezone.now)
    resolved_at = models.DateTimeField("решение принято", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто решил",
    )
    answer = models.TextField("ответ", blank=True)

    class Meta:
        verbose_name = "просьба удалить персональные данные"
        verbose_name_plural = "просьбы удалить персональные данные"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="open"),
                name="one_open_deletion_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"
