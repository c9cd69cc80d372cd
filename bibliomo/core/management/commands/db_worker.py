"""django-tasks-db's `db_worker`, made to survive database errors.

The stock worker exits on an OperationalError that is not «database is locked» (a dropped
PostgreSQL connection, a disk error) and when recording a task's failure itself fails — on
SQLite under a long import it did, twice. Here a database error never ends the worker: it
closes the connections, waits a little longer each time, and goes on; a task whose outcome
cannot be recorded is retried a few times and then left logged, and the next task runs.
"""

from __future__ import annotations

import contextlib
import logging
import time

from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as StockCommand
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger("bibliomo.worker")

RETRY_DELAYS = (0.5, 1, 2, 5, 10, 30)  # seconds; the last one repeats


def _delay(attempt: int) -> float:
    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]


def _reset_connections() -> None:
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):  # one that cannot close is gone anyway
            connection.close()


class ResilientWorker(Worker):
    def run(self) -> None:
        attempt = 0
        while self.running:
            try:
                super().run()
                return  # a batch or --max-tasks worker ends normally
            except DatabaseError:
                logger.exception("Database error in the worker; retrying")
                _reset_connections()
                time.sleep(_delay(attempt))
                attempt += 1

    def run_task(self, db_task_result) -> None:
        try:
            super().run_task(db_task_result)
        except DatabaseError as error:
            # The task ran (or crashed), but its outcome could not be written.
            logger.exception("Could not record the outcome of task %s", db_task_result.id)
            self._record_failure(db_task_result, error)

    def _record_failure(self, db_task_result, error: BaseException) -> None:
        for attempt in range(len(RETRY_DELAYS)):
            _reset_connections()
            time.sleep(_delay(attempt))
            try:
                db_task_result.set_failed(error)
                return
            except DatabaseError:
                logger.exception("Still cannot record task %s as failed", db_task_result.id)
        logger.error("Gave up recording task %s; going on", db_task_result.id)


class Command(StockCommand):
    help = "Обработчик фоновых задач (django-tasks): не завершается при ошибках базы данных."

    def handle(self, *args, **options) -> None:
        # The stock command builds its Worker by name inside handle(); swap the class there.
        from django_tasks_db.management.commands import db_worker

        stock = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]  # swapped for this run only
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = stock  # type: ignore[misc]  # and put back
