"""Recording changes: services call these inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from bibliomo.core.models import AuditEntry


def _display(instance: models.Model, field: models.Field) -> Any:
    """The value as a person reads it: choice labels, related names, dates in Russian."""
    from bibliomo.lib import ru

    if field.choices:
        return getattr(instance, f"get_{field.name}_display")()
    value = getattr(instance, field.name)
    if isinstance(field, models.ForeignKey):
        return str(value) if value is not None else ""
    if isinstance(field, models.BooleanField):
        return "да" if value else "нет"
    if isinstance(field, models.DateTimeField):
        return ru.format_datetime(value) if value else ""
    if isinstance(field, models.DateField):
        return ru.format_date(value)
    if value is None:
        return ""
    if isinstance(value, (int, str)):
        return value
    return str(value)


def _field(model: type[models.Model] | models.Model, name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name  # audited fields are the model's own
    return field


def field_label(model: type[models.Model], name: str) -> str:
    """The name of a field as the audit entries show it (its verbose name)."""
    return str(_field(model, name).verbose_name)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _display(instance, _field(instance, name)) for name in fields}


def diff(instance: models.Model, before: dict[str, Any]) -> dict[str, list[Any]]:
    """{verbose name: [old, new]} for the fields of `before` whose value changed."""
    after = snapshot(instance, before)
    return {
        str(_field(instance, name).verbose_name): [before[name], after[name]]
        for name in before
        if before[name] != after[name]
    }


def record(
    actor,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    comment: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.short_name if actor is not None and actor.pk else "система"),
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes or {},
        comment=comment[:300],
    )


def history(instance: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    ).select_related("actor")
