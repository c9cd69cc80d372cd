import io
from dataclasses import replace
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from bibliomo.core.errors import DomainError
from bibliomo.demo.fpu_sample import (
    EXCLUDED_IN_2024,
    SAMPLE_ENTRIES,
    newer_sample_xlsx,
    sample_xlsx,
)
from bibliomo.directory.models import Person
from bibliomo.textbooks import catalogue_services, services
from bibliomo.textbooks.models import CatalogEntry, CatalogueCorrection, CatalogueImport
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _follow(client, response):
    return client.get(response["Location"]) if response.status_code == 302 else response


def _upload(client, content, name="fpu.xlsx", **data):
    """Upload and look at the page it leads to once the background check has run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("textbooks:catalogue_import"),
            {"file": SimpleUploadedFile(name, content), **data},
        )
    return _follow(client, response)


def _confirm(client, upload, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("textbooks:catalogue_confirm", args=[upload.pk]), data)
    return _follow(client, response)


def test_operator_previews_a_newer_list_and_only_the_confirmation_changes_it(cast, operator, login):
    client = login(operator)
    body = _upload(client, sample_xlsx()).content.decode()
    assert f"Добавится: <strong>{len(SAMPLE_ENTRIES)}</strong>" in body
    assert not CatalogEntry.objects.exists()  # the preview changes nothing
    upload = CatalogueImport.objects.get()
    assert upload.status == CatalogueImport.Status.READY and upload.file.name
    body = _confirm(client, upload).content.decode()
    assert CatalogEntry.objects.count() == len(SAMPLE_ENTRIES)
    assert "Перечень загружен" in body

    body = _upload(client, newer_sample_xlsx(), "fpu-2024.xlsx").content.decode()
    assert "Добавится: <strong>3</strong>" in body and "Изменится: <strong>2</strong>" in body
    assert "Будет исключено: <strong>10</strong>" in body
    assert "Будут исключены из перечня (10)" in body and sorted(EXCLUDED_IN_2024)[0] in body
    assert not CatalogEntry.objects.filter(status="excluded").exists()
    newer = CatalogueImport.objects.filter(filename="fpu-2024.xlsx").get()
    _confirm(client, newer)
    excluded = CatalogEntry.objects.filter(status="excluded")
    assert set(excluded.values_list("code", flat=True)) == set(EXCLUDED_IN_2024)
    entry = excluded.first()
    client.post(reverse("textbooks:set_limit_date", args=[entry.pk]), {"limit_date": "2027-08-31"})
    entry.refresh_from_db()
    assert entry.limit_date == date(2027, 8, 31)


def test_a_partial_list_is_refused_unless_it_is_said_to_be_a_full_one(cast, operator, login):
    services.catalogue_import(None, SAMPLE_ENTRIES)
    appendix = list(SAMPLE_ENTRIES[:15])
    client = login(operator)
    body = _upload(client, sample_xlsx(appendix), "appendix.xlsx").content.decode()
    excluded = len(SAMPLE_ENTRIES) - 15
    assert f"Будет исключено: <strong>{excluded}</strong>" in body
    assert f"Файл исключил бы из перечня {excluded} учебников из {len(SAMPLE_ENTRIES)}" in body
    upload = CatalogueImport.objects.get()
    response = _confirm(client, upload)
    assert response.status_code == 400 and "изменяющий приказ" in response.content.decode()
    assert not CatalogEntry.objects.filter(status="excluded").exists()
    upload.refresh_from_db()
    assert upload.status == CatalogueImport.Status.READY

    _confirm(client, upload, full_list="on")
    assert CatalogEntry.objects.filter(status="excluded").count() == excluded


def test_a_partial_list_is_checked_again_as_an_amending_order(cast, operator, login):
    services.catalogue_import(None, SAMPLE_ENTRIES[:-1])
    client = login(operator)
    _upload(client, sample_xlsx(SAMPLE_ENTRIES[-15:]), "appendix.xlsx")
    upload = CatalogueImport.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("textbooks:catalogue_as_amendment", args=[upload.pk]))
    body = _follow(client, response).content.decode()
    assert "Изменяющий приказ: учебники не исключаются" in body
    assert "Добавится: <strong>1</strong>" in body and "Будет исключено: <strong>0</strong>" in body
    _confirm(client, upload)
    assert CatalogEntry.objects.count() == len(SAMPLE_ENTRIES)
    assert not CatalogEntry.objects.filter(status="excluded").exists()


def test_an_amending_order_adds_and_changes_but_never_excludes(cast, operator, login):
    services.catalogue_import(None, SAMPLE_ENTRIES[:-1])
    renamed = replace(SAMPLE_ENTRIES[0], title="Новое название")
    appendix = [renamed, SAMPLE_ENTRIES[-1]]
    client = login(operator)
    body = _upload(client, sample_xlsx(appendix), amendment="on").content.decode()
    assert "Изменяющий приказ: учебники не исключаются" in body
    assert "Будет исключено: <strong>0</strong>" in body and "— название" in body
    _confirm(client, CatalogueImport.objects.get())
    assert CatalogEntry.objects.count() == len(SAMPLE_ENTRIES)
    assert not CatalogEntry.objects.filter(status="excluded").exists()
    assert CatalogEntry.objects.get(code=renamed.code).title == "Новое название"


def test_a_cancelled_upload_changes_nothing(cast, operator, login):
    client = login(operator)
    _upload(client, sample_xlsx())
    upload = CatalogueImport.objects.get()
    client.post(reverse("textbooks:catalogue_cancel", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == CatalogueImport.Status.CANCELLED
    assert _confirm(client, upload).status_code == 400
    assert not CatalogEntry.objects.exists()


def test_a_broken_list_changes_nothing_and_says_where(cast, operator, login):
    csv = "Порядковый номер учебника;Наименование учебника;Автор/авторский коллектив;Класс;Наименование издателя\n1.1.1.1.1.1.1;Азбука;Иванова А.А.;15;Просвещение\n"
    response = _upload(login(operator), csv.encode("utf-8"), "fpu.csv")
    body = response.content.decode()
    assert "Перечень не загружен, ничего не изменено" in body and "строка 2" in body.lower()
    assert not CatalogEntry.objects.exists()


def test_over_long_values_are_refused_before_anything_is_written(cast, operator, login):
    long_order = replace(SAMPLE_ENTRIES[0], order="Приказ " + "о" * 230)
    body = _upload(login(operator), sample_xlsx([long_order, *SAMPLE_ENTRIES[1:]])).content.decode()
    # The reader names the row and column before anything else looks at the file.
    assert "столбец «Приказ о включении в перечень»" in body
    assert "слишком длинное значение: 237 знаков" in body
    assert CatalogueImport.objects.get().status == CatalogueImport.Status.FAILED
    assert not CatalogEntry.objects.exists()
    with pytest.raises(DomainError, match="слишком длинные"):
        services.catalogue_import(None, [long_order])


def test_an_oversized_list_is_refused_before_it_is_read(cast, operator, login, settings):
    settings.UPLOAD_LIMITS_MB = {**settings.UPLOAD_LIMITS_MB, "catalogue": 1}
    body = _upload(login(operator), b"x" * (1024 * 1024 + 1), "big.csv").content.decode()
    assert "Файл слишком большой" in body and "не больше 1 МБ" in body
    assert not CatalogueImport.objects.exists()


@pytest.mark.parametrize(
    "who, import_status, excluded_status",
    [
        ("methodist", 403, 200),
        ("head", 403, 200),
        ("director", 403, 403),
        ("librarian_a", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_only_a_platform_operator_changes_the_shared_list(
    cast, login, catalogue, who, import_status, excluded_status
):
    client = login(getattr(cast, who))
    assert client.get(reverse("textbooks:catalogue")).status_code == 200
    assert client.get(reverse("textbooks:catalogue_import")).status_code == import_status
    response = _upload(client, sample_xlsx())
    assert response.status_code == 403 and not CatalogueImport.objects.exists()
    assert client.get(reverse("textbooks:excluded")).status_code == excluded_status
    entry = CatalogEntry.objects.first()
    CatalogEntry.objects.filter(pk=entry.pk).update(status="excluded")
    response = client.post(
        reverse("textbooks:set_limit_date", args=[entry.pk]), {"limit_date": "2030-01-01"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.limit_date is None


def test_an_operator_without_association_finds_the_list_from_home(operator, login):
    body = login(operator).get(reverse("home")).content.decode()
    assert reverse("textbooks:catalogue") in body and "Федеральный перечень" in body


@pytest.mark.parametrize("kind", ["operator", "superuser"])
def test_operator_and_administrator_change_the_list_and_its_limit_dates(
    cast, login, catalogue, operator, kind
):
    person = operator
    if kind == "superuser":
        person = Person.objects.create_superuser("root@test.ru", PASSWORD, last_name="Админ")
    client = login(person)
    assert client.get(reverse("textbooks:catalogue")).status_code == 200
    assert client.get(reverse("textbooks:catalogue_import")).status_code == 200
    assert client.get(reverse("textbooks:corrections")).status_code == 200
    entry = CatalogEntry.objects.first()
    CatalogEntry.objects.filter(pk=entry.pk).update(status="excluded")
    client.post(reverse("textbooks:set_limit_date", args=[entry.pk]), {"limit_date": "2030-01-01"})
    entry.refresh_from_db()
    assert entry.limit_date == date(2030, 1, 1)


def test_methodist_proposes_a_correction_and_the_operator_closes_it(
    cast, login, catalogue, operator, mailoutbox, django_capture_on_commit_callbacks
):
    entry = CatalogEntry.objects.first()
    client = login(cast.methodist)
    page = client.get(reverse("textbooks:correction_new") + f"?entry={entry.pk}")
    assert entry.code in page.content.decode()
    bad = client.post(reverse("textbooks:correction_new"), {"text": "  "})
    assert bad.status_code == 200 and not CatalogueCorrection.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("textbooks:correction_new"),
            {"entry": entry.pk, "text": "Неверный год в приказе"},
        )
    correction = CatalogueCorrection.objects.get()
    assert correction.entry == entry and correction.association == cast.association
    assert [m.to for m in mailoutbox] == [[operator.email]]
    assert "Неверный год в приказе" in mailoutbox[0].body and entry.code in mailoutbox[0].body
    # The methodist sees her own proposal but cannot close it; another association sees none.
    assert "Неверный год" in client.get(reverse("textbooks:corrections")).content.decode()
    close = reverse("textbooks:correction_close", args=[correction.pk])
    assert client.post(close).status_code == 403
    assert login(cast.librarian_a).get(reverse("textbooks:correction_new")).status_code == 403
    assert login(cast.librarian_a).get(reverse("textbooks:corrections")).status_code == 403
    outsider_head = login(cast.outsider).get(reverse("textbooks:corrections"))
    assert outsider_head.status_code == 403

    operator_client = login(operator)
    assert "Неверный год" in operator_client.get(reverse("textbooks:corrections")).content.decode()
    operator_client.post(close, {"answer": "Исправлено"})
    correction.refresh_from_db()
    assert correction.status == "closed" and correction.answer == "Исправлено"
    assert correction.closed_by == operator


def test_import_fpu_command_previews_and_applies_with_the_same_rules(tmp_path):
    path = tmp_path / "fpu.xlsx"
    path.write_bytes(sample_xlsx())
    out = io.StringIO()
    call_command("import_fpu", str(path), "--dry-run", stdout=out)
    assert f"Добавлено: {len(SAMPLE_ENTRIES)}" in out.getvalue() and "--dry-run" in out.getvalue()
    assert not CatalogEntry.objects.exists()
    out = io.StringIO()
    call_command("import_fpu", str(path), stdout=out)
    assert f"Перечень загружен: {len(SAMPLE_ENTRIES)} учебников" in out.getvalue()

    appendix = tmp_path / "appendix.xlsx"
    appendix.write_bytes(sample_xlsx(SAMPLE_ENTRIES[:15]))
    out = io.StringIO()
    call_command("import_fpu", str(appendix), "--dry-run", stdout=out)
    printed = out.getvalue()
    assert f"исключено из перечня: {len(SAMPLE_ENTRIES) - 15}" in printed
    assert "Будут исключены из перечня" in printed and "…и ещё" in printed
    with pytest.raises(CommandError, match="--amendment"):
        call_command("import_fpu", str(appendix), stdout=io.StringIO())
    assert not CatalogEntry.objects.filter(status="excluded").exists()
    out = io.StringIO()
    call_command("import_fpu", str(appendix), "--amendment", stdout=out)
    assert "исключено из перечня: 0" in out.getvalue()
    assert not CatalogEntry.objects.filter(status="excluded").exists()
    call_command("import_fpu", str(appendix), "--full-list", stdout=io.StringIO())
    assert CatalogEntry.objects.filter(status="excluded").count() == len(SAMPLE_ENTRIES) - 15
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


def test_the_list_is_written_in_batches_with_progress(db):
    class Recorder:
        def __init__(self):
            self.updates = []

        def update(self, done, total=None, message=""):
            self.updates.append((done, total))

    progress = Recorder()
    catalogue_services.catalogue_import(
        None, SAMPLE_ENTRIES, full_list=True, progress=progress, batch_size=100
    )
    total = len(SAMPLE_ENTRIES)
    assert progress.updates == [(100, total), (200, total), (total, total)]
    assert CatalogEntry.objects.count() == total
    # A repeated load (after an interruption) finds nothing left to do.
    again = catalogue_services.catalogue_import(None, SAMPLE_ENTRIES, progress=Recorder())
    assert again.unchanged
