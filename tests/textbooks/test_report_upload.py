"""The monitoring template through the page, as a librarian uses it: download, edit, upload."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bibliomo.textbooks import selectors
from bibliomo.textbooks.models import Holding, Submission
from tests.conftest import consented

pytestmark = pytest.mark.django_db

FIRST_ROW = 3


def download(client, submission) -> bytes:
    response = client.get(reverse("textbooks:template", args=[submission.pk]))
    assert response.status_code == 200
    return response.content


def upload(client, submission, data: bytes, name: str = "мониторинг.xlsx") -> str:
    response = client.post(
        reverse("textbooks:upload", args=[submission.pk]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_column(data: bytes, sheet: str, index: int, title: str, value: object) -> bytes:
    """The workbook after a person inserted a column at `index` (1 = A) and filled its rows."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    worksheet = workbook[sheet]
    worksheet.insert_cols(index)
    worksheet.cell(2, index, title)
    for row in range(FIRST_ROW, worksheet.max_row + 1):
        if worksheet.cell(row, 1).value is not None:
            worksheet.cell(row, index, value)
    return saved(workbook)


def fund(school) -> list[tuple[str, int, int]]:
    return sorted(
        Holding.objects.filter(school=school).values_list("entry__code", "purchase_year", "copies")
    )


# --- look-alike and unknown columns ----------------------------------------------------------


def test_an_inserted_quantity_column_does_not_become_the_copies(cast, login, filled):
    client = login(cast.librarian_a)
    before = fund(cast.school_a)
    data = with_column(download(client, filled), "Фонд", 3, "Количество", 2)

    body = upload(client, filled, data)

    assert fund(cast.school_a) == before
    assert "Данные из файла загружены" not in body
    assert "Файл загружен: данные в нём те же, что в Bibliomo." in body
    assert (
        "Лист «Фонд», строка 2, столбец «Количество»: столбец не прочитан: «Экземпляров» "
        "читается из столбца «Экземпляров»." in body
    )


def test_an_inserted_year_of_publication_does_not_replace_the_purchase_year(cast, login, filled):
    client = login(cast.librarian_a)
    before = fund(cast.school_a)
    data = with_column(download(client, filled), "Фонд", 3, "Год", 2010)

    body = upload(client, filled, data)

    assert fund(cast.school_a) == before
    assert "столбец «Год»: столбец не прочитан" in body


# --- saying what really happened -------------------------------------------------------------


def test_an_empty_file_is_said_to_be_empty(cast, login, filled):
    body = upload(login(cast.librarian_a), filled, b"", "пустой.xlsx")

    assert "Выберите файл шаблона." not in body
    assert "Файл «пустой.xlsx» пуст." in body


def test_a_formula_without_a_saved_result_is_reported_as_such(cast, login, filled):
    client = login(cast.librarian_a)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, filled)))
    workbook["Фонд"]["D3"] = "=SUM(D4:D5)"  # saved by a program that does not calculate

    body = upload(client, filled, saved(workbook))

    assert "столбец «Экземпляров»: в ячейке формула, но её результат не сохранён" in body
    assert "не указано число экземпляров" not in body


def test_a_hidden_row_is_a_notice_and_the_upload_goes_through(cast, login, filled):
    client = login(cast.librarian_a)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, filled)))
    workbook["Фонд"]["D3"] = 131
    workbook["Фонд"].row_dimensions[4].hidden = True

    body = upload(client, filled, saved(workbook))

    assert "Данные из файла загружены" in body
    assert "Лист «Фонд», строка 4: строка скрыта в Excel, но её данные загружены." in body


def test_the_same_mistake_in_many_rows_is_one_message(cast, login, filled):
    client = login(cast.librarian_a)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, filled)))
    for row in range(3, 6):
        workbook["Фонд"][f"D{row}"] = -1

    body = upload(client, filled, saved(workbook))

    assert body.count("число экземпляров не может быть отрицательным") == 1
    assert "строки 3–5 (всего 3 строки), столбец «Экземпляров»" in body


# --- a template made before a colleague's edit -----------------------------------------------


CLASSES = {5: 4, 10: 2, 11: 1}  # as the `filled` school has them


def enrolment_form(client, submission, pupils_by_grade: dict[int, int]):
    data = {"e-TOTAL_FORMS": "11", "e-INITIAL_FORMS": "11"}
    for n in range(11):
        grade = n + 1
        data[f"e-{n}-grade"] = str(grade)
        data[f"e-{n}-building"] = ""
        data[f"e-{n}-pupils"] = str(pupils_by_grade.get(grade, ""))
        data[f"e-{n}-classes"] = str(CLASSES[grade]) if grade in pupils_by_grade else ""
    response = client.post(reverse("textbooks:enrolment", args=[submission.pk]), data)
    assert response.status_code == 302


def pupils(submission) -> dict[int, int]:
    enrolment, *_ = selectors.school_rows(submission.school, submission.campaign.academic_year)
    return {row.grade: row.pupils for row in enrolment}


def test_an_old_template_over_a_web_edit_asks_before_overwriting(cast, login, filled):
    client = login(cast.librarian_a)
    old_template = download(client, filled)
    enrolment_form(client, filled, {5: 104, 10: 50, 11: 30})  # a colleague's correction

    body = upload(client, filled, old_template)

    assert pupils(filled) == {5: 104, 10: 50, 11: 30}  # nothing lost yet
    assert "Загрузить файл поверх более новых данных?" in body
    assert "Контингент: 5 класс: было 104 обуч., 4 кл., станет 100 обуч., 4 кл." in body

    response = client.post(
        reverse("textbooks:upload_confirm", args=[filled.pk]),
        {"decision": "overwrite"},
        follow=True,
    )

    assert pupils(filled) == {5: 100, 10: 50, 11: 30}
    assert "Данные из файла загружены. Изменено строк: 1." in response.content.decode()


def test_cancelling_keeps_the_newer_data(cast, login, filled):
    client = login(cast.librarian_a)
    old_template = download(client, filled)
    enrolment_form(client, filled, {5: 104, 10: 50, 11: 30})
    upload(client, filled, old_template)

    response = client.post(
        reverse("textbooks:upload_confirm", args=[filled.pk]), {"decision": "cancel"}, follow=True
    )

    assert pupils(filled) == {5: 104, 10: 50, 11: 30}
    assert "Загрузка отменена, данные не изменены." in response.content.decode()


def test_a_confirmation_does_not_cover_an_edit_made_after_it_was_asked(cast, login, filled):
    client = login(cast.librarian_a)
    old_template = download(client, filled)
    enrolment_form(client, filled, {5: 104, 10: 50, 11: 30})
    upload(client, filled, old_template)
    enrolment_form(client, filled, {5: 104, 10: 52, 11: 30})  # yet another edit meanwhile

    response = client.post(
        reverse("textbooks:upload_confirm", args=[filled.pk]),
        {"decision": "overwrite"},
        follow=True,
    )

    assert pupils(filled) == {5: 104, 10: 52, 11: 30}
    assert "10 класс: было 52 обуч., 2 кл., станет 50 обуч., 2 кл." in response.content.decode()


def test_an_up_to_date_template_is_saved_without_asking(cast, login, filled):
    client = login(cast.librarian_a)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, filled)))
    workbook["Контингент"]["C3"] = 101

    body = upload(client, filled, saved(workbook))

    assert pupils(filled)[5] == 101
    assert "Загрузить файл поверх" not in body


def test_another_school_cannot_confirm_and_nothing_pending_is_said(cast, login, filled, campaign):
    assert (
        login(cast.librarian_b)
        .post(reverse("textbooks:upload_confirm", args=[filled.pk]), {"decision": "overwrite"})
        .status_code
        == 403
    )
    response = login(cast.librarian_a).post(
        reverse("textbooks:upload_confirm", args=[filled.pk]),
        {"decision": "overwrite"},
        follow=True,
    )
    assert "Нет файла, ожидающего подтверждения" in response.content.decode()


# --- every demo school's own template comes back unchanged -----------------------------------


@pytest.mark.slow
def test_every_demo_schools_template_round_trips_unchanged(client):
    from bibliomo.demo import directory as directory_demo
    from bibliomo.demo import textbooks as textbooks_demo

    cast = directory_demo.build()
    campaign = textbooks_demo.build(cast)
    # The methodist returns every report, so that each school may upload again.
    campaign.submissions.update(status=Submission.Status.RETURNED)
    submissions = list(campaign.submissions.select_related("school", "campaign"))
    assert len(submissions) == 19
    several_buildings = 0
    for submission in submissions:
        school = submission.school
        several_buildings += school.buildings.count() > 1
        librarian = [p for p in cast.librarians if p.school_id == school.pk]
        client.force_login(consented(librarian[0] if librarian else cast.methodist))
        before = selectors.school_rows(school, campaign.academic_year)

        body = upload(client, submission, download(client, submission))

        assert "Ошибки в файле" not in body, school.short_name
        assert "Файл загружен: данные в нём те же, что в Bibliomo." in body, school.short_name
        assert selectors.school_rows(school, campaign.academic_year) == before
        # The web form shows the same pupils as the report.
        form = client.get(reverse("textbooks:enrolment", args=[submission.pk]))
        shown = sum(f.initial.get("pupils") or 0 for f in form.context["formset"].forms)
        assert shown == sum(row.pupils for row in before[0]), school.short_name
    assert several_buildings >= 10
