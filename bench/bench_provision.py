"""Textbook provision at regional scale (PostgreSQL).

Targets (issue 11, «Textbook figures a methodist can sign»):
- a generated region of associations of 10, 19, 40, 100 and 1 700 schools (the full sample
  catalogue, every grade's lines, holdings of two purchase years, some write-offs);
- the municipal summary page (`/app/textbooks/summary/`) p50 ≤ 100 ms at every size, with the
  same number of queries at every size — both while reports are being filled in (figures
  computed from the schools' current data) and once they are accepted (stored figures); its
  map's points are loaded apart (`summary/map.json`), timed beside it;
- the first view after every school's data changed ≤ 1.5 s at 1 700 schools when the change
  came by a job (a federal list loaded: the job computes the totals again); the first view
  after a bulk change no job follows is printed too (it computes them in one statement);
- the regional totals (every school, by subject and in all) ≤ 1.5 s at 1 700 schools;
- the stored figures of accepted reports are exactly those computed live;
- importing one school's filled template (~600 rows): the time, and python-calamine's read rate
  against openpyxl on the same file (target ≥ 10×).

Run: `make bench` or `.venv/bin/python bench/bench_provision.py [--sizes 10,19,40,100,1700]`
(needs the PostgreSQL server at 127.0.0.1:5432; a throwaway database is created and dropped).
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
from decimal import Decimal
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
    parser.add_argument("--sizes", default="10,19,40,100,1700")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    name = f"bibliomo_bench_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ["BIBLIOMO_VAR_DIR"] = tempfile.mkdtemp(prefix="bibliomo-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        run(args)
    finally:
        connection.close()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=False)


def build(sizes, rng):
    from django.db import connection

    from bibliomo.demo.fpu_sample import SAMPLE_ENTRIES
    from bibliomo.directory.models import (
        Association,
        Building,
        Municipality,
        Person,
        Role,
        RoleGrant,
        School,
    )
    from bibliomo.lib import ru
    from bibliomo.privacy.services import consent_accept
    from bibliomo.textbooks import services
    from bibliomo.textbooks.models import (
        Campaign,
        CatalogEntry,
        Enrolment,
        Holding,
        Submission,
        TextbookLine,
        WriteOff,
    )

    services.catalogue_import(None, list(SAMPLE_ENTRIES))
    entries = list(CatalogEntry.objects.all())
    by_grade = {g: [e for e in entries if e.grade_from <= g <= e.grade_to] for g in range(1, 12)}
    associations = []
    for n, size in enumerate(sizes):
        association = Association.objects.create(
            municipality=Municipality.objects.create(name=f"Муниципалитет {n}"),
            name=f"ММО {size}",
            short_name=f"ММО {size}",
        )
        methodist = Person.objects.create_user(f"m{n}@bench.test", "x", last_name="М")
        RoleGrant.objects.create(person=methodist, association=association, role=Role.METHODIST)
        consent_accept(methodist, association, association.consent_version)
        schools = School.objects.bulk_create(
            School(
                association=association,
                short_name=f"СОШ № {k}",
                full_name=f"Школа {k}",
                sort_name=ru.natural_sort_string(f"СОШ № {k}"),
            )
            for k in range(1, size + 1)
        )
        # Every school on the map, every fifth with a second building.
        Building.objects.bulk_create(
            Building(
                school=school,
                name=name,
                address="ул. Школьная",
                latitude=Decimal(f"{54 + rng.random():.6f}"),
                longitude=Decimal(f"{37 + 2 * rng.random():.6f}"),
                is_main=name == "Основное здание",
            )
            for k, school in enumerate(schools)
            for name in (["Основное здание", "Корпус 2"] if k % 5 == 0 else ["Основное здание"])
        )
        campaign = Campaign.objects.create(
            association=association,
            name="Мониторинг 2024/2025",
            academic_year=2024,
            as_of=date(2024, 9, 15),
            deadline=date(2024, 9, 30),
        )
        Submission.objects.bulk_create(
            Submission(campaign=campaign, school=s, status=Submission.Status.SUBMITTED)
            for s in schools
        )
        enrolment, lines, holdings, write_offs = [], [], [], []
        for school in schools:
            for grade in range(1, 12):
                pupils = rng.randint(40, 160)
                enrolment.append(
                    Enrolment(
                        school=school, academic_year=2024, grade=grade, pupils=pupils, classes=4
                    )
                )
                subjects = {}
                for entry in by_grade[grade]:
                    subjects.setdefault(entry.subject, entry)
                for entry in subjects.values():
                    lines.append(
                        TextbookLine(
                            school=school,
                            academic_year=2024,
                            grade=grade,
                            entry=entry,
                            pupils=pupils,
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
                    if rng.random() < 0.02:
                        write_offs.append(
                            WriteOff(
                                school=school,
                                entry=entry,
                                copies=rng.randint(1, 5),
                                reason="damage",
                                act_number="1",
                                act_date=date(2024, 6, 1),
                            )
                        )
        Enrolment.objects.bulk_create(enrolment, batch_size=5000)
        TextbookLine.objects.bulk_create(lines, batch_size=5000, ignore_conflicts=True)
        Holding.objects.bulk_create(holdings, batch_size=5000, ignore_conflicts=True)
        WriteOff.objects.bulk_create(write_offs, batch_size=5000)
        associations.append((size, association, methodist, campaign))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return associations


def freeze(campaign):
    """Accept every report of the campaign: the rows submission_freeze stores for one school
    (lines, grades, totals of the school, its subjects and stages), here for all at once."""
    from django.utils import timezone

    from bibliomo.textbooks import provision
    from bibliomo.textbooks.models import (
        Enrolment,
        FrozenGrade,
        FrozenTotal,
        ProvisionLine,
        Submission,
    )

    scope = {"association_id": campaign.association_id}
    year, as_of = campaign.academic_year, campaign.as_of
    submissions = {s.school_id: s for s in campaign.submissions.all()}
    ProvisionLine.objects.bulk_create(
        (
            ProvisionLine(
                submission=submissions[x.school_id],
                school_id=x.school_id,
                academic_year=year,
                grade=x.grade,
                entry_id=x.entry_id,
                subject=x.subject,
                pupils=x.pupils,
                copies=x.copies,
            )
            for x in provision.lines(year, as_of, live=True, **scope)
        ),
        batch_size=5000,
    )
    FrozenGrade.objects.bulk_create(
        (
            FrozenGrade(
                submission=submissions[e.school_id],
                school_id=e.school_id,
                grade=e.grade,
                pupils=e.pupils,
                classes=e.classes,
            )
            for e in Enrolment.objects.filter(school_id__in=submissions, academic_year=year)
        ),
        batch_size=5000,
    )
    FrozenTotal.objects.bulk_create(
        (
            FrozenTotal(
                submission=submissions[row.school_id],
                school_id=row.school_id,
                kind=row.kind,
                key=row.key,
                need=row.need,
                covered=row.covered,
                shortage=row.shortage,
                surplus=row.surplus,
                copies=row.copies,
                lines=row.lines,
                pupils=row.pupils,
            )
            for row in provision.school_rows(year, as_of, sorted(submissions))
        ),
        batch_size=5000,
    )
    campaign.submissions.update(status=Submission.Status.ACCEPTED, frozen_at=timezone.now())
    # One school through the service itself: the same rows as the bulk path above.
    one = campaign.submissions.select_related("school", "campaign").first()
    bulk = sorted(FrozenTotal.objects.filter(submission=one).values_list("kind", "key", "need"))
    from bibliomo.textbooks import services

    services.submission_freeze(one)
    again = sorted(FrozenTotal.objects.filter(submission=one).values_list("kind", "key", "need"))
    assert bulk == again, "bulk freeze differs from submission_freeze"


def load() -> str:
    """The machine's load average beside every figure (the machine may be shared)."""
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def p50(client, url: str, repeat: int) -> tuple[float, int]:
    """The median time of `url` in ms and the queries of its last view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return 1000 * statistics.median(timings), len(queries)


def verdict(value: float, target: float) -> str:
    return "OK" if value <= target else "SLOWER THAN TARGET"


def measure(label, associations, repeat):
    from django.test import Client

    from bibliomo.textbooks import provision

    print(f"— {label}")
    # For comparison, a page of the same site with no figures (the textbooks' start page): what
    # any page costs on this machine now. Its first view also loads the code.
    client = Client()
    client.force_login(associations[0][2])
    client.get("/app/textbooks/")
    plain, plain_queries = p50(client, "/app/textbooks/", repeat)
    print(
        f"for comparison, the textbooks' start page: p50 {plain:.0f} ms, "
        f"{plain_queries} queries [{load()}]"
    )
    for size, _association, methodist, _campaign in associations:
        client = Client()
        client.force_login(methodist)
        started = time.perf_counter()
        # The first view after the schools' data changed: the totals of the schools whose data
        # changed are computed and stored (unless a job did it), the page's tables rendered.
        response = client.get("/app/textbooks/summary/")
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        first = time.perf_counter() - started
        page, queries = p50(client, "/app/textbooks/summary/", repeat)
        points, _ = p50(client, "/app/textbooks/summary/map.json", 3)
        print(
            f"summary page, {size} schools: p50 {page:.0f} ms, {queries} queries "
            f"(target ≤ 100 ms) {verdict(page, 100)}; first view {1000 * first:.0f} ms; "
            f"map points (loaded apart) p50 {points:.0f} ms [{load()}]"
        )
        if size >= 100:
            ordered, queries = p50(client, "/app/textbooks/summary/?sort=percent&page=3", repeat)
            found, found_queries = p50(client, "/app/textbooks/summary/?q=%D0%A1%D0%9E%D0%A8+1", 3)
            print(
                f"  lowest provision first, page 3: p50 {ordered:.0f} ms, {queries} queries "
                f"{verdict(ordered, 100)}; a search (rendered each time): p50 {found:.0f} ms, "
                f"{found_queries} queries [{load()}]"
            )
    region = timed(lambda: provision.summary(2024, date(2024, 9, 15)), repeat=3)
    schools = sum(size for size, *_ in associations)
    print(
        f"regional totals ({schools} schools, by school, subject, stage and in all): "
        f"{region:.2f} s (target ≤ 1.5 s) {verdict(region, 1.5)} [{load()}]"
    )


def stored_equals_live(association_id: int, as_of: date) -> bool:
    """The summary's stored totals (all, by school, subject and stage) equal those computed
    from every line of the association's schools."""
    from bibliomo.textbooks import provision

    stored = provision.summary(2024, as_of, association_id=association_id)
    computed = provision._grouped(
        2024,
        as_of,
        ["all", "school", "subject", "stage"],
        False,
        {"association_id": association_id},
    )
    return (
        [stored.total] == computed["all"]
        and stored.by_school == computed["school"]
        and stored.by_subject == computed["subject"]
        and stored.by_stage == computed["stage"]
    )


def mass_change(associations) -> None:
    """Every school's data changed at once, at the largest size: by a federal list loaded (the
    job that loads it computes the totals again) and by a bulk update no job follows (the
    first view computes them, in one statement)."""
    import dataclasses

    from django.db.models import F
    from django.test import Client

    from bibliomo.demo.fpu_sample import SAMPLE_ENTRIES
    from bibliomo.textbooks import services
    from bibliomo.textbooks.models import Holding

    size, association, methodist, campaign = max(associations, key=lambda a: a[0])
    client = Client()
    client.force_login(methodist)
    as_of = campaign.as_of
    entries = list(SAMPLE_ENTRIES)
    entries[0] = dataclasses.replace(entries[0], title=entries[0].title + " (изд. 2)")
    started = time.perf_counter()
    services.catalogue_import(None, entries)  # what the background job runs
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    response = client.get("/app/textbooks/summary/")
    first = time.perf_counter() - started
    assert response.status_code == 200
    print(
        f"federal list loaded (every school of {len(associations)} associations changed): the "
        f"job loads it and computes the totals again in {loaded:.1f} s; first view after it, "
        f"{size} schools: {1000 * first:.0f} ms (target ≤ 1.5 s) {verdict(first, 1.5)} [{load()}]"
    )
    Holding.objects.filter(school__association=association).update(copies=F("copies") + 1)
    started = time.perf_counter()
    response = client.get("/app/textbooks/summary/")
    first = time.perf_counter() - started
    assert response.status_code == 200
    follows = stored_equals_live(association.pk, as_of)
    print(
        f"every school's fund changed by a bulk update, no job after it: the first view "
        f"computes {size} schools' totals in one statement: {1000 * first:.0f} ms; figures "
        f"equal to those computed from every line: {'yes' if follows else 'NO'} [{load()}]"
    )


def run(args) -> None:
    from bibliomo.textbooks import provision
    from bibliomo.textbooks.models import Holding, TextbookLine

    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(1)
    started = time.perf_counter()
    associations = build(sizes, rng)
    print(
        f"region: associations of {', '.join(map(str, sizes))} schools, "
        f"{Holding.objects.count()} holdings, {TextbookLine.objects.count()} lines "
        f"({time.perf_counter() - started:.0f} s to generate)"
    )
    measure("reports submitted, not yet accepted (figures from current data)", associations, 7)
    mass_change(associations)
    as_of = date(2024, 9, 15)
    # A change of one school's fund by a queryset update (no signal): the database triggers
    # bump its data version, and the summary recomputes it alone.
    from django.db.models import F

    _size, small, _m, _c = associations[0]
    Holding.objects.filter(school=small.schools.order_by("pk").first()).update(
        copies=F("copies") + 7
    )
    started = time.perf_counter()
    provision.summary(2024, as_of, association_id=small.pk)
    again = time.perf_counter() - started
    follows = stored_equals_live(small.pk, as_of)
    print(
        f"one school's fund changed: summary recomputed it in {1000 * again:.0f} ms, "
        f"figures equal to those computed from every line: {'yes' if follows else 'NO'}"
    )
    live = {
        size: provision.summary(2024, as_of, association_id=a.pk)
        for size, a, _m, _c in associations
    }
    started = time.perf_counter()
    for *_rest, campaign in associations:
        freeze(campaign)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"accepting every report (stored figures, in bulk): {time.perf_counter() - started:.0f} s"
    )
    measure("every report accepted (stored figures)", associations, args.repeat)
    same = all(
        provision.summary(2024, as_of, association_id=a.pk) == live[size]
        for size, a, _m, _c in associations
    )
    print(f"stored figures equal to those computed live: {'yes' if same else 'NO'}")
    template_import(associations[0][1])


def template_import(association) -> None:
    import openpyxl
    from python_calamine import CalamineWorkbook

    from bibliomo.lib.provision_workbook import (
        EnrolmentRow,
        HoldingRow,
        LineRow,
        SchoolWorkbook,
        read_workbook,
        write_workbook,
    )
    from bibliomo.textbooks import selectors

    school = association.schools.first()
    catalogue = selectors.catalogue_refs()
    enrolment = tuple(EnrolmentRow(g, 100, 4) for g in range(1, 12))
    rows_lines = tuple(LineRow(c.grade_from, c.code, 100) for c in catalogue[:200])
    rows_holdings = tuple(
        HoldingRow(c.code, year, 60) for c in catalogue[:200] for year in (2019, 2023)
    )
    book = SchoolWorkbook(
        campaign_id=1,
        campaign_name="Бенчмарк",
        academic_year=2024,
        school_id=school.pk,
        school_name=school.short_name,
        buildings=(),
        enrolment=enrolment,
        lines=rows_lines,
        holdings=rows_holdings,
        write_offs=(),
    )
    data = write_workbook(book, catalogue)
    rows = len(enrolment) + len(rows_lines) + len(rows_holdings)
    calamine = timed(
        lambda: read_workbook(data, "school.xlsx", catalogue, campaign_id=1, school_id=school.pk)
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
