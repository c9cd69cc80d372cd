"""An invited outsider juror: her account opens her sheets of her contest and nothing else."""

import re

from django.core import mail
from django.urls import reverse

from bibliomo.contests import services
from bibliomo.contests.models import Juror, Sheet
from bibliomo.directory import services as directory
from tests.conftest import consented
from tests.contests.builders import open_contest, submit


def test_invited_juror_judges_and_sees_nothing_else(
    cast, client, login, django_capture_on_commit_callbacks
):
    contest = open_contest(cast, blind=True)
    other = open_contest(cast, title="Другой конкурс")
    submit(contest, cast.librarian_a, authors="Иванова Анна Сергеевна")
    methodist = login(cast.methodist)
    url = reverse("contests:juror_invite", args=[contest.pk])
    assert methodist.post(url, {"email": "нет"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = methodist.post(
            url,
            {"email": "writer@test.ru", "last_name": "Орлова", "first_name": "Вера"},
        )
    assert response.status_code == 302
    seat = Juror.objects.get(contest=contest)
    assert (
        seat.person is None
        and "ждёт принятия"
        in methodist.get(reverse("contests:jurors", args=[contest.pk])).content.decode()
    )
    token = re.search(r"/invite/([^/\s]+)/", mail.outbox[-1].body).group(1)
    person = directory.invitation_accept(token, "long-enough-password-42")
    seat.refresh_from_db()
    assert seat.person == person
    services.sheets_assign(cast.methodist, contest)
    sheet = Sheet.objects.get(juror=seat)

    client.force_login(consented(person))
    assert client.get(reverse("contests:sheet", args=[sheet.pk])).status_code == 200
    page = client.get(reverse("contests:index")).content.decode()
    assert contest.title in page and "Другой конкурс" not in page
    assert client.get(reverse("contests:detail", args=[other.pk])).status_code == 404
    assert (
        "Иванова" not in client.get(reverse("contests:detail", args=[contest.pk])).content.decode()
    )
    for name in ("events:index", "documents:index", "directory:school_list"):
        assert client.get(reverse(name)).status_code == 403, name
    assert "Жюри: ждут вашей оценки" in client.get(reverse("home")).content.decode()


def test_member_is_added_from_the_list_not_invited(cast, login):
    contest = open_contest(cast)
    response = login(cast.methodist).post(
        reverse("contests:juror_invite", args=[contest.pk]),
        {"email": cast.librarian_b.email, "last_name": "Петрова", "first_name": "Ольга"},
    )
    assert response.status_code == 400 and "из списка" in response.content.decode()


def test_announcement_does_not_go_to_invited_jurors(cast, django_capture_on_commit_callbacks):
    contest = open_contest(cast)
    services.juror_invite(
        cast.methodist, contest, email="writer@test.ru", last_name="Орлова", first_name="Вера"
    )
    juror_only = directory.person_create(
        None,
        cast.association,
        email="judge@test.ru",
        last_name="Судьина",
        first_name="Анна",
        roles=["juror"],
        password="long-enough-password-42",
    )
    fresh = open_contest(cast, title="Новый")
    del fresh
    from bibliomo.contests.services import _members_emails

    assert juror_only.email not in _members_emails(cast.association)
