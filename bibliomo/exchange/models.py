"""The exchange of textbooks between schools and the order for next year.

An exchange plan is built from an accepted monitoring campaign: its pool holds what each school
offers and asks for, the solver proposes shipments (one per ordered pair of schools), the
methodist publishes them, and each shipment then goes its own way — agreed by both schools,
shipped, received (holdings move), returned at the end of the year.

An order forecasts next year's pupils from the cohorts and turns what the schools will lack
into order lines, which each librarian reviews and submits and the methodist consolidates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association, School
from bibliomo.lib import ru
from bibliomo.textbooks.models import GRADE, Campaign, CatalogEntry

USER = settings.AUTH_USER_MODEL


def end_of_academic_year(start: int) -> date:
    """Temporary use lasts the school year: books come back by the end of May."""
    return date(start + 1, 5, 31)


class ExchangePlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        PUBLISHED = "published", "опубликован"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="exchange_plans"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="exchange_plans")
    name = models.CharField("название", max_length=300)
    academic_year = models.PositiveSmallIntegerField("учебный год")
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    reserve_percent = models.PositiveSmallIntegerField(
        "резерв школы, %",
        default=3,
        validators=[MaxValueValidator(50)],
        help_text="Сколько экземпляров сверх числа учеников школа оставляет себе.",
    )
    return_date = models.DateField("вернуть до")
    min_batch = models.PositiveSmallIntegerField(
        "минимальная партия",
        default=0,
        help_text="Не возить меньше N экземпляров одного учебника, если это не вся нехватка "
        "школы. 0 — без ограничения.",
    )
    max_shipments = models.PositiveIntegerField(
        "не больше перевозок", null=True, blank=True, help_text="Пусто — без ограничения."
    )
    time_limit = models.PositiveSmallIntegerField(
        "время на расчёт, с", default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    seed = models.PositiveIntegerField("зерно расчёта", default=0)
    # What the last calculation found.
    solved_at = models.DateTimeField("рассчитан", null=True, blank=True)
    covered = models.PositiveIntegerField("перемещается экземпляров", default=0)
    coverable = models.PositiveIntegerField("можно покрыть", default=0)
    shortage_total = models.PositiveIntegerField("нехватка всего", default=0)
    lower_bound = models.PositiveIntegerField("нижняя граница перевозок", default=0)
    tradeoff = models.JSONField("перевозки и экземпляры", default=list, blank=True)
    baselines = models.JSONField("сравнение с ручными способами", default=dict, blank=True)
    warnings = models.JSONField("предупреждения", default=list, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField("опубликован", null=True, blank=True)

    class Meta:
        verbose_name = "план обмена учебниками"
        verbose_name_plural = "планы обмена учебниками"
        ordering = ["-academic_year", "-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exchange:plan", args=[self.pk])

    @property
    def academic_year_label(self) -> str:
        return ru.format_academic_year(self.academic_year)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Participant(models.Model):
    """A school taking part in an exchange plan, with the reserve it keeps for itself."""

    plan = models.ForeignKey(ExchangePlan, on_delete=models.CASCADE, related_name="participants")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    reserve_percent = models.PositiveSmallIntegerField(
        "резерв, %", default=3, validators=[MaxValueValidator(50)]
    )

    class Meta:
        verbose_name = "участник обмена"
        verbose_name_plural = "участники обмена"
        ordering = ["plan", "school__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "school"], name="one_participant_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.school}"


class PoolLine(models.Model):
    """What one school offers or asks for of one textbook."""

    class Kind(models.TextChoices):
        OFFER = "offer", "отдаёт"
        REQUEST = "request", "просит"

    plan = models.ForeignKey(ExchangePlan, on_delete=models.CASCADE, related_name="pool")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("вид", max_length=8, choices=Kind.choices)
    computed = models.PositiveIntegerField("по данным мониторинга", default=0)
    copies = models.PositiveIntegerField("экземпляров")
    reason = models.CharField("причина изменения", max_length=300, blank=True)
    changed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "позиция обменного фонда"
        verbose_name_plural = "обменный фонд"
        ordering = ["school__sort_name", "entry__subject", "entry__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "school", "entry", "kind"], name="one_pool_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_kind_display()} {self.entry.code} — {self.copies}"

    @property
    def adjusted(self) -> bool:
        return self.copies != self.computed


class Shipment(models.Model):
    """One trip from a sending school to a receiving school, with every title it carries."""

    class Status(models.TextChoices):
        DRAFT = "draft", "в проекте плана"
        PROPOSED = "proposed", "предложена"
        SENDER_AGREED = "sender_agreed", "согласована передающей школой"
        AGREED = "agreed", "согласована обеими школами"
        SHIPPED = "shipped", "отправлена"
        RECEIVED = "received", "получена"
        RETURN_SHIPPED = "return_shipped", "возврат отправлен"
        RETURNED = "returned", "возвращена"
        DECLINED = "declined", "отклонена"

    # The books are at the receiving school until they are taken back.
    ON_LOAN = (Status.RECEIVED, Status.RETURN_SHIPPED)

    plan = models.ForeignKey(ExchangePlan, on_delete=models.CASCADE, related_name="shipments")
    number = models.PositiveIntegerField("номер", default=0)
    source = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    km = models.FloatField("расстояние, км", default=0)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    return_date = models.DateField("вернуть до")
    source_agreed_at = models.DateTimeField(null=True, blank=True)
    target_agreed_at = models.DateTimeField(null=True, blank=True)
    shipped_on = models.DateField("отправлена", null=True, blank=True)
    received_on = models.DateField("получена", null=True, blank=True)
    return_shipped_on = models.DateField("возврат отправлен", null=True, blank=True)
    returned_on = models.DateField("возвращена", null=True, blank=True)
    declined_reason = models.CharField("причина отказа", max_length=300, blank=True)
    discrepancy = models.TextField("расхождения", blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "перевозка"
        verbose_name_plural = "перевозки"
        ordering = ["plan", "number", "source__sort_name", "target__sort_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "source", "target"], name="one_shipment_per_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="shipment_between_two_schools"
            ),
        ]

    def __str__(self) -> str:
        return f"Перевозка № {self.number}: {self.source} → {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:shipment", args=[self.pk])

    @property
    def copies(self) -> int:
        return sum(line.copies for line in self.lines.all())

    @property
    def out_on_loan(self) -> bool:
        return self.status in self.ON_LOAN

    def available_steps(self, person) -> list:
        """The workflow steps (`exchange.workflow.STEPS`) this person may take now."""
        from bibliomo.exchange.workflow import available_steps

        return available_steps(self, person)

    def is_overdue(self, today: date | None = None) -> bool:
        """Past the return date and not sent back: a return on its way is not overdue."""
        return self.status == self.Status.RECEIVED and self.return_date < (
            today or timezone.localdate()
        )


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="+")
    copies = models.PositiveIntegerField("по плану")
    shipped = models.PositiveIntegerField("отправлено", null=True, blank=True)
    received = models.PositiveIntegerField("получено", null=True, blank=True)
    damaged = models.PositiveIntegerField("из них повреждено", default=0)
    return_shipped = models.PositiveIntegerField("отправлено обратно", null=True, blank=True)
    returned = models.PositiveIntegerField("возвращено", null=True, blank=True)

    # Not stored: what the shipment page pre-fills in this line's inputs for the step at hand.
    step_values: dict[str, int | None]

    class Meta:
        verbose_name = "строка перевозки"
        verbose_name_plural = "строки перевозки"
        ordering = ["shipment", "entry__subject", "entry__code"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "entry"], name="one_line_per_title")
        ]

    def __str__(self) -> str:
        return f"{self.entry.code}: {self.copies}"

    @property
    def shortfall(self) -> int:
        if self.shipped is None or self.received is None:
            return 0
        return self.shipped - self.received


class HoldingMove(models.Model):
    """Copies that moved between two schools' holdings, by year of purchase, to undo on return."""

    class Direction(models.TextChoices):
        OUT = "out", "передача"
        BACK = "back", "возврат"

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="moves")
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    purchase_year = models.PositiveSmallIntegerField("год поступления")
    left = models.PositiveIntegerField("ушло из фонда")
    arrived = models.PositiveIntegerField("пришло в фонд")
    damaged = models.PositiveIntegerField("из них повреждено", default=0)
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["shipment", "moved_at", "entry_id", "purchase_year"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.entry_id} ({self.purchase_year})"


class Order(models.Model):
    """The order of textbooks for next year, computed from a monitoring campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик: школы проверяют"
        CONSOLIDATED = "consolidated", "сводный заказ сформирован"

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="orders")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="orders")
    academic_year = models.PositiveSmallIntegerField("на учебный год")
    status = models.CharField(
        "состояние", max_length=14, choices=Status.choices, default=Status.DRAFT
    )
    retention = models.DecimalField(
        "коэффициент сохранности контингента",
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[
            MinValueValidator(Decimal("0.5"), "Коэффициент — не меньше 0,5."),
            MaxValueValidator(Decimal("1.5"), "Коэффициент — не больше 1,5."),
        ],
        help_text="1,00 — класс переходит целиком; 0,97 — уходит 3 % учеников.",
    )
    service_years = models.PositiveSmallIntegerField(
        "срок службы учебника, лет", default=4, validators=[MinValueValidator(1)]
    )
    deadline = models.DateField("школы проверяют до")
    use_exchange = models.BooleanField("учитывать обмен между школами", default=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    consolidated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "заказ учебников"
        verbose_name_plural = "заказы учебников"
        ordering = ["-academic_year", "-created_at"]

    def __str__(self) -> str:
        return f"Заказ учебников на {self.academic_year_label} учебный год"

    def get_absolute_url(self) -> str:
        return reverse("exchange:order", args=[self.pk])

    @property
    def academic_year_label(self) -> str:
        return ru.format_academic_year(self.academic_year)


class SchoolOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "проверяется школой"
        SUBMITTED = "submitted", "сдан"
        RETURNED = "returned", "возвращён на доработку"
        ACCEPTED = "accepted", "принят"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="schools")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    intake = models.PositiveIntegerField(
        "набор в 1 класс", null=True, blank=True, help_text="Пусто — среднее за прошлые годы."
    )
    comment = models.TextField("замечания", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "заказ школы"
        verbose_name_plural = "заказы школ"
        ordering = ["order", "school__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["order", "school"], name="one_order_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.school}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:school_order", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class OrderLine(models.Model):
    """School × grade × subject: the forecast, what is there, what to order and why."""

    class Reason(models.TextChoices):
        MORE_PUPILS = "more_pupils", "больше учеников"
        WEAR = "wear", "износ (истёк срок службы)"
        LOSS = "loss", "утеря"
        DAMAGE = "damage", "порча"
        LIMIT_DATE = "limit_date", "истекает предельный срок использования"
        NEW_LINE = "new_line", "выбрана новая линия"
        OTHER = "other", "другое"

    school_order = models.ForeignKey(SchoolOrder, on_delete=models.CASCADE, related_name="lines")
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE)
    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="+")
    previous_entry = models.ForeignKey(
        CatalogEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pupils_now = models.PositiveIntegerField("учеников в этом году", default=0)
    forecast = models.PositiveIntegerField("прогноз учеников")
    usable = models.PositiveIntegerField("годных экземпляров на следующий год", default=0)
    worn = models.PositiveIntegerField("выбывает по износу", default=0)
    expiring = models.PositiveIntegerField("выбывает по предельному сроку", default=0)
    lost = models.PositiveIntegerField("утеряно и испорчено", default=0)
    from_exchange = models.PositiveIntegerField("ожидается по обмену", default=0)
    need = models.PositiveIntegerField("потребность")
    copies = models.PositiveIntegerField("заказать")
    reasons = models.JSONField("причины", default=list, blank=True)
    note = models.CharField("примечание", max_length=300, blank=True)

    class Meta:
        verbose_name = "строка заказа"
        verbose_name_plural = "строки заказа"
        ordering = ["school_order", "grade", "entry__subject", "entry__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_order", "grade", "entry"], name="one_order_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grade} класс, {self.entry.code}: {self.copies}"

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        return [labels.get(code, code) for code in self.reasons]
