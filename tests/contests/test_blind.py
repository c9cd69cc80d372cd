"""Blind judging and conflicts: a juror reaches no name or school in a blind contest — pages,
downloads and exports — and never an entry of her own school."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from bibliomo.contests import services
from bibliomo.contests.models import Sheet
from tests.contests.builders import open_contest, submit

AUTHOR = "Иванова Анна Сергеевна"


@pytest.fixture
def blind(cast):
    contest = open_contest(cast, blind=True)
    entry = submit(contest, cast.librarian_a, title="Тайный урок", authors=AUTHOR)
    submit(contest, cast.librarian_b, title="Урок школы B", authors="Петрова О.И.")
    # The head runs the association's work and sits on the jury: being a juror wins.
    for person in (cast.head, cast.librarian_b):
        services.juror_add(cast.methodist, contest, person)
    services.sheets_assign(cast.methodist, contest)
    return contest, entry


def _leaks(text: str, cast) -> list[str]:
    found = [word for word in ("Иванова", "Тайный урок", cast.school_a.short_name) if word in text]
    return found


def test_blind_juror_pages_name_no_author_or_school(cast, login, blind):
    contest, entry = blind
    sheet = Sheet.objects.get(juror__person=cast.head, entry=entry)
    client = login(cast.head)
    for url in (
        reverse("contests:detail", args=[contest.pk]),
        reverse("contests:jury", args=[contest.pk]),
        reverse("contests:sheet", args=[sheet.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _leaks(response.content.decode(), cast) == [], url


def test_blind_juror_download_is_named_by_number(cast, login, blind):
    _contest, entry = blind
    sheet = Sheet.objects.get(juror__person=cast.head, entry=entry)
    response = login(cast.head).get(reverse("contests:sheet_file", args=[sheet.pk]))
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    assert "Работа 1.pdf" in disposition and "Иванова" not in disposition


def test_blind_juror_cannot_reach_lists_files_or_exports(cast, login, blind):
    contest, entry = blind
    client = login(cast.head)
    for url in (
        reverse("contests:results", args=[contest.pk]),
        reverse("contests:protocol", args=[contest.pk]),
        reverse("contests:note", args=[contest.pk]),
        reverse("contests:note_docx", args=[contest.pk]),
        reverse("contests:entry_download", args=[entry.pk]),
        reverse("contests:entry_return", args=[entry.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_organiser_still_sees_names(cast, login, blind):
    contest, _ = blind
    page = login(cast.methodist).get(reverse("contests:results", args=[contest.pk]))
    assert AUTHOR in page.content.decode()


def test_juror_never_opens_her_own_schools_entry(cast, login, blind):
    contest, _ = blind
    own = contest.entries.get(school=cast.school_b)
    assert not Sheet.objects.filter(juror__person=cast.librarian_b, entry=own).exists()
    # Even a sheet slipped in by hand is refused, with its file.
    sheet = Sheet.objects.create(juror=contest.jurors.get(person=cast.librarian_b), entry=own)
    client = login(cast.librarian_b)
    assert client.get(reverse("contests:sheet", args=[sheet.pk])).status_code == 403
    assert client.get(reverse("contests:sheet_file", args=[sheet.pk])).status_code == 403


def test_juror_cannot_open_another_jurors_sheet(cast, login, blind):
    _contest, entry = blind
    sheet = Sheet.objects.get(juror__person=cast.librarian_b, entry=entry)
    client = login(cast.head)
    assert client.get(reverse("contests:sheet", args=[sheet.pk])).status_code == 403
    assert client.get(reverse("contests:sheet_file", args=[sheet.pk])).status_code == 403


def test_juror_steps_aside_on_the_page(cast, login, blind):
    _contest, entry = blind
    sheet = Sheet.objects.get(juror__person=cast.head, entry=entry)
    client = login(cast.head)
    url = reverse("contests:step_aside", args=[sheet.pk])
    client.post(url, {"conflict": ""})
    sheet.refresh_from_db()
    assert sheet.conflict == ""
    client.post(url, {"conflict": "Я консультировала автора"})
    sheet.refresh_from_db()
    assert sheet.conflict
    assert client.get(reverse("contests:sheet_file", args=[sheet.pk])).status_code == 404


def test_names_are_back_after_results(cast, login, blind):
    contest, entry = blind
    services.contest_close(cast.methodist, contest)
    services.place_set(cast.methodist, entry, 1)
    services.results_publish(cast.methodist, contest)
    assert login(cast.head).get(reverse("contests:results", args=[contest.pk])).status_code == 200


def test_public_results_hide_pupils_without_consent(client, cast):
    contest = open_contest(cast, audience="pupils")
    hidden = submit(contest, cast.librarian_a, authors="Сидоров Петя", parent_consent=True)
    shown = submit(
        contest,
        cast.librarian_b,
        authors="Кузнецова Маша",
        parent_consent=True,
        publish_names=True,
        title="Другая",
    )
    services.contest_close(cast.methodist, contest)
    services.place_set(cast.methodist, hidden, 1)
    services.place_set(cast.methodist, shown, 2)
    services.results_publish(cast.methodist, contest)
    page = client.get(reverse("public_contest", args=[contest.pk])).content.decode()
    assert "Кузнецова Маша" in page and "Сидоров" not in page
