"""The consultation desk: a librarian's questions, the thread of answers, the base of answers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association, School
from bibliomo.documents.models import Document
from bibliomo.portal.models import Post


class Topic(models.TextChoices):
    HOLDINGS = "holdings", "учёт фонда"
    ORDERING = "ordering", "ФПУ и заказ"
    WRITE_OFF = "write_off", "списание"
    EXCHANGE = "exchange", "обмен"
    DOCUMENTS = "documents", "документы"
    READERS = "readers", "работа с читателями"
    OTHER = "other", "другое"


class Question(models.Model):
    """A librarian's question: private to her, the methodist and the association head."""

    class Status(models.TextChoices):
        OPEN = "open", "ждёт ответа"
        ANSWERED = "answered", "есть ответ"
        SOLVED = "solved", "решён"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="questions", verbose_name="объединение"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name="кто спросил",
    )
    school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name="школа",
    )
    topic = models.CharField("тема", max_length=20, choices=Topic.choices)
    subject = models.CharField("вопрос кратко", max_length=200)
    text = models.TextField("вопрос")
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField("задан", default=timezone.now)
    first_answer_at = models.DateTimeField("первый ответ", null=True, blank=True)
    solved_at = models.DateTimeField("решён", null=True, blank=True)
    solution = models.ForeignKey(
        "Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ответ, который помог",
    )

    class Meta:
        verbose_name = "вопрос"
        verbose_name_plural = "вопросы"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["association", "status", "created_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.pk])


class Message(models.Model):
    """One entry of a question's thread: an answer (methodist, head) or the asker's follow-up."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="messages", verbose_name="вопрос"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="автор",
    )
    is_answer = models.BooleanField("ответ", default=False)
    text = models.TextField("текст")
    documents = models.ManyToManyField(
        Document, blank=True, related_name="+", verbose_name="документы библиотеки"
    )
    posts = models.ManyToManyField(
        Post, blank=True, related_name="+", verbose_name="новости портала"
    )
    created_at = models.DateTimeField("написано", default=timezone.now)

    class Meta:
        verbose_name = "сообщение"
        verbose_name_plural = "сообщения"
        ordering = ["question", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Attachment(models.Model):
    """A file of a question or of one message in its thread, checked like the library's."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="attachments", verbose_name="вопрос"
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name="сообщение",
    )
    file = models.FileField("файл", upload_to="consultations/%Y/%m/")
    original_name = models.CharField("имя файла", max_length=255)
    kind_code = models.CharField("формат", max_length=10)
    mime = models.CharField("тип", max_length=120)
    size = models.PositiveIntegerField("размер, байт")
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)

    class Meta:
        verbose_name = "вложение"
        verbose_name_plural = "вложения"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class AnswerTemplate(models.Model):
    """A saved reply the methodist starts an answer from."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="answer_templates"
    )
    title = models.CharField("название", max_length=200)
    topic = models.CharField("тема", max_length=20, choices=Topic.choices, blank=True)
    text = models.TextField("текст ответа")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "шаблон ответа"
        verbose_name_plural = "шаблоны ответов"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class FaqEntry(models.Model):
    """A solved question published without names or school: the base of answers (members)."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="faq_entries"
    )
    question = models.OneToOneField(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entry",
        verbose_name="исходный вопрос",
    )
    topic = models.CharField("тема", max_length=20, choices=Topic.choices)
    title = models.CharField("вопрос кратко", max_length=200)
    question_text = models.TextField("вопрос")
    answer_text = models.TextField("ответ")
    documents = models.ManyToManyField(
        Document, blank=True, related_name="+", verbose_name="документы библиотеки"
    )
    posts = models.ManyToManyField(
        Post, blank=True, related_name="+", verbose_name="новости портала"
    )
    published_at = models.DateTimeField("опубликован", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)
    # Search, as in the document library: stems for SQLite, a tsvector on PostgreSQL.
    search_stems = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "ответ в базе ответов"
        verbose_name_plural = "база ответов"
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:faq_detail", args=[self.pk])
