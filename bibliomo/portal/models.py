"""News posts of the public portal and their publishing workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association
from bibliomo.documents.models import Document
from bibliomo.plans.models import PlanActivity


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        REVIEW = "review", "на проверке"
        RETURNED = "returned", "возвращён с замечаниями"
        PUBLISHED = "published", "опубликован"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="posts", verbose_name="объединение"
    )
    title = models.CharField("заголовок", max_length=300)
    lead = models.CharField("подзаголовок (анонс)", max_length=500, blank=True)
    body = models.TextField(
        "текст",
        help_text="Разметка Markdown: ## заголовок, - список, [ссылка](https://…), "
        "![описание](адрес картинки).",
    )
    body_html = models.TextField(editable=False, blank=True)
    attachments = models.ManyToManyField(
        Document,
        blank=True,
        related_name="posts",
        verbose_name="приложенные документы",
        limit_choices_to={"audience": Document.Audience.PUBLIC},
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    activities = models.ManyToManyField(
        PlanActivity, blank=True, related_name="posts", verbose_name="строки плана"
    )
    review_comment = models.TextField("замечания", blank=True)
    publish_at = models.DateTimeField(
        "опубликовать",
        null=True,
        blank=True,
        help_text="Пусто — сразу после одобрения; дата в будущем — публикация по расписанию.",
    )
    published_at = models.DateTimeField("опубликован", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="posts",
        verbose_name="автор",
    )
    created_at = models.DateTimeField("создан", default=timezone.now)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "новость"
        verbose_name_plural = "новости"
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public_post", args=[self.pk])

    def is_visible(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
        )
