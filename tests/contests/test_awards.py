"""Diplomas and certificates of a contest: issued after the results, verified publicly."""

import pytest
from django.urls import reverse

from bibliomo.contests import awards, services
from bibliomo.contests.models import Award, Sheet
from bibliomo.core.errors import DomainError
from tests.contests.builders import open_contest, score, submit


@pytest.fixture
def finished(cast):
    contest = open_contest(cast)
    winner = submit(contest, cast.librarian_a, authors="Иванова Анна Сергеевна")
    other = submit(contest, cast.librarian_b, authors="Петрова Ольга Ивановна", title="Другой")
    services.juror_add(cast.methodist, contest, cast.head)
    services.juror_add(cast.methodist, contest, cast.director)
    services.sheets_assign(cast.methodist, contest)
    for sheet in Sheet.objects.filter(juror__person=cast.head):
        score(cast.head, sheet, [5, 5, 5])
    services.contest_close(cast.methodist, contest)
    services.place_set(cast.methodist, winner, 1)
    services.results_publish(cast.methodist, contest)
    return contest, winner, other


def test_nothing_issued_before_the_results(cast):
    contest = open_contest(cast)
    with pytest.raises(DomainError, match="после публикации"):
        awards.awards_issue(cast.methodist, contest)


def test_diplomas_certificates_and_jurors(cast, finished):
    contest, winner, _other = finished
    issued = awards.awards_issue(cast.methodist, contest)
    kinds = {(a.kind, a.recipient_full_name) for a in issued}
    assert kinds == {
        ("winner", "Иванова Анна Сергеевна"),
        ("participant", "Петрова Ольга Ивановна"),
        ("juror", cast.head.full_name),  # the director judged nothing: no certificate
    }
    assert Award.objects.get(entry=winner).recipient_dative == "Ивановой Анне Сергеевне"
    assert awards.awards_issue(cast.methodist, contest) == []


def test_verification_page_knows_contest_awards(client, cast, finished):
    contest, winner, _ = finished
    awards.awards_issue(cast.methodist, contest)
    award = Award.objects.get(entry=winner)
    page = client.get(reverse("certificate_verify", args=[award.number]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Диплом подлинный" in text and "Иванова Анна Сергеевна" in text
    assert client.get(reverse("certificate_verify", args=["K2025-NOPE"])).status_code == 404


def test_award_pdf_for_its_school_not_for_another(cast, login, finished):
    contest, winner, _ = finished
    awards.awards_issue(cast.methodist, contest)
    award = Award.objects.get(entry=winner)
    url = reverse("contests:award_pdf", args=[award.pk])
    assert login(cast.librarian_b).get(url).status_code == 403
    response = login(cast.librarian_a).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_awards_page(cast, login, finished):
    contest, _, _ = finished
    client = login(cast.methodist)
    url = reverse("contests:awards", args=[contest.pk])
    assert client.post(url).status_code == 302
    assert "диплом победителя" in client.get(url).content.decode()
    assert login(cast.librarian_a).get(url).status_code == 403
    assert login(cast.director).post(url).status_code == 403
