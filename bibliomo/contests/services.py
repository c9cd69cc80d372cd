"""Every write of the contests: the contest from its regulation, entries, the jury, results."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from bibliomo.contests.models import (
    Category,
    Contest,
    Criterion,
    Entry,
    ExternalEvent,
    Juror,
    Round,
    RoundDecision,
    Score,
    Sheet,
)
from bibliomo.core import audit, uploads
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person, Position, Role
from bibliomo.lib import ru
from bibliomo.lib.filetypes import FileKind, FileRejected, check_upload

CONTEST_FIELDS = (
    "title",
    "goals",
    "regulation",
    "audience",
    "age_groups",
    "entry_terms",
    "file_types",
    "max_file_mb",
    "applications_open",
    "applications_close",
    "judging_until",
    "results_on",
    "blind",
    "aggregation",
    "scores_after_own",
)
ENTRY_KINDS = {"pdf", "docx", "doc", "rtf", "odt", "pptx", "ppt", "odp", "png", "jpeg", "txt"}


def _check_terms(fields: dict[str, Any], categories: Sequence[str], criteria, rounds) -> None:
    if not str(fields.get("title", "")).strip():
        raise DomainError("Укажите название конкурса.", field="title")
    if fields["applications_close"] < fields["applications_open"]:
        raise DomainError(
            "Приём заявок не может закончиться раньше, чем начался.", field="applications_close"
        )
    if fields["judging_until"] < fields["applications_close"]:
        raise DomainError("Оценка идёт после приёма заявок.", field="judging_until")
    unknown = (
        {t.strip().lower().lstrip(".") for t in str(fields.get("file_types", "pdf")).split(",")}
        - ENTRY_KINDS
        - {""}
    )
    if unknown:
        raise DomainError(
            f"Неизвестный тип файла: {', '.join(sorted(unknown))}. Можно: "
            f"{', '.join(sorted(ENTRY_KINDS))}.",
            field="file_types",
        )
    if not 1 <= int(fields.get("max_file_mb", 1)) <= uploads.limit_mb("contest"):
        raise DomainError(
            f"Размер файла — от 1 до {uploads.limit_mb('contest')} МБ.", field="max_file_mb"
        )
    if fields["results_on"] < fields["judging_until"]:
        raise DomainError("Итоги подводятся после оценки.", field="results_on")
    if not categories:
        raise DomainError("Добавьте хотя бы одну номинацию.", field="categories")
    if not criteria:
        raise DomainError("Добавьте хотя бы один критерий оценки.", field="criteria")
    for item in criteria:
        if item["max_points"] < 1 or item["weight"] <= 0:
            raise DomainError(
                f"Критерий «{item['title']}»: максимум баллов и вес должны быть больше нуля.",
                field="criteria",
            )
    if not rounds:
        raise DomainError("Добавьте хотя бы один этап.", field="rounds")


def _write_terms(contest: Contest, categories, criteria, rounds) -> None:
    if contest.entries.exists():
        # Names may be corrected; the list of nominations and criteria is fixed once work arrives.
        existing = list(contest.categories.all())
        if len(existing) != len(categories) or len(contest.criteria.all()) != len(criteria):
            raise DomainError(
                "Работы уже поданы: номинации и критерии можно переименовать, но не добавить или "
                "убрать.",
                field="criteria",
            )
        for category, name in zip(existing, categories, strict=True):
            category.name = name
            category.save(update_fields=["name"])
        for criterion, item in zip(contest.criteria.all(), criteria, strict=True):
            for key, value in item.items():
                setattr(criterion, key, value)
            criterion.save()
    else:
        contest.categories.all().delete()
        contest.criteria.all().delete()
        Category.objects.bulk_create(
            Category(contest=contest, position=n, name=name)
            for n, name in enumerate(categories, start=1)
        )
        Criterion.objects.bulk_create(
            Criterion(contest=contest, position=n, **item)
            for n, item in enumerate(criteria, start=1)
        )
    contest.rounds.filter(decisions__isnull=True).delete()
    kept = list(contest.rounds.all())
    for n, item in enumerate(rounds, start=1):
        if n <= len(kept):
            Round.objects.filter(pk=kept[n - 1].pk).update(position=n, **item)
        else:
            Round.objects.create(contest=contest, position=n, **item)


@transaction.atomic
def contest_create(
    actor: Person,
    association: Association,
    *,
    categories: Sequence[str],
    criteria: Sequence[dict[str, Any]],
    rounds: Sequence[dict[str, Any]],
    **fields: Any,
) -> Contest:
    _check_terms(fields, categories, criteria, rounds)
    contest = Contest.objects.create(
        association=association, **{k: fields[k] for k in CONTEST_FIELDS if k in fields}
    )
    _write_terms(contest, categories, criteria, rounds)
    audit.record(actor, contest, AuditEntry.Action.CREATED)
    return contest


@transaction.atomic
def contest_update(
    actor: Person,
    contest: Contest,
    *,
    categories: Sequence[str],
    criteria: Sequence[dict[str, Any]],
    rounds: Sequence[dict[str, Any]],
    **fields: Any,
) -> Contest:
    if contest.status == Contest.Status.FINISHED:
        raise DomainError("Итоги конкурса подведены: условия больше не меняются.")
    _check_terms(fields, categories, criteria, rounds)
    before = audit.snapshot(contest, [k for k in CONTEST_FIELDS if k != "regulation"])
    for key in CONTEST_FIELDS:
        if key in fields:
            setattr(contest, key, fields[key])
    contest.save()
    _write_terms(contest, categories, criteria, rounds)
    audit.record(actor, contest, AuditEntry.Action.UPDATED, audit.diff(contest, before))
    return contest


def _members_emails(association: Association) -> list[str]:
    return list(
        Person.objects.filter(
            role_grants__association=association,
            role_grants__role__in=[Role.METHODIST, Role.HEAD, Role.DIRECTOR, Role.LIBRARIAN],
            is_active=True,
            anonymised_at__isnull=True,
        )
        .distinct()
        .values_list("email", flat=True)
    )


def _link(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


@transaction.atomic
def contest_announce(actor: Person, contest: Contest) -> Contest:
    """Open the contest for entries: it appears on the public portal and members get a letter."""
    if contest.status != Contest.Status.DRAFT:
        raise DomainError("Конкурс уже объявлен.")
    if contest.applications_close < timezone.localdate():
        raise DomainError("Срок приёма заявок уже прошёл: исправьте даты.")
    contest.status = Contest.Status.OPEN
    contest.save(update_fields=["status"])
    audit.record(actor, contest, AuditEntry.Action.UPDATED, comment="Конкурс объявлен")
    letter_send(
        "contests/announced",
        _members_emails(contest.association),
        {
            "contest": contest,
            "categories": [c.name for c in contest.categories.all()],
            "opens": ru.format_date(contest.applications_open),
            "closes": ru.format_date(contest.applications_close),
            "url": _link("contests:detail", contest.pk),
            "public_url": _link("public_contest", contest.pk),
        },
    )
    return contest


@transaction.atomic
def contest_close(actor: Person, contest: Contest) -> Contest:
    if contest.status != Contest.Status.OPEN:
        raise DomainError("Приём заявок закрывают у объявленного конкурса.")
    contest.status = Contest.Status.CLOSED
    contest.save(update_fields=["status"])
    audit.record(actor, contest, AuditEntry.Action.UPDATED, comment="Приём заявок закрыт")
    return contest


# --- entries ---------------------------------------------------------------------------------


def _entry_kind(contest: Contest, file) -> FileKind:
    """What the file really is, by its content, as the document library decides it; of the
    types and within the size the regulation allows (never beyond the site's limit)."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    allowed = ENTRY_KINDS & set(contest.file_type_list) or ENTRY_KINDS
    limit = min(uploads.limit_bytes("contest"), contest.max_file_mb * uploads.MEBIBYTE)
    if file.size and file.size > limit:
        raise DomainError(
            f"Файл больше {contest.max_file_mb} МБ — столько разрешает положение конкурса.",
            field="file",
        )
    try:
        return check_upload(
            data,
            file.name,
            allowed=allowed,
            max_bytes=limit,
            archive_limits=uploads.archive_limits(),
        )
    except FileRejected as error:
        raise DomainError(error.message, field="file") from None


def _attach(entry: Entry, file) -> None:
    kind = _entry_kind(entry.contest, file)
    name = Path(file.name).name
    if kind.renamed:
        name = f"{Path(name).stem}.{kind.extension}"
    if entry.file:
        entry.file.delete(save=False)
    entry.original_name = name[:255]
    entry.size = file.size
    suffix = Path(name).suffix.lower()
    entry.file.save(
        f"{secrets.token_hex(16)}{suffix if suffix.isascii() else ''}", file, save=False
    )


def _check_entry(contest: Contest, fields: dict[str, Any]) -> None:
    if not contest.accepts_entries():
        raise DomainError(
            f"Приём заявок {'закрыт' if contest.status != Contest.Status.DRAFT else 'не открыт'}"
            f" (срок — до {ru.format_date(contest.applications_close)})."
        )
    category = fields.get("category")
    if category is None or category.contest_id != contest.pk:
        raise DomainError("Выберите номинацию этого конкурса.", field="category")
    groups = contest.age_group_list
    if groups and fields.get("age_group") not in groups:
        raise DomainError("Выберите возрастную группу из положения.", field="age_group")
    if fields.get("is_pupils") and not fields.get("parent_consent"):
        raise DomainError(
            "Для работы обучающихся нужно согласие родителей (законных представителей) на "
            "обработку персональных данных.",
            field="parent_consent",
        )
    if not str(fields.get("authors", "")).strip():
        raise DomainError("Укажите автора работы.", field="authors")


ENTRY_FIELDS = (
    "category",
    "title",
    "description",
    "authors",
    "age_group",
    "is_pupils",
    "parent_consent",
    "publish_names",
)


@transaction.atomic
def entry_submit(actor: Person, contest: Contest, *, file=None, **fields: Any) -> Entry:
    if actor.school_id is None or Role.LIBRARIAN not in actor.roles_in(contest.association_id):
        raise DomainError("Заявку подаёт педагог-библиотекарь школы.")
    if contest.audience == Contest.Audience.PUPILS:
        fields["is_pupils"] = True
    _check_entry(contest, fields)
    if not file:
        raise DomainError("Приложите файл работы.", field="file")
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    number = (contest.entries.aggregate(n=Max("number"))["n"] or 0) + 1
    entry = Entry(
        contest=contest,
        number=number,
        school_id=actor.school_id,
        submitted_by=actor,
        **{k: fields.get(k, "") if k not in _FLAGS else bool(fields.get(k)) for k in ENTRY_FIELDS},
    )
    if not entry.is_pupils:
        entry.publish_names = True
    _attach(entry, file)
    entry.save()
    audit.record(actor, entry, AuditEntry.Action.CREATED)
    return entry


_FLAGS = {"is_pupils", "parent_consent", "publish_names"}


def _own_entry(actor: Person, entry: Entry) -> None:
    if entry.school_id != actor.school_id:
        raise DomainError("Это заявка другой школы.")
    if entry.status == Entry.Status.WITHDRAWN:
        raise DomainError("Заявка отозвана.")


@transaction.atomic
def entry_update(actor: Person, entry: Entry, *, file=None, **fields: Any) -> Entry:
    _own_entry(actor, entry)
    contest = entry.contest
    if contest.audience == Contest.Audience.PUPILS:
        fields["is_pupils"] = True
    _check_entry(contest, fields)
    before = audit.snapshot(entry, ["title", "description", "authors", "age_group"])
    for key in ENTRY_FIELDS:
        setattr(entry, key, bool(fields.get(key)) if key in _FLAGS else fields.get(key, ""))
    if not entry.is_pupils:
        entry.publish_names = True
    if file:
        _attach(entry, file)
    entry.status = Entry.Status.SUBMITTED
    entry.updated_at = timezone.now()
    entry.save()
    audit.record(actor, entry, AuditEntry.Action.UPDATED, audit.diff(entry, before))
    return entry


@transaction.atomic
def entry_withdraw(actor: Person, entry: Entry) -> Entry:
    _own_entry(actor, entry)
    if not entry.contest.accepts_entries():
        raise DomainError("Приём заявок закрыт: отозвать работу можно только через организатора.")
    if entry.sheets.filter(submitted_at__isnull=False).exists():
        raise DomainError("Работу уже оценивают: отозвать её можно только через организатора.")
    entry.status = Entry.Status.WITHDRAWN
    entry.save(update_fields=["status"])
    entry.sheets.all().delete()
    audit.record(actor, entry, AuditEntry.Action.UPDATED, comment="Заявка отозвана")
    return entry


@transaction.atomic
def entry_return(actor: Person, entry: Entry, comment: str) -> Entry:
    comment = comment.strip()
    if not comment:
        raise DomainError("Напишите, что исправить.", field="comment")
    if entry.status != Entry.Status.SUBMITTED:
        raise DomainError("Вернуть можно только поданную заявку.")
    if not entry.contest.accepts_entries():
        raise DomainError("Приём заявок закрыт: исправить работу уже нельзя.")
    entry.status = Entry.Status.RETURNED
    entry.return_comment = comment
    entry.save(update_fields=["status", "return_comment"])
    audit.record(actor, entry, AuditEntry.Action.UPDATED, comment=f"Возвращена: {comment}")
    letter_send(
        "contests/entry_returned",
        [entry.submitted_by.email],
        {
            "entry": entry,
            "contest": entry.contest,
            "comment": comment,
            "deadline": ru.format_date(entry.contest.applications_close),
            "url": _link("contests:detail", entry.contest_id),
        },
    )
    return entry


# --- the jury -------------------------------------------------------------------------------


@transaction.atomic
def juror_add(actor: Person, contest: Contest, person: Person, *, is_chair: bool = False) -> Juror:
    if contest.association_id not in person.grants:
        raise DomainError("Член жюри должен состоять в объединении.", field="person")
    juror, created = Juror.objects.get_or_create(
        contest=contest, person=person, defaults={"is_chair": is_chair}
    )
    if not created:
        raise DomainError(f"{person.short_name} уже в жюри.", field="person")
    if is_chair:
        contest.jurors.exclude(pk=juror.pk).update(is_chair=False)
    audit.record(actor, contest, AuditEntry.Action.UPDATED, comment=f"В жюри: {person.full_name}")
    return juror


@transaction.atomic
def juror_invite(
    actor: Person,
    contest: Contest,
    *,
    email: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
) -> Juror:
    """Invite an outsider (a children's writer, a city librarian) whose account only judges:
    the association role «член жюри» opens nothing by itself; the seat on this jury waits for
    her to accept the invitation."""
    from bibliomo.directory.services import invitation_create

    if not last_name.strip() or not first_name.strip():
        raise DomainError("Укажите фамилию и имя.", field="last_name")
    known = Person.objects.filter(email__iexact=email.strip()).first()
    if known is not None and contest.association_id in known.grants:
        raise DomainError(
            "Этот человек уже есть в объединении: добавьте его в жюри из списка.", field="email"
        )
    invitation, _ = invitation_create(
        actor,
        contest.association,
        email=email,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        position=Position.OTHER,
        roles=[Role.JUROR],
    )
    juror = Juror.objects.create(contest=contest, invitation=invitation)
    audit.record(
        actor,
        contest,
        AuditEntry.Action.UPDATED,
        comment=f"Приглашение в жюри: {invitation.full_name}",
    )
    return juror


@transaction.atomic
def juror_remove(actor: Person, juror: Juror) -> None:
    if juror.sheets.filter(submitted_at__isnull=False).exists():
        raise DomainError("Член жюри уже сдал оценки: исключить его нельзя.")
    contest = juror.contest
    name = str(juror)
    juror.delete()
    audit.record(actor, contest, AuditEntry.Action.UPDATED, comment=f"Из жюри: {name}")


@transaction.atomic
def sheets_assign(actor: Person | None, contest: Contest) -> int:
    """Give every juror every entry that is not from her own school. Re-running adds only
    the new ones; a sheet a juror stepped aside from stays declined."""
    if contest.status == Contest.Status.DRAFT:
        raise DomainError("Сначала объявите конкурс.")
    entries = list(contest.entries.filter(status=Entry.Status.SUBMITTED))
    created = 0
    for juror in contest.jurors.filter(person__isnull=False).select_related("person"):
        assert juror.person is not None, "filtered by person__isnull=False"
        school_id = juror.person.school_id
        have = set(juror.sheets.values_list("entry_id", flat=True))
        for entry in entries:
            if entry.pk in have or entry.school_id == school_id:
                continue
            Sheet.objects.create(juror=juror, entry=entry)
            created += 1
    if actor is not None and created:
        audit.record(
            actor, contest, AuditEntry.Action.UPDATED, comment=f"Назначено оценок: {created}"
        )
    return created


def _juror_sheet(person: Person, sheet: Sheet) -> None:
    if sheet.juror.person_id != person.pk:
        raise DomainError("Это оценочный лист другого члена жюри.")
    if sheet.entry.school_id == person.school_id:
        raise DomainError("Работу своей школы член жюри не оценивает.")
    if sheet.entry.contest.status == Contest.Status.FINISHED:
        raise DomainError("Итоги подведены: оценки больше не меняются.")


@transaction.atomic
def sheet_step_aside(person: Person, sheet: Sheet, reason: str) -> Sheet:
    _juror_sheet(person, sheet)
    reason = reason.strip()
    if not reason:
        raise DomainError("Напишите, в чём конфликт интересов.", field="conflict")
    sheet.conflict = reason
    sheet.submitted_at = None
    sheet.save(update_fields=["conflict", "submitted_at"])
    sheet.scores.all().delete()
    audit.record(person, sheet.entry, AuditEntry.Action.UPDATED, comment="Самоотвод члена жюри")
    return sheet


@transaction.atomic
def sheet_submit(person: Person, sheet: Sheet, points: dict[int, Any], comment: str) -> Sheet:
    _juror_sheet(person, sheet)
    if sheet.conflict:
        raise DomainError("Вы заявили конфликт интересов и эту работу не оцениваете.")
    if sheet.entry.status != Entry.Status.SUBMITTED:
        raise DomainError("Работа отозвана или возвращена на исправление.")
    rows = []
    for criterion in sheet.entry.contest.criteria.all():
        try:
            value = int(points.get(criterion.pk, ""))
        except (TypeError, ValueError):
            raise DomainError(
                f"Поставьте баллы по критерию «{criterion.title}».", field="points"
            ) from None
        if not 0 <= value <= criterion.max_points:
            raise DomainError(
                f"«{criterion.title}»: от 0 до {criterion.max_points} баллов.", field="points"
            )
        rows.append(Score(sheet=sheet, criterion=criterion, points=value))
    sheet.scores.all().delete()
    Score.objects.bulk_create(rows)
    sheet.comment = comment.strip()
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["comment", "submitted_at"])
    return sheet


@transaction.atomic
def jurors_remind(actor: Person, contest: Contest) -> int:
    """A letter to each juror with sheets still to fill; returns how many were written to."""
    sent = 0
    for juror in contest.jurors.filter(person__isnull=False).select_related("person"):
        assert juror.person is not None, "filtered by person__isnull=False"
        left = juror.sheets.filter(submitted_at__isnull=True, conflict="").count()
        if not left:
            continue
        letter_send(
            "contests/jury_reminder",
            [juror.person.email],
            {
                "contest": contest,
                "left": ru.plural(left, "работа", "работы", "работ"),
                "until": ru.format_date(contest.judging_until),
                "url": _link("contests:jury", contest.pk),
            },
        )
        sent += 1
    audit.record(actor, contest, AuditEntry.Action.UPDATED, comment=f"Напоминания жюри: {sent}")
    return sent


# --- decisions and results ------------------------------------------------------------------


@transaction.atomic
def decision_record(actor: Person, entry: Entry, round_: Round, passes: bool) -> RoundDecision:
    if round_.contest_id != entry.contest_id:
        raise DomainError("Этап другого конкурса.")
    if entry.status != Entry.Status.SUBMITTED:
        raise DomainError("Работа отозвана или на исправлении.")
    decision, _ = RoundDecision.objects.update_or_create(
        entry=entry, round=round_, defaults={"passes": passes}
    )
    audit.record(
        actor,
        entry,
        AuditEntry.Action.UPDATED,
        comment=f"{round_.name}: {'проходит' if passes else 'не проходит'}",
    )
    return decision


@transaction.atomic
def place_set(actor: Person, entry: Entry, place: int | None) -> Entry:
    if place is not None and not 1 <= place <= 3:
        raise DomainError("Место — 1, 2 или 3 (или без места).", field="place")
    if entry.status != Entry.Status.SUBMITTED:
        raise DomainError("Работа отозвана или на исправлении.")
    if entry.contest.status == Contest.Status.FINISHED:
        raise DomainError("Итоги уже опубликованы.")
    entry.place = place
    entry.save(update_fields=["place"])
    audit.record(actor, entry, AuditEntry.Action.UPDATED, comment=f"Место: {place or 'нет'}")
    return entry


@transaction.atomic
def results_publish(actor: Person, contest: Contest) -> Contest:
    if contest.status != Contest.Status.CLOSED:
        raise DomainError("Итоги публикуют после закрытия приёма заявок и оценки.")
    if not contest.entries.filter(place__isnull=False).exists():
        raise DomainError("Сначала отметьте места победителей и призёров.")
    contest.status = Contest.Status.FINISHED
    contest.results_public = True
    contest.results_published_at = timezone.now()
    contest.save(update_fields=["status", "results_public", "results_published_at"])
    audit.record(actor, contest, AuditEntry.Action.UPDATED, comment="Итоги опубликованы")
    return contest


@transaction.atomic
def conclusions_save(actor: Person, contest: Contest, text: str) -> Contest:
    contest.conclusions = text.strip()
    contest.save(update_fields=["conclusions"])
    audit.record(actor, contest, AuditEntry.Action.UPDATED, comment="Выводы справки")
    return contest


@transaction.atomic
def external_event_create(actor: Person, association: Association, **fields: Any) -> ExternalEvent:
    if not str(fields.get("title", "")).strip():
        raise DomainError("Укажите название.", field="title")
    event = ExternalEvent.objects.create(association=association, **fields)
    audit.record(actor, event, AuditEntry.Action.CREATED)
    return event


def parse_weight(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").strip())
    except InvalidOperation:
        raise DomainError(f"Вес «{text}» — не число.", field="criteria") from None
    return value
