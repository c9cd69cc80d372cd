"""Background jobs a person starts and watches: a Job row carries the progress.

A task takes the job id (never an object), is enqueued on commit, and wraps one service:
the service receives a `Progress` and reports as it goes. Progress is written outside the
service's final transaction, so a service that must be all-or-nothing does its reading and
checking first (reporting progress) and its writing last, inside one `transaction.atomic()`.
A crash marks the job failed and leaves the data as it was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import OperationalError, close_old_connections, transaction
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.core.models import Job

logger = logging.getLogger(__name__)


class Progress:
    def __init__(self, job: Job):
        self.job = job

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, int | str] = {"done": done}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message[:300]
        Job.objects.filter(pk=self.job.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.job, name, value)

    def attach(self, name: str, content: bytes) -> None:
        """Keep the job's result file for the person to download."""
        self.job.result_name = name
        self.job.result_file.save(name, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(
            result_file=self.job.result_file.name, result_name=name
        )


def job_start(
    owner,
    kind: str,
    title: str,
    task: Any,
    params: dict[str, Any] | None = None,
    *,
    result_url: str = "",
) -> Job:
    """Record the job and queue its task once the transaction commits; `result_url` is where
    the job's page sends the person when it is done."""
    job = Job.objects.create(
        owner=owner, kind=kind, title=title, params=params or {}, result_url=result_url
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: task.enqueue(job_id))
    return job


def job_run(job_id: str, work: Callable[[Job, Progress], str | None]) -> None:
    """Run `work(job, progress)`; it may return a final message for the person."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return  # a retried delivery must not run the work twice
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    job.status = Job.Status.RUNNING
    try:
        final_message = work(job, Progress(job))
    except DomainError as error:
        _finish(job, Job.Status.FAILED, error.message)
    except Exception:
        logger.exception("Job %s (%s) crashed", job.pk, job.kind)
        _finish(
            job,
            Job.Status.FAILED,
            "Задача прервалась из-за внутренней ошибки. Данные не изменены; "
            "сообщите методисту или администратору.",
        )
        raise
    else:
        _finish(job, Job.Status.DONE, final_message or "Готово.")


FINISH_RETRY_DELAYS = (0.2, 1, 3)  # seconds: a locked SQLite frees itself quickly


def _finish(job: Job, status: str, message: str) -> None:
    """Record the outcome; a locked or dropped database is retried, then the error raised."""
    for delay in (*FINISH_RETRY_DELAYS, None):
        try:
            Job.objects.filter(pk=job.pk).update(
                status=status, message=message[:300], finished_at=timezone.now()
            )
            return
        except OperationalError:
            if delay is None or transaction.get_connection().in_atomic_block:
                raise
            logger.warning("Could not record job %s as %s; retrying", job.pk, status)
            close_old_connections()
            time.sleep(delay)
