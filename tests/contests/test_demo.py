"""The contests' demo: 2024/2025 carried out to diplomas, the current year open for entries."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from bibliomo.contests import selectors
from bibliomo.contests.models import Award, Contest
from bibliomo.demo import contests as demo
from bibliomo.demo import directory as directory_demo


def test_demo_contests(db):
    cast = directory_demo.build()
    built = demo.build(cast, date(2026, 12, 2))
    past = [c for c in built if c.academic_year == 2024]
    assert {c.audience for c in past} == {"librarians", "pupils"}
    schools = cast.association.schools.count()
    for contest in past:
        assert contest.status == Contest.Status.FINISHED and contest.results_public
        assert contest.jurors.count() == 3
        assert contest.entries.values("school").distinct().count() > schools / 2
        assert contest.awards.filter(kind=Award.Kind.WINNER).exists()
        assert contest.results_on < date(2025, 9, 1)
        rows = selectors.results(contest)
        assert all(r.result is not None for r in rows)
    current = next(c for c in built if c.status == Contest.Status.OPEN)
    assert current.accepts_entries(date(2026, 12, 2)) and current.entries.exists()
    last_year = next(c for c in built if c.academic_year == 2025)
    assert last_year.title == current.title and last_year.status == Contest.Status.FINISHED
    assert selectors.note(current)["previous"] == last_year
    assert demo.build(cast, date(2026, 12, 2)) and Contest.objects.count() == 4  # repeatable


def test_current_contest_belongs_to_the_current_year_on_its_first_day(db):
    with time_machine.travel(
        datetime(2026, 9, 1, 12, tzinfo=ZoneInfo("Europe/Moscow")), tick=False
    ):
        cast = directory_demo.build()
        built = demo.build(cast)
    current = next(c for c in built if c.status == Contest.Status.OPEN)
    assert current.academic_year == 2026 and current.applications_open == date(2026, 9, 1)
