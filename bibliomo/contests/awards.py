"""Diplomas of winners and prize-winners, certificates of participants and jurors: issued
once the results are out, printed by the project's certificate engine (`lib/certificates.py`)
and verified on the public `/verify/<number>/` page beside events' certificates."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bibliomo.contests.models import Award, Contest, Entry
from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Person
from bibliomo.directory.selectors import association_signatories
from bibliomo.lib import certificates as rendering
from bibliomo.lib import ru
from bibliomo.lib.names import full_name_in_case, full_name_text_in_case, signature_name

PLACE_WORDS = {1: "I", 2: "II", 3: "III"}


def _new_number(contest: Contest) -> str:
    # «K» keeps contest numbers apart from events' («2025-…»); random, so none can be guessed.
    while True:
        number = f"K{contest.results_on.year}-{secrets.token_hex(4).upper()}"
        if not Award.objects.filter(number=number).exists():
            return number


def _dative(authors: str) -> str:
    if "," in authors:
        return authors  # a team: the names as typed
    return full_name_text_in_case(authors, "dative")


@transaction.atomic
def awards_issue(actor: Person, contest: Contest) -> list[Award]:
    """Diplomas for places 1–3, certificates for the other entries and for the jurors who
    judged. Re-running issues only the missing ones."""
    if contest.status != Contest.Status.FINISHED:
        raise DomainError("Дипломы и сертификаты выдаются после публикации итогов.")
    have_entries = set(contest.awards.exclude(entry=None).values_list("entry_id", flat=True))
    have_jurors = set(contest.awards.exclude(juror=None).values_list("juror_id", flat=True))
    created = []
    entries = contest.entries.filter(status=Entry.Status.SUBMITTED).select_related("category")
    for entry in entries:
        if entry.pk in have_entries:
            continue
        kind = {1: Award.Kind.WINNER, 2: Award.Kind.PRIZE_WINNER, 3: Award.Kind.PRIZE_WINNER}.get(
            entry.place or 0, Award.Kind.PARTICIPANT
        )
        created.append(
            Award.objects.create(
                number=_new_number(contest),
                contest=contest,
                kind=kind,
                entry=entry,
                recipient_full_name=entry.authors,
                recipient_dative=_dative(entry.authors),
                category=entry.category.name,
                place=entry.place,
                issued_by=actor,
            )
        )
    for juror in contest.jurors.filter(person__isnull=False).select_related("person"):
        if juror.pk in have_jurors or not juror.sheets.filter(submitted_at__isnull=False).exists():
            continue
        person = juror.person
        assert person is not None, "filtered by person__isnull=False"
        created.append(
            Award.objects.create(
                number=_new_number(contest),
                contest=contest,
                kind=Award.Kind.JUROR,
                juror=juror,
                recipient_full_name=person.full_name,
                recipient_dative=full_name_in_case(
                    person.last_name, person.first_name, person.patronymic, "dative"
                ),
                issued_by=actor,
            )
        )
    if not created and not (have_entries or have_jurors):
        raise DomainError("Некому выдавать: нет поданных работ и сдавших оценки членов жюри.")
    if created:
        audit.record(
            actor,
            contest,
            AuditEntry.Action.UPDATED,
            comment=f"Выдано дипломов и сертификатов: {len(created)}",
        )
    return created


def _body(award: Award) -> tuple[str, str, str]:
    """(title, subtitle, body) with the nomination and place written in; braces doubled so the
    engine reads them as text."""
    category = award.category.replace("{", "{{").replace("}", "}}")
    if award.kind in (Award.Kind.WINNER, Award.Kind.PRIZE_WINNER):
        place = PLACE_WORDS.get(award.place or 0, "")
        who = "победителя" if award.kind == Award.Kind.WINNER else "призёра"
        return (
            "ДИПЛОМ",
            f"{who} ({place} место)",
            "награждается {получатель}\n"
            f"за {place} место в номинации «{category}»\n"
            "муниципального конкурса «{мероприятие}» ({дата}).",
        )
    if award.kind == Award.Kind.JUROR:
        return (
            "СЕРТИФИКАТ",
            "члена жюри",
            "выдан {получатель_дп}\nза работу в жюри муниципального конкурса «{мероприятие}» "
            "({дата}).",
        )
    return (
        "СЕРТИФИКАТ",
        "участника",
        "выдан {получатель_дп}\nза участие в муниципальном конкурсе «{мероприятие}»\n"
        f"в номинации «{category}» ({{дата}}).",
    )


def award_pdf(award: Award) -> bytes:
    contest = award.contest
    association = contest.association
    title, subtitle, body = _body(award)
    template = rendering.CertificateTemplate(
        title=title,
        subtitle=subtitle,
        body=body,
        association_name=association.name,
        signatures=[
            (position, signature_name(person.full_name))
            for position, person in association_signatories(association)
        ],
    )
    data = rendering.CertificateData(
        number=award.number,
        recipient_full_name=award.recipient_full_name,
        recipient_dative=award.recipient_dative,
        role="participant",
        event_title=contest.title,
        event_kind="конкурс",
        event_kind_prepositional="конкурсе",
        event_dates=f"{ru.format_academic_year(contest.academic_year)} учебный год",
        hours=None,
        verify_url=settings.SITE_URL + award.get_verify_url(),
        issued_on=timezone.localdate(award.issued_at),
    )
    return rendering.render_certificate_pdf(template, data)
