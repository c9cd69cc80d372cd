"""Events at scale.

Targets (issue «Мероприятия»):
- issuing 200 certificates as the background ZIP job: time per certificate is printed;
- the event list and the calendar month with 500 events: constant query count and
  p95 under 100 ms.

Run: `make bench` or `.venv/bin/python bench/bench_events.py [--certificates N] [--events N]`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bibliomo-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["BIBLIOMO_VAR_DIR"] = tmp
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bibliomo.core.jobs import job_run
    from bibliomo.core.models import Job
    from bibliomo.demo import directory as directory_demo
    from bibliomo.directory.models import Person
    from bibliomo.events import certificates, notifications
    from bibliomo.events.models import Certificate, Event

    call_command("migrate", verbosity=0)
    with notifications.muted():
        cast = directory_demo.build()
    association = cast.association
    building = association.schools.first().buildings.first()
    start = timezone.now() - timedelta(days=400)
    Event.objects.bulk_create(
        Event(
            association=association,
            title=f"Семинар № {n}",
            kind="seminar",
            starts_at=start + timedelta(days=n % 700, hours=n % 8),
            ends_at=start + timedelta(days=n % 700, hours=2 + n % 8),
            building=building,
            status="announced",
            hours=Decimal(2),
        )
        for n in range(args.events)
    )
    event = Event.objects.first()
    # One event with N distinct recipients: the job renders one PDF each.
    people = Person.objects.bulk_create(
        Person(
            email=f"cert{n}@bench.test",
            last_name="Иванова",
            first_name="Анна",
            patronymic="Сергеевна",
            password="!",
        )
        for n in range(args.certificates)
    )
    Certificate.objects.bulk_create(
        Certificate(
            number=f"2024-B{n:07d}",
            event=event,
            person=person,
            role="participant",
            recipient_full_name=person.full_name,
            recipient_dative="Ивановой Анне Сергеевне",
            hours=Decimal(2),
        )
        for n, person in enumerate(people)
    )
    issued = Certificate.objects.filter(event=event).count()
    job = Job.objects.create(
        owner=cast.methodist, kind="certificates_zip", title="bench", params={"event_id": event.pk}
    )
    started = time.perf_counter()
    job_run(str(job.pk), certificates.certificates_zip)
    elapsed = time.perf_counter() - started
    print(
        f"certificates: {issued} in {elapsed:.1f} s — "
        f"{1000 * elapsed / issued:.0f} ms per certificate"
    )

    client = Client()
    client.force_login(cast.librarians[0])
    month = timezone.localdate(start + timedelta(days=30)).strftime("%Y-%m")
    for name, url in (
        ("event list (all past and future)", "/app/events/?past=1"),
        ("calendar month", f"/app/events/calendar/?month={month}"),
    ):
        client.get(url)
        timings, counts = [], set()
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
            counts.add(len(queries))
        verdict = "OK" if p95(timings) < 100 else "SLOWER THAN TARGET"
        print(
            f"{name}: p95 {p95(timings):.0f} ms, median {statistics.median(timings):.0f} ms, "
            f"queries {sorted(counts)} ({args.events} events; target p95 < 100 ms) {verdict}"
        )


if __name__ == "__main__":
    main()
