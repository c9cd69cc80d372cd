"""Textbooks: the federal list, each school's enrolment, lines in use and holdings, and the
monitoring campaigns that collect them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association, Building, School
from bibliomo.lib import ru

GRADE = [MinValueValidator(1), MaxValueValidator(11)]


class CatalogEntry(models.Model):
    """An entry of the federal list of textbooks (or a teaching aid outside it)."""

    class Level(models.TextChoices):
        BASIC = "basic", "базовый"
        ADVANCED = "advanced", "углублённый"

    class Status(models.TextChoices):
        LISTED = "listed", "в перечне"
        EXCLUDED = "excluded", "исключён из перечня"
        OUTSIDE = "outside", "учебное пособие (вне перечня)"

    code = models.CharField("код", max_length=40, unique=True)
    subject = models.CharField("предмет", max_length=150, db_index=True)
    title = models.CharField("название", max_length=400)
    authors = models.CharField("авторы", max_length=400, blank=True)
    grade_from = models.PositiveSmallIntegerField("класс с", validators=GRADE)
    grade_to = models.PositiveSmallIntegerField("класс по", validators=GRADE)
    publisher = models.CharField("издатель", max_length=200, blank=True)
    level = models.CharField("уровень", max_length=10, choices=Level.choices, default=Level.BASIC)
    order = models.CharField("приказ о включении", max_length=100, blank=True)
    status = models.CharField(
        "статус", max_length=10, choices=Status.choices, default=Status.LISTED
    )
    limit_date = models.DateField("предельный срок использования", null=True, blank=True)

    class Meta:
        verbose_name = "учебник федерального перечня"
        verbose_name_plural = "федеральный перечень учебников"
        ordering = ["subject", "grade_from", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def grades(self) -> str:
        if self.grade_from == self.grade_to:
            return str(self.grade_from)
        return f"{self.grade_from}–{self.grade_to}"

    def usable_on(self, day) -> bool:
        """An excluded textbook may be used only until its limit date."""
        if self.status != self.Status.EXCLUDED:
            return True
        return self.limit_date is not None and day <= self.limit_date


class Enrolment(models.Model):
    """Pupils and classes of one grade (per building where the school has several)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="enrolment")
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    academic_year = models.PositiveSmallIntegerField("учебный год")
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE)
    pupils = models.PositiveIntegerField("обучающихся")
    classes = models.PositiveSmallIntegerField("классов", default=1)

    class Meta:
        verbose_name = "контингент"
        verbose_name_plural = "контингент"
        ordering = ["school", "academic_year", "grade", "building__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "building", "academic_year", "grade"], name="one_enrolment_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school}, {self.grade} класс: {self.pupils}"


class TextbookLine(models.Model):
    """A line in use (УМК): which textbook a grade learns a subject from, for how many pupils."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="textbook_lines")
    academic_year = models.PositiveSmallIntegerField("учебный год")
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE)
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="lines")
    pupils = models.PositiveIntegerField("обучающихся")

    class Meta:
        verbose_name = "линия учебников"
        verbose_name_plural = "линии учебников (УМК)"
        ordering = ["school", "academic_year", "grade", "entry__subject", "entry__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "grade", "entry"], name="one_line_per_grade"
            )
        ]
        indexes = [models.Index(fields=["academic_year", "school", "entry"])]

    def __str__(self) -> str:
        return f"{self.school}, {self.grade} класс: {self.entry}"


class Holding(models.Model):
    """Copies of one textbook at a school, by year of purchase; the textbook fund only."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="holdings")
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="holdings")
    purchase_year = models.PositiveSmallIntegerField("год поступления")
    copies = models.PositiveIntegerField("экземпляров")
    damaged = models.PositiveIntegerField("испорчено", default=0)
    lost = models.PositiveIntegerField("утеряно", default=0)

    class Meta:
        verbose_name = "фонд учебников"
        verbose_name_plural = "фонд учебников"
        # A total order (ties broken by the code): a school's rows come back in one order on any
        # database, so its template, read back, equals what was written.
        ordering = ["school", "entry__subject", "purchase_year", "entry__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "entry", "purchase_year"], name="one_holding_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(copies__gte=models.F("damaged") + models.F("lost")),
                name="unusable_within_copies",
                violation_error_message="Испорченных и утерянных больше, чем экземпляров.",
            ),
        ]
        indexes = [models.Index(fields=["school", "entry"])]

    def __str__(self) -> str:
        return f"{self.school}: {self.entry.code} ({self.purchase_year}) — {self.copies}"

    @property
    def usable(self) -> int:
        return self.copies - self.damaged - self.lost


class WriteOff(models.Model):
    class Reason(models.TextChoices):
        LOSS = "loss", "утеря"
        DAMAGE = "damage", "порча"
        LIMIT_DATE = "limit_date", "истёк срок использования"
        OTHER = "other", "другое"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="write_offs")
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="+")
    copies = models.PositiveIntegerField("экземпляров")
    reason = models.CharField("причина", max_length=12, choices=Reason.choices)
    act_number = models.CharField("номер акта", max_length=40)
    act_date = models.DateField("дата акта")

    class Meta:
        verbose_name = "списание"
        verbose_name_plural = "списания"
        ordering = ["school", "-act_date", "act_number", "pk"]

    def __str__(self) -> str:
        return f"Акт № {self.act_number} от {ru.format_date(self.act_date)}"


class Campaign(models.Model):
    """A monitoring campaign: every school reports its data as of a date."""

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField("название", max_length=300)
    academic_year = models.PositiveSmallIntegerField("учебный год")
    as_of = models.DateField("по состоянию на")
    deadline = models.DateField("срок сдачи")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "мониторинг"
        verbose_name_plural = "мониторинги"
        ordering = ["-academic_year", "-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("textbooks:campaign", args=[self.pk])

    @property
    def academic_year_label(self) -> str:
        return ru.format_academic_year(self.academic_year)


class Submission(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "не начато"
        FILLING = "filling", "заполняется"
        SUBMITTED = "submitted", "сдано"
        RETURNED = "returned", "возвращено на доработку"
        ACCEPTED = "accepted", "принято"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="submissions")
    status = models.CharField(
        "состояние", max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    comment = models.TextField("замечания", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    # What the accepted report said, frozen on acceptance: the school's enrolment, lines, holdings
    # and write-offs as of the campaign date (rows as lists), and its provision lines are stored
    # in ProvisionLine / FrozenGrade. A later change of the school's data never changes them.
    frozen_at = models.DateTimeField("данные зафиксированы", null=True, blank=True)
    snapshot = models.JSONField("данные отчёта на дату мониторинга", default=dict, blank=True)
    # Plausibility warnings found on submit (texts), confirmed by the librarian who submitted.
    warnings = models.JSONField("предупреждения", default=list, blank=True)

    class Meta:
        verbose_name = "отчёт школы"
        verbose_name_plural = "отчёты школ"
        ordering = ["campaign", "school__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="one_submission_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.school}"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.FILLING, self.Status.RETURNED)


class ProvisionLine(models.Model):
    """A provision line of an accepted report, stored when it was accepted: whole copies of the
    line's textbook given to the grade, as `bibliomo provision` computed them on that day."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="provision_lines"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField("учебный год")
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE)
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("предмет", max_length=150)
    pupils = models.PositiveIntegerField("обучающихся")
    copies = models.PositiveIntegerField("экземпляров")

    class Meta:
        verbose_name = "строка обеспеченности принятого отчёта"
        verbose_name_plural = "обеспеченность принятых отчётов"
        indexes = [models.Index(fields=["submission", "school"])]

    def __str__(self) -> str:
        return f"{self.school_id}, {self.grade} класс, {self.entry_id}: {self.copies}/{self.pupils}"


class FrozenGrade(models.Model):
    """Pupils and classes of one grade (all buildings together) as an accepted report said."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="frozen_grades"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE)
    pupils = models.PositiveIntegerField("обучающихся")
    classes = models.PositiveSmallIntegerField("классов", default=0)

    class Meta:
        verbose_name = "контингент принятого отчёта"
        verbose_name_plural = "контингент принятых отчётов"
        constraints = [
            models.UniqueConstraint(fields=["submission", "grade"], name="one_frozen_grade")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}, {self.grade} класс: {self.pupils}"


class FrozenTotal(models.Model):
    """Totals of an accepted report, stored when it was accepted, so that a summary of many
    schools adds up a few rows per school: the whole school ("all"), each subject, each stage."""

    class Kind(models.TextChoices):
        ALL = "all", "школа"
        SUBJECT = "subject", "предмет"
        STAGE = "stage", "ступень"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="frozen_totals"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=150, blank=True)
    need = models.PositiveIntegerField(default=0)
    covered = models.PositiveIntegerField(default=0)
    shortage = models.PositiveIntegerField(default=0)
    surplus = models.PositiveIntegerField(default=0)
    copies = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    pupils = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "итог принятого отчёта"
        verbose_name_plural = "итоги принятых отчётов"
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind", "key"], name="one_frozen_total")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.kind} {self.key}: {self.covered}/{self.need}"


class CatalogueImport(models.Model):
    """A federal list uploaded for loading: kept on the server, previewed, applied on confirmation.

    The file stays here between the preview and the confirmation, so nothing about it travels
    in the session and the list is read again, from the same bytes, when it is applied.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", "проверяется"
        READY = "ready", "ждёт подтверждения"
        APPLYING = "applying", "загружается"
        APPLIED = "applied", "загружен"
        FAILED = "failed", "не загружен"
        CANCELLED = "cancelled", "отменён"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="catalogue_imports",
        verbose_name="кто загрузил",
    )
    file = models.FileField("файл", upload_to="catalogue/%Y/%m/")
    filename = models.CharField("имя файла", max_length=200)
    amendment = models.BooleanField("изменяющий приказ (без исключения)", default=False)
    full_list = models.BooleanField("полный новый перечень", default=False)
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    preview = models.JSONField("что изменится", default=dict, blank=True)
    problems = models.JSONField("ошибки в файле", default=list, blank=True)
    job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("загружен", default=timezone.now)
    applied_at = models.DateTimeField("применён", null=True, blank=True)

    class Meta:
        verbose_name = "загрузка федерального перечня"
        verbose_name_plural = "загрузки федерального перечня"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("textbooks:catalogue_preview", args=[self.pk])


class CatalogueCorrection(models.Model):
    """A methodist's proposal to correct the shared federal list; a platform operator closes it."""

    class Status(models.TextChoices):
        OPEN = "open", "на рассмотрении"
        CLOSED = "closed", "рассмотрено"

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="+", verbose_name="объединение"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="автор",
    )
    entry = models.ForeignKey(
        CatalogEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="учебник",
    )
    text = models.TextField("что исправить")
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField("ответ", blank=True)
    created_at = models.DateTimeField("предложено", default=timezone.now)
    closed_at = models.DateTimeField("рассмотрено", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто рассмотрел",
    )

    class Meta:
        verbose_name = "предложение исправить перечень"
        verbose_name_plural = "предложения исправить перечень"
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"{self.association}: {self.text[:60]}"


class DataVersion(models.Model):
    """How many times a school's textbook data (enrolment, lines, holdings, write-offs) have
    changed; `school_id` 0 counts the changes of the federal list. Kept by database triggers
    (migration 0005), so every write counts — a service, a bulk insert, an update of a queryset,
    the exchange moving copies — and stored figures know whether they are still true."""

    school_id = models.PositiveIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "версия данных школы"
        verbose_name_plural = "версии данных школ"

    def __str__(self) -> str:
        return f"{self.school_id}: {self.version}"


class LiveTotal(models.Model):
    """Totals of a school not yet accepted, computed from its current data for a campaign date
    and kept while the data stay the same (the versions they were computed from): the whole
    school ("all", always present, zeros when it has no lines), each subject, each stage — the
    rows FrozenTotal keeps for an accepted report. The summary adds these up instead of
    computing every line again."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveSmallIntegerField("учебный год")
    as_of = models.DateField("по состоянию на")
    version = models.PositiveBigIntegerField(default=0)
    catalogue_version = models.PositiveBigIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=FrozenTotal.Kind.choices)
    key = models.CharField(max_length=150, blank=True)
    need = models.PositiveIntegerField(default=0)
    covered = models.PositiveIntegerField(default=0)
    shortage = models.PositiveIntegerField(default=0)
    surplus = models.PositiveIntegerField(default=0)
    copies = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    pupils = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "итог школы по текущим данным"
        verbose_name_plural = "итоги школ по текущим данным"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "school",
                    "academic_year",
                    "as_of",
                    "version",
                    "catalogue_version",
                    "kind",
                    "key",
                ],
                name="one_live_total",
            )
        ]
        indexes = [
            # The summary asks, for every school in scope at once, whether its totals of the
            # current version are stored: the schools' "all" rows of a campaign date, together.
            models.Index(
                fields=["academic_year", "as_of", "school", "version", "catalogue_version"],
                condition=models.Q(kind="all"),
                name="live_total_all",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.kind} {self.key}: {self.covered}/{self.need}"


class StoredSummary(models.Model):
    """The summed totals of a summary (an association, a municipality, the region) for the exact
    state of its schools they were added up from: `digest` names every school's accepted report
    and data version and the federal list's version. Another state has another digest, so
    these totals are never read for data they were not made from."""

    scope = models.CharField(max_length=40)
    academic_year = models.PositiveSmallIntegerField("учебный год")
    as_of = models.DateField("по состоянию на")
    digest = models.CharField(max_length=64)
    figures = models.JSONField(default=dict)

    class Meta:
        verbose_name = "итоги сводки"
        verbose_name_plural = "итоги сводок"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "academic_year", "as_of", "digest"], name="one_stored_summary"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.academic_year} {self.as_of}"


class SummaryPage(models.Model):
    """The rendered parts of one page of a summary (its totals and one page of schools in one
    order) made from the totals of `summary`: deleted with them when the schools' state
    changes, so never shown for other figures. `key` names the page, its order and the
    templates' text."""

    summary = models.ForeignKey(StoredSummary, on_delete=models.CASCADE, related_name="pages")
    key = models.CharField(max_length=64)
    parts = models.JSONField(default=dict)

    class Meta:
        verbose_name = "страница сводки"
        verbose_name_plural = "страницы сводок"
        constraints = [models.UniqueConstraint(fields=["summary", "key"], name="one_summary_page")]

    def __str__(self) -> str:
        return f"{self.summary} {self.key}"
