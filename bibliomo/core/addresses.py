"""Addresses of pages without arguments (the menu, the pages the consent gate leaves open),
reversed once: they change only with the URL configuration and the script prefix, and every
page asks for twenty of them."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def address(name: str) -> str | None:
    """`reverse(name)`, or None when no page has that name."""
    return _address(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _address(name: str, urlconf: str, prefix: str) -> str | None:
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None
