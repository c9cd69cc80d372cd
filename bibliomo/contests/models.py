"""Contests of the association: the regulation's terms, entries, the jury and its score sheets."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association, School


class Contest(models.Model):
    class Audience(models.TextChoices):
        LIBRARIANS = "librarians", "педагоги-библиотекари"
        PUPILS = "pupils", "обучающиеся (через педагога-библиотекаря)"
        TEAMS = "teams", "команды"

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        OPEN = "open", "приём заявок"
        CLOSED = "closed", "приём заявок закрыт, идёт оценка"
        FINISHED = "finished", "итоги подведены"

    class Aggregation(models.TextChoices):
        MEAN = "mean", "среднее по членам жюри"
        MEDIAN = "median", "медиана по членам жюри"

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="contests", verbose_name="объединение"
    )
    title = models.CharField("название", max_length=300)
    goals = models.TextField("цели и задачи", blank=True)
    regulation = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name="положение (документ библиотеки)",
    )
    audience = models.CharField(
        "кто участвует", max_length=12, choices=Audience.choices, default=Audience.LIBRARIANS
    )
    age_groups = models.TextField("возрастные группы (каждая с новой строки)", blank=True)
    entry_terms = models.TextField(
        "из чего состоит работа", blank=True, help_text="Поля и файлы, как в положении."
    )
    file_types = models.CharField(
        "типы файла работы",
        max_length=100,
        default="pdf, docx, pptx, jpeg, png",
        help_text="Через запятую: pdf, docx, doc, rtf, odt, pptx, ppt, odp, jpeg, png, txt.",
    )
    max_file_mb = models.PositiveSmallIntegerField("наибольший размер файла, МБ", default=20)
    applications_open = models.DateField("приём заявок с")
    applications_close = models.DateField("приём заявок до (включительно)")
    judging_until = models.DateField("оценка до")
    results_on = models.DateField("подведение итогов")
    blind = models.BooleanField(
        "слепая оценка", default=False, help_text="Жюри не видит ни автора, ни школу."
    )
    aggregation = models.CharField(
        "итог по жюри", max_length=8, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    scores_after_own = models.BooleanField(
        "оценки других членов жюри видны после своей", default=True
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    results_public = models.BooleanField("итоги опубликованы", default=False)
    results_published_at = models.DateTimeField("итоги опубликованы", null=True, blank=True)
    conclusions = models.TextField("выводы аналитической справки", blank=True)
    created_at = models.DateTimeField("создан", default=timezone.now)

    class Meta:
        verbose_name = "конкурс"
        verbose_name_plural = "конкурсы"
        ordering = ["-applications_open", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:detail", args=[self.pk])

    @property
    def academic_year(self) -> int:
        day = self.applications_open
        return day.year if day.month >= 9 else day.year - 1

    @property
    def file_type_list(self) -> list[str]:
        return [t.strip().lower().lstrip(".") for t in self.file_types.split(",") if t.strip()]

    @property
    def age_group_list(self) -> list[str]:
        return [line.strip() for line in self.age_groups.splitlines() if line.strip()]

    def accepts_entries(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.OPEN
            and self.applications_open <= today <= self.applications_close
        )


class Category(models.Model):
    """A nomination of the contest (номинация)."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="categories", verbose_name="конкурс"
    )
    position = models.PositiveSmallIntegerField("порядок", default=1)
    name = models.CharField("номинация", max_length=300)

    class Meta:
        verbose_name = "номинация"
        verbose_name_plural = "номинации"
        ordering = ["contest", "position"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    class Form(models.TextChoices):
        CORRESPONDENCE = "correspondence", "заочный"
        IN_PERSON = "in_person", "очный"

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="rounds", verbose_name="конкурс"
    )
    position = models.PositiveSmallIntegerField("порядок", default=1)
    name = models.CharField("этап", max_length=200)
    form = models.CharField("форма", max_length=16, choices=Form.choices)
    passes = models.PositiveSmallIntegerField(
        "проходят дальше (в каждой номинации)", null=True, blank=True
    )

    class Meta:
        verbose_name = "этап"
        verbose_name_plural = "этапы"
        ordering = ["contest", "position"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="criteria", verbose_name="конкурс"
    )
    position = models.PositiveSmallIntegerField("порядок", default=1)
    title = models.CharField("критерий", max_length=300)
    max_points = models.PositiveSmallIntegerField("максимум баллов")
    weight = models.DecimalField("вес", max_digits=4, decimal_places=2, default=Decimal("1"))
    # Captions of points, {"0": "не раскрыто", "3": "раскрыто полностью"}.
    captions = models.JSONField("пояснения к баллам", default=dict, blank=True)

    class Meta:
        verbose_name = "критерий"
        verbose_name_plural = "критерии"
        ordering = ["contest", "position"]

    def __str__(self) -> str:
        return self.title

    def point_choices(self) -> list[tuple[int, str]]:
        return [
            (n, f"{n} — {self.captions[str(n)]}" if str(n) in self.captions else str(n))
            for n in range(self.max_points + 1)
        ]


class Entry(models.Model):
    """A work submitted to the contest by a school's librarian (hers or her pupils')."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "подана"
        RETURNED = "returned", "возвращена на исправление"
        WITHDRAWN = "withdrawn", "отозвана"

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="entries", verbose_name="конкурс"
    )
    number = models.PositiveIntegerField("номер работы")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="entries", verbose_name="номинация"
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="contest_entries", verbose_name="школа"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contest_entries",
        verbose_name="подал(а)",
    )
    title = models.CharField("название работы", max_length=300)
    description = models.TextField("описание", blank=True)
    authors = models.CharField(
        "автор(ы)", max_length=400, help_text="ФИО; для команды — через запятую."
    )
    age_group = models.CharField("возрастная группа", max_length=100, blank=True)
    is_pupils = models.BooleanField("работа обучающихся", default=False)
    parent_consent = models.BooleanField(
        "согласие родителей (законных представителей) на обработку персональных данных получено",
        default=False,
    )
    publish_names = models.BooleanField(
        "родители согласны на публикацию имени в итогах", default=False
    )
    file = models.FileField("файл работы", upload_to="contests/%Y/%m/", blank=True)
    original_name = models.CharField("имя файла", max_length=255, blank=True)
    size = models.PositiveIntegerField("размер, байт", default=0)
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    return_comment = models.TextField("замечания организатора", blank=True)
    place = models.PositiveSmallIntegerField("место", null=True, blank=True)
    submitted_at = models.DateTimeField("подана", default=timezone.now)
    updated_at = models.DateTimeField("изменена", default=timezone.now)

    class Meta:
        verbose_name = "работа"
        verbose_name_plural = "работы"
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="one_number_per_entry")
        ]

    def __str__(self) -> str:
        return f"Работа № {self.number}"

    @property
    def code(self) -> str:
        return f"Работа № {self.number}"

    @property
    def place_title(self) -> str:
        return {1: "победитель (I место)", 2: "призёр (II место)", 3: "призёр (III место)"}.get(
            self.place or 0, ""
        )


class Juror(models.Model):
    """A member of the contest's jury: the juror role, scoped to one contest."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="jurors", verbose_name="конкурс"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="juries",
        verbose_name="член жюри",
    )
    # An invited outsider's seat waits for her to accept the invitation (then `person` is set).
    invitation = models.ForeignKey(
        "directory.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jury_seats",
        verbose_name="приглашение",
    )
    is_chair = models.BooleanField("председатель жюри", default=False)
    added_at = models.DateTimeField("включён(а)", default=timezone.now)

    class Meta:
        verbose_name = "член жюри"
        verbose_name_plural = "жюри"
        ordering = ["contest", "-is_chair", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "person"], name="one_seat_per_juror")
        ]

    def __str__(self) -> str:
        if self.person is None and self.invitation is not None:
            return f"{self.invitation.full_name} (приглашение)"
        return str(self.person)


class Sheet(models.Model):
    """One juror's score sheet for one entry (an assignment until submitted)."""

    juror = models.ForeignKey(
        Juror, on_delete=models.CASCADE, related_name="sheets", verbose_name="член жюри"
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="sheets", verbose_name="работа"
    )
    comment = models.TextField("комментарий", blank=True)
    conflict = models.TextField("конфликт интересов (самоотвод)", blank=True)
    submitted_at = models.DateTimeField("оценка сдана", null=True, blank=True)

    class Meta:
        verbose_name = "оценочный лист"
        verbose_name_plural = "оценочные листы"
        ordering = ["entry__number", "juror"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "entry"], name="one_sheet_per_juror_entry")
        ]

    def __str__(self) -> str:
        return f"{self.entry}: {self.juror}"


class Score(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.PositiveSmallIntegerField("баллы")

    class Meta:
        verbose_name = "балл"
        verbose_name_plural = "баллы"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class RoundDecision(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="decisions")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="decisions")
    passes = models.BooleanField("проходит дальше")

    class Meta:
        verbose_name = "решение по этапу"
        verbose_name_plural = "решения по этапам"
        constraints = [
            models.UniqueConstraint(fields=["entry", "round"], name="one_decision_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round}: {'проходит' if self.passes else 'не проходит'}"


class ExternalEvent(models.Model):
    """A conference, forum or outside contest the members took part in (for the note)."""

    class Level(models.TextChoices):
        MUNICIPAL = "municipal", "муниципальный"
        REGIONAL = "regional", "региональный"
        FEDERAL = "federal", "всероссийский"
        INTERNATIONAL = "international", "международный"

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="external_events"
    )
    title = models.CharField("название", max_length=300)
    kind = models.CharField("вид (конференция, форум, конкурс)", max_length=100)
    level = models.CharField("уровень", max_length=14, choices=Level.choices)
    held_on = models.DateField("дата")
    participants = models.PositiveIntegerField("участников от ММО", default=0)
    results = models.TextField("результаты", blank=True)

    class Meta:
        verbose_name = "внешнее мероприятие"
        verbose_name_plural = "конференции и форумы"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    """A diploma or certificate of the contest, printed by the certificate engine and checked
    on the same public page as events' certificates (`/verify/<number>/`)."""

    class Kind(models.TextChoices):
        WINNER = "winner", "диплом победителя"
        PRIZE_WINNER = "prize_winner", "диплом призёра"
        PARTICIPANT = "participant", "сертификат участника"
        JUROR = "juror", "сертификат члена жюри"

    number = models.CharField("номер", max_length=40, unique=True)
    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="awards", verbose_name="конкурс"
    )
    kind = models.CharField("вид", max_length=14, choices=Kind.choices)
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    juror = models.ForeignKey(
        Juror, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    recipient_full_name = models.CharField("кому (им. п.)", max_length=400)
    recipient_dative = models.CharField("кому (дат. п.)", max_length=400)
    category = models.CharField("номинация", max_length=300, blank=True)
    place = models.PositiveSmallIntegerField("место", null=True, blank=True)
    issued_at = models.DateTimeField("выдан", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "диплом или сертификат конкурса"
        verbose_name_plural = "дипломы и сертификаты конкурсов"
        ordering = ["contest", "kind", "recipient_full_name"]

    def __str__(self) -> str:
        return f"№ {self.number}, {self.recipient_full_name}"

    def get_verify_url(self) -> str:
        return reverse("certificate_verify", args=[self.number])
