"""The home page tells a juror what to score and a librarian which contests take entries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bibliomo.contests import services
from tests.contests.builders import open_contest, submit


def test_juror_and_librarian_see_their_contest_todo(cast, login, django_assert_max_num_queries):
    contests = [open_contest(cast, title=f"Конкурс {n}") for n in range(7)]
    for contest in contests:
        submit(contest, cast.librarian_a)
        services.juror_add(cast.methodist, contest, cast.librarian_b)
        services.sheets_assign(cast.methodist, contest)
    page = login(cast.librarian_b).get(reverse("home")).content.decode()
    assert "Жюри: ждут вашей оценки" in page and "не оценено 1 работа" in page
    assert "ваша школа ещё не подала заявку" in page
    client = login(cast.librarian_a)
    with django_assert_max_num_queries(60):
        page = client.get(reverse("home")).content.decode()
    assert "от вашей школы 1 заявка" in page and "И ещё 2" in page
    assert "Жюри: ждут" not in page


def test_home_query_count_does_not_grow_with_contests(cast, login):
    client = login(cast.librarian_b)
    open_contest(cast)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(5):
        contest = open_contest(cast, title=f"Ещё {n}")
        services.juror_add(cast.methodist, contest, cast.librarian_b)
        submit(contest, cast.librarian_a)
        services.sheets_assign(cast.methodist, contest)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few)  # every list is its rows and its count, whatever the data
