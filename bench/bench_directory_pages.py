"""Directory pages at regional scale.

Target: with a regional deployment's worth of schools in one association (1,400 schools,
2,800 buildings, 2,800 librarians), the school list and the people list answer in under
500 ms each (median of 5, SQLite, this machine), with a bounded number of queries.

Run: `make bench` or `.venv/bin/python bench/bench_directory_pages.py [--schools N]`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1400)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bibliomo-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["BIBLIOMO_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bibliomo.directory.models import (
        Association,
        Building,
        Municipality,
        Person,
        Role,
        RoleGrant,
        School,
    )

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    municipality = Municipality.objects.create(name="Московская область (регион)")
    association = Association.objects.create(
        municipality=municipality, name="Региональное объединение", short_name="РМО"
    )
    schools = School.objects.bulk_create(
        School(
            association=association,
            short_name=f"МБОУ «СОШ № {n}»",
            full_name=f"Школа {n}",
            address=f"г. Город, ул. Школьная, д. {n}",
        )
        for n in range(1, args.schools + 1)
    )
    Building.objects.bulk_create(
        Building(
            school=school,
            name=name,
            address="ул. Школьная",
            latitude=55,
            longitude=37,
            is_main=name == "Основное здание",
        )
        for school in schools
        for name in ("Основное здание", "Корпус 2")
    )
    people = Person.objects.bulk_create(
        Person(
            email=f"lib{n}@bench.test",
            last_name=f"Фамилия{n}",
            first_name="Анна",
            patronymic="Петровна",
            school=schools[n % len(schools)],
            password="!",
        )
        for n in range(2 * len(schools))
    )
    RoleGrant.objects.bulk_create(
        RoleGrant(person=p, association=association, role=Role.LIBRARIAN) for p in people
    )
    methodist = Person.objects.create_user("m@bench.test", "x", last_name="М", first_name="М")
    RoleGrant.objects.create(person=methodist, association=association, role=Role.METHODIST)
    print(
        f"data: {len(schools)} schools, {2 * len(schools)} buildings, {len(people)} people "
        f"({time.perf_counter() - started:.1f} s to build)"
    )

    client = Client()
    client.force_login(methodist)
    for name, url in (("school list", "/app/schools/"), ("people list", "/app/people/")):
        client.get(url)  # warm up
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        median = statistics.median(timings)
        verdict = "OK" if median < 500 else "SLOWER THAN TARGET"
        print(f"{name}: median {median:.0f} ms, {len(queries)} queries (target < 500 ms) {verdict}")


if __name__ == "__main__":
    main()
