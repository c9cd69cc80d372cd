"""Full-text search over the document library.

Target (issue «Документы и портал»): search over 10,000 documents with extracted text —
p95 ≤ 200 ms on PostgreSQL ('russian' configuration, GIN index); the SQLite fallback's
figure is reported too.

Run: `make bench` (both databases) or
`.venv/bin/python bench/bench_documents.py [--documents N] [--database sqlite|postgres|both]`.
PostgreSQL is the machine's server at 127.0.0.1:5432 (a throwaway database is created).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "учебник",
    "учебники",
    "учебников",
    "учебного",
    "пособие",
    "фонд",
    "библиотечный",
    "учёт",
    "списание",
    "перечень",
    "федеральный",
    "обеспеченность",
    "обучающихся",
    "класс",
    "предмет",
    "литература",
    "математика",
    "история",
    "приказ",
    "письмо",
    "положение",
    "программа",
    "семинар",
    "конкурс",
    "чтение",
    "читатель",
    "библиотека",
    "школа",
    "инвентарная",
    "книга",
    "суммарного",
    "акт",
    "передачи",
    "обмен",
    "заказ",
    "издательство",
    "автор",
    "срок",
]
QUERIES = [
    "учебника",
    "списание учебников",
    "библиотечного фонда",
    "858",
    "конкурс чтецов",
    "инвентарная книга",
    "обмен учебниками",
    "предельный срок",
]


def run(database: str, count: int, requests: int) -> None:
    tmp = tempfile.mkdtemp(prefix="bibliomo-bench-")
    os.environ["BIBLIOMO_VAR_DIR"] = tmp
    if database == "postgres":
        name = f"bibliomo_bench_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bibliomo.directory.models import Association, Municipality
    from bibliomo.documents import selectors, services
    from bibliomo.documents.models import Document

    try:
        call_command("migrate", verbosity=0)
        association = Association.objects.create(
            municipality=Municipality.objects.create(name="Бенчмарк"), name="ММО", short_name="ММО"
        )
        rng = random.Random(7)
        started = time.perf_counter()
        Document.objects.bulk_create(
            Document(
                association=association,
                title=" ".join(rng.choices(WORDS, k=6)).capitalize(),
                kind="order",
                category="federal",
                number=str(rng.randint(1, 2000)),
                audience="members",
                summary=" ".join(rng.choices(WORDS, k=400)),
            )
            for _ in range(count)
        )
        for document in Document.objects.all().iterator(chunk_size=500):
            services.document_reindex(document)
        print(f"[{database}] indexed {count} documents in {time.perf_counter() - started:.0f} s")
        if database == "postgres":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE documents_document")
        documents = Document.objects.filter(association=association)
        timings = []
        for n in range(requests):
            query = QUERIES[n % len(QUERIES)]
            t0 = time.perf_counter()
            list(selectors.search(documents, query).only("id", "title")[:20])
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        verdict = "" if database != "postgres" else ("OK" if p95 <= 200 else "SLOWER THAN TARGET")
        print(
            f"[{database}] search p95 {p95:.0f} ms, median {statistics.median(timings):.0f} ms "
            f"over {requests} queries (target on PostgreSQL: p95 ≤ 200 ms) {verdict}"
        )
    finally:
        if database == "postgres":
            connection.close()
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.database == "both":
        # Django is configured once per process: each database gets a process of its own.
        for database in ("postgres", "sqlite"):
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--documents",
                    str(args.documents),
                    "--requests",
                    str(args.requests),
                    "--database",
                    database,
                ],
                check=False,
            )
        return
    run(args.database, args.documents, args.requests)


if __name__ == "__main__":
    main()
