"""The one way Bibliomo sends e-mail.

A letter is a pair of templates — `emails/<name>_subject.txt` and `emails/<name>.txt`, with an
optional `emails/<name>.html` — rendered with a context when a service asks for it. The
rendered letter is stored as a `Letter` row inside the caller's transaction and handed to the
background worker (`db_worker`) only after that transaction commits: a rolled-back action sends
nothing, and no request waits for the mail server. The worker sends it; a failing send is
retried after a growing pause up to `MAIL_MAX_ATTEMPTS` times, then the letter is marked
failed and logged — one bad letter never holds up the others.

Attachments do not travel as bytes through the queue: a letter names a builder (a dotted path
to a function) and its ids, and the worker rebuilds the file when it sends (an event's .ics
is built from the event as it is at that moment).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from bibliomo.core.models import Letter

logger = logging.getLogger(__name__)

_muted = threading.local()


@contextmanager
def letters_muted():
    """No letters while building demo data: nobody should be e-mailed about made-up work."""
    before = getattr(_muted, "on", False)
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = before


@dataclass(frozen=True)
class Attachment:
    """A file rebuilt by the worker: `builder(**args)` returns (name, content, mimetype) or None."""

    builder: str
    args: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"builder": self.builder, "args": self.args}


def letter_render(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject (one line), text body and HTML body ("" when the letter has none)."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())[:255]
    body = render_to_string(f"emails/{name}.txt", context)
    try:
        html: str = render_to_string(f"emails/{name}.html", context)
    except TemplateDoesNotExist:
        html = ""
    return subject, body, html


def letter_send(
    name: str,
    to: Iterable[str],
    context: dict[str, Any] | None = None,
    *,
    attachments: Sequence[Attachment] = (),
) -> Letter | None:
    """Render the letter `name` now and queue it to be sent once the current transaction
    commits (at once when there is none). Returns None when there is nobody to write to (or
    letters are muted)."""
    if getattr(_muted, "on", False):
        return None
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    subject, body, html = letter_render(name, context or {})
    letter = Letter.objects.create(
        template=name,
        to=recipients,
        subject=subject,
        body=body,
        html=html,
        attachments=[attachment.as_json() for attachment in attachments],
    )
    letter_id = letter.pk
    transaction.on_commit(lambda: _enqueue(letter_id))
    return letter


def _enqueue(letter_id: int, delay: timedelta | None = None) -> None:
    from bibliomo.core.tasks import send_letter

    task = send_letter
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(letter_id)


def _message(letter: Letter) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=letter.subject, body=letter.body, to=letter.to)
    if letter.html:
        message.attach_alternative(letter.html, "text/html")
    for spec in letter.attachments:
        built = import_string(spec["builder"])(**spec.get("args", {}))
        if built is not None:
            message.attach(*built)
    return message


def letter_deliver(letter_id: int) -> str:
    """Send one queued letter (the worker's job). Returns the letter's state afterwards."""
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None or letter.status != Letter.Status.QUEUED:
        return letter.status if letter else "missing"  # a repeated delivery sends nothing twice
    attempts = letter.attempts + 1
    try:
        _message(letter).send()
    except Exception as error:
        error_text = f"{type(error).__name__}: {error}"[:2000]
        if attempts >= settings.MAIL_MAX_ATTEMPTS:
            Letter.objects.filter(pk=letter.pk).update(
                status=Letter.Status.FAILED, attempts=attempts, last_error=error_text
            )
            logger.error(
                "Letter %s (%s) to %s failed after %s attempts: %s",
                letter.pk,
                letter.template,
                ", ".join(letter.to),
                attempts,
                error_text,
            )
            return Letter.Status.FAILED
        Letter.objects.filter(pk=letter.pk).update(attempts=attempts, last_error=error_text)
        delay = timedelta(seconds=settings.MAIL_RETRY_SECONDS * 2 ** (attempts - 1))
        logger.warning(
            "Letter %s (%s) attempt %s failed, retrying in %s: %s",
            letter.pk,
            letter.template,
            attempts,
            delay,
            error_text,
        )
        _enqueue(letter.pk, delay)
        return Letter.Status.QUEUED
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.SENT, attempts=attempts, sent_at=timezone.now()
    )
    logger.info("Letter %s (%s) sent to %s", letter.pk, letter.template, ", ".join(letter.to))
    return Letter.Status.SENT
