"""The summary of many schools (issue 11): pages of schools a methodist searches and orders,
parts rendered once per state of the schools and never shown for other figures, the same
queries at every size, and totals computed ahead (or in one statement) after a mass change
that stay exactly those computed from every line."""

import dataclasses
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from bibliomo.directory.models import Building, School
from bibliomo.textbooks import provision, selectors, services
from bibliomo.textbooks.models import (
    CatalogEntry,
    Enrolment,
    Holding,
    LiveTotal,
    Submission,
    SummaryPage,
    TextbookLine,
)
from tests.factories import CATALOGUE, MATHS_5, PHYSICS_10_11

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 9, 15)
URL = "/app/textbooks/summary/"


def _schools(cast, campaign, count: int, first: int = 100) -> list[School]:
    """`count` schools «СОШ № 100» (`first`)… of the association: maths in grade 5 (50 pupils) and
    physics shared by grades 10 and 11, with different funds, so their provision differs."""
    maths = CatalogEntry.objects.get(code=MATHS_5.code)
    physics = CatalogEntry.objects.get(code=PHYSICS_10_11.code)
    schools = School.objects.bulk_create(
        School(association=cast.association, short_name=f"СОШ № {n}", full_name=f"Школа {n}")
        for n in range(first, first + count)
    )
    for school in schools:
        school.save()  # its natural sort name
    Submission.objects.bulk_create(Submission(campaign=campaign, school=s) for s in schools)
    Enrolment.objects.bulk_create(
        Enrolment(school=s, academic_year=2024, grade=grade, pupils=pupils)
        for s in schools
        for grade, pupils in ((5, 50), (10, 21), (11, 14))
    )
    TextbookLine.objects.bulk_create(
        TextbookLine(school=s, academic_year=2024, grade=grade, entry=entry, pupils=pupils)
        for s in schools
        for grade, entry, pupils in ((5, maths, 50), (10, physics, 21), (11, physics, 14))
    )
    Holding.objects.bulk_create(
        Holding(school=s, entry=entry, purchase_year=2023, copies=copies)
        for n, s in enumerate(schools)
        for entry, copies in ((maths, 30 + n % 25), (physics, 20 + n % 17))
    )
    Building.objects.bulk_create(
        Building(school=s, name="Основной", latitude=55 + n / 100, longitude=37 + n / 50)
        for n, s in enumerate(schools)
    )
    return schools


def _rows(body: str) -> list[str]:
    """The schools of the page's table «По школам», in the order shown."""
    table = body[body.index("<h2>По школам</h2>") : body.index("</table>")]
    return [part.split("</a>", 1)[0].split(">", 1)[1] for part in table.split("<td><a ")[1:]]


def _computed(cast) -> dict[str, provision.Total]:
    """Every school's totals computed from its lines now (`bibliomo provision`'s figures)."""
    names = dict(
        School.objects.filter(association=cast.association).values_list("pk", "short_name")
    )
    found = provision.totals(2024, AS_OF, "school", association_id=cast.association.pk)
    return {names[t.key[0]]: t for t in found}


def test_the_methodist_searches_and_orders_the_schools(cast, login, filled, campaign):
    _schools(cast, campaign, 60)
    client = login(cast.methodist)
    body = client.get(URL).content.decode()
    assert 'role="search"' in body and "Школ: 62." in body  # 60, school A, school B
    assert len(_rows(body)) == selectors.SCHOOLS_PER_PAGE
    computed = _computed(cast)
    # The lowest provision first; school B has no data and comes last of all.
    lowest = _rows(client.get(URL, {"sort": "percent"}).content.decode())
    percents = [computed[name].percent for name in lowest]
    assert percents == sorted(percents) and percents[0] == min(t.percent for t in computed.values())
    last = client.get(URL, {"sort": "percent", "page": "2"}).content.decode()
    assert _rows(last)[-1] == cast.school_b.short_name
    assert 'href="?year=2024%2F2025&amp;sort=percent&amp;page=1"' in last  # the order is kept
    # The largest shortage first.
    largest = _rows(client.get(URL, {"sort": "shortage"}).content.decode())
    shortages = [computed[name].shortage for name in largest]
    assert shortages == sorted(shortages, reverse=True)
    # A part of a name, whatever its case and spaces; the totals stay the association's.
    found = client.get(URL, {"q": "  сош №   10"}).content.decode()
    assert _rows(found) == [f"СОШ № {n}" for n in range(100, 110)]
    assert "Найдено школ: 10 из 62." in found and "Итого по объединению" in found


def test_bad_paging_order_and_search_are_read_as_the_nearest_sensible(
    cast, login, filled, campaign
):
    _schools(cast, campaign, 60)
    client = login(cast.methodist)
    first = _rows(client.get(URL).content.decode())
    assert _rows(client.get(URL, {"sort": "drop table", "page": "x"}).content.decode()) == first
    beyond = client.get(URL, {"page": "999"}).content.decode()
    assert "Страница 2 из 2" in beyond and len(_rows(beyond)) == 62 - selectors.SCHOOLS_PER_PAGE
    nothing = client.get(URL, {"q": "<script>x</script>"}).content.decode()
    assert _rows(nothing) == [] and "&lt;script&gt;x&lt;/script&gt;»" in nothing
    assert "<script>x</script>" not in nothing
    assert len(_rows(client.get(URL, {"q": "1" * 500}).content.decode())) == 0


def test_only_the_summarys_readers_see_it(cast, login, filled, campaign):
    _schools(cast, campaign, 3)
    for person in (cast.librarian_a, cast.librarian_b):
        assert login(person).get(URL, {"sort": "percent"}).status_code == 403
    assert login(cast.director).get(URL, {"sort": "percent"}).status_code == 200
    assert login(cast.outsider).get(URL).status_code in (302, 403)


def test_the_same_queries_at_every_size(cast, login, filled, campaign):
    client = login(cast.methodist)
    counts = []
    for first, more in ((100, 3), (200, 57)):  # 5 schools, then 62
        _schools(cast, campaign, more, first)
        views = []
        for params in ({}, {}, {"sort": "percent", "page": "2"}, {"q": "СОШ"}):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(URL, params).status_code == 200
            views.append(len(queries))
        counts.append(views)
    # The first view computes the new schools' totals, the second reads the stored page, the
    # third renders another page of the stored totals, the fourth a search.
    assert counts[0] == counts[1]
    assert counts[0][1] <= 8
    assert LiveTotal.objects.filter(kind="all").count() == 62


def test_a_stored_page_is_never_shown_for_other_figures(cast, login, filled, campaign):
    schools = _schools(cast, campaign, 3)
    client = login(cast.methodist)
    client.get(URL)
    assert SummaryPage.objects.count() == 1
    School.objects.filter(pk=schools[1].pk).update(short_name="Лицей № 1")  # a new name
    assert ">Лицей № 1</a>" in client.get(URL).content.decode()
    assert SummaryPage.objects.count() == 2  # each name its page, both of the same totals
    Holding.objects.filter(school=schools[0]).update(copies=F("copies") + 9)  # no signal
    body = client.get(URL).content.decode()
    computed = _computed(cast)[schools[0].short_name]
    row = body[body.index(f">{schools[0].short_name}</a>") :]
    assert f"<td>{computed.copies}</td>" in row[: row.index("</tr>")]
    # Pages of the older totals went with them.
    assert SummaryPage.objects.count() == 1


def _same_as_computed(cast) -> bool:
    stored = provision.summary(2024, AS_OF, association_id=cast.association.pk)
    computed = provision._grouped(
        2024,
        AS_OF,
        ["all", "school", "subject", "stage"],
        False,
        {"association_id": cast.association.pk},
    )
    return (
        [stored.total] == computed["all"]
        and stored.by_school == computed["school"]
        and stored.by_subject == computed["subject"]
        and stored.by_stage == computed["stage"]
    )


def _live_rows(school_ids) -> list[tuple]:
    return sorted(
        LiveTotal.objects.filter(school_id__in=school_ids).values_list(
            "school_id",
            "kind",
            "key",
            "need",
            "covered",
            "shortage",
            "surplus",
            "copies",
            "lines",
            "pupils",
        )
    )


def test_after_a_mass_change_the_stored_totals_are_those_of_every_line(
    cast, login, filled, campaign
):
    schools = _schools(cast, campaign, 40)
    ids = [s.pk for s in School.objects.filter(association=cast.association)]
    login(cast.methodist).get(URL)
    # Every school's data at once, by paths no signal follows.
    Holding.objects.filter(school__in=schools).update(copies=F("copies") * 2 + 1)
    Enrolment.objects.filter(school__in=schools, grade=10).update(pupils=F("pupils") + 3)
    TextbookLine.objects.filter(school__in=schools, grade=10).update(pupils=F("pupils") + 3)
    body = login(cast.methodist).get(URL).content.decode()
    assert _same_as_computed(cast)
    # The rows stored in one statement are those a frozen report stores school by school.
    expected = sorted(
        (
            r.school_id,
            r.kind,
            r.key,
            r.need,
            r.covered,
            r.shortage,
            r.surplus,
            r.copies,
            r.lines,
            r.pupils,
        )
        for r in provision.school_rows(2024, AS_OF, ids)
    )
    assert _live_rows(ids) == expected
    total = provision.totals(2024, AS_OF, "all", association_id=cast.association.pk)[0]
    assert f"обучающихся {total.pupils:,}".replace(",", "\u00a0") in body


def test_a_federal_list_load_computes_the_totals_before_anyone_looks(cast, login, filled, campaign):
    _schools(cast, campaign, 5)
    client = login(cast.methodist)
    client.get(URL)
    before = set(LiveTotal.objects.values_list("pk", flat=True))
    changed = [
        dataclasses.replace(entry, subject="Алгебра") if entry.code == MATHS_5.code else entry
        for entry in CATALOGUE
    ]
    services.catalogue_import(None, changed)
    # The load computed every school's totals again (the list's version changed)…
    assert not before & set(LiveTotal.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL).content.decode()
    # …so the first view after it computes nothing, and shows the new subject.
    assert not [q for q in queries if "INSERT INTO" in q["sql"] and "livetotal" in q["sql"]]
    assert ">Алгебра<" in body or "Алгебра</span>" in body
    assert _same_as_computed(cast)


def test_the_command_computes_the_totals_ahead_after_a_change_outside_bibliomo(
    cast, login, filled, campaign
):
    schools = _schools(cast, campaign, 4)
    login(cast.methodist).get(URL)
    Holding.objects.filter(school__in=schools).update(copies=F("copies") + 5)  # e.g. SQL
    out = io.StringIO()
    call_command("provision", "--refresh", stdout=out)
    assert out.getvalue() == "Пересчитано итогов школ: 4.\n"
    assert provision.keep_fresh(2024, AS_OF, association_id=cast.association.pk) == 0
    assert _same_as_computed(cast)
