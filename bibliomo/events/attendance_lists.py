"""Checking an uploaded attendance list against the association's members (reads only).

A small list is checked while the page waits; a big one (more than
ATTENDANCE_BACKGROUND_KB) goes to a background job, so the person watches its progress
instead of a page that hangs, and the web process is free for everybody else. Both give the
same JSON-able result, which the page turns into the list of matches to confirm.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from bibliomo.core.errors import DomainError
from bibliomo.core.jobs import Progress, job_start
from bibliomo.core.models import Job
from bibliomo.core.spreadsheet_limits import import_limits
from bibliomo.directory.models import Association, Person
from bibliomo.events.models import Event
from bibliomo.lib.attendance import (
    AttendanceFileError,
    AttendanceRow,
    PersonRef,
    match_attendance,
    read_attendance_file,
)
from bibliomo.lib.sheet_problems import grouped, limited

JOB_KIND = "attendance_check"


def runs_in_background(size: int) -> bool:
    return size > settings.ATTENDANCE_BACKGROUND_KB * 1024


def association_members(association: Association):
    return Person.objects.filter(role_grants__association=association, is_active=True).distinct()


def attendance_list_check(association: Association, data: bytes, filename: str) -> dict[str, Any]:
    """{"problems": [...]} for a file that cannot be read, or {"matched": [[person id, row]],
    "unmatched": [row], "ambiguous": [[row, [person ids]]], "notices": [...]} with rows as
    dicts; notices name the columns the reader skipped."""
    try:
        read = read_attendance_file(data, filename, limits=import_limits("attendance"))
    except AttendanceFileError as error:
        return {"problems": error.messages}
    rows = read.rows
    refs = [
        PersonRef(p.pk, p.email, p.last_name, p.first_name, p.patronymic)
        for p in association_members(association)
    ]
    result = match_attendance(rows, refs)
    return {
        "matched": [[person_id, asdict(row)] for person_id, row in result.matched.items()],
        "unmatched": [asdict(row) for row in result.unmatched],
        "ambiguous": [[asdict(row), ids] for row, ids in result.ambiguous],
        "notices": limited(grouped(read.notices)),
    }


def attendance_list_start(actor: Person, event: Event, data: bytes, filename: str) -> Job:
    """Keep the file and check it in the background; the result waits in the job."""
    from bibliomo.events.tasks import check_attendance_list

    suffix = PurePath(filename).suffix.lower()
    stored = default_storage.save(
        f"jobs/input/{secrets.token_hex(16)}{suffix if suffix.isascii() else ''}",
        ContentFile(data),
    )
    return job_start(
        actor,
        JOB_KIND,
        f"Проверка списка присутствовавших «{filename[:100]}»",
        check_attendance_list,
        {"event": event.pk, "file": stored, "filename": filename[:200]},
    )


def attendance_list_job(job: Job, progress: Progress) -> str:
    """The background half: read, match, keep the result in the job, delete the file."""
    params = job.params
    event = Event.objects.select_related("association").get(pk=params["event"])
    progress.update(0, 2, "Чтение файла")
    try:
        with default_storage.open(params["file"], "rb") as stored:
            data = stored.read()
        result = attendance_list_check(event.association, data, params["filename"])
    finally:
        default_storage.delete(params["file"])
    progress.update(1, 2, "Сопоставление с участниками")
    url = reverse("events:attendance_import", args=[event.pk]) + f"?job={job.pk}"
    Job.objects.filter(pk=job.pk).update(params={**params, "result": result}, result_url=url)
    if "problems" in result:
        raise DomainError("Файл не загружен: в нём ошибки, ничего не изменено.")
    return (
        f"Найдены: {len(result['matched'])}; не найдены: {len(result['unmatched'])}. "
        "Откройте результат и отметьте присутствовавших."
    )


def attendance_list_job_of(person: Person, event: Event, job_id: str) -> Job | None:
    """The person's own check of this event's list, or None (a wrong or foreign id)."""
    try:
        return Job.objects.get(pk=job_id, owner=person, kind=JOB_KIND, params__event=event.pk)
    except (Job.DoesNotExist, ValidationError, ValueError):
        return None


def attendance_preview(result: dict, association: Association) -> dict[str, Any]:
    """The page's lists from a check's JSON result: people instead of ids, rows as objects."""
    if "problems" in result:
        return {"problems": result["problems"]}
    members = list(association_members(association).select_related("school"))
    by_id = {p.pk: p for p in members}
    return {
        "matched": [
            (by_id[pid], AttendanceRow(**row)) for pid, row in result["matched"] if pid in by_id
        ],
        "unmatched": [AttendanceRow(**row) for row in result["unmatched"]],
        "ambiguous": [
            (AttendanceRow(**row), [by_id[i] for i in ids if i in by_id])
            for row, ids in result["ambiguous"]
        ],
        "members": members,
        "notices": result.get("notices", []),
    }


def preview_candidates(preview: dict[str, Any]) -> list[int]:
    """Whom the preview offers to mark: the matched and every candidate of an ambiguous row."""
    return sorted(
        {person.pk for person, _ in preview["matched"]}
        | {person.pk for _, people in preview["ambiguous"] for person in people}
    )
