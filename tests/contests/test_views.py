"""Every page of the contests for the allowed role, a forbidden role and bad input."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from bibliomo.contests import services
from bibliomo.contests.models import Contest, Entry, Sheet
from tests.contests.builders import make_contest, open_contest, pdf, score, submit


@pytest.fixture
def contest(cast):
    return open_contest(cast)


def _post_contest(client, **extra):
    data = {
        "title": "Книжный трейлер",
        "goals": "Продвижение чтения",
        "audience": "pupils",
        "age_groups": "5–7 классы\n8–11 классы",
        "entry_terms": "Видео до 3 минут ссылкой, сценарий PDF",
        "file_types": "pdf, docx",
        "max_file_mb": "10",
        "applications_open": "2026-12-01",
        "applications_close": "2027-01-20",
        "judging_until": "2027-02-01",
        "results_on": "2027-02-10",
        "aggregation": "median",
        "scores_after_own": "on",
        "blind": "on",
        "categories": "Буктрейлер\nВидеообзор",
        "criteria": "Раскрытие темы | 10 | 1,5 | 0 — не раскрыта; 10 — полностью\nМонтаж | 5 | 1",
        "rounds": "Заочный этап | заочный | 5\nОчный этап | очный |",
    } | extra
    return client.post(reverse("contests:create"), data)


def test_methodist_creates_a_contest_from_the_form(cast, login):
    response = _post_contest(login(cast.methodist))
    contest = Contest.objects.get()
    assert response.status_code == 302
    assert contest.blind and contest.aggregation == "median"
    criterion = contest.criteria.first()
    assert criterion.weight == 1.5 and criterion.captions["10"] == "полностью"
    assert [r.passes for r in contest.rounds.all()] == [5, None]


def test_bad_criteria_are_refused_with_the_line(cast, login):
    response = _post_contest(login(cast.methodist), criteria="Раскрытие темы | десять | 1")
    assert response.status_code == 200
    assert "Строка 1" in response.content.decode()
    assert not Contest.objects.exists()


def test_librarian_cannot_create_or_manage(cast, login, contest):
    client = login(cast.librarian_a)
    assert client.get(reverse("contests:create")).status_code == 403
    assert client.post(reverse("contests:close", args=[contest.pk])).status_code == 403
    assert client.get(reverse("contests:jurors", args=[contest.pk])).status_code == 403
    assert client.get(reverse("contests:results", args=[contest.pk])).status_code == 403
    assert client.get(reverse("contests:protocol", args=[contest.pk])).status_code == 403


def test_outsider_sees_no_contest_of_another_association(cast, login, contest):
    client = login(cast.outsider)
    assert client.get(reverse("contests:detail", args=[contest.pk])).status_code == 404


def test_draft_hidden_from_librarians(cast, login):
    draft = make_contest(cast)
    client = login(cast.librarian_a)
    assert client.get(reverse("contests:detail", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("contests:index")).content.decode()


def test_index_for_members(cast, login, contest, django_assert_max_num_queries):
    client = login(cast.librarian_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("contests:index"))
    assert contest.title in response.content.decode()


def test_index_puts_the_newest_contest_first(cast, login, contest):
    newer = make_contest(
        cast,
        title="Конкурс чтецов",
        applications_open=contest.applications_open + timedelta(days=2),
    )
    services.contest_announce(cast.methodist, newer)
    body = login(cast.librarian_a).get(reverse("contests:index")).content.decode()
    assert body.index("Конкурс чтецов") < body.index(contest.title)
    # two contests of the same name in different years are told apart by the year
    year = contest.academic_year
    assert f'<td class="nowrap">{year}/{year + 1}</td>' in body


def test_librarian_submits_through_the_page(cast, login, contest):
    client = login(cast.librarian_a)
    response = client.post(
        reverse("contests:entry_create", args=[contest.pk]),
        {
            "category": contest.categories.first().pk,
            "title": "Урок «Читаем вместе»",
            "authors": "Иванова Анна Сергеевна",
            "file": pdf(),
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.school == cast.school_a and entry.original_name == "Иванова_работа.pdf"


def test_entry_without_file_is_refused(cast, login, contest):
    response = login(cast.librarian_a).post(
        reverse("contests:entry_create", args=[contest.pk]),
        {"category": contest.categories.first().pk, "title": "x", "authors": "Иванова"},
    )
    assert response.status_code == 200 and "Приложите файл" in response.content.decode()


def test_head_cannot_submit_without_a_school(cast, login, contest):
    response = login(cast.head).get(reverse("contests:entry_create", args=[contest.pk]))
    assert response.status_code == 403


def test_librarian_sees_only_her_schools_entries(cast, login, contest):
    mine = submit(contest, cast.librarian_a, title="Наш урок")
    theirs = submit(contest, cast.librarian_b, title="Чужой урок")
    client = login(cast.librarian_a)
    page = client.get(reverse("contests:detail", args=[contest.pk])).content.decode()
    assert "Наш урок" in page and "Чужой урок" not in page
    download = client.get(reverse("contests:entry_download", args=[mine.pk]))
    assert download.status_code == 200
    assert client.get(reverse("contests:entry_download", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("contests:entry_edit", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("contests:entry_withdraw", args=[theirs.pk])).status_code == 403


def test_librarian_edits_and_withdraws_on_the_page(cast, login, contest):
    entry = submit(contest, cast.librarian_a)
    client = login(cast.librarian_a)
    assert client.get(reverse("contests:entry_edit", args=[entry.pk])).status_code == 200
    response = client.post(
        reverse("contests:entry_edit", args=[entry.pk]),
        {"category": entry.category_id, "title": "Исправлено", "authors": "Иванова А.С."},
    )
    assert response.status_code == 302
    client.post(reverse("contests:entry_withdraw", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.title == "Исправлено" and entry.status == Entry.Status.WITHDRAWN


def test_organiser_returns_an_entry(cast, login, contest, django_capture_on_commit_callbacks):
    entry = submit(contest, cast.librarian_a)
    client = login(cast.methodist)
    url = reverse("contests:entry_return", args=[entry.pk])
    assert client.post(url, {"comment": ""}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"comment": "Нет конспекта"}).status_code == 302
    assert len(mail.outbox) == 1
    assert login(cast.librarian_b).get(url).status_code == 403


def test_director_reads_results_but_cannot_decide(cast, login, contest):
    entry = submit(contest, cast.librarian_a)
    services.contest_close(cast.methodist, contest)
    client = login(cast.director)
    assert client.get(reverse("contests:results", args=[contest.pk])).status_code == 200
    assert client.get(reverse("contests:note", args=[contest.pk])).status_code == 200
    assert (
        client.post(reverse("contests:place", args=[entry.pk]), {"place": "1"}).status_code == 403
    )


def test_places_decisions_and_publishing(cast, login, contest):
    entry = submit(contest, cast.librarian_a)
    services.contest_close(cast.methodist, contest)
    client = login(cast.methodist)
    round_ = contest.rounds.first()
    client.post(reverse("contests:decision", args=[entry.pk]), {"round": round_.pk, "passes": "1"})
    client.post(reverse("contests:place", args=[entry.pk]), {"place": "7"})
    entry.refresh_from_db()
    assert entry.place is None and entry.decisions.get().passes
    client.post(reverse("contests:place", args=[entry.pk]), {"place": "1"})
    client.post(reverse("contests:publish", args=[contest.pk]))
    contest.refresh_from_db()
    assert contest.results_public
    public = client.get(reverse("public_contest", args=[contest.pk])).content.decode()
    assert "Урок о книге" in public and "победитель" in public
    feed = client.get(reverse("contests_rss")).content.decode()
    assert "Итоги конкурса" in feed


def test_protocol_and_note_are_word(cast, login, contest):
    entry = submit(contest, cast.librarian_a)
    services.juror_add(cast.methodist, contest, cast.head, is_chair=True)
    services.sheets_assign(cast.methodist, contest)
    score(cast.head, Sheet.objects.get(entry=entry), [8, 4, 2])
    client = login(cast.methodist)
    for name in ("contests:protocol", "contests:note_docx"):
        response = client.get(reverse(name, args=[contest.pk]))
        assert response.status_code == 200
        assert response.content[:2] == b"PK"
    note = client.post(reverse("contests:note", args=[contest.pk]), {"conclusions": "Вывод один."})
    assert note.status_code == 302
    assert (
        "Раскрытие темы" in client.get(reverse("contests:note", args=[contest.pk])).content.decode()
    )


def test_jury_page_assign_and_remind(cast, login, contest):
    submit(contest, cast.librarian_a)
    client = login(cast.methodist)
    url = reverse("contests:jurors", args=[contest.pk])
    assert client.post(url, {"person": ""}).status_code == 400
    client.post(url, {"person": cast.librarian_b.pk})
    client.post(reverse("contests:assign", args=[contest.pk]))
    assert Sheet.objects.count() == 1
    assert client.post(reverse("contests:remind", args=[contest.pk])).status_code == 302
    assert "0 из 1" in client.get(url).content.decode()


def test_juror_scores_through_the_sheet(cast, login, contest):
    entry = submit(contest, cast.librarian_a)
    services.juror_add(cast.methodist, contest, cast.librarian_b)
    services.sheets_assign(cast.methodist, contest)
    sheet = Sheet.objects.get()
    client = login(cast.librarian_b)
    assert client.get(reverse("contests:jury", args=[contest.pk])).status_code == 200
    url = reverse("contests:sheet", args=[sheet.pk])
    criteria = list(contest.criteria.all())
    bad = client.post(url, {f"points_{criteria[0].pk}": "11"})
    assert bad.status_code == 400
    good = {f"points_{c.pk}": "3" for c in criteria} | {"comment": "Хорошо"}
    assert client.post(url, good).status_code == 302
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None and entry.sheets.count() == 1
    # Another member is no juror: neither the list nor the sheet.
    other = login(cast.director)
    assert other.get(reverse("contests:jury", args=[contest.pk])).status_code == 403
    assert other.get(url).status_code == 403


def test_public_pages_without_login(client, cast, contest):
    assert contest.title in client.get(reverse("portal_index")).content.decode()
    assert client.get(reverse("public_contests")).status_code == 200
    assert client.get(reverse("public_contest", args=[contest.pk])).status_code == 200
    draft = make_contest(cast, title="Черновик")
    assert client.get(reverse("public_contest", args=[draft.pk])).status_code == 404


def test_external_events(cast, login):
    client = login(cast.methodist)
    url = reverse("contests:external")
    assert client.post(url, {"title": ""}).status_code == 200
    response = client.post(
        url,
        {
            "title": "Региональный форум",
            "kind": "форум",
            "level": "regional",
            "held_on": "2026-10-10",
            "participants": "5",
            "results": "",
        },
    )
    assert response.status_code == 302
    assert login(cast.librarian_a).get(url).status_code == 403
