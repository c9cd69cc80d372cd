"""`bibliomo report_template` and `bibliomo import_report`: the page's file, from a terminal."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bibliomo.textbooks import selectors
from bibliomo.textbooks.models import Submission

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def template(tmp_path, submission):
    path = tmp_path / "шаблон.xlsx"
    run("report_template", str(submission.pk), "-o", str(path))
    return path


def edit(path, sheet: str, cells: dict[str, object]) -> None:
    workbook = openpyxl.load_workbook(path)
    for cell, value in cells.items():
        workbook[sheet][cell] = value
    workbook.save(path)


def pupils(submission) -> dict[int, int]:
    enrolment, *_ = selectors.school_rows(submission.school, submission.campaign.academic_year)
    return {row.grade: row.pupils for row in enrolment}


def test_report_template_writes_what_the_page_gives(cast, login, filled, tmp_path):
    path = template(tmp_path, filled)
    page = login(cast.librarian_a).get(reverse("textbooks:template", args=[filled.pk]))

    from_file = openpyxl.load_workbook(path)
    from_page = openpyxl.load_workbook(io.BytesIO(page.content))
    for sheet in ("Контингент", "УМК", "Фонд", "Списание", "Служебный"):
        assert [list(r) for r in from_file[sheet].iter_rows(values_only=True)] == [
            list(r) for r in from_page[sheet].iter_rows(values_only=True)
        ], sheet


def test_report_template_of_an_unknown_report(tmp_path):
    with pytest.raises(CommandError, match=r"Отчёта № 999 нет\."):
        run("report_template", "999", "-o", str(tmp_path / "x.xlsx"))


def test_import_report_saves_and_prints_what_changed(filled, tmp_path):
    path = template(tmp_path, filled)
    edit(path, "Контингент", {"C3": 101})

    out = run("import_report", str(path))

    assert "Контингент: 5 класс: было 100 обуч., 4 кл., станет 101 обуч., 4 кл." in out
    assert "Данные сохранены." in out
    assert pupils(filled)[5] == 101


def test_import_report_dry_run_only_checks(filled, tmp_path):
    path = template(tmp_path, filled)
    edit(path, "Контингент", {"C3": 101})

    out = run("import_report", str(path), "--dry-run")

    assert "станет 101 обуч." in out
    assert "ничего не сохранено (--dry-run)" in out
    assert pupils(filled)[5] == 100


def test_import_report_prints_every_problem_and_fails(filled, tmp_path):
    path = template(tmp_path, filled)
    edit(path, "Фонд", {"D3": -1, "D4": -2, "D5": "много"})

    with pytest.raises(CommandError) as caught:
        run("import_report", str(path))

    assert str(caught.value).splitlines() == [
        "Лист «Фонд», строки 3, 4 (всего 2 строки), столбец «Экземпляров»: число экземпляров "
        "не может быть отрицательным (строка 3 — «-1»; строка 4 — «-2»).",
        "Лист «Фонд», строка 5, столбец «Экземпляров»: «много» — это не число; укажите число "
        "экземпляров цифрами.",
    ]
    assert pupils(filled)[5] == 100


def test_import_report_over_newer_data_needs_overwrite(cast, filled, tmp_path):
    from bibliomo.lib.provision_workbook import EnrolmentRow
    from bibliomo.textbooks import services

    path = template(tmp_path, filled)
    services.submission_save(
        cast.librarian_a,
        filled,
        enrolment=[EnrolmentRow(5, 104, 4), EnrolmentRow(10, 50, 2), EnrolmentRow(11, 30, 1)],
    )

    with pytest.raises(CommandError, match="добавьте --overwrite"):
        run("import_report", str(path))
    assert pupils(filled)[5] == 104

    out = run("import_report", str(path), "--overwrite")

    assert "было 104 обуч., 4 кл., станет 100 обуч., 4 кл." in out
    assert pupils(filled)[5] == 100


def test_import_report_of_a_submitted_report_is_refused(cast, filled, tmp_path):
    path = template(tmp_path, filled)
    edit(path, "Контингент", {"C3": 101})
    Submission.objects.filter(pk=filled.pk).update(status=Submission.Status.SUBMITTED)

    with pytest.raises(CommandError, match="Отчёт уже сдан"):
        run("import_report", str(path))


def test_import_report_of_something_else(tmp_path):
    path = tmp_path / "письмо.xlsx"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match=r"Файл «письмо\.xlsx» пуст\."):
        run("import_report", str(path))
