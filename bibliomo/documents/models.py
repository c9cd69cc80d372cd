"""The association's document library: documents, their file versions, links, the package."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association
from bibliomo.events.models import Event
from bibliomo.lib import ru
from bibliomo.lib.names import organisation_genitive
from bibliomo.plans.models import PlanActivity


class Document(models.Model):
    # Set on the documents of a list by documents.views (the newest version, or none).
    latest_versions: list[DocumentVersion]

    class Kind(models.TextChoices):
        FEDERAL_LAW = "federal_law", "федеральный закон"
        ORDER = "order", "приказ"
        LETTER = "letter", "письмо"
        REGULATION = "regulation", "положение"
        PROGRAMME = "programme", "программа"
        PLAN = "plan", "план"
        RECOMMENDATION = "recommendation", "методические рекомендации"
        TEMPLATE = "template", "шаблон"
        PRESENTATION = "presentation", "презентация"
        OTHER = "other", "другое"

    class Category(models.TextChoices):
        FEDERAL = "federal", "нормативно-правовые: федеральные"
        REGIONAL = "regional", "нормативно-правовые: региональные"
        MUNICIPAL = "municipal", "нормативно-правовые: муниципальные"
        ASSOCIATION = "association", "документы ММО"
        RECORDS = "records", "требования к библиотечной документации"
        METHODICAL = "methodical", "методические материалы"
        TEMPLATES = "templates", "шаблоны"

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "действует"
        REPEALED = "repealed", "утратил силу"
        DRAFT = "draft", "проект"

    class Audience(models.TextChoices):
        PUBLIC = "public", "все (публичный)"
        MEMBERS = "members", "члены ММО"
        STAFF = "staff", "только методист, руководитель, директор"

    class PortalState(models.TextChoices):
        NONE = "none", "не на портале"
        REVIEW = "review", "предложен для портала"
        RETURNED = "returned", "возвращён с замечаниями"
        PUBLISHED = "published", "опубликован на портале"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="documents", verbose_name="объединение"
    )
    title = models.CharField("название", max_length=500)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    category = models.CharField("раздел", max_length=20, choices=Category.choices)
    issuer = models.CharField("кем принят", max_length=300, blank=True)
    number = models.CharField("номер", max_length=50, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    status = models.CharField(
        "статус", max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    repealed_on = models.DateField("утратил силу с", null=True, blank=True)
    repealed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeals",
        verbose_name="каким актом отменён или заменён",
    )
    audience = models.CharField(
        "кому доступен", max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    summary = models.TextField("краткое содержание", blank=True)
    tags = models.JSONField("метки", default=list, blank=True)
    events = models.ManyToManyField(
        Event, blank=True, related_name="documents", verbose_name="мероприятия"
    )
    activities = models.ManyToManyField(
        PlanActivity, blank=True, related_name="documents", verbose_name="строки плана"
    )
    portal_state = models.CharField(
        "портал", max_length=10, choices=PortalState.choices, default=PortalState.NONE
    )
    portal_comment = models.TextField("замечания к публикации", blank=True)
    portal_published_at = models.DateTimeField("опубликован на портале", null=True, blank=True)
    # Search: stems for the SQLite fallback; a tsvector ('russian') filled on PostgreSQL.
    search_stems = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="добавил(а)",
    )
    created_at = models.DateTimeField("добавлен", default=timezone.now)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "документ"
        verbose_name_plural = "документы"
        ordering = ["-date", "title"]
        indexes = [models.Index(fields=["association", "category", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def act_line(self) -> str:
        """«Приказ Минпросвещения России от 21.09.2022 № 858», «Письмо Министерства
        образования Московской области от 02.12.2024 № Исх-18734/09»."""
        if self.kind == self.Kind.OTHER:  # no kind to name: «ММО … от 02.09.2024»
            parts = [self.issuer] if self.issuer else []
        else:  # whose act: «Приказ Комитета по образованию …»
            parts = [ru.capfirst(self.get_kind_display())]
            if self.issuer:
                parts.append(organisation_genitive(self.issuer))
        if self.date:
            parts.append(f"от {ru.format_date(self.date)}")
        if self.number:
            parts.append(f"№ {self.number}")
        return " ".join(parts)


class DocumentVersion(models.Model):
    class TextState(models.TextChoices):
        PENDING = "pending", "извлекается"
        DONE = "done", "извлечён"
        FAILED = "failed", "не удалось извлечь"
        NONE = "none", "не извлекается"

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name="документ"
    )
    number = models.PositiveSmallIntegerField("версия")
    file = models.FileField("файл", upload_to="documents/%Y/%m/")
    original_name = models.CharField("имя файла", max_length=255)
    kind_code = models.CharField("формат", max_length=10)
    mime = models.CharField("тип", max_length=120)
    size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField("контрольная сумма", max_length=64, db_index=True)
    note = models.CharField("что изменилось", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="загрузил(а)",
    )
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)
    text = models.TextField("извлечённый текст", blank=True)
    text_state = models.CharField(
        "текст", max_length=10, choices=TextState.choices, default=TextState.PENDING
    )
    text_error = models.CharField("ошибка извлечения", max_length=300, blank=True)

    class Meta:
        verbose_name = "версия файла"
        verbose_name_plural = "версии файлов"
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document}, версия {self.number}"


class DocumentLink(models.Model):
    class Kind(models.TextChoices):
        REPLACES = "replaces", "заменяет"
        AMENDS = "amends", "вносит изменения в"

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField("связь", max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = "связь документов"
        verbose_name_plural = "связи документов"
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="unique_link")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"

    @property
    def reverse_label(self) -> str:
        return {"replaces": "заменён документом", "amends": "изменён документом"}[self.kind]


class PackageItem(models.Model):
    """One line of the yearly package (пакет документов ММО) and the document fulfilling it."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="package_items"
    )
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    position = models.PositiveSmallIntegerField("порядок")
    title = models.CharField("что должно быть", max_length=300)
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="package_items",
        verbose_name="документ",
    )

    class Meta:
        verbose_name = "строка пакета документов"
        verbose_name_plural = "пакет документов"
        ordering = ["association", "academic_year", "position"]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> str:
        if self.document is None:
            return "missing"
        if self.document.status == Document.Status.REPEALED:
            return "repealed"
        if self.document.status == Document.Status.DRAFT:
            return "draft"
        return "ok"
