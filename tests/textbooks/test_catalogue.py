import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bibliomo.textbooks.fpu_sample import (
    EXCLUDED_IN_2024,
    SAMPLE_ENTRIES,
    newer_sample_xlsx,
    sample_xlsx,
)
from bibliomo.textbooks.models import CatalogEntry

pytestmark = pytest.mark.django_db


def test_methodist_loads_the_list_then_a_newer_one(cast, login):
    client = login(cast.methodist)
    response = client.post(
        reverse("textbooks:catalogue_import"),
        {"file": SimpleUploadedFile("fpu.xlsx", sample_xlsx())},
        follow=True,
    )
    assert f"Добавлено: {len(SAMPLE_ENTRIES)}" in response.content.decode()
    response = client.post(
        reverse("textbooks:catalogue_import"),
        {"file": SimpleUploadedFile("fpu-2024.xlsx", newer_sample_xlsx())},
        follow=True,
    )
    body = response.content.decode()
    assert "изменено: 2; исключено из перечня: 10" in body and "Добавлено: 3" in body
    assert "Исключённые из перечня учебники" in body
    excluded = CatalogEntry.objects.filter(status="excluded")
    assert set(excluded.values_list("code", flat=True)) == set(EXCLUDED_IN_2024)
    entry = excluded.first()
    client.post(reverse("textbooks:set_limit_date", args=[entry.pk]), {"limit_date": "2027-08-31"})
    entry.refresh_from_db()
    assert entry.limit_date == date(2027, 8, 31)


def test_a_broken_list_changes_nothing_and_says_where(cast, login):
    csv = "Порядковый номер учебника;Наименование учебника;Автор/авторский коллектив;Класс;Наименование издателя\n1.1.1.1.1.1.1;Азбука;Иванова А.А.;15;Просвещение\n"
    response = login(cast.methodist).post(
        reverse("textbooks:catalogue_import"),
        {"file": SimpleUploadedFile("fpu.csv", csv.encode("utf-8"))},
    )
    body = response.content.decode()
    assert "Перечень не загружен, ничего не изменено" in body and "строка 2" in body.lower()
    assert not CatalogEntry.objects.exists()


def test_only_managers_load_the_list(cast, login):
    for who in (cast.librarian_a, cast.director):
        assert login(who).get(reverse("textbooks:catalogue_import")).status_code == 403
    assert login(cast.librarian_a).get(reverse("textbooks:catalogue")).status_code == 200


def test_import_fpu_command(tmp_path):
    path = tmp_path / "fpu.xlsx"
    path.write_bytes(sample_xlsx())
    out = io.StringIO()
    call_command("import_fpu", str(path), stdout=out)
    assert f"Перечень загружен: {len(SAMPLE_ENTRIES)} учебников" in out.getvalue()
    with pytest.raises(CommandError, match="Не удалось открыть"):
        call_command("import_fpu", str(tmp_path / "missing.xlsx"))


def test_provision_command_prints_the_page_figures(cast, filled):
    out = io.StringIO()
    call_command(
        "provision", "--year", "2024/2025", "--association", str(cast.association.pk), stdout=out
    )
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("Школа;Класс;Предмет;Код учебника")
    assert any(
        line.startswith("МБОУ «СОШ № 1»;5;Математика") and ";80.0;20;0" in line for line in lines
    )
    assert lines[-1].startswith("Итого;")
    with pytest.raises(CommandError, match="Мониторинга за 2030/2031"):
        call_command("provision", "--year", "2030/2031", "--association", str(cast.association.pk))
