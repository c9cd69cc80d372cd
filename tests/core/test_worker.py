"""The background worker survives database errors: the job is marked failed, the next one runs."""

import pytest
from django.db import OperationalError
from django_tasks import task
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from bibliomo.core.jobs import job_run, job_start
from bibliomo.core.management.commands import db_worker
from bibliomo.core.management.commands.db_worker import ResilientWorker
from bibliomo.core.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def _locked(job, progress):
    progress.update(1, 2, "Половина")
    raise OperationalError("database is locked")


def _fine(job, progress):
    return "Готово без ошибок."


@task()
def locked_task(job_id: str) -> None:
    job_run(job_id, _locked)


@task()
def fine_task(job_id: str) -> None:
    job_run(job_id, _fine)


@pytest.fixture
def database_queue(settings, monkeypatch):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    monkeypatch.setattr(db_worker.time, "sleep", lambda seconds: None)


def _worker() -> ResilientWorker:
    return ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def _start(owner, title, which):
    return job_start(owner, "test", title, which)  # enqueued on commit: autocommit here


def test_a_job_raising_operational_error_is_marked_failed_and_the_next_one_runs(
    cast, database_queue
):
    broken = _start(cast.methodist, "Сломанная", locked_task)
    fine = _start(cast.methodist, "Исправная", fine_task)
    assert DBTaskResult.objects.count() == 2

    _worker().run()  # returns: the worker did not die on the error

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == Job.Status.FAILED and "Данные не изменены" in broken.message
    assert fine.status == Job.Status.DONE and fine.message == "Готово без ошибок."
    outcomes = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert outcomes == ["FAILED", "SUCCESSFUL"]


def test_a_database_error_while_claiming_does_not_end_the_worker(cast, database_queue, monkeypatch):
    fine = _start(cast.methodist, "Исправная", fine_task)
    original = DBTaskResultQuerySet.get_locked
    calls = []

    def flaky(queryset):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return original(queryset)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", flaky)
    _worker().run()
    fine.refresh_from_db()
    assert fine.status == Job.Status.DONE and len(calls) >= 2


def test_a_failure_that_cannot_be_recorded_is_retried(cast, database_queue, monkeypatch):
    broken = _start(cast.methodist, "Сломанная", locked_task)
    original = DBTaskResult.set_failed
    calls = []

    def flaky(self, error):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return original(self, error)

    monkeypatch.setattr(DBTaskResult, "set_failed", flaky)
    _worker().run()
    assert len(calls) == 2
    assert DBTaskResult.objects.get().status == "FAILED"
    broken.refresh_from_db()
    assert broken.status == Job.Status.FAILED
