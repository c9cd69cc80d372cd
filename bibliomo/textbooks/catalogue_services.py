"""Loading the federal list (shared by every association): preview first, apply on confirmation.

A file is compared with the list in the database before anything changes: what would be
added, changed and excluded, with counts and examples. Two rules guard the shared list:

- an amending order (одно приложение, «изменяющий приказ») adds and changes entries but never
  excludes any — the entries it does not mention stay as they are;
- a full list that would exclude more than a tenth of the entries now in the list is refused
  unless the person says it is a complete new list: a partial file loaded as a full one once
  excluded 211 entries in one click.

Writing goes in batches, each in its own short transaction, so that on SQLite other people's
requests never wait for a long import. Additions and changes come first and exclusions last:
an import interrupted half-way has at worst applied some of the file as an amending order
would, and loading the same file again finishes it (every step is idempotent).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.fields import max_length
from bibliomo.core.jobs import Progress, job_start
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry, Job
from bibliomo.core.spreadsheet_limits import import_limits
from bibliomo.directory.models import Association, Person
from bibliomo.lib.fpu import MAX_LENGTHS, FpuEntry, FpuFileError, code_sort_key, read_fpu_file
from bibliomo.lib.ru import plural
from bibliomo.lib.sheet_problems import grouped, limited
from bibliomo.textbooks.models import CatalogEntry, CatalogueCorrection, CatalogueImport

ENTRY_FIELDS = (
    "subject",
    "title",
    "authors",
    "grade_from",
    "grade_to",
    "publisher",
    "level",
    "order",
)
FIELD_LABELS = {
    "code": "код",
    "subject": "предмет",
    "title": "название",
    "authors": "авторы",
    "grade_from": "классы",
    "grade_to": "классы",
    "publisher": "издатель",
    "level": "уровень",
    "order": "приказ",
    "status": "возвращён в перечень",
}
EXCLUDE_SHARE_LIMIT = 0.1  # a full list excluding more than this share needs a confirmation
EXAMPLES = 10
BATCH_SIZE = 500


@dataclass
class PreviewLine:
    code: str
    title: str
    note: str = ""  # for a change: what changes («название, издатель»)


@dataclass
class CataloguePreview:
    """What loading a file would do to the list; JSON-serialisable for the stored upload."""

    in_file: int
    listed_before: int
    amendment: bool
    added: int = 0
    changed: int = 0
    excluded: int = 0
    added_examples: list[PreviewLine] = field(default_factory=list)
    changed_examples: list[PreviewLine] = field(default_factory=list)
    excluded_examples: list[PreviewLine] = field(default_factory=list)
    # What the reader skipped or doubted (unknown columns, look-alike headers): shown, not fatal.
    notices: list[str] = field(default_factory=list)

    @property
    def excluded_share(self) -> float:
        return self.excluded / self.listed_before if self.listed_before else 0.0

    @property
    def needs_full_list(self) -> bool:
        """Too many exclusions for anything but a complete new list."""
        return not self.amendment and self.excluded_share > EXCLUDE_SHARE_LIMIT

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.excluded)

    def summary(self) -> str:
        return (
            f"Добавлено: {self.added}; изменено: {self.changed}; "
            f"исключено из перечня: {self.excluded}."
        )

    def warning(self) -> str:
        """The refusal for a partial file loaded as a full list, or ""."""
        if not self.needs_full_list:
            return ""
        percent = math.ceil(self.excluded_share * 100)
        return (
            "Файл исключил бы из перечня "
            f"{plural(self.excluded, 'учебник', 'учебника', 'учебников')} "
            f"из {self.listed_before} ({percent}%). "
            "Если это изменяющий приказ (одно приложение), "
            "загрузите его как изменяющий приказ — он только добавит и изменит учебники. "
            "Если это полный новый перечень, подтвердите это отдельно."
        )

    def lines(self) -> list[str]:
        """The preview as plain lines: the command prints them, the page shows the same."""
        result = [
            f"В файле: {plural(self.in_file, 'учебник', 'учебника', 'учебников')}; "
            f"сейчас в перечне: {self.listed_before}.",
            ("Изменяющий приказ: учебники не исключаются. " if self.amendment else "")
            + self.summary(),
        ]
        for title, count, examples, more in self.groups():
            if not count:
                continue
            result.append(f"{title} ({count}):")
            for line in examples:
                note = f" — {line.note}" if line.note else ""
                result.append(f"  {line.code} {line.title}{note}")
            if more:
                result.append(f"  …и ещё {more}")
        if self.warning():
            result.append(self.warning())
        return result

    def groups(self) -> list[tuple[str, int, list[PreviewLine], int]]:
        """(heading, count, examples, how many more than the examples)."""
        return [
            (title, count, examples, count - len(examples))
            for title, count, examples in (
                ("Будут добавлены", self.added, self.added_examples),
                ("Будут изменены", self.changed, self.changed_examples),
                ("Будут исключены из перечня", self.excluded, self.excluded_examples),
            )
        ]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CataloguePreview:
        data = dict(data)
        for name in ("added_examples", "changed_examples", "excluded_examples"):
            data[name] = [PreviewLine(**line) for line in data.get(name, [])]
        return cls(**data)


@dataclass
class _Plan:
    """The exact writes: computed once, shown as a preview, then applied."""

    preview: CataloguePreview
    to_add: list[FpuEntry]
    to_change: list[tuple[CatalogEntry, FpuEntry]]
    to_exclude: list[CatalogEntry]


def _check_lengths(entries: Sequence[FpuEntry]) -> None:
    """Values longer than the database keeps: PostgreSQL would refuse them mid-import and
    SQLite would store them silently, so the whole file is refused first."""
    limits = {
        name: limit for name in ("code", *ENTRY_FIELDS) if (limit := max_length(CatalogEntry, name))
    }
    problems = [
        f"{item.code[:40]}: {FIELD_LABELS[name]} — {len(value)} символов, можно не больше {limit}"
        for item in entries
        for name, limit in limits.items()
        if isinstance(value := getattr(item, name), str) and len(value) > limit
    ]
    if problems:
        more = f"; …и ещё {len(problems) - 5}" if len(problems) > 5 else ""
        raise DomainError(
            "Перечень не загружен, ничего не изменено: слишком длинные значения. "
            + "; ".join(problems[:5])
            + more
            + "."
        )


def _plan(entries: Sequence[FpuEntry], *, amendment: bool) -> _Plan:
    _check_lengths(entries)
    existing = {entry.code: entry for entry in CatalogEntry.objects.all()}
    listed = sum(1 for e in existing.values() if e.status == CatalogEntry.Status.LISTED)
    preview = CataloguePreview(in_file=len(entries), listed_before=listed, amendment=amendment)
    to_add, to_change = [], []
    seen = set()
    for item in entries:
        seen.add(item.code)
        stored = existing.get(item.code)
        if stored is None:
            to_add.append(item)
            if len(preview.added_examples) < EXAMPLES:
                preview.added_examples.append(PreviewLine(item.code, item.title))
            continue
        changed = [name for name in ENTRY_FIELDS if getattr(stored, name) != getattr(item, name)]
        if stored.status == CatalogEntry.Status.EXCLUDED:
            changed.append("status")
        if changed:
            to_change.append((stored, item))
            if len(preview.changed_examples) < EXAMPLES:
                note = ", ".join(dict.fromkeys(FIELD_LABELS[name] for name in changed))
                preview.changed_examples.append(PreviewLine(item.code, item.title, note))
    to_exclude = []
    if not amendment:
        to_exclude = [
            stored
            for code, stored in sorted(existing.items(), key=lambda item: code_sort_key(item[0]))
            if code not in seen and stored.status == CatalogEntry.Status.LISTED
        ]
        preview.excluded_examples = [
            PreviewLine(stored.code, stored.title) for stored in to_exclude[:EXAMPLES]
        ]
    preview.added, preview.changed, preview.excluded = (
        len(to_add),
        len(to_change),
        len(to_exclude),
    )
    return _Plan(preview, to_add, to_change, to_exclude)


def catalogue_preview(entries: Sequence[FpuEntry], *, amendment: bool = False) -> CataloguePreview:
    """What loading `entries` would do; reads only."""
    return _plan(entries, amendment=amendment).preview


def catalogue_import(
    actor: Person | None,
    entries: Sequence[FpuEntry],
    *,
    amendment: bool = False,
    full_list: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> CataloguePreview:
    """Load a federal list: add new entries, update the changed ones and — unless `amendment` —
    mark the entries missing from the file excluded.

    Raises DomainError (nothing written) when a full list would exclude more than a tenth of
    the list and `full_list` is not set. Writes in batches (see the module's docstring).
    Teaching aids outside the list are left alone: they were never part of it.
    """
    plan = _plan(entries, amendment=amendment)
    preview = plan.preview
    if preview.needs_full_list and not full_list:
        raise DomainError(preview.warning(), field="full_list")
    total = preview.added + preview.changed + preview.excluded
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress.update(done, total, f"Записано {done} из {total}")

    for batch in _batches(plan.to_add, batch_size):
        with transaction.atomic():
            CatalogEntry.objects.bulk_create(
                [
                    CatalogEntry(
                        code=item.code,
                        limit_date=item.limit_date,
                        **{name: getattr(item, name) for name in ENTRY_FIELDS},
                    )
                    for item in batch
                ],
                ignore_conflicts=True,  # a repeated load after an interruption
            )
        step(len(batch))
    for batch in _batches(plan.to_change, batch_size):
        stored_entries = []
        for stored, item in batch:
            for name in ENTRY_FIELDS:
                setattr(stored, name, getattr(item, name))
            stored.status = CatalogEntry.Status.LISTED  # an excluded entry is back in the list
            stored_entries.append(stored)
        with transaction.atomic():
            CatalogEntry.objects.bulk_update(stored_entries, [*ENTRY_FIELDS, "status"])
        step(len(batch))
    for batch in _batches(plan.to_exclude, batch_size):
        with transaction.atomic():
            CatalogEntry.objects.filter(
                pk__in=[stored.pk for stored in batch], status=CatalogEntry.Status.LISTED
            ).update(status=CatalogEntry.Status.EXCLUDED)
        step(len(batch))
    if plan.to_change or plan.to_exclude:
        # Every school's stored totals are now of an older list: computed again here, in the
        # background, not by the next person who opens a summary.
        from bibliomo.textbooks.services import provision_refresh

        if progress is not None:
            progress.update(done, total, "Пересчитываем итоги обеспеченности школ…")
        provision_refresh()
    audit_target = CatalogEntry.objects.order_by("pk").first()
    if audit_target is not None:
        kind = "изменяющий приказ" if amendment else "федеральный перечень"
        audit.record(
            actor,
            audit_target,
            AuditEntry.Action.UPDATED,
            comment=f"Загружен {kind}. {preview.summary()}",
        )
    return preview


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- A stored upload: preview in the background, apply on confirmation ------------------------


@transaction.atomic
def catalogue_upload_start(
    actor: Person, data: bytes, filename: str, *, amendment: bool
) -> CatalogueImport:
    """Keep the uploaded file and start reading it in the background; nothing in the list
    changes until `catalogue_upload_confirm`."""
    upload = CatalogueImport(owner=actor, filename=filename[:200], amendment=amendment)
    upload.file.save(filename[-100:] or "fpu", ContentFile(data), save=False)
    upload.save()
    _start_check(actor, upload)
    return upload


def _start_check(actor: Person, upload: CatalogueImport) -> None:
    from bibliomo.textbooks.tasks import preview_catalogue

    upload.job = job_start(
        actor,
        "catalogue_preview",
        f"Проверка перечня «{upload.filename}»",
        preview_catalogue,
        {"upload": upload.pk},
    )
    upload.save(update_fields=["job"])


@transaction.atomic
def catalogue_upload_as_amendment(actor: Person, upload: CatalogueImport) -> CatalogueImport:
    """Check the same stored file again as an amending order (adds and changes, never
    excludes) — for a partial file first loaded as a full list."""
    upload = CatalogueImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != CatalogueImport.Status.READY or upload.amendment:
        raise DomainError("Эту загрузку уже нельзя проверить как изменяющий приказ.")
    upload.amendment = True
    upload.status = CatalogueImport.Status.CHECKING
    upload.preview = {}
    upload.save(update_fields=["amendment", "status", "preview"])
    _start_check(actor, upload)
    return upload


def _link_result(progress: Progress, upload: CatalogueImport) -> None:
    """The job page's «Открыть результат» leads to the upload's page."""
    progress.job.result_url = upload.get_absolute_url()
    Job.objects.filter(pk=progress.job.pk).update(result_url=progress.job.result_url)


def _read(upload: CatalogueImport):
    with upload.file.open("rb") as stored:
        data = stored.read()
    return read_fpu_file(
        data,
        upload.filename,
        limits=import_limits("fpu"),
        max_lengths={
            name: limit for name in MAX_LENGTHS if (limit := max_length(CatalogEntry, name))
        },
    )


def catalogue_upload_check(upload_id: int, progress: Progress) -> str:
    """Read the stored file and store the preview (the background half of the upload)."""
    upload = CatalogueImport.objects.get(pk=upload_id)
    progress.update(0, 2, "Чтение файла")
    try:
        read = _read(upload)
    except FpuFileError as error:
        upload.status = CatalogueImport.Status.FAILED
        upload.problems = error.messages
        upload.save(update_fields=["status", "problems"])
        raise DomainError("Перечень не загружен: в файле ошибки, ничего не изменено.") from None
    progress.update(1, 2, "Сравнение с перечнем")
    try:
        preview = catalogue_preview(read.entries, amendment=upload.amendment)
    except DomainError as error:
        upload.status = CatalogueImport.Status.FAILED
        upload.problems = [error.message]
        upload.save(update_fields=["status", "problems"])
        raise
    preview.notices = list(limited(grouped(read.notices)))
    upload.preview = preview.as_json()
    upload.status = CatalogueImport.Status.READY
    upload.save(update_fields=["preview", "status"])
    _link_result(progress, upload)
    return f"Файл прочитан. {preview.summary()} Подтвердите загрузку."


@transaction.atomic
def catalogue_upload_confirm(actor: Person, upload: CatalogueImport, *, full_list: bool):
    """Apply a previewed upload in the background. A file that would exclude more than a tenth
    of the list needs `full_list`."""
    from bibliomo.textbooks.tasks import apply_catalogue

    upload = CatalogueImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != CatalogueImport.Status.READY:
        raise DomainError("Эта загрузка уже применена или отменена.")
    preview = CataloguePreview.from_json(upload.preview)
    if preview.needs_full_list and not full_list:
        raise DomainError(preview.warning(), field="full_list")
    upload.status = CatalogueImport.Status.APPLYING
    upload.full_list = full_list
    upload.job = job_start(
        actor,
        "catalogue_apply",
        f"Загрузка перечня «{upload.filename}»",
        apply_catalogue,
        {"upload": upload.pk},
    )
    upload.save(update_fields=["status", "full_list", "job"])
    return upload


def catalogue_upload_apply(upload_id: int, progress: Progress) -> str:
    """Read the stored file again and load it (the background half of the confirmation)."""
    upload = CatalogueImport.objects.get(pk=upload_id)
    try:
        entries = _read(upload).entries
        preview = catalogue_import(
            progress.job.owner,  # who confirmed, not necessarily who uploaded
            entries,
            amendment=upload.amendment,
            full_list=upload.full_list,
            progress=progress,
        )
    except Exception:
        CatalogueImport.objects.filter(pk=upload.pk).update(status=CatalogueImport.Status.FAILED)
        raise
    upload.preview = preview.as_json()
    upload.status = CatalogueImport.Status.APPLIED
    upload.applied_at = timezone.now()
    upload.save(update_fields=["preview", "status", "applied_at"])
    _link_result(progress, upload)
    return f"Перечень загружен. {preview.summary()}"


@transaction.atomic
def catalogue_upload_cancel(actor: Person, upload: CatalogueImport) -> CatalogueImport:
    upload = CatalogueImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != CatalogueImport.Status.READY:
        raise DomainError("Отменить можно только загрузку, которая ждёт подтверждения.")
    upload.status = CatalogueImport.Status.CANCELLED
    upload.save(update_fields=["status"])
    upload.file.delete(save=False)
    return upload


# --- Proposals to correct the shared list -----------------------------------------------------


def platform_operators():
    return Person.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(is_regional_operator=True)
    )


@transaction.atomic
def correction_propose(
    actor: Person, association: Association, *, text: str, entry: CatalogEntry | None = None
) -> CatalogueCorrection:
    """A methodist proposes to correct the federal list; every platform operator is e-mailed."""
    text = text.strip()
    if not text:
        raise DomainError("Напишите, что исправить в перечне.", field="text")
    correction = CatalogueCorrection.objects.create(
        association=association, author=actor, entry=entry, text=text[:5000]
    )
    audit.record(actor, correction, AuditEntry.Action.CREATED)
    emails = [p.email for p in platform_operators() if p.email]
    if emails:
        about = f"учебник {entry.code} «{entry.title}»" if entry else "федеральный перечень"
        context = {
            "author": actor.full_name,
            "association": association.short_name,
            "about": about,
            "text": correction.text,
            "url": settings.SITE_URL + reverse("textbooks:corrections"),
        }
        letter_send("catalogue_correction", emails, context)
    return correction


@transaction.atomic
def correction_close(
    actor: Person, correction: CatalogueCorrection, *, answer: str = ""
) -> CatalogueCorrection:
    correction = CatalogueCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status == CatalogueCorrection.Status.CLOSED:
        raise DomainError("Предложение уже рассмотрено.")
    correction.status = CatalogueCorrection.Status.CLOSED
    correction.answer = answer.strip()[:5000]
    correction.closed_at = timezone.now()
    correction.closed_by = actor
    correction.save(update_fields=["status", "answer", "closed_at", "closed_by"])
    audit.record(actor, correction, AuditEntry.Action.UPDATED, comment="Рассмотрено")
    return correction
