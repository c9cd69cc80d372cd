"""Every write to a professional growth record: the category, learning outside Bibliomo and
its confirmation, the individual route and its steps."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit, uploads
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person, Role
from bibliomo.events.models import Event
from bibliomo.growth.models import Category, GrowthCard, Learning, Route, RouteStep
from bibliomo.lib.filetypes import FileRejected, check_upload, sha256

CERTIFICATE_KINDS = {"pdf", "png", "jpeg", "docx"}
LEARNING_FIELDS = (
    "kind",
    "title",
    "organiser",
    "hours",
    "starts_on",
    "ends_on",
    "link",
    "certificate_number",
)
Upload = tuple[bytes, str]


def _own(actor: Person, person: Person) -> None:
    if actor.pk != person.pk:
        raise DomainError("Изменять карточку может только её владелец.")


def _full_clean(instance, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None


@transaction.atomic
def card_update(
    actor: Person,
    person: Person,
    *,
    category: str,
    category_assigned_on: date | None,
    category_valid_until: date | None,
    category_order: str = "",
) -> GrowthCard:
    _own(actor, person)
    if category not in Category.values:
        raise DomainError("Выберите категорию из списка.", field="category")
    if (
        category_assigned_on
        and category_valid_until
        and category_valid_until < category_assigned_on
    ):
        raise DomainError(
            "Срок действия не может кончаться раньше присвоения.", field="category_valid_until"
        )
    card, _ = GrowthCard.objects.get_or_create(person=person)
    before = audit.snapshot(card, ["category", "category_assigned_on", "category_valid_until"])
    card.category = category
    card.category_assigned_on = category_assigned_on
    card.category_valid_until = category_valid_until
    card.category_order = category_order.strip()[:200]
    card.save()
    changes = audit.diff(card, before)
    if changes:
        audit.record(actor, card, AuditEntry.Action.UPDATED, changes)
    return card


def _attach_certificate(learning: Learning, certificate: Upload | None) -> None:
    if certificate is None:
        return
    data, name = certificate
    try:
        kind = check_upload(
            data,
            name,
            allowed=CERTIFICATE_KINDS,
            max_bytes=uploads.limit_bytes("document"),
            archive_limits=uploads.archive_limits(),
        )
    except FileRejected as error:
        raise DomainError(error.message, field="certificate") from None
    stem = (name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "удостоверение")[:100]
    learning.certificate_name = f"{stem}.{kind.extension}"
    learning.certificate_kind = kind.code
    learning.certificate.save(
        f"{sha256(data)[:32]}.{kind.extension}", ContentFile(data), save=False
    )


def _association_of(person: Person) -> Association:
    association_id = person.primary_association_id
    if association_id is None:
        raise DomainError("Вы не состоите в методическом объединении.")
    return Association.objects.get(pk=association_id)


@transaction.atomic
def learning_add(
    actor: Person, person: Person, *, certificate: Upload | None = None, **fields: Any
) -> Learning:
    """She records a course, webinar, conference or master class outside Bibliomo."""
    _own(actor, person)
    unknown = set(fields) - set(LEARNING_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    learning = Learning(association=_association_of(person), person=person, **fields)
    if learning.ends_on is None:
        learning.ends_on = learning.starts_on
    _attach_certificate(learning, certificate)
    _full_clean(learning, exclude=["certificate"])
    learning.save()
    audit.record(actor, learning, AuditEntry.Action.CREATED)
    return learning


@transaction.atomic
def learning_update(
    actor: Person, learning: Learning, *, certificate: Upload | None = None, **fields: Any
) -> Learning:
    _own(actor, learning.person)
    if learning.confirmed_at is not None:
        raise DomainError("Курсы подтверждены методистом — изменить их уже нельзя.")
    for name, value in fields.items():
        if name not in LEARNING_FIELDS:
            raise ValueError(f"Unexpected field: {name}")
        setattr(learning, name, value)
    if learning.ends_on is None:
        learning.ends_on = learning.starts_on
    _attach_certificate(learning, certificate)
    learning.return_comment = ""
    _full_clean(learning, exclude=["certificate"])
    learning.save()
    audit.record(actor, learning, AuditEntry.Action.UPDATED)
    return learning


@transaction.atomic
def learning_delete(actor: Person, learning: Learning) -> None:
    _own(actor, learning.person)
    if learning.confirmed_at is not None:
        raise DomainError("Подтверждённые курсы удалить нельзя.")
    audit.record(actor, learning, AuditEntry.Action.DELETED)
    learning.delete()


@transaction.atomic
def learning_confirm(actor: Person, learning: Learning) -> Learning:
    """The methodist confirms an external course against its certificate."""
    if Role.METHODIST not in actor.roles_in(learning.association_id):
        raise DomainError("Подтверждает курсы методист.")
    if not learning.is_course:
        raise DomainError("Подтверждаются только курсы повышения квалификации.")
    if not learning.certificate:
        raise DomainError(
            "Нельзя подтвердить курсы без файла удостоверения: попросите его приложить."
        )
    learning.confirmed_at = timezone.now()
    learning.confirmed_by = actor
    learning.return_comment = ""
    learning.save(update_fields=["confirmed_at", "confirmed_by", "return_comment"])
    audit.record(actor, learning, AuditEntry.Action.UPDATED, comment="Курсы подтверждены")
    return learning


@transaction.atomic
def learning_return(actor: Person, learning: Learning, comment: str) -> Learning:
    if Role.METHODIST not in actor.roles_in(learning.association_id):
        raise DomainError("Возвращает курсы методист.")
    comment = comment.strip()
    if not comment:
        raise DomainError("Напишите, что исправить.", field="comment")
    learning.confirmed_at = None
    learning.confirmed_by = None
    learning.return_comment = comment
    learning.save(update_fields=["confirmed_at", "confirmed_by", "return_comment"])
    audit.record(actor, learning, AuditEntry.Action.UPDATED, comment=f"Возвращены: {comment[:200]}")
    return learning


# --- The individual route (ИОМ) --------------------------------------------------------------


def _may_plan(actor: Person, person: Person) -> None:
    if actor.pk == person.pk:
        return
    shared = set(actor.grants) & set(person.grants)
    if not any(Role.METHODIST in actor.roles_in(a) for a in shared):
        raise DomainError("Маршрут составляет сам педагог-библиотекарь вместе с методистом.")


@transaction.atomic
def route_save(actor: Person, person: Person, academic_year: int, goal: str) -> Route:
    _may_plan(actor, person)
    goal = goal.strip()
    if not goal:
        raise DomainError("Напишите, что вы хотите освоить в этом году.", field="goal")
    route, _ = Route.objects.update_or_create(
        person=person,
        academic_year=academic_year,
        defaults={"goal": goal, "association": _association_of(person)},
    )
    return route


@transaction.atomic
def step_add(
    actor: Person,
    route: Route,
    *,
    kind: str,
    title: str,
    due_on: date,
    event: Event | None = None,
) -> RouteStep:
    _may_plan(actor, route.person)
    if kind not in RouteStep.Kind.values:
        raise DomainError("Выберите вид шага.", field="kind")
    if kind == RouteStep.Kind.EVENT and event is None:
        raise DomainError("Выберите мероприятие ММО.", field="event")
    if event is not None and event.association_id != route.association_id:
        raise DomainError("Выбрано мероприятие другого объединения.", field="event")
    title = " ".join((title or (event.title if event else "")).split())
    if not title:
        raise DomainError("Напишите, что сделать.", field="title")
    return RouteStep.objects.create(
        route=route,
        kind=kind,
        title=title[:400],
        event=event if kind == RouteStep.Kind.EVENT else None,
        due_on=due_on,
    )


@transaction.atomic
def step_done(actor: Person, step: RouteStep, done_on: date | None = None) -> RouteStep:
    """Marks a course or self-study step done (an event step closes by attendance)."""
    _may_plan(actor, step.route.person)
    if step.kind == RouteStep.Kind.EVENT:
        raise DomainError("Шаг-мероприятие закрывается сам, когда отмечено посещение.")
    step.done_on = done_on or timezone.localdate()
    step.save(update_fields=["done_on"])
    return step


@transaction.atomic
def step_delete(actor: Person, step: RouteStep) -> None:
    _may_plan(actor, step.route.person)
    step.delete()
