"""Upload limits, one per kind of upload, from settings: checked before a file is parsed.

The size comes first, from the upload's own size (Django has streamed anything bigger than
FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, so nothing is in memory yet); then a
ZIP-based file (DOCX, XLSX, ODS…) is measured member by member (`check_archive`) before any
parser sees it.
"""

from __future__ import annotations

from django import forms
from django.conf import settings

from bibliomo.lib.filetypes import ArchiveLimits, FileRejected, check_archive

MEBIBYTE = 1024 * 1024

# The kinds of upload and what a refusal of an oversized file advises.
KINDS = {
    "document": "Сожмите изображения в документе или разделите его на части.",
    "material": "Запись вебинара добавьте ссылкой, большой файл разделите на части.",
    "plan": "План обычно занимает не больше нескольких сотен килобайт — тот ли файл выбран?",
    "attendance": "Список участников обычно занимает несколько десятков килобайт — тот ли файл "
    "выбран?",
    "monitoring": "Шаблон школы обычно занимает меньше мегабайта — тот ли файл выбран?",
    "catalogue": "Федеральный перечень обычно занимает 1–2 МБ — тот ли файл выбран?",
    "contest": "Видео добавьте ссылкой в описании работы, большой файл разделите на части.",
}


def limit_mb(kind: str) -> int:
    return settings.UPLOAD_LIMITS_MB[kind]


def limit_bytes(kind: str) -> int:
    return limit_mb(kind) * MEBIBYTE


def archive_limits() -> ArchiveLimits:
    return ArchiveLimits(
        max_unzipped=settings.MAX_UNZIPPED_MB * MEBIBYTE,
        max_ratio=settings.MAX_ZIP_RATIO,
        max_members=settings.MAX_ZIP_MEMBERS,
    )


def size_error(kind: str, size: int) -> str:
    megabytes = f"{size / MEBIBYTE:.1f}".replace(".", ",")
    limit = limit_mb(kind)
    return f"Файл слишком большой: {megabytes} МБ, а можно не больше {limit} МБ. {KINDS[kind]}"


def checked_upload(upload, kind: str) -> bytes:
    """The bytes of an uploaded file that is within the limits of `kind`, or ValidationError
    with the Russian reason. The size is checked before anything is read."""
    if upload.size is not None and upload.size > limit_bytes(kind):
        raise forms.ValidationError(size_error(kind, upload.size))
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        check_archive(data, upload.name or "", archive_limits())
    except FileRejected as error:
        raise forms.ValidationError(error.message) from None
    return data


class LimitedFileField(forms.FileField):
    """A file field with the size and archive limits of one kind of upload; the form's
    cleaned value is the uploaded file, its checked bytes are in `.checked_data`."""

    def __init__(self, *args, kind: str, **kwargs):
        if kind not in KINDS:
            raise ValueError(f"Unknown upload kind {kind!r}")
        self.kind = kind
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.checked_data = checked_upload(upload, self.kind)
        return upload
