"""SQLite's LIKE folds case for ASCII only; Russian text needs Unicode case folding.

Django's `icontains`/`iexact` become LIKE on SQLite, so «гимназия» would not find «Гимназия».
Replacing SQLite's like() function for our connections fixes every such lookup at once.
PostgreSQL needs none of this (it uses UPPER/ILIKE with proper collations).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.backends.signals import connection_created
from django.dispatch import receiver


@lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if escape is not None and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def unicode_like(pattern: str | None, value: str | None, escape: str | None = None) -> bool | None:
    if pattern is None or value is None:
        return None
    return _like_regex(pattern.casefold(), escape).fullmatch(str(value).casefold()) is not None


@receiver(connection_created)
def install_unicode_like(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("like", 2, unicode_like, deterministic=True)
    connection.connection.create_function("like", 3, unicode_like, deterministic=True)
