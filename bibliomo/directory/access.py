"""Resolving and guarding what a request may reach: the current association and its objects."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.directory.models import Association

_UNSET = object()


def current_association(request) -> Association | None:
    """The association the signed-in person works in (cached on the request)."""
    cached = getattr(request, "_association", _UNSET)
    if cached is not _UNSET:
        return cast("Association | None", cached)
    association = None
    user = request.user
    if user.is_authenticated and user.primary_association_id is not None:
        # Read with her roles (Person.grants), which the permission checks need anyway.
        association = user.granted_association(user.primary_association_id)
    request._association = association
    return association


def require_association(request) -> Association:
    association = current_association(request)
    if association is None:
        raise PermissionDenied("Вы не состоите ни в одном методическом объединении.")
    return association


def require_perm(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def get_in_association(request, queryset, association_lookup: str = "association", **lookup):
    """An object of the current association or 404: other associations' rows do not exist here."""
    association = require_association(request)
    obj = get_object_or_404(queryset, **{association_lookup: association}, **lookup)
    if obj is None:  # pragma: no cover - get_object_or_404 raises
        raise Http404
    return obj
