"""Reads about personal data: everything held about a person, open deletion requests."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.directory.models import Association, Person
from bibliomo.lib import ru
from bibliomo.privacy.models import DeletionRequest

# Never handed out, even to their owner: a downloaded file travels further than the site.
SECRET_MARKERS = ("password", "token", "secret")
SKIPPED_FIELDS = {"content_type", "object_id"}
# Rows where she acted on other people hold their data: those columns stay out of her copy
# (what she changed on someone else's card, why someone else asked to be deleted).
OTHERS_DATA = {
    ("core.auditentry", "actor"): {"changes", "comment"},
    ("privacy.deletionrequest", "resolved_by"): {"reason"},
    ("admin.logentry", "user"): {"object_repr", "change_message"},
}


def _value(instance: models.Model, field: models.Field) -> Any:
    if field.choices:
        return getattr(instance, f"get_{field.name}_display")()
    value = getattr(instance, field.name)
    if isinstance(field, models.ForeignKey):
        return str(value) if value is not None else ""
    if isinstance(field, models.FileField):
        return value.name.rsplit("/", 1)[-1] if value else ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return ru.format_datetime(value)
    if isinstance(value, date):
        return ru.format_date(value)
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if value is None:
        return ""
    return value


def _fields(model: type[models.Model], skip: str | None = None) -> list[models.Field]:
    hidden = OTHERS_DATA.get((model._meta.label_lower, skip or ""), set())
    return [
        field
        for field in model._meta.concrete_fields
        if field.name != skip
        and field.name not in SKIPPED_FIELDS | hidden
        and not any(marker in field.name for marker in SECRET_MARKERS)
    ]


def _rows(queryset, fields: list[models.Field]) -> list[dict[str, Any]]:
    related = [f.name for f in fields if isinstance(f, models.ForeignKey)]
    return [
        {str(field.verbose_name): _value(obj, field) for field in fields}
        for obj in queryset.select_related(*related).order_by("pk")
    ]


def _profile(person: Person) -> dict[str, Any]:
    grants = person.role_grants.select_related("association")
    return {
        "ФИО": person.full_name,
        "e-mail": person.email,
        "телефон": person.phone,
        "должность": person.get_position_display(),
        "школа": str(person.school) if person.school_id else "",
        "школьный библиотекарь с": ru.format_date(person.librarian_since),
        "образование": ", ".join(
            part for part in (person.get_education_display(), person.education_detail) if part
        ),
        "роли": [f"{g.get_role_display()} ({g.association})" for g in grants],
        "зарегистрирован(а)": ru.format_datetime(person.date_joined),
        "последний вход": ru.format_datetime(person.last_login) if person.last_login else "",
        "учётная запись активна": "да" if person.is_active else "нет",
    }


def personal_data(person: Person) -> dict[str, Any]:
    """Everything the system holds about a person, as {profile, sections}: each section is a
    table of rows (field → value as a person reads it).

    Every relation to Person is walked, so a model added later is exported without changes
    here; secrets (password hashes, tokens) are left out.
    """
    sections = []
    relations = Person._meta.related_objects
    models_seen = [relation.related_model for relation in relations]
    for relation in relations:
        model = relation.related_model
        field = relation.field
        rows = _rows(
            model._default_manager.filter(**{field.name: person}), _fields(model, field.name)
        )
        if rows:
            title = ru.capfirst(str(model._meta.verbose_name_plural))
            if models_seen.count(model) > 1:  # e.g. registrations: hers, and made by her
                title += f" (вы — «{field.verbose_name}»)"
            sections.append({"title": title, "rows": rows})
    about = audit.history(person)
    if about.exists():
        sections.append(
            {
                "title": "Журнал изменений вашей карточки",
                "rows": _rows(about, _fields(about.model)),
            }
        )
    from bibliomo.events.models import Feedback

    feedback = Feedback.objects.filter(registration__person=person)
    if feedback.exists():
        rows = _rows(feedback, _fields(Feedback))
        sections.append({"title": "Отзывы о мероприятиях", "rows": rows})
    sections.extend(_contest_sections(person))
    return {
        "title": "Персональные данные в Bibliomo",
        "generated_at": ru.format_datetime(timezone.now()),
        "profile": _profile(person),
        "sections": sections,
    }


def _contest_sections(person: Person) -> list[dict[str, Any]]:
    """Contest entries naming her as an author (submitted by anyone; those she submitted are
    already a section of their own) and the contests' diplomas and certificates made out to her."""
    from bibliomo.contests.models import Award, Entry

    names = {name for name in (person.full_name, person.short_name) if name.strip()}
    if not names or person.anonymised_at:
        return []
    named = models.Q()
    for name in names:
        named |= models.Q(authors__icontains=name)
    sections = []
    entries = Entry.objects.filter(named).exclude(submitted_by=person)
    if entries.exists():
        rows = _rows(entries, _fields(Entry))
        sections.append({"title": "Конкурсные работы, где вы — автор", "rows": rows})
    awarded = models.Q(juror__person=person)
    for name in names:
        awarded |= models.Q(recipient_full_name__icontains=name)
    awards = Award.objects.filter(awarded)
    if awards.exists():
        rows = _rows(awards, _fields(Award))
        sections.append({"title": "Дипломы и сертификаты конкурсов", "rows": rows})
    return sections


def open_deletion_requests(association: Association):
    return (
        DeletionRequest.objects.filter(association=association, status=DeletionRequest.Status.OPEN)
        .select_related("person", "person__school")
        .order_by("created_at")
    )
