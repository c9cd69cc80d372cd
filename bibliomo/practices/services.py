"""Every write to the bank of practices."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from bibliomo.core import audit, uploads
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person, Role, School
from bibliomo.events.models import Event
from bibliomo.lib.filetypes import FileRejected, check_upload
from bibliomo.practices.models import TAGS, Form, Implementation, Material, Practice

MATERIAL_KINDS = {"pdf", "docx", "doc", "rtf", "xlsx", "odt", "ods", "odp", "pptx", "ppt", "txt"}
MATERIAL_KINDS |= {"png", "jpeg"}
PHOTO_KINDS = {"png", "jpeg"}
PRACTICE_FIELDS = ("title", "grades", "form", "goal", "description", "tags", "fair")


def _check_fields(association: Association, fields: dict) -> dict:
    cleaned = dict(fields)
    for name in ("title", "grades", "goal", "description"):
        if name in cleaned:
            cleaned[name] = str(cleaned[name]).strip()
            if not cleaned[name]:
                raise DomainError("Заполните это поле.", field=name)
    if "form" in cleaned and cleaned["form"] not in Form.values:
        raise DomainError("Выберите форму из списка.", field="form")
    if "tags" in cleaned:
        unknown = [tag for tag in cleaned["tags"] if tag not in TAGS]
        if unknown:
            raise DomainError(f"Нет такой темы: {unknown[0]}.", field="tags")
        cleaned["tags"] = [tag for tag in TAGS if tag in cleaned["tags"]]
    fair = cleaned.get("fair")
    if fair is not None and (
        fair.association_id != association.pk or fair.kind != Event.Kind.IDEAS_FAIR
    ):
        raise DomainError("Выберите ярмарку идей этого объединения.", field="fair")
    return cleaned


@transaction.atomic
def practice_create(
    actor: Person, association: Association, *, school: School | None = None, **fields
) -> Practice:
    """A member shares a practice of her school (the methodist may file one for any school)."""
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    school = school or actor.school
    if school is None or school.association_id != association.pk:
        raise DomainError("Укажите школу, в которой работает практика.", field="school")
    fields = _check_fields(association, fields)
    practice = Practice.objects.create(
        association=association, author=actor, school=school, **fields
    )
    audit.record(actor, practice, AuditEntry.Action.CREATED)
    return practice


@transaction.atomic
def practice_update(actor: Person, practice: Practice, **fields) -> Practice:
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    fields = _check_fields(practice.association, fields)
    before = audit.snapshot(practice, fields)
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.save()
    changes = audit.diff(practice, before)
    if changes:
        audit.record(actor, practice, AuditEntry.Action.UPDATED, changes)
    return practice


def _checked_kind(file, allowed: set[str]):
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        return check_upload(
            data,
            file.name,
            allowed=allowed,
            max_bytes=uploads.limit_bytes("material"),
            archive_limits=uploads.archive_limits(),
        )
    except FileRejected as error:
        raise DomainError(error.message, field="file") from None


def _stored_name(file, allowed: set[str]) -> tuple[str, str]:
    """(the name the file downloads as, a random name on disk): the person's name is data."""
    kind = _checked_kind(file, allowed)
    name = Path(file.name).name
    if kind.renamed:
        name = f"{Path(name).stem}.{kind.extension}"
    suffix = Path(name).suffix.lower()
    return name[:255], f"{secrets.token_hex(16)}{suffix if suffix.isascii() else ''}"


@transaction.atomic
def material_add(
    actor: Person, practice: Practice, *, title: str, file=None, link: str = ""
) -> Material:
    title = title.strip()
    if not title:
        raise DomainError("Назовите материал.", field="title")
    if not file and not link.strip():
        raise DomainError("Приложите файл или укажите ссылку.")
    material = Material(practice=practice, title=title, link=link.strip())
    if file:
        material.original_name, stored = _stored_name(file, MATERIAL_KINDS)
        material.size = file.size
        material.file.save(stored, file, save=False)
    material.full_clean()
    material.save()
    audit.record(actor, practice, AuditEntry.Action.UPDATED, comment=f"Материал «{title}»")
    return material


@transaction.atomic
def material_delete(actor: Person, material: Material) -> None:
    practice, title = material.practice, material.title
    if material.file:
        material.file.delete(save=False)
    material.delete()
    audit.record(actor, practice, AuditEntry.Action.UPDATED, comment=f"Удалён материал «{title}»")


@transaction.atomic
def implementation_mark(
    actor: Person,
    practice: Practice,
    *,
    implemented_on: date,
    note: str = "",
    photo=None,
) -> Implementation:
    """«Внедрили у нас»: the actor's school took the practice up; its author is told."""
    school = actor.school
    if school is None or school.association_id != practice.association_id:
        raise DomainError("Отметить внедрение может педагог-библиотекарь школы объединения.")
    if school.pk == practice.school_id:
        raise DomainError("Практика и так живёт в этой школе: отмечают внедрение другие школы.")
    if implemented_on > timezone.localdate():
        raise DomainError(
            "Дата внедрения не может быть позже сегодняшнего дня.", field="implemented_on"
        )
    note = note.strip()
    if not note and not photo:
        raise DomainError("Напишите пару слов о том, как прошло, или приложите фотографию.")
    implementation = Implementation(
        practice=practice,
        school=school,
        marked_by=actor,
        implemented_on=implemented_on,
        note=note,
    )
    if photo:
        implementation.photo_name, stored = _stored_name(photo, PHOTO_KINDS)
        implementation.photo.save(stored, photo, save=False)
    try:
        with transaction.atomic():
            implementation.save()
    except IntegrityError:
        raise DomainError("Ваша школа уже отметила, что внедрила эту практику.") from None
    audit.record(
        actor, practice, AuditEntry.Action.UPDATED, comment=f"Внедрена: {school.short_name}"
    )
    author = practice.author
    if author is not None and author.is_active and author.pk != actor.pk:
        letter_send(
            "practices/taken_up",
            [author.email],
            {
                "practice": practice,
                "implementation": implementation,
                "link": settings.SITE_URL + practice.get_absolute_url(),
                "count": practice.implementations.count(),
            },
        )
    return implementation


@transaction.atomic
def practice_publish(actor: Person, practice: Practice) -> Practice:
    """The methodist puts the card on the public portal (names of people are not shown)."""
    if Role.METHODIST not in actor.roles_in(practice.association_id):
        raise DomainError("Публикует на портале методист.")
    if practice.published_at is None:
        practice.published_at = timezone.now()
        practice.save(update_fields=["published_at", "updated_at"])
        audit.record(actor, practice, AuditEntry.Action.UPDATED, comment="Опубликована на портале")
    return practice


@transaction.atomic
def practice_unpublish(actor: Person, practice: Practice) -> Practice:
    if Role.METHODIST not in actor.roles_in(practice.association_id):
        raise DomainError("Снимает с портала методист.")
    if practice.published_at is not None:
        practice.published_at = None
        practice.save(update_fields=["published_at", "updated_at"])
        audit.record(actor, practice, AuditEntry.Action.UPDATED, comment="Снята с портала")
    return practice


def tags_of(values: Sequence[str]) -> list[str]:
    return [tag for tag in TAGS if tag in values]
