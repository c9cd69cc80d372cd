"""Every write about personal data: consent, deletion requests, anonymisation, pruning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry, Job
from bibliomo.directory.models import Association, Invitation, Person, Position
from bibliomo.events.models import Guest, Registration
from bibliomo.privacy.models import Consent, DeletionRequest


@transaction.atomic
def consent_text_update(actor: Person, association: Association, text: str) -> Association:
    """The methodist sets the consent text; a changed text is a new version everyone accepts.

    An empty text switches the request off (consent is collected on paper).
    """
    text = text.replace("\r\n", "\n").strip()
    association = Association.objects.select_for_update().get(pk=association.pk)
    if text == association.consent_text.strip():
        return association
    before = audit.snapshot(association, ["consent_version"])
    association.consent_text = text
    association.consent_version += 1
    association.consent_changed_at = timezone.now()
    association.save(update_fields=["consent_text", "consent_version", "consent_changed_at"])
    audit.record(
        actor,
        association,
        AuditEntry.Action.UPDATED,
        audit.diff(association, before),
        comment="Изменён текст согласия на обработку персональных данных",
    )
    return association


@transaction.atomic
def consent_accept(person: Person, association: Association, version: int) -> Consent:
    """The person accepts the version of the consent text she was shown, dated now.

    Refused when the text changed meanwhile: she must read the new one.
    """
    association = Association.objects.get(pk=association.pk)
    if not association.consent_text.strip():
        raise DomainError("Объединение не просит согласия в системе.")
    if version != association.consent_version:
        raise DomainError(
            "Текст согласия только что изменился: прочитайте новую редакцию.", field="version"
        )
    consent, _ = Consent.objects.get_or_create(
        person=person,
        association=association,
        version=version,
        defaults={"text": association.consent_text},
    )
    fresh = Person.objects.select_for_update().get(pk=person.pk)
    fresh.consent_versions = {**fresh.consent_versions, str(association.pk): version}
    fresh.save(update_fields=["consent_versions"])
    person.consent_versions = fresh.consent_versions  # the caller's copy must not go stale
    return consent


@transaction.atomic
def deletion_request_create(
    person: Person, association: Association, reason: str = ""
) -> DeletionRequest:
    """A person asks for her data to be deleted; one open request at a time."""
    if DeletionRequest.objects.filter(person=person, status=DeletionRequest.Status.OPEN).exists():
        raise DomainError("Ваша просьба уже передана методисту и ждёт решения.")
    request = DeletionRequest.objects.create(
        person=person, association=association, reason=reason.strip()[:2000]
    )
    audit.record(person, person, AuditEntry.Action.UPDATED, comment="Просьба удалить данные")
    return request


@transaction.atomic
def deletion_request_decline(actor: Person, request: DeletionRequest, answer: str) -> None:
    """The methodist declines with an answer (e.g. the person still works in the association)."""
    if request.status != DeletionRequest.Status.OPEN:
        raise DomainError("По этой просьбе решение уже принято.")
    if not answer.strip():
        raise DomainError("Напишите, почему просьба отклонена.", field="answer")
    request.status = DeletionRequest.Status.DECLINED
    request.answer = answer.strip()[:2000]
    request.resolved_at = timezone.now()
    request.resolved_by = actor
    request.save(update_fields=["status", "answer", "resolved_at", "resolved_by"])
    audit.record(actor, request.person, AuditEntry.Action.UPDATED, comment="Просьба отклонена")


def anonymous_label(person: Person) -> str:
    return f"Участник № {person.pk}"


@transaction.atomic
def person_anonymise(actor: Person, person: Person) -> Person:
    """Replace a person who has left by «Участник № N»: history and figures stay, she does not.

    Names, e-mail, phone and position are replaced or cleared, the login is disabled, names
    copied into certificates, invitations and the audit log are removed; her registrations,
    attendance, certificates (their numbers still verify, without a name) and every total stay.
    Open deletion requests are closed as done. Cannot be undone.
    """
    from bibliomo.events.models import Certificate, ParticipantSettings, ProgrammeItem

    person = Person.objects.select_for_update().get(pk=person.pk)
    if actor.pk == person.pk:
        raise DomainError("Нельзя обезличить себя: попросите другого методиста.")
    if person.anonymised_at:
        raise DomainError("Этот человек уже обезличен.")
    old_names = {
        name
        for name in (person.full_name, person.short_name, person.email, person.phone)
        if name.strip()
    }
    old_email = person.email
    label = anonymous_label(person)
    person.last_name, person.first_name, person.patronymic = label, "", ""
    person.email = f"anonymised-{person.pk}@invalid"  # unique and never deliverable
    person.phone = ""
    person.librarian_since, person.education, person.education_detail = None, "", ""
    person.position = Position.OTHER
    person.is_active = False
    person.anonymised_at = timezone.now()
    person.set_unusable_password()
    person.save()

    Certificate.objects.filter(person=person).update(recipient_full_name="", recipient_dative="")
    ProgrammeItem.objects.filter(speaker=person).update(speaker_details="")
    ParticipantSettings.objects.filter(person=person).delete()  # the secret calendar link
    Invitation.objects.filter(person=person).update(
        email=person.email, last_name=label, first_name="", patronymic=""
    )
    Invitation.objects.filter(email__iexact=old_email).update(
        email=person.email, last_name=label, first_name="", patronymic=""
    )
    _scrub_contests(person, old_names, label)
    _scrub_audit(person, old_names, label)
    DeletionRequest.objects.filter(person=person, status=DeletionRequest.Status.OPEN).update(
        status=DeletionRequest.Status.DONE, resolved_at=timezone.now(), resolved_by=actor
    )
    audit.record(actor, person, AuditEntry.Action.UPDATED, comment="Данные обезличены")
    return person


def _scrub_contests(person: Person, old_names: set[str], label: str) -> None:
    """Her name leaves contest entries (as an author, alone or in a team) and the diplomas and
    certificates of contests (as an author or a juror); numbers, places and scores stay."""
    from django.db.models import Q

    from bibliomo.contests.models import Award, Entry

    names = sorted((n for n in old_names if "@" not in n), key=len, reverse=True)
    if not names:
        return
    named = Q()
    for name in names:
        named |= Q(authors__icontains=name)
    for entry in Entry.objects.filter(named):
        authors = entry.authors
        for name in names:
            authors = _replace_ci(authors, name, label)
        entry.authors = authors
        entry.save(update_fields=["authors"])
    Award.objects.filter(juror__person=person).update(recipient_full_name="", recipient_dative="")
    awarded = Q()
    for name in names:
        awarded |= Q(recipient_full_name__icontains=name)
    for award in Award.objects.filter(awarded):
        if "," in award.recipient_full_name:  # a team: only her name goes
            for name in names:
                award.recipient_full_name = _replace_ci(award.recipient_full_name, name, label)
                award.recipient_dative = _replace_ci(award.recipient_dative, name, label)
        else:
            award.recipient_full_name = award.recipient_dative = ""
        award.save(update_fields=["recipient_full_name", "recipient_dative"])


def _replace_ci(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old), new, text, flags=re.IGNORECASE)


def _scrub_audit(person: Person, old_names: set[str], label: str) -> None:
    """Her names leave the audit log: entries about her lose their values, others the names."""
    about_her = audit.history(person)
    about_her.update(object_repr=label, changes={}, comment="")
    AuditEntry.objects.filter(actor=person).update(actor_label=label)
    for name in sorted(old_names, key=len, reverse=True):
        for entry in AuditEntry.objects.filter(object_repr__contains=name):
            entry.object_repr = entry.object_repr.replace(name, label)
            entry.save(update_fields=["object_repr"])
        for entry in AuditEntry.objects.filter(comment__contains=name):
            entry.comment = entry.comment.replace(name, label)
            entry.save(update_fields=["comment"])


@dataclass
class PruneResult:
    audit_entries: int
    jobs: int
    job_files: int
    task_results: int
    guests: int = 0


def personal_data_prune(now=None) -> PruneResult:
    """Delete audit entries older than AUDIT_RETENTION_DAYS and jobs (with their result files)
    and django-tasks results older than JOB_RETENTION_DAYS. Run daily."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    audit_cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    job_cutoff = now - timedelta(days=settings.JOB_RETENTION_DAYS)
    audit_count, _ = AuditEntry.objects.filter(at__lt=audit_cutoff).delete()
    files = 0
    jobs = Job.objects.filter(created_at__lt=job_cutoff)
    for job in jobs.exclude(result_file=""):
        job.result_file.delete(save=False)
        files += 1
    job_count, _ = jobs.delete()
    task_count, _ = DBTaskResult.objects.finished().filter(finished_at__lt=job_cutoff).delete()
    guest_cutoff = now - timedelta(days=settings.GUEST_RETENTION_DAYS)
    guest_count, _ = Guest.objects.filter(event__ends_at__lt=guest_cutoff).delete()
    return PruneResult(audit_count, job_count, files, task_count, guest_count)


@transaction.atomic
def guest_forget(guest: Guest) -> None:
    """A guest of an open event deletes her data by the link of her letter: a registration
    still ahead is cancelled first (its place goes to the waitlist), then the row is gone."""
    from bibliomo.events import services as events

    if guest.status != Registration.Status.CANCELLED and not guest.event.is_past:
        events.guest_cancel(guest)
    Guest.objects.filter(pk=guest.pk).delete()
