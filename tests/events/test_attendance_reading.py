"""The attendance list's page reads through the shared spreadsheet reader."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


def post(client, event, text: str, name: str = "list.csv"):
    return client.post(
        reverse("events:attendance_import", args=[event.pk]),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"))},
    )


def test_an_unread_column_is_named_beside_the_matches(cast, login, past_event):
    text = "ФИО;E-mail;Время в эфире\nИванова Анна Сергеевна;;45 мин\n"

    body = post(login(cast.methodist), past_event, text).content.decode()

    assert "Найдены (1)" in body
    assert "Строка 1, столбец «Время в эфире»: этот столбец не читается" in body


def test_two_e_mail_columns_are_refused_naming_both(cast, login, past_event):
    text = "ФИО;E-mail;Электронная почта\nИванова Анна;a@b.ru;c@d.ru\n"

    body = post(login(cast.methodist), past_event, text).content.decode()

    assert "Ничего не изменено" in body
    assert "«E-mail» (B) и «Электронная почта» (C)" in body


def test_an_empty_upload_is_said_to_be_empty(cast, login, past_event):
    body = post(login(cast.methodist), past_event, "", "list.xlsx").content.decode()

    assert "Файл «list.xlsx» пуст." in body
