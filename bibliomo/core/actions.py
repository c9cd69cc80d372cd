"""One button, one service call: the shape every POST action view shares.

A service refuses with `DomainError` (a Russian sentence); the view shows it as the page's error
message and sends the person back. On success the view shows what was done. `perform` is that
shape once, so a view says only which service, on what, and what to tell the person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest

from bibliomo.core.errors import DomainError

T = TypeVar("T")


def perform(
    request: HttpRequest,
    service: Callable[..., T],
    *args: Any,
    done: str | Callable[[T], str] = "",
    **kwargs: Any,
) -> T | None:
    """Call ``service(*args, **kwargs)``. A refusal becomes an error message and None is returned;
    on success ``done`` (a text, or a function of the service's result) becomes a success message,
    if given, and the service's result is returned."""
    try:
        result = service(*args, **kwargs)
    except DomainError as error:
        messages.error(request, error.message)
        return None
    message = done(result) if callable(done) else done
    if message:
        messages.success(request, message)
    return result
