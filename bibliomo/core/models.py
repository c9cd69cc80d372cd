"""Cross-cutting records: the audit trail of changes and background jobs with their progress."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who changed what and when: one row per write that a person can see."""

    class Action(models.TextChoices):
        CREATED = "created", "создание"
        UPDATED = "updated", "изменение"
        DELETED = "deleted", "удаление"
        DEACTIVATED = "deactivated", "отключение"
        ACTIVATED = "activated", "включение"
        INVITED = "invited", "приглашение"
        PASSWORD_RESET = "password_reset", "сброс пароля"

    at = models.DateTimeField("когда", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    actor_label = models.CharField("кто (на момент записи)", max_length=200, blank=True)
    action = models.CharField("действие", max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField("объект", max_length=300)
    # {field verbose name: [old, new]} — values as the person saw them, so history
    # stays readable even after choices or related rows change.
    changes = models.JSONField("изменения", default=dict, blank=True)
    comment = models.CharField("комментарий", max_length=300, blank=True)

    class Meta:
        verbose_name = "запись журнала изменений"
        verbose_name_plural = "журнал изменений"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        action = self.get_action_display()
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_label}: {action} {self.object_repr}"

    # A report upload changes hundreds of fund lines in one entry: a history shows the first
    # few of them and folds the rest away (includes/history.html).
    CHANGES_SHOWN = 5

    @property
    def changes_shown(self) -> list[tuple[str, list]]:
        return list(self.changes.items())[: self.CHANGES_SHOWN]

    @property
    def changes_folded(self) -> list[tuple[str, list]]:
        return list(self.changes.items())[self.CHANGES_SHOWN :]


class Job(models.Model):
    """A background job started by a person, who watches its progress on a page."""

    class Status(models.TextChoices):
        PENDING = "pending", "в очереди"
        RUNNING = "running", "выполняется"
        DONE = "done", "готово"
        FAILED = "failed", "ошибка"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name="кто запустил",
    )
    kind = models.CharField("вид", max_length=60)
    title = models.CharField("название", max_length=200)
    params = models.JSONField("параметры", default=dict, blank=True)
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    done = models.PositiveIntegerField("сделано", default=0)
    total = models.PositiveIntegerField("всего", default=0)
    message = models.CharField("сообщение", max_length=300, blank=True)
    result_file = models.FileField("результат", upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField("имя файла", max_length=200, blank=True)
    result_url = models.CharField("ссылка на результат", max_length=300, blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)

    class Meta:
        verbose_name = "фоновая задача"
        verbose_name_plural = "фоновые задачи"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """Whole percent done, rounded down; 100 only once done (never «100% (95 из 100)»)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, 100 * self.done // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Letter(models.Model):
    """One outgoing e-mail (`bibliomo/core/mail.py`): rendered from its templates when queued,
    sent by the background worker after the transaction commits, retried a bounded number of
    times. The rows are the mail log."""

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        SENT = "sent", "отправлено"
        FAILED = "failed", "не отправлено"

    template = models.CharField("шаблон", max_length=200)
    to = models.JSONField("кому", default=list)
    subject = models.CharField("тема", max_length=255)
    body = models.TextField("текст")
    html = models.TextField("HTML", blank=True)
    # [{"builder": "dotted.path", "args": {...}}]: rebuilt from ids when the letter is sent.
    attachments = models.JSONField("вложения", default=list, blank=True)
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    last_error = models.TextField("последняя ошибка", blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "письмо"
        verbose_name_plural = "письма"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
