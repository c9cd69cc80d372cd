"""Events of the association and everyone's part in them."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Association, Building, School
from bibliomo.lib import ru
from bibliomo.plans.models import PlanActivity


class Event(models.Model):
    class Kind(models.TextChoices):
        SEMINAR = "seminar", "семинар"
        ROUND_TABLE = "round_table", "круглый стол"
        MASTER_CLASS = "master_class", "мастер-класс"
        IDEAS_FAIR = "ideas_fair", "ярмарка идей"
        WEBINAR = "webinar", "вебинар"
        CONFERENCE = "conference", "конференция"
        MEETING = "meeting", "заседание ММО"
        GROUP_MEETING = "group_meeting", "заседание творческой группы"
        CELEBRATION = "celebration", "праздник"
        COURSE = "course", "курсы"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "очно"
        ONLINE = "online", "онлайн"
        MIXED = "mixed", "смешанный"

    class Audience(models.TextChoices):
        MEMBERS = "members", "все члены ММО"
        EARLY_CAREER = "early_career", "молодые специалисты"
        SCHOOL_STAFF = "school_staff", "сотрудники одной школы"
        PUBLIC = "public", "открытое (для всех)"

    # The kinds whose participants are given certificates as a matter of course (hours of
    # professional growth). A meeting is recorded by its minutes, a celebration by its report:
    # the methodist may still issue certificates for them, but nobody is reminded to.
    CERTIFIED_KINDS = (
        Kind.SEMINAR,
        Kind.ROUND_TABLE,
        Kind.MASTER_CLASS,
        Kind.IDEAS_FAIR,
        Kind.WEBINAR,
        Kind.CONFERENCE,
        Kind.COURSE,
    )

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        ANNOUNCED = "announced", "объявлено"
        HELD = "held", "проведено"
        CANCELLED = "cancelled", "отменено"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="events", verbose_name="объединение"
    )
    title = models.CharField("название", max_length=300)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    description = models.TextField("описание", blank=True)
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание")
    format = models.CharField(
        "формат", max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="место проведения",
    )
    room = models.CharField("аудитория", max_length=100, blank=True)
    address = models.CharField("адрес (если не здание школы)", max_length=300, blank=True)
    online_url = models.URLField("ссылка для подключения", blank=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organised_events",
        verbose_name="организаторы",
    )
    audience = models.CharField(
        "аудитория", max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    audience_school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="школа (для мероприятия одной школы)",
    )
    capacity = models.PositiveIntegerField(
        "мест", null=True, blank=True, help_text="Пусто — без ограничения."
    )
    registration_opens_at = models.DateTimeField("запись открывается", null=True, blank=True)
    registration_closes_at = models.DateTimeField("запись закрывается", null=True, blank=True)
    hours = models.DecimalField(
        "объём, ак. часов",
        max_digits=4,
        decimal_places=1,
        default=Decimal(2),
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    cancel_reason = models.TextField("причина отмены", blank=True)
    activities = models.ManyToManyField(
        PlanActivity, blank=True, related_name="events", verbose_name="строки плана работы"
    )
    sequence = models.PositiveIntegerField("версия для календарей", default=0)
    created_at = models.DateTimeField("создано", default=timezone.now)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["association", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message="Окончание не может быть раньше начала.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def keeps_minutes(self) -> bool:
        """Meetings of the association and of its working groups keep minutes."""
        return self.kind in MINUTES_KINDS

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def place(self) -> str:
        parts = []
        if self.building is not None:
            parts.append(f"{self.building.school.short_name}, {self.building.address}")
        elif self.address:
            parts.append(self.address)
        if self.room:
            parts.append(self.room)
        return ", ".join(parts)

    @property
    def when(self) -> str:
        """«24.04.2025, 10:00–13:00» or «14.10.2024 10:00 – 18.10.2024 17:00»."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        if start.date() == end.date():
            return f"{ru.format_date(start)}, {start:%H:%M}–{end:%H:%M}"
        return f"{ru.format_datetime(start)} – {ru.format_datetime(end)}"

    @property
    def expects_certificates(self) -> bool:
        return self.kind in self.CERTIFIED_KINDS

    @property
    def named(self) -> str:
        """The event as a sentence names it, from a lower-case letter: «семинар «Тема»»; a title
        that already begins with its kind, or with the kind's first word, is not named twice
        («заседание творческой группы «Мы за них в ответе»: План работы», not «заседание
        творческой группы «Заседание …»»; «ярмарка библиотечных идей», not «ярмарка идей
        «Ярмарка…»»)."""
        kind = self.get_kind_display()
        if self.title[: len(kind)].lower() == kind.lower():
            return kind + self.title[len(kind) :]
        words = self.title.split(maxsplit=1)
        if words and words[0].lower() == kind.split()[0]:
            # «Ярмарка библиотечных идей…» names its kind (ярмарка идей) in its own words.
            return self.title[0].lower() + self.title[1:]
        return f"{kind} «{self.title}»"

    @property
    def dates_text(self) -> str:
        start, end = timezone.localdate(self.starts_at), timezone.localdate(self.ends_at)
        if start == end:
            return ru.format_date(start)
        return f"{ru.format_date(start)}–{ru.format_date(end)}"

    def online_url_for(self, person) -> str:
        """The link to join online, for `person`: the people registered (not on the waiting
        list) and those who run the event's registrations get it; anyone else — "".

        The one rule for the event page, the calendar feeds and the e-mails. A feed may
        annotate `viewer_registered` to spare a query per event."""
        if not self.online_url or person is None or not person.is_authenticated:
            return ""
        registered = getattr(self, "viewer_registered", None)
        if registered is None:
            registered = self.registrations.filter(
                person=person, status=Registration.Status.REGISTERED
            ).exists()
        if registered or person.has_perm("events.manage_registrations", self):
            return self.online_url
        return ""

    def registration_state(self, now=None) -> tuple[bool, str]:
        """(open?, why not in Russian)."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return False, "Мероприятие отменено."
        if self.status == self.Status.DRAFT:
            return False, "Мероприятие ещё не объявлено."
        if self.status == self.Status.HELD or self.ends_at < now:
            return False, "Мероприятие уже прошло."
        if self.registration_opens_at and now < self.registration_opens_at:
            opens = ru.format_datetime(timezone.localtime(self.registration_opens_at))
            return False, f"Запись откроется {opens}."
        if self.registration_closes_at and now > self.registration_closes_at:
            return False, "Запись закрыта: срок регистрации истёк."
        return True, ""


class ProgrammeItem(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="programme", verbose_name="мероприятие"
    )
    position = models.PositiveSmallIntegerField("порядок")
    starts_at = models.TimeField("время", null=True, blank=True)
    topic = models.CharField("тема", max_length=400)
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name="выступающий (участник)",
    )
    speaker_name = models.CharField("выступающий (гость)", max_length=200, blank=True)
    speaker_details = models.CharField("должность, организация", max_length=300, blank=True)

    class Meta:
        verbose_name = "пункт программы"
        verbose_name_plural = "программа"
        ordering = ["event", "position"]

    def __str__(self) -> str:
        return self.topic

    @property
    def speaker_label(self) -> str:
        return self.speaker.short_name if self.speaker is not None else self.speaker_name


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", "записан(а)"
        WAITLISTED = "waitlisted", "в листе ожидания"
        CANCELLED = "cancelled", "запись отменена"

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", "не отмечено"
        ATTENDED = "attended", "присутствовал(а)"
        ABSENT = "absent", "отсутствовал(а)"
        EXCUSED = "excused", "отсутствовал(а) по уважительной причине"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name="мероприятие"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name="участник",
    )
    status = models.CharField("запись", max_length=12, choices=Status.choices)
    attendance = models.CharField(
        "посещение", max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="записал(а)",
    )
    # The waitlist moves in the order people asked; re-registering puts one at the end.
    queued_at = models.DateTimeField("в очереди с", default=timezone.now)
    created_at = models.DateTimeField("создана", default=timezone.now)
    cancelled_at = models.DateTimeField("отменена", null=True, blank=True)
    # Set when the e-mail went out, so a rerun of the reminder job never sends twice.
    reminded_at = models.DateTimeField("напоминание отправлено", null=True, blank=True)
    feedback_requested_at = models.DateTimeField("запрошен отзыв", null=True, blank=True)

    class Meta:
        verbose_name = "запись на мероприятие"
        verbose_name_plural = "записи на мероприятия"
        ordering = ["event", "queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="one_registration_per_person",
                violation_error_message="Этот человек уже записан на мероприятие.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class Material(models.Model):
    class Visibility(models.TextChoices):
        PARTICIPANTS = "participants", "участникам мероприятия"
        MEMBERS = "members", "членам ММО"
        PUBLIC = "public", "всем (на портале)"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="materials", verbose_name="мероприятие"
    )
    title = models.CharField("название", max_length=300)
    file = models.FileField("файл", upload_to="events/materials/%Y/%m/", blank=True)
    original_name = models.CharField("имя файла", max_length=255, blank=True)
    size = models.PositiveIntegerField("размер, байт", default=0)
    link = models.URLField("ссылка (запись, облако)", blank=True)
    visibility = models.CharField(
        "кому видно", max_length=15, choices=Visibility.choices, default=Visibility.PARTICIPANTS
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="добавил(а)",
    )
    uploaded_at = models.DateTimeField("добавлено", default=timezone.now)

    class Meta:
        verbose_name = "материал мероприятия"
        verbose_name_plural = "материалы мероприятий"
        ordering = ["event", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


FEEDBACK_QUESTIONS = [
    ("useful", "Насколько полезным было мероприятие?"),
    ("organisation", "Как вы оцениваете организацию?"),
    ("applicable", "Сможете ли вы применить услышанное в работе?"),
]


class Feedback(models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback", verbose_name="участие"
    )
    ratings = models.JSONField("оценки", default=dict)
    comment = models.TextField("комментарий", blank=True)
    submitted_at = models.DateTimeField("отправлено", default=timezone.now)

    class Meta:
        verbose_name = "отзыв"
        verbose_name_plural = "отзывы"

    def __str__(self) -> str:
        return f"Отзыв: {self.registration}"


class Certificate(models.Model):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", "участник"
        SPEAKER = "speaker", "выступающий"

    number = models.CharField("номер", max_length=40, unique=True)
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="certificates", verbose_name="мероприятие"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="кому",
    )
    role = models.CharField("роль", max_length=12, choices=Role.choices)
    recipient_full_name = models.CharField("ФИО (им. п.)", max_length=300)
    recipient_dative = models.CharField(
        "ФИО (дат. п.)", max_length=300, help_text="Как в тексте: «выдан Леонтьевой Эльвире…»"
    )
    talk_title = models.CharField("тема выступления", max_length=400, blank=True)
    hours = models.DecimalField("часов", max_digits=4, decimal_places=1, null=True, blank=True)
    issued_at = models.DateTimeField("выдан", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="выдал(а)",
    )

    class Meta:
        verbose_name = "сертификат"
        verbose_name_plural = "сертификаты"
        ordering = ["event", "recipient_full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person", "role"], name="one_certificate_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.number}, {self.recipient_full_name}"

    def get_verify_url(self) -> str:
        return reverse("certificate_verify", args=[self.number])


class CertificateTemplate(models.Model):
    """The wording of certificates, per association and role, adjustable by the methodist."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="certificate_templates"
    )
    role = models.CharField("роль", max_length=12, choices=Certificate.Role.choices)
    title = models.CharField("заголовок", max_length=100)
    subtitle = models.CharField("подзаголовок", max_length=100, blank=True)
    body = models.TextField("текст")
    signatures = models.JSONField("подписи", default=list)
    place_and_year = models.CharField("место", max_length=100, blank=True)

    class Meta:
        verbose_name = "шаблон сертификата"
        verbose_name_plural = "шаблоны сертификатов"
        constraints = [
            models.UniqueConstraint(fields=["association", "role"], name="one_template_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.subtitle}"


class Minutes(models.Model):
    """The minutes (протокол) of a meeting of the association."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="minutes", verbose_name="заседание"
    )
    number = models.CharField("номер протокола", max_length=20)
    chair = models.CharField("председатель", max_length=200)
    secretary = models.CharField("секретарь", max_length=200)
    invited = models.TextField("приглашённые (каждый с новой строки)", blank=True)

    class Meta:
        verbose_name = "протокол"
        verbose_name_plural = "протоколы"

    def __str__(self) -> str:
        return f"Протокол № {self.number}"


class AgendaItem(models.Model):
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="items", verbose_name="протокол"
    )
    position = models.PositiveSmallIntegerField("порядок")
    title = models.CharField("вопрос повестки", max_length=400)
    speaker = models.CharField("докладчик", max_length=200, blank=True)
    heard = models.TextField("слушали", blank=True)
    spoke = models.TextField("выступили", blank=True)
    decided = models.TextField("решили", blank=True)

    class Meta:
        verbose_name = "вопрос повестки"
        verbose_name_plural = "повестка"
        ordering = ["minutes", "position"]

    def __str__(self) -> str:
        return self.title


def _calendar_token() -> str:
    return secrets.token_urlsafe(24)


class ParticipantSettings(models.Model):
    """A person's event settings: the secret of her calendar feed, reminders on or off."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_settings"
    )
    calendar_token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    reminders = models.BooleanField("напоминать о мероприятиях накануне", default=True)

    class Meta:
        verbose_name = "настройки участника"
        verbose_name_plural = "настройки участников"

    def __str__(self) -> str:
        return str(self.person)


MINUTES_KINDS = frozenset({Event.Kind.MEETING, Event.Kind.GROUP_MEETING})


def _guest_token() -> str:
    return secrets.token_urlsafe(24)


class Guest(models.Model):
    """Someone from outside the association at an open event (as pretix and Indico allow):
    no account — a name, an e-mail, an organisation and consent to the processing of personal
    data. Takes a place under the same capacity and waitlist as members' registrations; the
    letter carries a link (the token) to see or cancel the registration."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="guests", verbose_name="мероприятие"
    )
    full_name = models.CharField("ФИО", max_length=200)
    email = models.EmailField("e-mail")
    organisation = models.CharField("организация", max_length=300)
    consent_at = models.DateTimeField("согласие на обработку персональных данных")
    status = models.CharField("запись", max_length=12, choices=Registration.Status.choices)
    token = models.CharField(max_length=64, unique=True, default=_guest_token, editable=False)
    queued_at = models.DateTimeField("в очереди с", default=timezone.now)
    created_at = models.DateTimeField("создана", default=timezone.now)
    cancelled_at = models.DateTimeField("отменена", null=True, blank=True)

    class Meta:
        verbose_name = "гость мероприятия"
        verbose_name_plural = "гости мероприятий"
        ordering = ["event", "queued_at", "pk"]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.full_name} (гость) — {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("guest", args=[self.token])
