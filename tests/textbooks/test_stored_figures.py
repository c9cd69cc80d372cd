"""The summary reads stored figures: they follow every change of the data, whatever path it
takes, the page's queries do not grow with schools, and the map is plain points."""

from datetime import date

import pytest
from django.urls import reverse

from bibliomo.directory.models import Building, School
from bibliomo.lib import maps
from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.textbooks import provision, selectors, services
from bibliomo.textbooks.models import (
    CatalogEntry,
    Enrolment,
    Holding,
    LiveTotal,
    Submission,
    TextbookLine,
    WriteOff,
)
from tests.textbooks.fixtures import MATHS_5, RUSSIAN_5

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 9, 15)
KINDS = ["all", "school", "subject", "stage"]


def _stored(cast):
    found = provision.summary(2024, AS_OF, association_id=cast.association.pk)
    return [found.total], found.by_school, found.by_subject, found.by_stage


def _computed(cast):
    """The same totals computed from every line now (`bibliomo provision`'s figures)."""
    found = provision._grouped(2024, AS_OF, KINDS, False, {"association_id": cast.association.pk})
    return found["all"] or [None], found["school"], found["subject"], found["stage"]


def _second_school(cast, campaign):
    submission = campaign.submissions.get(school=cast.school_b)
    services.submission_save(
        cast.librarian_b,
        submission,
        enrolment=[EnrolmentRow(5, 60, 2), EnrolmentRow(6, 20, 1)],
        lines=[LineRow(5, MATHS_5.code, 60)],
        holdings=[HoldingRow(MATHS_5.code, 2021, 70)],
    )
    return submission


def test_stored_figures_follow_every_change(cast, filled, campaign):
    _second_school(cast, campaign)
    assert _stored(cast) == _computed(cast)
    assert LiveTotal.objects.filter(kind="all").count() == 2
    school = cast.school_a
    changes = [
        # a service
        lambda: services.submission_save(
            cast.librarian_a, filled, holdings=[HoldingRow(MATHS_5.code, 2022, 95)]
        ),
        # a queryset update and a bulk insert (no signal is sent for either)
        lambda: Holding.objects.filter(school=school).update(copies=120),
        lambda: Enrolment.objects.bulk_create(
            [Enrolment(school=school, academic_year=2024, grade=6, pupils=25)]
        ),
        lambda: TextbookLine.objects.filter(school=school, grade=10).update(pupils=70),
        # copies moved one by one (as the exchange does) and deleted
        lambda: Holding.objects.create(
            school=cast.school_b,
            entry=CatalogEntry.objects.get(code=MATHS_5.code),
            purchase_year=2023,
            copies=9,
        ),
        lambda: Holding.objects.filter(school=cast.school_b, purchase_year=2023).delete(),
        # a write-off
        lambda: WriteOff.objects.create(
            school=school,
            entry=CatalogEntry.objects.get(code=MATHS_5.code),
            copies=10,
            reason="loss",
            act_number="3",
            act_date=date(2024, 9, 1),
        ),
        # the federal list: a textbook excluded, then usable until a limit date
        lambda: CatalogEntry.objects.filter(code=RUSSIAN_5.code).update(status="excluded"),
        lambda: CatalogEntry.objects.filter(code=RUSSIAN_5.code).update(
            limit_date=date(2025, 5, 31)
        ),
    ]
    seen = {str(_stored(cast))}
    for change in changes:
        change()
        assert _stored(cast) == _computed(cast), change
        seen.add(str(_stored(cast)))
    assert len(seen) >= 7  # the changes did change the figures (two undo one before)
    # Reading again reuses what was stored: nothing is computed twice.
    stored = set(LiveTotal.objects.values_list("pk", flat=True))
    _stored(cast)
    assert set(LiveTotal.objects.values_list("pk", flat=True)) == stored


def test_an_accepted_report_counts_by_its_frozen_figures(cast, filled, campaign):
    _second_school(cast, campaign)
    services.submission_submit(cast.librarian_a, filled)
    services.submission_decide(cast.methodist, filled, True)
    assert _stored(cast) == _computed(cast)
    before = _stored(cast)
    Holding.objects.filter(school=cast.school_a).update(copies=10, damaged=0, lost=0)
    assert _stored(cast) == before == _computed(cast)
    # Frozen again (`bibliomo provision --freeze-accepted`): the summary follows at once.
    services.submission_freeze(Submission.objects.get(pk=filled.pk))
    assert _stored(cast) != before
    assert _stored(cast) == _computed(cast)


def test_stored_rows_of_older_data_are_never_used(cast, filled):
    _stored(cast)
    old = LiveTotal.objects.get(school=cast.school_a, kind="all")
    Holding.objects.filter(school=cast.school_a).update(copies=0, damaged=0, lost=0)
    # A reader that computed before the change stores rows of the older version: ignored.
    LiveTotal.objects.filter(school=cast.school_a).update(version=old.version)
    assert _stored(cast) == _computed(cast)
    assert _stored(cast)[0][0].copies == 0


def _schools(cast, campaign, count):
    entry = CatalogEntry.objects.get(code=MATHS_5.code)
    schools = School.objects.bulk_create(
        School(association=cast.association, short_name=f"СОШ № {n}", full_name=f"Школа {n}")
        for n in range(100, 100 + count)
    )
    for school in schools:
        school.save()  # its natural sort name
    Submission.objects.bulk_create(Submission(campaign=campaign, school=s) for s in schools)
    Enrolment.objects.bulk_create(
        Enrolment(school=s, academic_year=2024, grade=5, pupils=50) for s in schools
    )
    TextbookLine.objects.bulk_create(
        TextbookLine(school=s, academic_year=2024, grade=5, entry=entry, pupils=50) for s in schools
    )
    Holding.objects.bulk_create(
        Holding(school=s, entry=entry, purchase_year=2023, copies=40 + n % 15)
        for n, s in enumerate(schools)
    )
    Building.objects.bulk_create(
        Building(school=s, name="Основной", latitude=55 + n / 100, longitude=37 + n / 50)
        for n, s in enumerate(schools)
    )


@pytest.mark.parametrize("schools", [3, 60])
def test_summary_page_queries_do_not_grow_with_schools(
    cast, login, filled, campaign, schools, django_assert_max_num_queries
):
    _schools(cast, campaign, schools)
    client = login(cast.methodist)
    client.get(reverse("textbooks:summary"))  # stores the schools' totals
    with django_assert_max_num_queries(8):  # the stored page, whatever the size
        response = client.get(reverse("textbooks:summary"))
    assert response.status_code == 200
    body = response.content.decode()
    # One page of schools at a time, in natural order; the totals count every school.
    shown = body.count('<tr><td><a href="/app/textbooks/schools/')
    everyone = School.objects.filter(association=cast.association).count()
    assert shown == min(everyone, selectors.SCHOOLS_PER_PAGE)
    assert ("Страница 1 из 2" in body) == (schools == 60)
    total = provision.summary(2024, AS_OF, association_id=cast.association.pk).total
    assert total.pupils == 180 + 50 * schools  # school A's 180 and each new school's 50


def test_summary_page_compares_schools_subjects_and_years(cast, login, filled, campaign):
    _second_school(cast, campaign)
    services.submission_submit(cast.librarian_a, filled)
    services.submission_decide(cast.methodist, filled, True)
    body = login(cast.methodist).get(reverse("textbooks:summary")).content.decode()
    grid = body[body.index("Школы и предметы") :]
    # School A: maths 80 of 100 (red), Russian 120 of 100 (100%, green); school B no Russian.
    assert 'style="background:#f4c7c7" title="' in grid and ">80%</td>" in grid
    assert 'style="background:#cfe8d6"' in grid and "—</td>" in grid
    assert grid.index(cast.school_b.short_name) < grid.index(cast.school_a.short_name)  # Г < С
    years = body[body.index("За три года") :]
    assert "2024/2025: " in years and "принято отчётов: 1" in years


def test_summary_for_the_director_not_a_librarian(cast, login, filled):
    assert login(cast.director).get(reverse("textbooks:summary")).status_code == 200
    assert login(cast.librarian_a).get(reverse("textbooks:summary")).status_code == 403
    assert login(cast.methodist).get(reverse("textbooks:summary"), {"page": "x"}).status_code == 200


def test_map_points_are_plain_and_projected_once(cast, filled):
    Building.objects.update(latitude=None, longitude=None)
    Building.objects.create(school=cast.school_a, name="Второй", latitude=56, longitude=38)
    Building.objects.create(school=cast.school_b, name="Главный", latitude=55, longitude=37)
    figures = {cast.school_a.pk: 92.5}
    found = selectors.provision_map_points(
        cast.association, figures, {cast.school_a.pk: 8}, lambda pk: f"/s/{pk}/"
    )
    a, b = sorted(found["points"], key=lambda p: p["lat"], reverse=True)
    assert a == {
        "school": cast.school_a.short_name,
        "lat": 56.0,
        "lon": 38.0,
        "percent": 92.5,
        "shortage": 8,
        "colour": selectors.provision_colour(92.5),
        "url": f"/s/{cast.school_a.pk}/",
        "x": a["x"],
        "y": 20,
    }
    assert b["percent"] is None and b["colour"] == selectors.NO_DATA_COLOUR
    assert (b["x"], b["y"]) == (20, found["height"] - 20)
    # North up, a degree of longitude shorter than one of latitude at 55–56°.
    assert a["x"] - b["x"] < b["y"] - a["y"]


def test_one_projection_for_every_map():
    placed, frame = maps.project([{"lat": 55, "lon": 37}, {"lat": 55, "lon": 38, "name": "Б"}])
    assert [(p["x"], p["y"]) for p in placed] == [(20, 20), (580, 20)]
    assert placed[1]["name"] == "Б" and frame.width == 600
    assert maps.project([]) == ([], maps.Frame(600, 600))
