"""The federal list's page reads through the shared spreadsheet reader."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from bibliomo.lib.fpu import MAX_LENGTHS
from bibliomo.textbooks.models import CatalogEntry

pytestmark = pytest.mark.django_db

HEADER = "Код;Предмет;Название;Авторы;Класс;Издатель;Приказ"


def post(client, text: str, name: str = "fpu.csv"):
    """Upload the list as the operator does and open the preview the background check made."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("textbooks:catalogue_import"),
            {"file": SimpleUploadedFile(name, text.encode("utf-8"))},
        )
    return client.get(response["Location"]) if response.status_code == 302 else response


def test_the_readers_lengths_are_the_catalogues():
    assert {name: CatalogEntry._meta.get_field(name).max_length for name in MAX_LENGTHS} == dict(
        MAX_LENGTHS
    )


def test_values_longer_than_stored_get_a_row_and_column_message_not_an_error_page(
    cast, operator, login
):
    code = "1.1." + "1" * 37  # 41 characters
    order = "Приказ " + "о" * 227  # 234 characters
    text = (
        f"{HEADER}\n"
        f"{code};Физика;Физика;Зимин Л.В.;7;Просвещение;\n"
        f"1.1.2.5.1.1.1;Физика;Физика;Зимин Л.В.;7;Просвещение;{order}\n"
    )

    response = post(login(operator), text)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Перечень не загружен, ничего не изменено" in body
    assert "Строка 2, столбец «Код»: «1.1.1111" in body
    assert "слишком длинное значение: 41 знак, а можно не больше 40" in body
    assert "Строка 3, столбец «Приказ»" in body and "234 знака" in body
    assert not CatalogEntry.objects.exists()


def test_an_unread_column_is_named_after_the_import(cast, operator, login):
    text = f"{HEADER};Примечание\n1.1.2.5.1.1.1;Физика;Физика;Зимин Л.В.;7;Просвещение;;новый\n"

    body = post(login(operator), text).content.decode()

    assert "Добавится: <strong>1</strong>" in body
    assert "Строка 1, столбец «Примечание»: такого столбца нет в перечне" in body


def test_an_empty_upload_is_said_to_be_empty(cast, operator, login):
    body = post(login(operator), "", "перечень.xlsx").content.decode()

    assert "Файл «перечень.xlsx» пуст." in body
