"""Accounts under attack: lockouts behind the proxy, unlock links, throttled reset letters,
neutral invitations, and Russian error pages."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bibliomo.directory import services
from bibliomo.directory.models import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.AXES_FAILURE_LIMIT = 5


def _login(client, email, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_stranger_cannot_lock_the_methodist_out(cast, behind_proxy):
    attacker = Client()
    for _ in range(6):
        # The attacker writes a fake address first; nginx appends the one it saw.
        answer = _login(attacker, "metodist@test.ru", "wrong", "10.0.0.9, 203.0.113.66")
    assert answer.status_code == 429 and "Вход временно заблокирован" in answer.content.decode()
    own = _login(Client(), "metodist@test.ru", PASSWORD, "198.51.100.7")
    assert own.status_code == 302 and own["Location"] == reverse("home")
    # Nor from the address the attacker pretended to be.
    assert _login(Client(), "metodist@test.ru", PASSWORD, "10.0.0.9").status_code == 302


def _lock(email):
    for _ in range(5):
        _login(Client(), email, "wrong", "203.0.113.66")


def test_locked_out_person_unlocks_by_a_one_time_link(
    cast, behind_proxy, django_capture_on_commit_callbacks
):
    _lock("lib.a@test.ru")
    assert _login(Client(), "lib.a@test.ru", PASSWORD, "203.0.113.66").status_code == 429
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("unlock_request"), {"email": "lib.a@test.ru"}, follow=True)
    assert "отправлено письмо со ссылкой" in answer.content.decode()
    (letter,) = mail.outbox
    link = re.search(r"https?://\S+/app/account/unlock/\S+/", letter.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # a button, nothing done yet
    assert _login(Client(), "lib.a@test.ru", PASSWORD, "203.0.113.66").status_code == 429
    assert client.post("/" + path).status_code == 302
    assert _login(Client(), "lib.a@test.ru", PASSWORD, "203.0.113.66").status_code == 302
    spent = client.post("/" + path)
    assert spent.status_code == 410 and "Ссылка" in spent.content.decode()


def test_unlock_request_answers_the_same_for_anyone(cast, client):
    for email in ("lib.a@test.ru", "nobody@test.ru"):
        answer = client.post(reverse("unlock_request"), {"email": email}, follow=True)
        assert "отправлено письмо со ссылкой" in answer.content.decode()
    assert mail.outbox == []  # nobody is locked out: no letter
    assert client.get(reverse("unlock", args=["forged"])).status_code == 410


def test_password_reset_is_throttled_per_address_and_per_client(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_LINKS_PER_ADDRESS = 3
    settings.MAIL_LINKS_PER_CLIENT = 5
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            response = client.post(reverse("password_reset"), {"email": "lib.a@test.ru"})
            assert response.status_code == 302
    answer = client.post(reverse("password_reset"), {"email": "lib.a@test.ru"})
    assert answer.status_code == 429 and "Слишком много запросов" in answer.content.decode()
    assert len(mail.outbox) == 3
    # Other addresses from the same client: stopped at the client's limit.
    codes = [
        Client().post(reverse("password_reset"), {"email": f"x{n}@test.ru"}).status_code
        for n in range(2)
    ]
    assert codes == [302, 429]


def test_invitation_of_someone_from_another_association_is_answered_neutrally(
    cast, login, django_capture_on_commit_callbacks
):
    def invite(email):
        with django_capture_on_commit_callbacks(execute=True):
            return login(cast.methodist).post(
                reverse("directory:invitation_list"),
                {
                    "email": email,
                    "last_name": "Новая",
                    "first_name": "Вера",
                    "patronymic": "",
                    "position": "librarian",
                    "school": cast.school_a.pk,
                    "roles": [Role.LIBRARIAN],
                },
                follow=True,
            )

    outsider = invite("outsider@test.ru").content.decode()
    stranger = invite("nobody@test.ru").content.decode()
    assert "Приглашение отправлено на outsider@test.ru" in outsider
    assert "Приглашение отправлено на nobody@test.ru" in stranger
    assert "уже зарегистрирован" not in outsider
    to_outsider = next(m for m in mail.outbox if m.to == ["outsider@test.ru"])
    assert "уже есть учётная запись" in to_outsider.body and "/invite/" not in to_outsider.body
    assert services.Person.objects.filter(email="outsider@test.ru").count() == 1


def test_csrf_failure_page_is_russian_and_styled(cast):
    client = Client(enforce_csrf_checks=True)
    answer = client.post(reverse("login"), {"username": "lib.a@test.ru", "password": PASSWORD})
    body = answer.content.decode()
    assert answer.status_code == 403 and "Форма устарела" in body
    assert "bibliomo.css" in body and "отладочном" not in body


def test_bare_error_answers_get_a_russian_page(cast, login):
    answer = login(cast.methodist).get(reverse("directory:export"))
    assert answer.status_code == 405 and "Действие недоступно" in answer.content.decode()
    assert "POST" in answer["Allow"]
