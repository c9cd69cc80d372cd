"""Every URL pattern of the resolver, for every role of the cast, with ids that do not exist,
ids of another association and garbage in every GET parameter the view reads: no 500, and the
access the role matrix promises (another association does not exist — 404; another school's
private pages — 403; nobody signed in — the login page)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import SCHOOL_B_PRIVATE, URL_KWARGS, build_world

pytestmark = pytest.mark.django_db

ROLES = ["methodist", "head", "director", "librarian_a", "librarian_b", "outsider", "anonymous"]
HUGE_INT = 10**25
GARBAGE = [
    "",
    "-1",
    "9" * 30,
    "1.5",
    "0000",
    "0001-01",
    "9999-12",
    "0000/0001",
    "' OR '1'='1' --",
    '<script>alert("x")</script>',
    "\x00",
    "Ё" * 500,
]
# The parameters a view reads are the same for everyone; the widest and the narrowest
# member's view of a page, and the public one, are enough to fuzz them.
FUZZ_ROLES = {"methodist", "librarian_a", "anonymous"}
# Ids that name nothing: the view's own lookup answers them, the same code for every role
# that gets past the permission check; the widest and the narrowest member, a member of
# another association (compared with a real object of ours) and nobody cover every way in.
MISSING_ROLES = {"methodist", "librarian_a", "outsider", "anonymous"}


def url_patterns():
    """(name, route) of every pattern outside the Django admin."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns, "", None))


PATTERNS = url_patterns()


def test_every_url_with_arguments_is_in_the_world():
    missing = [name for name, route in PATTERNS if "<" in route and name not in URL_KWARGS]
    assert missing == []


class ReadKeys:
    """Records the GET parameters a view reads (QueryDict lookups during one request)."""

    def __init__(self, monkeypatch):
        self.keys: set[str] | None = None
        for method in ("get", "__getitem__", "getlist", "__contains__"):
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._wrap(original))

    def _wrap(self, original):
        recorder = self

        def wrapped(querydict, key, *args, **kwargs):
            if recorder.keys is not None and isinstance(key, str):
                recorder.keys.add(key)
            return original(querydict, key, *args, **kwargs)

        return wrapped

    def during(self, call):
        self.keys = set()
        try:
            response = call()
            return response, self.keys
        finally:
            self.keys = None


IDENTIFIERS = {"pk", "school_pk", "registration_pk", "number", "token"}


def _missing(route: str, kwargs: dict) -> list[dict]:
    """The same URL with each identifier replaced by one that names nothing."""
    variants = []
    for arg in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if arg not in IDENTIFIERS:
            continue
        if isinstance(kwargs[arg], int):
            values = [0, HUGE_INT]
        elif isinstance(kwargs[arg], uuid.UUID):
            values = [uuid.uuid4()]
        else:
            values = ["NO-SUCH-0000"]
        variants += [{**kwargs, arg: value} for value in values]
    return variants


def _is_app(url: str) -> bool:
    return url.startswith("/app/") and not url.startswith("/app/account/")


def _get(client, url, params=None):
    if params:
        url = f"{url}?{urlencode(params)}"
    return client.get(url)


@pytest.mark.slow
def test_any_url(cast, client, monkeypatch):
    """One world, every role in turn (building the world is the slow part)."""
    world = build_world(cast)
    client.raise_request_exception = False
    reader = ReadKeys(monkeypatch)
    problems: list[str] = []
    for role in ROLES:
        client.logout()
        person = getattr(cast, role, None)
        if person is not None:
            client.force_login(person)
        problems += [f"{role}: {p}" for p in _walk(client, reader, world, role, person)]
    assert not problems, "\n".join(problems)


def _expected(name, url, role, person, missing) -> set[int] | None:
    """The answers a URL may give this role (None: any but a server error)."""
    if person is None and _is_app(url):
        return {302}
    if role == "outsider" and _is_app(url) and missing:
        # Another association's object is answered exactly like one that does not exist.
        return {answer.status_code for _, answer in missing}
    if role == "librarian_a" and name in SCHOOL_B_PRIVATE:
        return {403, 404}
    if role == "librarian_b" and name in SCHOOL_B_PRIVATE:
        return {200}
    return None


def _expected_missing(bad, person) -> set[int] | None:
    """The answers to an id that does not exist."""
    if bad.startswith("/app/account/"):
        return None  # a spent or unknown link: the page says so (200 or 410)
    if person is None and _is_app(bad):
        return {302}
    return {403, 404, 405}


def _walk(client, reader, world, role, person) -> list[str]:
    problems: list[str] = []

    def check(url, response, expected=None):
        code = response.status_code
        if code >= 500:
            error = getattr(response, "exc_info", None)
            problems.append(f"{code} {url} {error[1]!r}" if error else f"{code} {url}")
        elif expected is not None and code not in expected:
            problems.append(f"{code} (expected {sorted(expected)}) {url}")

    for name, route in PATTERNS:
        kwargs = URL_KWARGS[name](world) if name in URL_KWARGS else {}
        url = reverse(name, kwargs=kwargs)
        response, keys = reader.during(lambda url=url: client.get(url))
        missing = [reverse(name, kwargs=variant) for variant in _missing(route, kwargs)]
        if role not in MISSING_ROLES:
            missing = []
        if person is None and _is_app(url):
            missing = missing[:1]  # the login page answers them all alike
        missing = [(bad, client.get(bad)) for bad in missing]
        check(url, response, _expected(name, url, role, person, missing))
        to_login = response.get("Location", "").startswith("/app/account/login/")
        if person is None and _is_app(url) and response.status_code == 302 and not to_login:
            problems.append(f"not sent to the login page: {url}")

        # Ids that do not exist: 404 for whoever may get that far, never 200 or 500.
        for bad, answer in missing:
            check(bad, answer, _expected_missing(bad, person))

        # Garbage in every parameter the view reads.
        if response.status_code == 200 and role in FUZZ_ROLES:
            for key in sorted(keys - {"csrfmiddlewaretoken"}):
                for value in GARBAGE:
                    check(f"{url}?{key}={value!r}", _get(client, url, {key: value}))

    # Years in paths: only years a person could mean.
    for year in ("0000", "0001", "9999"):
        response = client.get(f"/app/documents/package/{year}/")
        check(response.request["PATH_INFO"], response, {404})

    return problems
