"""Every write to the document library: documents, versions, status, links, the package,
and proposing documents for the portal."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max, Value
from django.utils import timezone

from bibliomo.core import audit, uploads
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person
from bibliomo.documents.models import Document, DocumentLink, DocumentVersion, PackageItem
from bibliomo.lib import ru
from bibliomo.lib.filetypes import FileRejected, check_upload, sha256
from bibliomo.lib.russian_search import search_document
from bibliomo.lib.textextract import extract

DOCUMENT_FIELDS = (
    "title",
    "kind",
    "category",
    "issuer",
    "number",
    "date",
    "audience",
    "summary",
    "tags",
)
ALLOWED_KINDS = {"pdf", "docx", "doc", "xlsx", "odt", "pptx", "png", "jpeg"}
EXTRACTABLE = {"pdf", "docx", "xlsx", "odt", "pptx"}


def _max_bytes() -> int:
    return uploads.limit_bytes("document")


# --- Documents -------------------------------------------------------------------------------


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    if "title" in fields:
        fields["title"] = " ".join(fields["title"].split())
        if not fields["title"]:
            raise DomainError("Введите название документа.", field="title")
    if "tags" in fields:
        fields["tags"] = sorted({tag.strip().lower() for tag in fields["tags"] if tag.strip()})
    return fields


def _set_relations(document: Document, events, activities) -> None:
    """Link the events and plan activities the document belongs to (same association only)."""
    for items, label in ((events, "мероприятие"), (activities, "строка плана")):
        for item in items or ():
            owner = getattr(item, "association_id", None) or item.section.plan.association_id
            if owner != document.association_id:
                raise DomainError(f"Выбрано {label} другого объединения.")
    if events is not None:
        document.events.set(events)
    if activities is not None:
        document.activities.set(activities)


@transaction.atomic
def document_create(
    actor: Person | None,
    association: Association,
    *,
    file_data: bytes | None = None,
    filename: str = "",
    note: str = "",
    events=None,
    activities=None,
    **fields: Any,
) -> Document:
    document = Document(association=association, created_by=actor, **_clean_fields(fields))
    document.full_clean(exclude=["repealed_by"])
    document.save()
    _set_relations(document, events, activities)
    if file_data is not None:
        _add_version(actor, document, file_data, filename, note or "Первая версия")
    audit.record(actor, document, AuditEntry.Action.CREATED)
    document_reindex(document)
    return document


@transaction.atomic
def document_update(
    actor: Person, document: Document, *, events=None, activities=None, **fields: Any
) -> Document:
    fields = _clean_fields(fields)
    _set_relations(document, events, activities)
    before = audit.snapshot(document, fields)
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean(exclude=["repealed_by"])
    document.save()
    changes = audit.diff(document, before)
    if changes:
        audit.record(actor, document, AuditEntry.Action.UPDATED, changes)
    document_reindex(document)
    return document


@transaction.atomic
def version_add(
    actor: Person, document: Document, file_data: bytes, filename: str, note: str
) -> DocumentVersion:
    """A new file version; earlier versions stay downloadable."""
    version = _add_version(actor, document, file_data, filename, note)
    audit.record(
        actor,
        document,
        AuditEntry.Action.UPDATED,
        comment=f"Загружена версия {version.number}: {note[:200]}",
    )
    return version


def _add_version(actor, document: Document, data: bytes, filename: str, note: str):
    try:
        kind = check_upload(
            data,
            filename,
            allowed=ALLOWED_KINDS,
            max_bytes=_max_bytes(),
            archive_limits=uploads.archive_limits(),
        )
    except FileRejected as error:
        raise DomainError(error.message, field="file") from None
    digest = sha256(data)
    twin = (
        DocumentVersion.objects.filter(
            sha256=digest, document__association_id=document.association_id
        )
        .select_related("document")
        .first()
    )
    if twin is not None:
        raise DomainError(
            f"Точно такой же файл уже загружен: «{twin.document.title}», версия {twin.number}. "
            "Откройте этот документ вместо повторной загрузки.",
            field="file",
        )
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    stem = PurePath(filename).stem[:100] or "document"
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=f"{stem}.{kind.extension}",
        kind_code=kind.code,
        mime=kind.mime,
        size=len(data),
        sha256=digest,
        note=note.strip()[:500],
        uploaded_by=actor,
        text_state=(
            DocumentVersion.TextState.PENDING
            if kind.code in EXTRACTABLE
            else DocumentVersion.TextState.NONE
        ),
    )
    # The stored name is random: the uploaded name is data, never a path on our disk.
    version.file.save(f"{digest[:32]}.{kind.extension}", ContentFile(data), save=False)
    version.save()
    if version.text_state == DocumentVersion.TextState.PENDING:
        from bibliomo.documents.tasks import extract_version_text

        version_id = version.pk
        transaction.on_commit(lambda: extract_version_text.enqueue(version_id))
    return version


def version_extract_text(version_id: int) -> None:
    """Background: pull the text out of a version's file and re-index its document."""
    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None or version.text_state != DocumentVersion.TextState.PENDING:
        return  # gone, or already done: a repeated delivery does no work
    with version.file.open("rb") as handle:
        result = extract(handle.read(), version.kind_code)
    with transaction.atomic():
        DocumentVersion.objects.filter(pk=version.pk).update(
            text=result.text,
            text_state=(
                DocumentVersion.TextState.FAILED if result.error else DocumentVersion.TextState.DONE
            ),
            text_error=(result.error or "")[:300],
        )
        document_reindex(version.document)


def document_reindex(document: Document) -> None:
    """Recompute what search looks at: title, act line, issuer, summary, tags, newest text."""
    latest = document.versions.order_by("-number").values_list("text", flat=True).first() or ""
    heading = " ".join(
        [
            document.title,
            document.number,
            document.issuer,
            document.get_kind_display(),
            " ".join(document.tags),
        ]
    )
    body = f"{document.summary}\n{latest}"
    Document.objects.filter(pk=document.pk).update(
        search_stems=search_document(f"{heading}\n{body}")
    )
    if connection.vendor == "postgresql":
        Document.objects.filter(pk=document.pk).update(
            search_vector=SearchVector(Value(heading), weight="A", config="russian")
            + SearchVector(Value(body), weight="C", config="russian")
        )


@transaction.atomic
def document_repeal(
    actor: Person, document: Document, repealed_on: date, repealed_by: Document | None = None
) -> Document:
    if repealed_by is not None and repealed_by.pk == document.pk:
        raise DomainError("Документ не может отменить сам себя.", field="repealed_by")
    if repealed_by is not None and repealed_by.association_id != document.association_id:
        raise DomainError("Отменяющий документ должен быть в библиотеке объединения.")
    document.status = Document.Status.REPEALED
    document.repealed_on = repealed_on
    document.repealed_by = repealed_by
    document.save(update_fields=["status", "repealed_on", "repealed_by", "updated_at"])
    if repealed_by is not None:
        DocumentLink.objects.get_or_create(
            source=repealed_by, target=document, kind=DocumentLink.Kind.REPLACES
        )
    audit.record(
        actor, document, AuditEntry.Action.UPDATED, comment=f"Утратил силу с {repealed_on:%d.%m.%Y}"
    )
    return document


@transaction.atomic
def document_link(actor: Person, source: Document, target: Document, kind: str) -> DocumentLink:
    if source.pk == target.pk:
        raise DomainError("Документ нельзя связать с самим собой.", field="target")
    if kind not in DocumentLink.Kind.values:
        raise DomainError("Неизвестный вид связи.", field="kind")
    if source.association_id != target.association_id:
        raise DomainError("Связать можно только документы одной библиотеки.", field="target")
    link, _ = DocumentLink.objects.get_or_create(source=source, target=target, kind=kind)
    audit.record(
        actor,
        source,
        AuditEntry.Action.UPDATED,
        comment=f"{ru.capfirst(link.get_kind_display())} «{target.title[:150]}»",
    )
    return link


# --- The portal ------------------------------------------------------------------------------


@transaction.atomic
def document_propose(actor: Person, document: Document) -> Document:
    if document.audience != Document.Audience.PUBLIC:
        raise DomainError(
            "На портал можно предложить только публичный документ: "
            "измените «Кому доступен» на «все»."
        )
    if document.status == Document.Status.DRAFT:
        raise DomainError("Проект документа не публикуется на портале.")
    document.portal_state = Document.PortalState.REVIEW
    document.save(update_fields=["portal_state", "updated_at"])
    audit.record(actor, document, AuditEntry.Action.UPDATED, comment="Предложен для портала")
    return document


@transaction.atomic
def document_publish(actor: Person, document: Document) -> Document:
    if document.portal_state not in (Document.PortalState.REVIEW, Document.PortalState.RETURNED):
        raise DomainError("Опубликовать можно документ, предложенный для портала.")
    if document.audience != Document.Audience.PUBLIC:
        raise DomainError("Документ не публичный: публиковать его нельзя.")
    document.portal_state = Document.PortalState.PUBLISHED
    document.portal_published_at = timezone.now()
    document.portal_comment = ""
    document.save(
        update_fields=["portal_state", "portal_published_at", "portal_comment", "updated_at"]
    )
    audit.record(actor, document, AuditEntry.Action.UPDATED, comment="Опубликован на портале")
    return document


@transaction.atomic
def document_return(actor: Person, document: Document, comment: str) -> Document:
    comment = comment.strip()
    if not comment:
        raise DomainError("Напишите, что исправить.", field="comment")
    document.portal_state = Document.PortalState.RETURNED
    document.portal_comment = comment
    document.save(update_fields=["portal_state", "portal_comment", "updated_at"])
    audit.record(actor, document, AuditEntry.Action.UPDATED, comment=f"Возвращён: {comment[:200]}")
    return document


@transaction.atomic
def document_unpublish(actor: Person, document: Document) -> Document:
    document.portal_state = Document.PortalState.NONE
    document.portal_published_at = None
    document.save(update_fields=["portal_state", "portal_published_at", "updated_at"])
    audit.record(actor, document, AuditEntry.Action.UPDATED, comment="Снят с портала")
    return document


# --- The yearly package ----------------------------------------------------------------------


@transaction.atomic
def package_item_add(
    actor: Person, association: Association, year: int, title: str, document: Document | None = None
) -> PackageItem:
    title = " ".join(title.split())
    if not title:
        raise DomainError("Напишите, какой документ должен быть в пакете.", field="title")
    if document is not None and document.association_id != association.pk:
        raise DomainError("Документ не из библиотеки объединения.", field="document")
    last = (
        PackageItem.objects.filter(association=association, academic_year=year).aggregate(
            last=Max("position")
        )["last"]
        or 0
    )
    item = PackageItem.objects.create(
        association=association,
        academic_year=year,
        position=last + 1,
        title=title,
        document=document,
    )
    audit.record(actor, item, AuditEntry.Action.CREATED)
    return item


@transaction.atomic
def package_item_set_document(actor: Person, item: PackageItem, document: Document | None):
    if document is not None and document.association_id != item.association_id:
        raise DomainError("Документ не из библиотеки объединения.", field="document")
    before = audit.snapshot(item, ["document"])
    item.document = document
    item.save(update_fields=["document"])
    audit.record(actor, item, AuditEntry.Action.UPDATED, audit.diff(item, before))
    return item


@transaction.atomic
def package_item_delete(actor: Person, item: PackageItem) -> None:
    audit.record(actor, item, AuditEntry.Action.DELETED)
    item.delete()


def package_source_year(association: Association, year: int) -> int | None:
    """The latest academic year before `year` that has a package to start from."""
    return (
        PackageItem.objects.filter(association=association, academic_year__lt=year)
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)
        .first()
    )


@transaction.atomic
def package_copy(actor: Person, association: Association, year: int) -> tuple[int, int]:
    """Start a year's package from the latest earlier one: (rows copied, the year copied).

    Years in the titles move with it («План работы ММО на 2024/2025 учебный год» → «…на
    2026/2027…»); acts and federal documents stay linked, the association's own documents are
    the year's to link anew."""
    if PackageItem.objects.filter(association=association, academic_year=year).exists():
        raise DomainError("Пакет на этот год уже заведён.")
    source = package_source_year(association, year)
    if source is None:
        raise DomainError("Пакетов прошлых лет нет: добавьте строки пакета по одной.")
    previous = PackageItem.objects.filter(association=association, academic_year=source)
    copied = 0
    for item in previous.select_related("document").order_by("position"):
        keep = (
            item.document
            if item.document and item.document.category != Document.Category.ASSOCIATION
            else None
        )
        copy = PackageItem.objects.create(
            association=association,
            academic_year=year,
            position=item.position,
            title=ru.shift_academic_years(item.title, year - source),
            document=keep,
        )
        audit.record(
            actor,
            copy,
            AuditEntry.Action.CREATED,
            comment=f"Из пакета {ru.format_academic_year(source)}",
        )
        copied += 1
    return copied, source
