"""Working groups («творческая группа „Мы за них в ответе“»): members from several schools,
their meetings, tasks and what they made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association
from bibliomo.documents.models import Document
from bibliomo.events.models import Event
from bibliomo.portal.models import Post


class WorkingGroup(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="working_groups"
    )
    name = models.CharField("название", max_length=300)
    goal = models.TextField("цель")
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="headed_groups",
        verbose_name="руководитель группы",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="working_groups", verbose_name="участники"
    )
    meetings = models.ManyToManyField(
        Event, blank=True, related_name="working_groups", verbose_name="заседания"
    )
    documents = models.ManyToManyField(
        Document, blank=True, related_name="working_groups", verbose_name="документы группы"
    )
    posts = models.ManyToManyField(
        Post, blank=True, related_name="working_groups", verbose_name="публикации группы"
    )
    created_at = models.DateTimeField("создана", default=timezone.now)

    class Meta:
        verbose_name = "творческая группа"
        verbose_name_plural = "творческие группы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", args=[self.pk])


class Task(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("задача", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="group_tasks",
        verbose_name="ответственный",
    )
    due_on = models.DateField("срок")
    done_on = models.DateField("выполнена", null=True, blank=True)

    class Meta:
        verbose_name = "задача группы"
        verbose_name_plural = "задачи групп"
        ordering = ["done_on", "due_on"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())
