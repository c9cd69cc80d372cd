"""`bibliomo prune_personal_data`: the audit log and job results leave after their retention."""

import io
import os
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bibliomo.core.models import AuditEntry, Job

pytestmark = pytest.mark.django_db


def _entry(cast, days_ago: int) -> AuditEntry:
    return AuditEntry.objects.create(
        at=timezone.now() - timedelta(days=days_ago),
        actor=cast.methodist,
        actor_label="Леонтьева Э.В.",
        action=AuditEntry.Action.UPDATED,
        content_type=ContentType.objects.get_for_model(cast.librarian_a),
        object_id=str(cast.librarian_a.pk),
        object_repr="Иванова А.С.",
    )


def _job(cast, days_ago: int, with_file: bool) -> Job:
    job = Job.objects.create(
        owner=cast.methodist,
        kind="directory_export",
        title="Выгрузка справочника",
        status=Job.Status.DONE,
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    if with_file:
        job.result_file.save("справочник.xlsx", ContentFile(b"PK data"), save=True)
    return job


def _task_result(days_ago: int, status: str) -> DBTaskResult:
    when = timezone.now() - timedelta(days=days_ago)
    result = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="bibliomo.directory.tasks.directory_export",
        backend_name="default",
        queue_name="default",
        run_after=when,
        finished_at=when if status != "READY" else None,
        exception_class_path="",
        traceback="",
    )
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=when)
    return result


def test_prune_removes_what_is_past_retention_and_keeps_the_rest(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    settings.JOB_RETENTION_DAYS = 30
    AuditEntry.objects.all().delete()
    old_entry, recent_entry = _entry(cast, 400), _entry(cast, 300)
    old_job, recent_job = _job(cast, 31, with_file=True), _job(cast, 29, with_file=True)
    old_file = old_job.result_file.path
    old_done = _task_result(31, "SUCCESSFUL")
    old_failed = _task_result(40, "FAILED")
    recent_done = _task_result(2, "SUCCESSFUL")
    still_waiting = _task_result(60, "READY")

    out = io.StringIO()
    call_command("prune_personal_data", stdout=out)

    assert list(AuditEntry.objects.all()) == [recent_entry]
    assert list(Job.objects.all()) == [recent_job]
    assert not AuditEntry.objects.filter(pk=old_entry.pk).exists()
    assert not os.path.exists(old_file) and os.path.exists(recent_job.result_file.path)
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert remaining == {recent_done.pk, still_waiting.pk}
    assert old_done.pk not in remaining and old_failed.pk not in remaining
    text = out.getvalue()
    assert "Журнал изменений (хранится 365 дней): удалено 1 запись" in text
    assert "удалено 1 задача, 1 файл результатов, 2 записи очереди" in text


def test_prune_follows_the_setting(cast, settings):
    AuditEntry.objects.all().delete()
    entry = _entry(cast, 400)
    settings.AUDIT_RETENTION_DAYS = 500
    call_command("prune_personal_data", stdout=io.StringIO())
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    settings.AUDIT_RETENTION_DAYS = 399
    call_command("prune_personal_data", stdout=io.StringIO())
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()


def test_nothing_to_prune_says_so(db):
    out = io.StringIO()
    call_command("prune_personal_data", stdout=out)
    assert "удалено 0 записей" in out.getvalue()
