"""Unlocking a login locked by too many wrong passwords, by a one-time link sent by e-mail.

django-axes locks an e-mail + client address pair after AXES_FAILURE_LIMIT failures. The
owner of the e-mail can lift every lock on her address at once: the link names her and the
latest failed attempt; unlocking deletes the attempts, so the link works once.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.directory.models import Person

SALT = "bibliomo.unlock"


def _attempt(email: str) -> AccessAttempt | None:
    return AccessAttempt.objects.filter(username=email).order_by("-pk").first()


def unlock_link_send(email: str) -> bool:
    """E-mail an unlock link to `email` if an active person has it and failed attempts are
    recorded for it. Returns whether a letter went (the caller answers the same either way)."""
    email = email.strip().lower()
    person = Person.objects.filter(email__iexact=email, is_active=True).first()
    attempt = _attempt(email) if person else None
    if person is None or attempt is None:
        return False
    token = signing.dumps({"p": person.pk, "a": attempt.pk}, salt=SALT, compress=True)
    context = {
        "person": person,
        "link": settings.SITE_URL + reverse("unlock", args=[token]),
        "hours": settings.UNLOCK_LINK_HOURS,
    }
    letter_send("unlock", [person.email], context)
    return True


def _person_of(token: str) -> tuple[Person, int]:
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.UNLOCK_LINK_HOURS * 3600)
        person = Person.objects.get(pk=data["p"], is_active=True)
        attempt_pk = int(data["a"])
    except (signing.BadSignature, Person.DoesNotExist, KeyError, TypeError, ValueError):
        raise DomainError("Ссылка недействительна или устарела.") from None
    return person, attempt_pk


def unlock_check(token: str) -> Person:
    """The person a still-valid link unlocks, else DomainError."""
    person, attempt_pk = _person_of(token)
    latest = _attempt(person.email.lower())
    if latest is None or latest.pk != attempt_pk:
        raise DomainError("Ссылка уже использована или вход с тех пор снова блокировался.")
    return person


@transaction.atomic
def lockout_unlock(token: str) -> Person:
    """Lift every lock on the link's e-mail (all addresses); the link is spent."""
    person = unlock_check(token)
    axes_reset(username=person.email.lower())
    return person
