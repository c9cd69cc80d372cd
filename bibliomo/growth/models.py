"""Each librarian's professional growth: courses and other learning outside Bibliomo, the
qualification category, the individual route (ИОМ) for the year. Bibliomo's own events are not
stored here: attendance and certificates are read from `events`."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association
from bibliomo.events.models import Event
from bibliomo.lib import ru


class Category(models.TextChoices):
    NONE = "none", "без категории"
    CONFORMITY = "conformity", "соответствие занимаемой должности"
    FIRST = "first", "первая квалификационная категория"
    HIGHEST = "highest", "высшая квалификационная категория"


class GrowthCard(models.Model):
    """The qualification category of a person and its dates (one card per person)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="growth_card"
    )
    category = models.CharField(
        "квалификационная категория", max_length=12, choices=Category.choices, default="none"
    )
    category_assigned_on = models.DateField("присвоена", null=True, blank=True)
    category_valid_until = models.DateField("действует до", null=True, blank=True)
    category_order = models.CharField("приказ (номер, дата)", max_length=200, blank=True)

    class Meta:
        verbose_name = "карточка профессионального роста"
        verbose_name_plural = "карточки профессионального роста"

    def __str__(self) -> str:
        return f"{self.person}: {self.get_category_display()}"


class Learning(models.Model):
    """A course of qualification upgrade, a webinar, a conference or a master class outside
    Bibliomo. A course counts once the methodist has confirmed it against its certificate."""

    class Kind(models.TextChoices):
        COURSE = "course", "курсы повышения квалификации"
        WEBINAR = "webinar", "вебинар"
        CONFERENCE = "conference", "конференция"
        MASTER_CLASS = "master_class", "мастер-класс"
        OTHER = "other", "другое обучение"

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="learning", verbose_name="объединение"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning",
        verbose_name="кто обучался",
    )
    kind = models.CharField("вид", max_length=15, choices=Kind.choices)
    title = models.CharField("название (тема)", max_length=400)
    organiser = models.CharField("организатор", max_length=300, blank=True)
    hours = models.DecimalField(
        "объём, ак. часов",
        max_digits=5,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    link = models.URLField("ссылка", blank=True)
    certificate_number = models.CharField(
        "номер удостоверения (сертификата)", max_length=100, blank=True
    )
    certificate = models.FileField("удостоверение (сертификат)", upload_to="growth/%Y/", blank=True)
    certificate_name = models.CharField("имя файла", max_length=255, blank=True)
    certificate_kind = models.CharField("формат", max_length=10, blank=True)
    confirmed_at = models.DateTimeField("подтверждено", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="подтвердил(а)",
    )
    return_comment = models.TextField("замечания методиста", blank=True)
    created_at = models.DateTimeField("внесено", default=timezone.now)

    class Meta:
        verbose_name = "обучение"
        verbose_name_plural = "обучение вне Bibliomo"
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["association", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="learning_ends_after_start",
                violation_error_message="Окончание не может быть раньше начала.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_course(self) -> bool:
        return self.kind == self.Kind.COURSE

    @property
    def counts(self) -> bool:
        """Its hours count: a course once confirmed, anything else as recorded."""
        return not self.is_course or self.confirmed_at is not None

    @property
    def dates_text(self) -> str:
        if self.starts_on == self.ends_on:
            return ru.format_date(self.starts_on)
        return f"{ru.format_date(self.starts_on)}–{ru.format_date(self.ends_on)}"


class Route(models.Model):
    """The individual educational route (ИОМ) of a librarian for one academic year."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="routes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routes"
    )
    academic_year = models.PositiveSmallIntegerField("учебный год (год начала)")
    goal = models.TextField("что хочу освоить")

    class Meta:
        verbose_name = "индивидуальный образовательный маршрут"
        verbose_name_plural = "индивидуальные образовательные маршруты"
        constraints = [
            models.UniqueConstraint(fields=["person", "academic_year"], name="one_route_a_year")
        ]

    def __str__(self) -> str:
        return f"ИОМ {self.person} на {self.academic_year_label}"

    def get_absolute_url(self) -> str:
        return reverse("growth:route", args=[self.person_id]) + f"?year={self.academic_year}"

    @property
    def academic_year_label(self) -> str:
        return ru.format_academic_year(self.academic_year)


class RouteStep(models.Model):
    """A step of the route. A step that is a Bibliomo event closes itself when she attends."""

    class Kind(models.TextChoices):
        EVENT = "event", "мероприятие ММО"
        COURSE = "course", "курсы"
        SELF_STUDY = "self_study", "самообразование"

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("вид", max_length=12, choices=Kind.choices)
    title = models.CharField("что сделать", max_length=400)
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="мероприятие в Bibliomo",
    )
    due_on = models.DateField("срок")
    done_on = models.DateField("выполнено", null=True, blank=True)

    class Meta:
        verbose_name = "шаг маршрута"
        verbose_name_plural = "шаги маршрута"
        ordering = ["route", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title
