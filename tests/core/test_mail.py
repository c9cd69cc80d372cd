"""The one way to send mail (bibliomo/core/mail.py): queued after commit, sent by the worker,
retried a bounded number of times, logged."""

import logging
import re
import smtplib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.template.loader import get_template
from django.utils import timezone

from bibliomo.core.mail import Attachment, letter_send, letters_muted
from bibliomo.core.models import Letter
from bibliomo.directory import services as directory_services
from bibliomo.events import notifications

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class FlakyBackend(EmailBackend):
    """The test mail server: refuses `broken@test.ru` always and `late@test.ru` once."""

    refused_once: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if "broken@test.ru" in message.to:
                raise smtplib.SMTPRecipientsRefused({"broken@test.ru": (550, b"No such user")})
            if "late@test.ru" in message.to and "late@test.ru" not in self.refused_once:
                self.refused_once.add("late@test.ru")
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.FlakyBackend"
    settings.MAIL_MAX_ATTEMPTS = 3
    FlakyBackend.refused_once = set()


def _letter(to, **context):
    return letter_send("password_reset_by_methodist", to, {"link": "http://x/", **context})


def test_a_letter_waits_for_the_commit(cast, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        directory_services.person_send_password_reset(cast.methodist, cast.librarian_a)
    letter = Letter.objects.get()
    assert letter.status == Letter.Status.QUEUED and letter.attempts == 0
    assert letter.to == ["lib.a@test.ru"] and letter.template == "password_reset_by_methodist"
    assert (
        letter.subject == "Bibliomo: смена пароля" and "/app/account/password/reset/" in letter.body
    )
    assert mail.outbox == []  # rendered and stored, not sent
    for callback in callbacks:
        callback()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter.attempts == 1 and letter.sent_at
    assert [m.subject for m in mail.outbox] == [letter.subject]


def test_a_rolled_back_action_sends_nothing(cast, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        directory_services.person_send_password_reset(cast.methodist, cast.librarian_a)
        raise RuntimeError("something later in the same action failed")
    assert not Letter.objects.exists() and mail.outbox == []


def test_a_failing_send_is_retried_then_marked_failed_and_the_others_go(
    cast, flaky, caplog, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.INFO):
        broken = _letter(["broken@test.ru"], person=cast.librarian_a)
        good = _letter(["lib.b@test.ru"], person=cast.librarian_b)
    broken.refresh_from_db()
    good.refresh_from_db()
    assert broken.status == Letter.Status.FAILED and broken.attempts == 3
    assert "SMTPRecipientsRefused" in broken.last_error and broken.sent_at is None
    assert good.status == Letter.Status.SENT and good.attempts == 1
    assert [m.to for m in mail.outbox] == [["lib.b@test.ru"]]
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and "failed after 3 attempts" in failed[0].getMessage()
    assert len([r for r in caplog.records if "retrying" in r.getMessage()]) == 2


def test_a_passing_failure_is_retried_and_sent(cast, flaky, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        letter = _letter(["late@test.ru"], person=cast.librarian_a)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter.attempts == 2
    assert "SMTPServerDisconnected" in letter.last_error
    assert [m.to for m in mail.outbox] == [["late@test.ru"]]


def test_the_worker_retries_later_not_at_once(cast, flaky, settings):
    from django_tasks_db.models import DBTaskResult

    from bibliomo.core.mail import letter_deliver

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAIL_RETRY_SECONDS = 60
    letter = _letter(["broken@test.ru"], person=cast.librarian_a)  # queued on commit: not yet
    assert letter_deliver(letter.pk) == Letter.Status.QUEUED
    retry = DBTaskResult.objects.get(task_path="bibliomo.core.tasks.send_letter")
    assert retry.args_kwargs["args"] == [letter.pk]
    assert retry.run_after >= timezone.now() + timedelta(seconds=50)
    letter.refresh_from_db()
    assert letter.attempts == 1 and letter.status == Letter.Status.QUEUED


def test_a_sent_letter_is_never_sent_twice(cast, django_capture_on_commit_callbacks):
    from bibliomo.core.mail import letter_deliver

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        letter = _letter(["lib.a@test.ru"], person=cast.librarian_a)
    assert letter_deliver(letter.pk) == Letter.Status.SENT
    assert len(mail.outbox) == 1


def test_attachments_are_rebuilt_when_sent(cast, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_send(
            "password_reset_by_methodist",
            ["lib.a@test.ru"],
            {"person": cast.librarian_a, "link": "http://x/"},
            attachments=[Attachment("tests.core.test_mail.school_card", {"school_id": 0})],
        )
    assert letter.attachments == [
        {"builder": "tests.core.test_mail.school_card", "args": {"school_id": 0}}
    ]
    assert mail.outbox[0].attachments == [("card.txt", "школа 0", "text/plain")]


def school_card(school_id):
    return ("card.txt", f"школа {school_id}", "text/plain")


def test_nobody_to_write_to_or_muted_means_no_letter(cast):
    assert _letter(["", "  "], person=cast.librarian_a) is None
    with letters_muted():
        assert _letter(["lib.a@test.ru"], person=cast.librarian_a) is None
    assert not Letter.objects.exists()


LETTERS = {
    "invitation",
    "invitation_registered",
    "unlock",
    "catalogue_correction",
    "password_reset",
    "password_reset_by_methodist",
    "campaign_reminder",
    "exchange_published",
    "exchange_return_reminder",
    "plans/submitted",
    "plans/returned",
    "plans/approved",
    "reviews/submitted",
    "reviews/returned",
    "reviews/approved",
    "practices/taken_up",
    "consultation_asked",
    "consultation_answered",
    "contests/announced",
    "contests/entry_returned",
    "contests/jury_reminder",
    "mentoring/question",
    *(f"events/{kind}" for kind in notifications.KINDS),
    "events/guest",
}


def test_every_letter_has_its_subject_and_body_templates():
    emails = ROOT / "bibliomo" / "templates" / "emails"
    subjects = {
        path.relative_to(emails).as_posix().removesuffix("_subject.txt")
        for path in emails.rglob("*_subject.txt")
    }
    assert subjects == LETTERS
    for name in LETTERS:
        get_template(f"emails/{name}.txt")


def test_nothing_else_in_the_project_sends_mail():
    senders = re.compile(
        r"\b(send_mail|send_mass_mail|mail_admins|EmailMessage|EmailMultiAlternatives)\b"
    )
    offenders = []
    for path in (ROOT / "bibliomo").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "bibliomo/core/mail.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if senders.search(line) and "def send_mail" not in line:
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []


def test_forgotten_password_goes_the_same_way(cast, client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "lib.a@test.ru"})
        client.post(reverse("password_reset"), {"email": "nobody@test.ru"})
    letter = Letter.objects.get()
    assert letter.template == "password_reset" and letter.to == ["lib.a@test.ru"]
    assert letter.status == Letter.Status.SENT
    assert letter.subject == "Bibliomo: восстановление пароля"
    assert "/app/account/password/reset/" in letter.body
    assert [m.to for m in mail.outbox] == [["lib.a@test.ru"]]
