"""Textbook provision at regional scale (PostgreSQL).

Targets (issue «Мониторинг обеспеченности»):
- a generated region: 60 municipalities, 1,700 schools, the full sample catalogue, ~400k holdings;
- importing one school's filled template (~600 rows): the time, and python-calamine's read rate
  against openpyxl on the same file (target ≥ 10×);
- provision computed in the database: the municipal summary of one municipality ≤ 300 ms, the
  regional totals ≤ 3 s.

Run: `make bench` or `.venv/bin/python bench/bench_provision.py [--schools N]` (needs the
PostgreSQL server at 127.0.0.1:5432; a throwaway database is created and dropped).
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(function, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1700)
    parser.add_argument("--municipalities", type=int, default=60)
    args = parser.parse_args()

    name = f"bibliomo_bench_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ["BIBLIOMO_VAR_DIR"] = tempfile.mkdtemp(prefix="bibliomo-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        run(args)
    finally:
        connection.close()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=False)


def run(args) -> None:
    import openpyxl
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from bibliomo.directory.models import Association, Municipality, School
    from bibliomo.lib.provision_workbook import (
        EnrolmentRow,
        HoldingRow,
        LineRow,
        SchoolWorkbook,
        read_workbook,
        write_workbook,
    )
    from bibliomo.textbooks import provision, selectors, services
    from bibliomo.textbooks.fpu_sample import SAMPLE_ENTRIES
    from bibliomo.textbooks.models import CatalogEntry, Holding, TextbookLine

    rng = random.Random(1)
    started = time.perf_counter()
    services.catalogue_import(None, list(SAMPLE_ENTRIES))
    entries = list(CatalogEntry.objects.all())
    by_grade = {g: [e for e in entries if e.grade_from <= g <= e.grade_to] for g in range(1, 12)}
    associations = [
        Association.objects.create(
            municipality=Municipality.objects.create(name=f"Муниципалитет {n}"),
            name=f"ММО {n}",
            short_name=f"ММО {n}",
        )
        for n in range(args.municipalities)
    ]
    schools = School.objects.bulk_create(
        School(
            association=associations[n % len(associations)],
            short_name=f"Школа {n}",
            full_name=f"Школа {n}",
        )
        for n in range(args.schools)
    )
    lines, holdings = [], []
    for school in schools:
        for grade in range(1, 12):
            pupils = rng.randint(40, 160)
            subjects = {}
            for entry in by_grade[grade]:
                subjects.setdefault(entry.subject, entry)
            for entry in subjects.values():
                lines.append(
                    TextbookLine(
                        school=school, academic_year=2024, grade=grade, entry=entry, pupils=pupils
                    )
                )
                copies = round(pupils * rng.uniform(0.85, 1.15))
                for year in (2019, 2023):
                    holdings.append(
                        Holding(
                            school=school,
                            entry=entry,
                            purchase_year=year,
                            copies=copies // 2,
                            damaged=rng.randint(0, 1),
                        )
                    )
    TextbookLine.objects.bulk_create(lines, batch_size=5000, ignore_conflicts=True)
    Holding.objects.bulk_create(holdings, batch_size=5000, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"region: {len(associations)} municipalities, {len(schools)} schools, {len(entries)} "
        f"catalogue entries, {Holding.objects.count()} holdings, {TextbookLine.objects.count()} "
        f"lines ({time.perf_counter() - started:.0f} s to generate)"
    )

    as_of = date(2024, 9, 15)
    municipality = associations[0].municipality_id
    one = timed(
        lambda: (
            provision.totals(2024, as_of, "school", municipality_id=municipality),
            provision.totals(2024, as_of, "subject", municipality_id=municipality),
            provision.totals(2024, as_of, "all", municipality_id=municipality),
        )
    )
    print(
        f"municipal summary (school, subject, total): {1000 * one:.0f} ms "
        f"(target ≤ 300 ms) {'OK' if one <= 0.3 else 'SLOWER THAN TARGET'}"
    )
    region = timed(
        lambda: (provision.totals(2024, as_of, "subject"), provision.totals(2024, as_of, "all")),
        repeat=3,
    )
    print(
        f"regional totals (subject, total): {region:.2f} s "
        f"(target ≤ 3 s) {'OK' if region <= 3 else 'SLOWER THAN TARGET'}"
    )

    # One school's filled template of ~600 rows.
    catalogue = selectors.catalogue_refs()
    usable = [c for c in catalogue]
    enrolment = tuple(EnrolmentRow(g, 100, 4) for g in range(1, 12))
    rows_lines = tuple(LineRow(c.grade_from, c.code, 100) for c in usable[:200])
    rows_holdings = tuple(
        HoldingRow(c.code, year, 60) for c in usable[:200] for year in (2019, 2023)
    )
    book = SchoolWorkbook(
        campaign_id=1,
        campaign_name="Бенчмарк",
        academic_year=2024,
        school_id=schools[0].pk,
        school_name="Школа 0",
        buildings=(),
        enrolment=enrolment,
        lines=rows_lines,
        holdings=rows_holdings,
        write_offs=(),
    )
    data = write_workbook(book, catalogue)
    rows = len(enrolment) + len(rows_lines) + len(rows_holdings)
    calamine = timed(
        lambda: read_workbook(
            data, "school.xlsx", catalogue, campaign_id=1, school_id=schools[0].pk
        )
    )

    def calamine_read():
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()

    def openpyxl_read(read_only: bool):
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
        for sheet in workbook.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass

    raw = timed(calamine_read)
    full = timed(lambda: openpyxl_read(False))
    streaming = timed(lambda: openpyxl_read(True))
    print(f"template import: {rows} rows read and validated in {1000 * calamine:.0f} ms")
    print(
        f"reading the same file: calamine {1000 * raw:.1f} ms; openpyxl {1000 * full:.0f} ms "
        f"({full / raw:.0f}× slower, target ≥ 10×); openpyxl read-only {1000 * streaming:.0f} ms "
        f"({streaming / raw:.0f}× slower)"
    )


if __name__ == "__main__":
    main()
