"""The order through the pages: computation, a school's review, the methodist's decision,
the files and the worked example."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from bibliomo.core.models import Job
from bibliomo.exchange import order_services
from bibliomo.exchange.models import (
    Order,
    OrderLine,
    SchoolOrder,
    Shipment,
)
from tests.exchange.pages import (
    DOCX,
    XLSX,
    A,
    B,
    flashed,
)
from tests.factories import docx_text

pytestmark = pytest.mark.django_db

Status = Shipment.Status


# ---------------------------------------------------------------- orders


def test_order_create_starts_the_computation(
    cast, login, accepted, django_capture_on_commit_callbacks
):
    client = login(cast.methodist)
    assert client.get(reverse("exchange:order_create")).status_code == 200
    form = {
        "campaign": accepted.pk,
        "retention": "0,96",
        "service_years": "4",
        "deadline": "01.03.2025",
        "use_exchange": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:order_create"), form)
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    order = Order.objects.get()
    assert job.status == Job.Status.DONE and job.result_url == order.get_absolute_url()
    assert job.message.startswith("Заказ рассчитан:") and "по 2 школам" in job.message
    assert order.retention == Decimal("0.96") and order.computed_at
    assert OrderLine.objects.filter(school_order__order=order).count() == 6

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:order_compute", args=[order.pk]))
    assert Job.objects.count() == 2
    # A second order for the same year: the form says why.
    response = client.post(reverse("exchange:order_create"), form)
    assert "Заказ на 2025/2026 учебный год уже есть — откройте его." in response.content.decode()
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("deadline", "", "Обязательное поле."),
        ("retention", "много", "Введите число."),
        ("retention", "2", "Коэффициент — не больше 1,5."),
        ("service_years", "0", "Убедитесь, что это значение больше либо равно 1."),
    ],
)
def test_order_form_bad_input(cast, login, accepted, field, value, error):
    form = {
        "campaign": accepted.pk,
        "retention": "1",
        "service_years": "4",
        "deadline": "01.03.2025",
        field: value,
    }
    response = login(cast.methodist).post(reverse("exchange:order_create"), form)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Order.objects.exists() and not Job.objects.exists()


def test_school_order_review_through_the_pages(cast, login, order, entries):
    so = SchoolOrder.objects.get(order=order, school=cast.school_a)
    line = OrderLine.objects.get(school_order=so, entry=entries.maths)
    client = login(cast.librarian_a)
    body = client.get(so.get_absolute_url()).content.decode()
    assert "Сдать заказ" in body and entries.maths.code in body
    url = reverse("exchange:line_set", args=[line.pk])
    prefix = f"5 класс, {entries.maths.code}"
    for data, error in [
        (
            {"copies": "45", "note": ""},
            f"{prefix}: Расчёт предлагает 40 экз.; напишите, почему заказываете иначе.",
        ),
        ({"copies": "сорок", "note": "x"}, "Укажите целое число экземпляров от 0."),
        ({"copies": "-1", "note": "x"}, "Укажите целое число экземпляров от 0."),
    ]:
        response = client.post(url, data)
        assert response["Location"] == so.get_absolute_url()
        assert flashed(response) == [error]
        line.refresh_from_db()
        assert line.copies == 40
    response = client.post(url, {"copies": "45", "note": "Резерв"})
    assert flashed(response) == [f"{prefix}: сохранено."]
    line.refresh_from_db()
    assert (line.copies, line.note) == (45, "Резерв")

    # Another textbook of the same subject and grade.
    page = client.get(reverse("exchange:line_entry", args=[line.pk])).content.decode()
    assert entries.maths_other.code in page and entries.physics.code not in page
    url = reverse("exchange:line_entry", args=[line.pk])
    response = client.post(url, {"entry": entries.physics.pk, "note": "Физика"})
    assert "Выберите корректный вариант" in response.content.decode()
    response = client.post(url, {"entry": entries.maths_other.pk, "note": ""})
    assert "Обязательное поле." in response.content.decode()
    line.refresh_from_db()
    assert line.entry == entries.maths
    response = client.post(url, {"entry": entries.maths_other.pk, "note": "Новый учебник"})
    assert flashed(response) == ["Линия изменена, потребность пересчитана."]
    line.refresh_from_db()
    assert (line.entry, line.need, line.reasons) == (entries.maths_other, 90, ["new_line"])

    # The intake.
    url = reverse("exchange:intake", args=[so.pk])
    response = client.post(url, {"intake": "сто"})
    assert flashed(response) == ["Набор — целое число учеников от 0 до 1000."]
    response = client.post(url, {"intake": "1001"})
    assert flashed(response) == ["Набор — целое число учеников от 0 до 1000."]
    so.refresh_from_db()
    assert so.intake is None
    response = client.post(url, {"intake": "25"})
    assert flashed(response) == ["Набор в 1 класс сохранён, заказ пересчитан."]
    so.refresh_from_db()
    assert so.intake == 25

    # Submitting freezes it.
    response = client.post(reverse("exchange:submit", args=[so.pk]))
    assert flashed(response) == ["Заказ сдан методисту."]
    so.refresh_from_db()
    assert so.status == SchoolOrder.Status.SUBMITTED
    line_pk = OrderLine.objects.get(school_order=so, grade=10).pk
    response = client.post(
        reverse("exchange:line_set", args=[line_pk]), {"copies": "1", "note": "x"}
    )
    assert "изменить его может только методист" in flashed(response)[0]
    body = client.get(so.get_absolute_url()).content.decode()
    assert "Сдать заказ" not in body


def test_methodist_decides_and_consolidates(cast, login, order):
    so_a = SchoolOrder.objects.get(order=order, school=cast.school_a)
    so_b = SchoolOrder.objects.get(order=order, school=cast.school_b)
    order_services.school_order_submit(cast.librarian_a, so_a)
    client = login(cast.methodist)
    assert "Решение методиста" in client.get(so_a.get_absolute_url()).content.decode()
    decide = reverse("exchange:decide", args=[so_a.pk])
    response = client.post(decide, {"comment": ""})
    assert flashed(response) == ["Напишите, что исправить: школа увидит замечания."]
    so_a.refresh_from_db()
    assert so_a.status == SchoolOrder.Status.SUBMITTED
    response = client.post(decide, {"comment": "Уточните физику"})
    assert flashed(response) == ["Решение сохранено."]
    so_a.refresh_from_db()
    assert (so_a.status, so_a.comment) == (SchoolOrder.Status.RETURNED, "Уточните физику")
    body = login(cast.librarian_a).get(so_a.get_absolute_url()).content.decode()
    assert "Замечания методиста: Уточните физику" in body

    order_services.school_order_submit(cast.librarian_a, so_a)
    client = login(cast.methodist)
    client.post(decide, {"accept": "on"})
    so_a.refresh_from_db()
    assert so_a.status == SchoolOrder.Status.ACCEPTED

    consolidate = reverse("exchange:order_consolidate", args=[order.pk])
    response = client.post(consolidate)
    assert flashed(response) == [f"Не приняты заказы школ: {B}."]
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT

    order_services.school_order_submit(cast.librarian_b, so_b)
    client.post(reverse("exchange:decide", args=[so_b.pk]), {"accept": "on"})
    response = client.post(consolidate)
    assert flashed(response) == ["Сводный заказ сформирован."]
    order.refresh_from_db()
    assert order.status == Order.Status.CONSOLIDATED
    response = client.post(reverse("exchange:order_compute", args=[order.pk]))
    assert flashed(response) == ["Сводный заказ уже сформирован — пересчитать его нельзя."]
    assert not Job.objects.exists()


def _accept_all(cast, order):
    for school, librarian in ((cast.school_a, cast.librarian_a), (cast.school_b, cast.librarian_b)):
        so = SchoolOrder.objects.get(order=order, school=school)
        order_services.school_order_submit(librarian, so)
        order_services.school_order_decide(cast.methodist, so, accept=True)
    order_services.order_consolidate(cast.methodist, order)


def test_consolidated_order_in_excel_totals_by_publisher(cast, login, order, entries):
    _accept_all(cast, order)
    response = login(cast.director).get(reverse("exchange:order_xlsx", args=[order.pk]))
    assert response["Content-Type"] == XLSX
    assert "order-2025-2026.xlsx" in response["Content-Disposition"]
    # The totals are formulas; the values they were written with are read here.
    content = io.BytesIO(response.content)
    sheet = openpyxl.load_workbook(content, data_only=True).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Сводный заказ учебников на 2025/2026 учебный год"
    header = rows[3]
    assert header[:7] == (
        "Издатель",
        "Код в перечне",
        "Предмет",
        "Класс",
        "Авторы",
        "Название",
        "Всего экз.",
    )
    assert header[7:9] == (B, A)
    totals = {row[0]: row[6] for row in rows[4:] if row[0] and str(row[0]).startswith("Итого")}
    # Physics 25 + 21 (БИНОМ); maths 40 for A and Russian 40 for B (Просвещение).
    assert totals == {"Итого: БИНОМ": 46, "Итого: Просвещение": 80}
    by_code = {row[1]: row for row in rows[4:] if row[1]}
    assert by_code[entries.maths.code][6:9] == (40, None, 40)
    assert by_code[entries.russian.code][6:9] == (40, 40, None)
    assert by_code[entries.physics.code][3] == "10–11"
    assert rows[-1][0] == "Всего по округу" and rows[-1][6] == 126


def test_school_order_in_excel_and_word(cast, login, order, entries):
    so = SchoolOrder.objects.get(order=order, school=cast.school_a)
    client = login(cast.librarian_a)
    response = client.get(reverse("exchange:school_order_xlsx", args=[so.pk]))
    assert response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == f"Заказ учебников на 2025/2026 учебный год: {cast.school_a.full_name}"
    assert rows[2][0] == "Класс" and rows[2][12] == "Заказать"
    maths = next(row for row in rows[3:] if row[2] == entries.maths.code)
    assert maths[6:13] == (90, 40, 30, 0, 10, 40, 40)
    assert maths[13] == "износ (истёк срок службы); порча"
    assert rows[-1][0] == "Итого заказать" and rows[-1][12] == 86

    response = client.get(reverse("exchange:school_order_docx", args=[so.pk]))
    assert response["Content-Type"] == DOCX
    text = docx_text(response.content)
    assert "Заказ учебников на 2025/2026 учебный год" in text
    assert cast.school_a.full_name in text
    assert "Заказывается 86 экземпляров по 3 позициям." in text
    assert entries.maths.code in text and entries.russian.code not in text  # nothing to order


def test_algorithm_page_with_a_worked_example(cast, login, order, entries):
    body = login(cast.librarian_a).get(reverse("exchange:algorithm")).content.decode()
    assert "Алгоритм заказа учебной литературы" in body
    # The example shows wear and the exchange at once: school A's maths.
    assert f"{A}, 5 класс, Математика" in body
    assert "поступление 2019 года — 30 годных экз.: износ" in body
    assert "поступление 2024 года — 40 годных экз.: годен" in body
    assert "90 − 40 − 10 = <strong>40</strong>" in body


def test_the_worked_example_never_shows_a_librarian_another_school(cast, login, order, entries):
    body = login(cast.librarian_b).get(reverse("exchange:algorithm")).content.decode()
    assert A not in body and "поступление 2019 года" not in body
    assert (
        f"{A}, 5 класс" in login(cast.methodist).get(reverse("exchange:algorithm")).content.decode()
    )


def test_order_page_totals_the_schools_orders_and_names_titles_cleanly(cast, login, order):
    from django.db.models import Sum

    from bibliomo.textbooks.models import CatalogEntry

    CatalogEntry.objects.filter(
        pk__in=OrderLine.objects.filter(school_order__order=order).values("entry")
    ).update(authors="Гончаренко Л.И.")
    body = login(cast.methodist).get(order.get_absolute_url()).content.decode()
    copies = OrderLine.objects.filter(school_order__order=order).aggregate(n=Sum("copies"))["n"]
    footer = body[body.index("<tfoot>") : body.index("</tfoot>")]
    assert "Итого, 2 школы" in footer and "сдано 0 из 2" in footer
    assert f'<td class="num">{copies:,}</td>'.replace(",", "\u00a0") in footer
    assert "Гончаренко Л.И. " in body and "Л.И.." not in body
