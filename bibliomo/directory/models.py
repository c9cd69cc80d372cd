"""The directory: municipalities, the association, its schools with buildings, people and roles."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from bibliomo.lib import ru


class Municipality(models.Model):
    name = models.CharField("название", max_length=200, unique=True)
    region = models.CharField("субъект РФ", max_length=200, blank=True)

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


DEFAULT_CONSENT_TEXT = """\
Я даю согласие методическому объединению школьных библиотекарей (далее — объединение) на обработку \
моих персональных данных в информационной системе Bibliomo в соответствии с Федеральным законом \
от 27.07.2006 № 152-ФЗ «О персональных данных».

Данные: фамилия, имя, отчество; e-mail; телефон; должность и место работы (школа); роли в \
объединении; участие в мероприятиях (запись, посещение, выступления, отзывы), выданные \
сертификаты; материалы и документы, которые я загружаю; журнал моих действий в системе.

Цель: организация работы объединения — план работы, мероприятия и учёт повышения квалификации, \
сертификаты, мониторинг обеспеченности учебниками и обмен между школами, рассылка писем по этим \
вопросам.

Действия: сбор, запись, систематизация, хранение, уточнение, использование, передача (только \
руководителю объединения и директору методического центра в пределах их работы), обезличивание, \
удаление. Фамилия, имя, отчество и школа могут указываться в опубликованных материалах \
мероприятий и в сертификатах.

Согласие действует, пока я участвую в работе объединения, и 3 года после этого; я могу отозвать \
его, попросив удалить мои данные в разделе «Мой профиль» или письмом методисту. После отзыва \
мои данные обезличиваются, а сведения о мероприятиях сохраняются без имени."""


class Association(models.Model):
    """The municipal methodological association (ММО) of school librarians."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="associations",
        verbose_name="муниципалитет",
    )
    name = models.CharField("полное название", max_length=300)
    short_name = models.CharField("краткое название", max_length=120)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("телефон", max_length=40, blank=True)
    address = models.CharField("адрес", max_length=300, blank=True)
    methodological_centre = models.CharField(
        "методический центр",
        max_length=200,
        blank=True,
        help_text="Например, «МОУ ДПО УМЦ»: организация, директор которой утверждает план.",
    )
    # Personal data (152-ФЗ): what a person accepts before working in the system. Each change
    # bumps the version, and everyone is asked again; an empty text turns the request off
    # (consent collected on paper).
    consent_text = models.TextField(
        "текст согласия на обработку персональных данных",
        blank=True,
        default=DEFAULT_CONSENT_TEXT,
    )
    consent_version = models.PositiveIntegerField("редакция текста согласия", default=1)
    consent_changed_at = models.DateTimeField("текст согласия изменён", null=True, blank=True)

    class Meta:
        verbose_name = "методическое объединение"
        verbose_name_plural = "методические объединения"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class AssociationTheme(models.Model):
    """The methodical theme the association works on in a given academic year."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="themes", verbose_name="объединение"
    )
    academic_year = models.PositiveSmallIntegerField(
        "учебный год (год начала)", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    theme = models.TextField("методическая тема")

    class Meta:
        verbose_name = "методическая тема"
        verbose_name_plural = "методические темы"
        ordering = ["-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "academic_year"], name="one_theme_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{ru.format_academic_year(self.academic_year)}: {self.theme[:60]}"

    @property
    def academic_year_label(self) -> str:
        return ru.format_academic_year(self.academic_year)


class School(models.Model):
    """An education organisation; it may have several buildings (корпуса)."""

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="schools", verbose_name="объединение"
    )
    full_name = models.CharField("полное наименование", max_length=400)
    short_name = models.CharField("краткое наименование", max_length=150)
    address = models.CharField("юридический адрес", max_length=300, blank=True)
    director = models.CharField("директор (ФИО)", max_length=200, blank=True)
    director_genitive = models.CharField(
        "директор в родительном падеже",
        max_length=200,
        blank=True,
        help_text="«в лице директора …» в актах. Пусто — склоняется автоматически; "
        "заполните, если склонение ошибается.",
    )
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("телефон", max_length=40, blank=True)
    website = models.URLField("сайт", blank=True)
    is_active = models.BooleanField("действует", default=True)
    # «СОШ № 2» before «СОШ № 10» in every list, filter and select: kept by save().
    sort_name = models.CharField(max_length=300, editable=False, default="")

    class Meta:
        verbose_name = "школа"
        verbose_name_plural = "школы"
        ordering = ["sort_name", "short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "short_name"],
                name="unique_school_short_name",
                violation_error_message=(
                    "Школа с таким кратким наименованием уже есть в объединении."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs):
        self.sort_name = ru.natural_sort_string(self.short_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "short_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:school_detail", args=[self.pk])


class Building(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="buildings", verbose_name="школа"
    )
    name = models.CharField("название", max_length=150, help_text="Например, «Корпус 2».")
    address = models.CharField("адрес", max_length=300)
    latitude = models.DecimalField(
        "широта",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "долгота",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_main = models.BooleanField("основное здание", default=False)

    class Meta:
        verbose_name = "здание (корпус)"
        verbose_name_plural = "здания (корпуса)"
        ordering = ["-is_main", "name"]

    def __str__(self) -> str:
        return f"{self.school.short_name}, {self.name}"

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Position(models.TextChoices):
    LIBRARIAN = "librarian", "педагог-библиотекарь"
    LIBRARY_HEAD = "library_head", "заведующий библиотекой"
    LIBRARIAN_ASSISTANT = "library_assistant", "библиотекарь"
    METHODIST = "methodist", "методист"
    DIRECTOR = "director", "директор"
    TEACHER = "teacher", "учитель"
    OTHER = "other", "другая должность"


class Role(models.TextChoices):
    METHODIST = "methodist", "методист"
    HEAD = "head", "руководитель ММО"
    DIRECTOR = "director", "директор методического центра"
    LIBRARIAN = "librarian", "педагог-библиотекарь (член ММО)"
    # An invited outsider who only judges: her rights come from her seats on contest juries
    # (`contests.Juror`); the role alone opens nothing of the association.
    JUROR = "juror", "член жюри конкурса (приглашённый)"


class Education(models.TextChoices):
    HIGHER_LIBRARY = "higher_library", "высшее библиотечное"
    HIGHER_PEDAGOGICAL = "higher_pedagogical", "высшее педагогическое"
    HIGHER_OTHER = "higher_other", "высшее (иное)"
    VOCATIONAL_LIBRARY = "vocational_library", "среднее профессиональное библиотечное"
    VOCATIONAL_OTHER = "vocational_other", "среднее профессиональное (иное)"
    RETRAINING = "retraining", "профессиональная переподготовка"


EARLY_CAREER_YEARS = 3  # a «молодой специалист»: less than three years in a school library


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> Person:
        if not email:
            raise ValueError("E-mail обязателен")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields) -> Person:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> Person:
        # Log-in is case-insensitive on the e-mail.
        return self.get(email__iexact=username)


class Person(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: librarians, the methodist, the head, the director, administrators."""

    email = models.EmailField("e-mail", unique=True)
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    position = models.CharField(
        "должность", max_length=30, choices=Position.choices, default=Position.LIBRARIAN
    )
    school = models.ForeignKey(
        School,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="школа",
    )
    phone = models.CharField("телефон", max_length=40, blank=True)
    # Experience is counted from this date, so it never goes stale.
    librarian_since = models.DateField(
        "работает школьным библиотекарем с",
        null=True,
        blank=True,
        help_text="Стаж считается от этой даты; меньше трёх лет — молодой специалист.",
    )
    education = models.CharField(
        "образование", max_length=30, choices=Education.choices, blank=True
    )
    education_detail = models.CharField(
        "учебное заведение, специальность", max_length=300, blank=True
    )
    is_active = models.BooleanField("активен", default=True)
    is_staff = models.BooleanField(
        "администратор", default=False, help_text="Может входить в административную панель."
    )
    # A platform-level role, above every association: keeps what all of them share (the
    # federal list of textbooks and its limit dates).
    is_regional_operator = models.BooleanField(
        "региональный оператор",
        default=False,
        help_text="Ведёт общий для всех объединений федеральный перечень учебников.",
    )
    date_joined = models.DateTimeField("зарегистрирован", default=timezone.now)
    # {association id: version of its consent text this person accepted}; the dated record
    # with the accepted text is privacy.Consent. Kept here so the /app/ gate costs no query.
    consent_versions = models.JSONField("принятые редакции согласия", default=dict, blank=True)
    anonymised_at = models.DateTimeField("обезличен(а)", null=True, blank=True)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = "человек"
        verbose_name_plural = "люди"
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="unique_email_ci",
                violation_error_message="Человек с таким e-mail уже зарегистрирован.",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return ru.full_name(self.last_name, self.first_name, self.patronymic)

    @property
    def short_name(self) -> str:
        return ru.short_name(self.last_name, self.first_name, self.patronymic)

    def get_full_name(self) -> str:
        return self.full_name

    def has_consented(self, association: Association) -> bool:
        """Accepted the association's current consent text (or it asks for none)."""
        if not association.consent_text.strip():
            return True
        return self.consent_versions.get(str(association.pk)) == association.consent_version

    def get_short_name(self) -> str:
        return self.short_name

    def experience_years(self, today: date | None = None) -> int | None:
        """Full years in a school library, or None when the start date is not known."""
        if self.librarian_since is None:
            return None
        today = today or timezone.localdate()
        years = today.year - self.librarian_since.year
        if (today.month, today.day) < (self.librarian_since.month, self.librarian_since.day):
            years -= 1
        return max(years, 0)

    def is_early_career(self, today: date | None = None) -> bool:
        years = self.experience_years(today)
        return years is not None and years < EARLY_CAREER_YEARS

    @property
    def experience_label(self) -> str:
        years = self.experience_years()
        if years is None:
            return ""
        if years == 0:
            return "меньше года"
        return ru.plural(years, "год", "года", "лет")

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self.forget_roles()

    def forget_roles(self) -> None:
        """Her roles (and the association they make hers) are read again when next asked."""
        for name in ("_grant_rows", "grants", "primary_association_id"):
            self.__dict__.pop(name, None)

    @cached_property
    def _grant_rows(self) -> list[RoleGrant]:
        """Her roles with their associations, read once per request in one query."""
        return list(self.role_grants.select_related("association__municipality"))

    @cached_property
    def grants(self) -> dict[int, frozenset[str]]:
        """{association id: roles held there}, read once per request."""
        result: dict[int, set[str]] = {}
        for grant in self._grant_rows:
            result.setdefault(grant.association_id, set()).add(grant.role)
        return {key: frozenset(value) for key, value in result.items()}

    def granted_association(self, association_id: int) -> Association | None:
        """The association of one of her roles, as read with them (no query of its own)."""
        return next(
            (g.association for g in self._grant_rows if g.association_id == association_id), None
        )

    def roles_in(self, association_id: int | None) -> frozenset[str]:
        if association_id is None:
            return frozenset()
        return self.grants.get(association_id, frozenset())

    @cached_property
    def primary_association_id(self) -> int | None:
        if self.school_id is not None and len(self.grants) > 1:
            # A librarian belongs to her school's association first (with roles in one
            # association only, that one is hers either way).
            school_association = (
                School.objects.filter(pk=self.school_id).values_list("association_id", flat=True)
            ).first()
            if school_association in self.grants:
                return school_association
        return min(self.grants) if self.grants else None

    @property
    def is_platform_operator(self) -> bool:
        """Keeps what every association shares: the administrator or a regional operator."""
        return self.is_active and (self.is_superuser or self.is_regional_operator)

    def role_labels(self, association_id: int | None) -> list[str]:
        roles = self.roles_in(association_id)
        return [label for value, label in Role.choices if value in roles]


class RoleGrant(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="role_grants", verbose_name="человек"
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name="объединение",
    )
    role = models.CharField("роль", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField("назначена", default=timezone.now)

    class Meta:
        verbose_name = "роль"
        verbose_name_plural = "роли"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "association", "role"], name="unique_role_grant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()} ({self.association})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed link that lets a new person set a password and join with the given roles."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name="объединение",
    )
    email = models.EmailField("e-mail")
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    position = models.CharField("должность", max_length=30, choices=Position.choices)
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="школа",
    )
    roles = models.JSONField("роли", default=list)
    # Only the hash is stored: a database leak must not hand out working links.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="пригласил(а)",
    )
    created_at = models.DateTimeField("создано", default=timezone.now)
    expires_at = models.DateTimeField("действительно до")
    accepted_at = models.DateTimeField("принято", null=True, blank=True)
    revoked_at = models.DateTimeField("отозвано", null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name="учётная запись",
    )

    class Meta:
        verbose_name = "приглашение"
        verbose_name_plural = "приглашения"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"

    @property
    def full_name(self) -> str:
        return ru.full_name(self.last_name, self.first_name, self.patronymic)

    def get_status(self, now=None) -> str:
        now = now or timezone.now()
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"

    STATUS_LABELS = {
        "accepted": "принято",
        "revoked": "отозвано",
        "expired": "срок истёк",
        "pending": "ожидает ответа",
    }

    def get_status_display(self) -> str:
        return self.STATUS_LABELS[self.get_status()]

    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]
