"""Who is asking: the client's address behind the documented nginx proxy, and throttles."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_HOPS proxies (nginx: one) it is the entry of
    X-Forwarded-For that the farthest trusted proxy added — entries further left are written
    by the client and are not believed. Without proxies: REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= hops:
            found = _address(forwarded[-hops])
            if found:
                return found
    return _address(remote) or remote or None


def throttled(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt of `key` in `scope`; True once more than `limit` fall in the window.

    A fixed window in the cache (shared by the web workers: a file cache in production)."""
    if limit <= 0:
        return False
    name = f"throttle:{scope}:{key}"
    cache.add(name, 0, timeout=window_seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window_seconds)
        count = 1
    return count > limit
