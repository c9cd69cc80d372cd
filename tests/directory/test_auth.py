import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_by_email_ignores_case(cast, client):
    response = client.post(reverse("login"), {"username": "LIB.A@Test.ru", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_answers_in_russian(cast, client):
    response = client.post(reverse("login"), {"username": "lib.a@test.ru", "password": "wrong"})
    assert response.status_code == 200
    assert "Неверный e-mail или пароль" in response.content.decode()


def test_login_form_validates_email_in_russian(db, client):
    response = client.post(reverse("login"), {"username": "не почта", "password": "x"})
    assert "Введите правильный адрес электронной почты." in response.content.decode()


def test_failed_logins_are_throttled(cast, client):
    for attempt in range(5):
        email = "LIB.A@test.ru" if attempt % 2 else "lib.a@test.ru"
        client.post(reverse("login"), {"username": email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": "lib.a@test.ru", "password": PASSWORD})
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(cast, login):
    client = login(cast.librarian_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_for_unknown_email_reveals_nothing(db, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@test.ru"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_by_email_sets_a_new_password(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "lib.a@test.ru"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox[0].subject == "Bibliomo: восстановление пароля"
    link = re.search(r"http://\S+(/app/account/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Новый-пароль-2026", "new_password2": "Новый-пароль-2026"}
    )
    assert response.status_code == 302
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.check_password("Новый-пароль-2026")


def test_reset_link_does_not_revive_a_deactivated_account(cast, client):
    from bibliomo.directory import services

    link = services.password_reset_link(cast.librarian_a).replace("http://127.0.0.1:8000", "")
    services.person_deactivate(cast.methodist, cast.librarian_a)
    response = client.get(link, follow=True)
    assert "Ссылка недействительна" in response.content.decode()


def test_password_change_requires_the_old_password(cast, login):
    response = login(cast.librarian_a).post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "Новый-пароль-2026",
            "new_password2": "Новый-пароль-2026",
        },
    )
    assert "Ваш старый пароль введен неправильно" in response.content.decode()


def test_admin_is_in_russian_and_closed_to_members(cast, login, admin_client):
    assert login(cast.methodist).get("/admin/").status_code == 302
    response = admin_client.get("/admin/")
    assert "Bibliomo: администрирование" in response.content.decode()
    assert "Справочник: школы и люди" in response.content.decode()
