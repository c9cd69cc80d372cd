"""A model's own fields with their types known (``_meta.get_field`` also returns relations)."""

from __future__ import annotations

from django.db import models


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name  # a column of the model, not a reverse relation
    return field


def max_length(model: type[models.Model], name: str) -> int | None:
    """The longest text the column keeps (None: no limit)."""
    return concrete_field(model, name).max_length
