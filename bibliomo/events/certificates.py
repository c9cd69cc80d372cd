"""Certificates of participation and of speakers: issuing, wording, rendering, the ZIP job."""

from __future__ import annotations

import io
import secrets
import zipfile
from typing import cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.jobs import Progress
from bibliomo.core.models import AuditEntry, Job
from bibliomo.directory.models import Association, Person
from bibliomo.directory.selectors import association_signatories
from bibliomo.events import notifications
from bibliomo.events.models import Certificate, CertificateTemplate, Event, Registration
from bibliomo.lib import certificates as rendering
from bibliomo.lib import ru
from bibliomo.lib.names import full_name_in_case, signature_name


def _signatures(association: Association) -> list[tuple[str, str]]:
    """Position and «И.О. Фамилия» (ГОСТ Р 7.0.97-2016, п. 5.23) of those who sign."""
    return [
        (title, signature_name(person.full_name))
        for title, person in association_signatories(association)
    ]


def template_for(association: Association, role: str) -> rendering.CertificateTemplate:
    stored = CertificateTemplate.objects.filter(association=association, role=role).first()
    if stored is None:
        return rendering.default_template(
            cast(rendering.Role, role), association.name, _signatures(association)
        )
    return rendering.CertificateTemplate(
        title=stored.title,
        subtitle=stored.subtitle,
        body=stored.body,
        association_name=association.name,
        signatures=[tuple(pair) for pair in stored.signatures],
        place_and_year=stored.place_and_year,
    )


@transaction.atomic
def template_save(
    actor: Person, association: Association, role: str, **fields
) -> CertificateTemplate:
    candidate = rendering.CertificateTemplate(
        title=fields["title"],
        subtitle=fields.get("subtitle", ""),
        body=fields["body"],
        association_name=association.name,
        signatures=fields.get("signatures", []),
        place_and_year=fields.get("place_and_year", ""),
    )
    problems = rendering.validate_template(candidate)
    if problems:
        raise DomainError(" ".join(problems), field="body")
    stored, _ = CertificateTemplate.objects.update_or_create(
        association=association,
        role=role,
        defaults={
            key: fields.get(key, "") for key in ("title", "subtitle", "body", "place_and_year")
        }
        | {"signatures": [list(pair) for pair in fields.get("signatures", [])]},
    )
    audit.record(actor, stored, AuditEntry.Action.UPDATED, comment="Шаблон сертификата")
    return stored


def _new_number(event: Event) -> str:
    # Random, not sequential: a number cannot be guessed to learn who attended what.
    year = timezone.localdate(event.starts_at).year
    while True:
        number = f"{year}-{secrets.token_hex(4).upper()}"
        if not Certificate.objects.filter(number=number).exists():
            return number


@transaction.atomic
def certificates_issue(actor: Person, event: Event) -> list[Certificate]:
    """Certificates for everyone marked attended and for the members who spoke. Re-running
    issues only the missing ones."""
    if event.status == Event.Status.CANCELLED:
        raise DomainError("Мероприятие отменено: сертификаты не выдаются.")
    if event.starts_at > timezone.now():
        raise DomainError("Сертификаты выдаются после мероприятия.")
    attended = list(
        event.registrations.filter(attendance=Registration.Attendance.ATTENDED).select_related(
            "person"
        )
    )
    wanted: list[tuple[Person, str, str]] = [
        (r.person, Certificate.Role.PARTICIPANT, "") for r in attended
    ]
    attended_ids = {r.person_id for r in attended}
    for item in event.programme.select_related("speaker"):
        if item.speaker is not None and item.speaker_id in attended_ids:
            wanted.append((item.speaker, Certificate.Role.SPEAKER, item.topic))
    if not wanted:
        raise DomainError("Никто не отмечен как присутствовавший: сначала отметьте посещение.")
    existing = set(event.certificates.values_list("person_id", "role"))
    created = []
    for person, role, talk in wanted:
        if (person.pk, role) in existing:
            continue
        existing.add((person.pk, role))
        created.append(
            Certificate.objects.create(
                number=_new_number(event),
                event=event,
                person=person,
                role=role,
                recipient_full_name=person.full_name,
                recipient_dative=full_name_in_case(
                    person.last_name, person.first_name, person.patronymic, "dative"
                ),
                talk_title=talk,
                hours=event.hours,
                issued_by=actor,
            )
        )
    if created:
        audit.record(
            actor, event, AuditEntry.Action.UPDATED, comment=f"Выдано сертификатов: {len(created)}"
        )
        registrations = {r.person_id: r for r in attended}
        for certificate in created:
            if certificate.role == Certificate.Role.PARTICIPANT:
                notifications.send(registrations[certificate.person_id], "certificate")
    return created


@transaction.atomic
def certificate_correct_name(actor: Person, certificate: Certificate, dative: str) -> Certificate:
    dative = " ".join(dative.split())
    if not dative:
        raise DomainError("Укажите ФИО в дательном падеже.", field="recipient_dative")
    before = audit.snapshot(certificate, ["recipient_dative"])
    certificate.recipient_dative = dative
    certificate.save(update_fields=["recipient_dative"])
    audit.record(actor, certificate, AuditEntry.Action.UPDATED, audit.diff(certificate, before))
    return certificate


# The kind of event after «в»/«на», as the certificate names it: «за участие в семинаре».
KIND_PREPOSITIONAL: dict[str, str] = {
    Event.Kind.SEMINAR: "семинаре",
    Event.Kind.ROUND_TABLE: "круглом столе",
    Event.Kind.MASTER_CLASS: "мастер-классе",
    Event.Kind.IDEAS_FAIR: "ярмарке идей",
    Event.Kind.WEBINAR: "вебинаре",
    Event.Kind.CONFERENCE: "конференции",
    Event.Kind.MEETING: "заседании ММО",
    Event.Kind.GROUP_MEETING: "заседании творческой группы",
    Event.Kind.CELEBRATION: "празднике",
    Event.Kind.COURSE: "курсах",
}


def certificate_data(certificate: Certificate) -> rendering.CertificateData:
    event = certificate.event
    return rendering.CertificateData(
        number=certificate.number,
        recipient_full_name=certificate.recipient_full_name,
        recipient_dative=certificate.recipient_dative,
        role=cast(rendering.Role, certificate.role),  # the model's choices are Role's values
        event_title=event.title,
        event_kind=event.get_kind_display(),
        event_kind_prepositional=KIND_PREPOSITIONAL.get(event.kind, "мероприятии"),
        event_dates=event.dates_text,
        hours=certificate.hours,
        talk_title=certificate.talk_title,
        verify_url=settings.SITE_URL + certificate.get_verify_url(),
        issued_on=timezone.localdate(certificate.issued_at),
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    template = template_for(certificate.event.association, certificate.role)
    return rendering.render_certificate_pdf(template, certificate_data(certificate))


def certificates_zip(job: Job, progress: Progress) -> str:
    """The background job behind «Скачать все»: one PDF per certificate in a ZIP."""
    event = Event.objects.select_related("association").get(pk=job.params["event_id"])
    certificates = list(event.certificates.select_related("event__association"))
    progress.update(0, len(certificates), "Готовлю сертификаты…")
    templates = {role: template_for(event.association, role) for role in Certificate.Role.values}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, certificate in enumerate(certificates, start=1):
            pdf = rendering.render_certificate_pdf(
                templates[certificate.role], certificate_data(certificate)
            )
            name = f"{certificate.number} {certificate.recipient_full_name}.pdf"
            archive.writestr(name, pdf)
            progress.update(done, message=f"Готово {done} из {len(certificates)}")
    progress.attach(f"certificates-{event.pk}.zip", buffer.getvalue())
    return f"В архиве {ru.plural(len(certificates), 'сертификат', 'сертификата', 'сертификатов')}."
