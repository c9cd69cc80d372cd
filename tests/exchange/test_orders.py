"""The order for next year: forecast, usable copies, the exchange, reasons, a school's review."""

from datetime import date
from decimal import Decimal

import pytest

from bibliomo.core.errors import DomainError
from bibliomo.exchange import order_services, ordering
from bibliomo.exchange.models import Order, OrderLine, SchoolOrder
from bibliomo.textbooks.models import CatalogEntry, Enrolment, Holding, TextbookLine
from tests.factories import make_order

pytestmark = pytest.mark.django_db

A, B = "МБОУ «СОШ № 1»", "МБОУ «Гимназия № 5»"
FIELDS = ("pupils_now", "forecast", "usable", "worn", "expiring", "lost", "from_exchange", "need")


def lines_of(order) -> dict[tuple[str, int, str], OrderLine]:
    """(school, grade, code) → the order line."""
    return {
        (line.school_order.school.short_name, line.grade, line.entry.code): line
        for line in OrderLine.objects.filter(school_order__order=order).select_related(
            "school_order__school", "entry"
        )
    }


def figures(line: OrderLine) -> dict[str, int]:
    return {name: getattr(line, name) for name in FIELDS}


def school_order(order, school) -> SchoolOrder:
    return SchoolOrder.objects.select_related("order__campaign").get(order=order, school=school)


# ---------------------------------------------------------------- the figures


def test_order_lines_from_forecast_fund_and_exchange(order, entries):
    assert order.academic_year == 2025 and order.computed_at
    found = lines_of(order)
    assert set(found) == {
        (A, 5, entries.russian.code),
        (A, 5, entries.maths.code),
        (A, 10, entries.physics.code),
        (A, 11, entries.physics.code),
        (B, 5, entries.russian.code),
        (B, 5, entries.maths.code),
    }
    # School A, maths: 90 pupils come up from the 4th grade; 40 copies of 2024 serve, the 30 of
    # 2019 are worn; school B will have 100 − 90 = 10 spare next year.
    assert figures(found[A, 5, entries.maths.code]) == {
        "pupils_now": 100,
        "forecast": 90,
        "usable": 40,
        "worn": 30,
        "expiring": 0,
        "lost": 2,
        "from_exchange": 10,
        "need": 40,
    }
    # School B, Russian: 90 pupils, 45 usable (2022 serves until 2026), 5 spare from school A.
    assert figures(found[B, 5, entries.russian.code]) == {
        "pupils_now": 80,
        "forecast": 90,
        "usable": 45,
        "worn": 0,
        "expiring": 0,
        "lost": 5,
        "from_exchange": 5,
        "need": 40,
    }
    for line in found.values():
        assert line.copies == line.need


def test_forecast_moves_each_cohort_up_a_grade_times_the_retention(cast, accepted, entries):
    order = make_order(cast, accepted, retention=Decimal("0.96"))
    found = lines_of(order)
    assert found[A, 5, entries.russian.code].forecast == 86  # 90 × 0,96 = 86,4
    assert found[B, 5, entries.maths.code].forecast == 86
    assert found[A, 10, entries.physics.code].forecast == 58  # 60 × 0,96 = 57,6
    assert found[A, 11, entries.physics.code].forecast == 48  # 50 × 0,96 = 48


def test_first_grade_from_the_stated_intake_or_the_average_of_past_years(cast, order):
    for year, pupils in ((2022, 44), (2023, 47), (2024, 50)):
        Enrolment.objects.create(
            school=cast.school_a, academic_year=year, grade=1, pupils=pupils, classes=2
        )
    # An earlier year's 4th grade is not this year's cohort.
    Enrolment.objects.create(
        school=cast.school_a, academic_year=2023, grade=4, pupils=999, classes=9
    )
    ids = [cast.school_a.pk, cast.school_b.pk]
    result = ordering.forecast(order, ids, {cast.school_a.pk: None, cast.school_b.pk: None})
    assert result[cast.school_a.pk, 1] == 47  # (44 + 47 + 50) / 3
    assert result[cast.school_b.pk, 1] == 0  # no first grade on record
    assert result[cast.school_a.pk, 5] == 90
    assert result[cast.school_a.pk, 2] == round(50 * 1.0)  # this year's first grade moves up
    stated = ordering.forecast(order, ids, {cast.school_a.pk: 55, cast.school_b.pk: 12})
    assert (stated[cast.school_a.pk, 1], stated[cast.school_b.pk, 1]) == (55, 12)


def test_usable_next_year_leaves_out_worn_copies(order, entries):
    found = lines_of(order)
    # 2020 + 4 ≤ 2025: worn; 2023 + 4 > 2025: serves.
    assert (found[A, 5, entries.russian.code].usable, found[A, 5, entries.russian.code].worn) == (
        95,
        45,
    )
    # On the boundary: bought in 2021, the copies served 2021/22 … 2024/25 and are worn by 2025.
    assert (found[B, 5, entries.maths.code].usable, found[B, 5, entries.maths.code].worn) == (
        100,
        20,
    )
    # Bought in 2022: one more year.
    assert (found[B, 5, entries.russian.code].usable, found[B, 5, entries.russian.code].worn) == (
        45,
        0,
    )


def test_a_longer_service_life_keeps_more_copies(cast, accepted, entries):
    found = lines_of(make_order(cast, accepted, service_years=5))
    assert (found[B, 5, entries.maths.code].usable, found[B, 5, entries.maths.code].worn) == (
        120,
        0,
    )
    assert found[A, 5, entries.russian.code].worn == 45  # 2020 + 5 ≤ 2025


def test_a_textbook_excluded_before_1_september_drops_out(cast, accepted, entries):
    CatalogEntry.objects.filter(pk=entries.russian.pk).update(
        status=CatalogEntry.Status.EXCLUDED, limit_date=date(2025, 5, 31)
    )
    found = lines_of(make_order(cast, accepted))
    line = found[A, 5, entries.russian.code]
    assert (line.usable, line.worn, line.expiring) == (0, 0, 140)
    assert "limit_date" in line.reasons
    assert found[B, 5, entries.russian.code].expiring == 45


def test_a_textbook_usable_until_1_september_still_serves(cast, accepted, entries):
    CatalogEntry.objects.filter(pk=entries.russian.pk).update(
        status=CatalogEntry.Status.EXCLUDED, limit_date=date(2025, 9, 1)
    )
    line = lines_of(make_order(cast, accepted))[A, 5, entries.russian.code]
    assert (line.usable, line.worn, line.expiring) == (95, 45, 0)


def test_a_textbook_shared_by_two_grades_is_split_in_proportion(order, entries):
    found = lines_of(order)
    tenth, eleventh = found[A, 10, entries.physics.code], found[A, 11, entries.physics.code]
    # 64 copies for 60 + 50 pupils: 34,9 and 29,1 → 35 and 29.
    assert (tenth.forecast, tenth.usable, tenth.need) == (60, 35, 25)
    assert (eleventh.forecast, eleventh.usable, eleventh.need) == (50, 29, 21)
    assert tenth.usable + eleventh.usable == 64


def test_two_lines_of_one_subject_share_the_grade_as_this_year(cast, accepted, entries):
    TextbookLine.objects.filter(school=cast.school_a, entry=entries.maths).update(pupils=60)
    TextbookLine.objects.create(
        school=cast.school_a, academic_year=2024, grade=5, entry=entries.maths_other, pupils=40
    )
    found = lines_of(make_order(cast, accepted))
    assert found[A, 5, entries.maths.code].forecast == 54
    assert found[A, 5, entries.maths_other.code].forecast == 36
    assert found[A, 5, entries.maths_other.code].need == 36  # no copies of the other line


def test_the_exchange_reduces_the_need(cast, accepted, order, entries):
    with_exchange = lines_of(order)
    Order.objects.filter(pk=order.pk).delete()
    without = lines_of(make_order(cast, accepted, use_exchange=False))
    key = (A, 5, entries.maths.code)
    assert (without[key].from_exchange, without[key].need) == (0, 50)
    assert (with_exchange[key].from_exchange, with_exchange[key].need) == (10, 40)
    key = (B, 5, entries.russian.code)
    assert (without[key].from_exchange, without[key].need) == (0, 45)
    assert (with_exchange[key].from_exchange, with_exchange[key].need) == (5, 40)
    # A spare never exceeds what the giving school has beyond its own forecast.
    assert with_exchange[key].from_exchange <= 95 - 90


def test_each_line_names_its_reasons(order, entries):
    found = lines_of(order)
    assert found[B, 5, entries.russian.code].reasons == ["more_pupils", "damage"]
    assert found[A, 5, entries.maths.code].reasons == ["wear", "damage"]
    assert found[A, 10, entries.physics.code].reasons == ["more_pupils"]
    assert found[A, 5, entries.maths.code].reason_labels == [
        "износ (истёк срок службы)",
        "порча",
    ]


def test_need_is_never_negative(order, entries):
    found = lines_of(order)
    # 95 usable copies for 90 pupils, 100 for 90: nothing to order, no reason given.
    for key in ((A, 5, entries.russian.code), (B, 5, entries.maths.code)):
        assert (found[key].need, found[key].copies, found[key].reasons) == (0, 0, [])
    assert all(line.need >= 0 for line in found.values())


# ---------------------------------------------------------------- a school's review


def test_changing_the_line_orders_the_new_textbook_with_reason_new_line(cast, order, entries):
    line = lines_of(order)[A, 5, entries.maths.code]
    with pytest.raises(DomainError) as error:
        order_services.line_change_entry(cast.librarian_a, line, entries.maths_other, "  ")
    assert error.value.message == "Напишите, почему школа переходит на другую линию."
    with pytest.raises(DomainError) as error:
        order_services.line_change_entry(cast.librarian_a, line, entries.physics, "Физика")
    assert error.value.message == (
        f"«{entries.physics.code}» нельзя выбрать: нужен учебник того же предмета для 5 класса "
        "из действующего перечня."
    )
    line.refresh_from_db()
    assert line.entry == entries.maths

    order_services.line_change_entry(
        cast.librarian_a, line, entries.maths_other, "Решение методобъединения"
    )
    line.refresh_from_db()
    assert (line.entry, line.previous_entry) == (entries.maths_other, entries.maths)
    # No copies of the new line and nothing from the exchange: the whole forecast.
    assert (line.forecast, line.usable, line.worn, line.from_exchange) == (90, 0, 0, 0)
    assert (line.need, line.copies, line.reasons) == (90, 90, ["new_line"])
    assert line.note == "Решение методобъединения"


def test_setting_copies_by_hand_needs_a_note_when_different(cast, order, entries):
    line = lines_of(order)[A, 5, entries.maths.code]
    with pytest.raises(DomainError) as error:
        order_services.line_set(cast.librarian_a, line, 45, " ")
    assert error.value.message == "Расчёт предлагает 40 экз.; напишите, почему заказываете иначе."
    with pytest.raises(DomainError) as error:
        order_services.line_set(cast.librarian_a, line, 501, "много")
    assert error.value.message == "501 экз. для 90 учеников — проверьте число."
    with pytest.raises(DomainError) as error:
        order_services.line_set(cast.librarian_a, line, -1, "минус")
    assert error.value.message == "Число экземпляров не может быть отрицательным."
    line.refresh_from_db()
    assert (line.copies, line.note) == (40, "")
    order_services.line_set(cast.librarian_a, line, 45, "Резерв на новых учеников")
    line.refresh_from_db()
    assert (line.copies, line.need, line.note) == (45, 40, "Резерв на новых учеников")
    order_services.line_set(cast.librarian_a, line, 40, "")  # back to the need: no note needed
    line.refresh_from_db()
    assert (line.copies, line.note) == (40, "")


def test_ordering_where_nothing_is_needed_names_reason_other(cast, order, entries):
    line = lines_of(order)[B, 5, entries.maths.code]
    order_services.line_set(cast.librarian_b, line, 5, "Замена порванных")
    line.refresh_from_db()
    assert (line.copies, line.reasons) == (5, ["other"])


@pytest.fixture
def with_first_grade(cast, accepted):
    """School A teaches its 50 first-graders from a primer it has 30 copies of."""
    primer = CatalogEntry.objects.create(
        code="1.1.1.1.1.1.1",
        subject="Азбука",
        title="Азбука. 1 класс",
        authors="Горецкий В.Г.",
        grade_from=1,
        grade_to=1,
        publisher="Просвещение",
    )
    Enrolment.objects.create(school=cast.school_a, academic_year=2024, grade=1, pupils=50)
    TextbookLine.objects.create(
        school=cast.school_a, academic_year=2024, grade=1, entry=primer, pupils=50
    )
    Holding.objects.create(school=cast.school_a, entry=primer, purchase_year=2024, copies=30)
    return primer


def test_intake_change_recomputes_the_school_but_keeps_hand_set_copies(
    cast, accepted, entries, with_first_grade
):
    order = make_order(cast, accepted)
    primer = with_first_grade
    first = lines_of(order)[A, 1, primer.code]
    assert (first.forecast, first.usable, first.need, first.copies) == (50, 30, 20, 20)
    maths = lines_of(order)[A, 5, entries.maths.code]
    order_services.line_set(cast.librarian_a, maths, 45, "Резерв")
    b_before = {key: figures(line) for key, line in lines_of(order).items() if key[0] == B}

    order_services.intake_set(cast.librarian_a, school_order(order, cast.school_a), 60)

    found = lines_of(order)
    first = found[A, 1, primer.code]
    assert (first.forecast, first.need, first.copies) == (60, 30, 30)
    assert first.reasons == ["more_pupils"]
    maths = found[A, 5, entries.maths.code]
    assert (maths.copies, maths.need, maths.from_exchange) == (45, 40, 10)
    assert maths.note == "Резерв"
    assert {key: figures(line) for key, line in found.items() if key[0] == B} == b_before
    assert school_order(order, cast.school_a).intake == 60

    order_services.intake_set(cast.librarian_a, school_order(order, cast.school_a), None)
    assert lines_of(order)[A, 1, primer.code].forecast == 50  # the average again


def test_intake_outside_0_to_1000_is_refused(cast, order):
    with pytest.raises(DomainError) as error:
        order_services.intake_set(cast.librarian_a, school_order(order, cast.school_a), 1001)
    assert error.value.message == "Набор в 1 класс — от 0 до 1000 учеников."
    assert school_order(order, cast.school_a).intake is None


def test_submit_decide_and_consolidate(cast, order, entries):
    so_a, so_b = school_order(order, cast.school_a), school_order(order, cast.school_b)
    with pytest.raises(DomainError) as error:
        order_services.school_order_decide(cast.methodist, so_a, accept=True)
    assert error.value.message == "Решение принимают по сданному заказу."

    order_services.school_order_submit(cast.librarian_a, so_a)
    so_a.refresh_from_db()
    assert so_a.status == SchoolOrder.Status.SUBMITTED and so_a.submitted_by == cast.librarian_a
    with pytest.raises(DomainError) as error:
        order_services.line_set(
            cast.librarian_a, lines_of(order)[A, 5, entries.maths.code], 41, "x"
        )
    assert error.value.message == (
        "Заказ школы сдан: изменить его может только методист, вернув на доработку."
    )
    with pytest.raises(DomainError) as error:
        order_services.school_order_decide(cast.methodist, so_a, accept=False, comment="  ")
    assert error.value.message == "Напишите, что исправить: школа увидит замечания."
    order_services.school_order_decide(
        cast.methodist, so_a, accept=False, comment="Проверьте физику"
    )
    so_a.refresh_from_db()
    assert (so_a.status, so_a.comment, so_a.editable) == ("returned", "Проверьте физику", True)
    order_services.school_order_submit(cast.librarian_a, so_a)
    order_services.school_order_decide(cast.methodist, so_a, accept=True)

    with pytest.raises(DomainError) as error:
        order_services.order_consolidate(cast.methodist, order)
    assert error.value.message == f"Не приняты заказы школ: {B}."
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT

    order_services.school_order_submit(cast.librarian_b, so_b)
    order_services.school_order_decide(cast.methodist, so_b, accept=True)
    order_services.order_consolidate(cast.methodist, order)
    order.refresh_from_db()
    assert order.status == Order.Status.CONSOLIDATED and order.consolidated_at
    with pytest.raises(DomainError) as error:
        order_services.compute(order)
    assert error.value.message == "Сводный заказ уже сформирован: пересчитать его нельзя."
    with pytest.raises(DomainError) as error:
        order_services.intake_set(cast.librarian_a, school_order(order, cast.school_a), 10)
    assert error.value.message == "Сводный заказ сформирован: заказ школы больше не меняется."


def test_recomputing_leaves_submitted_school_orders_alone(cast, order, entries):
    order_services.school_order_submit(cast.librarian_a, school_order(order, cast.school_a))
    before = {key: figures(line) for key, line in lines_of(order).items() if key[0] == A}
    Holding.objects.create(school=cast.school_a, entry=entries.maths, purchase_year=2025, copies=20)
    Holding.objects.create(
        school=cast.school_b, entry=entries.russian, purchase_year=2025, copies=20
    )
    order_services.compute(order)
    found = lines_of(order)
    assert {key: figures(line) for key, line in found.items() if key[0] == A} == before
    assert found[B, 5, entries.russian.code].usable == 65


def test_submitting_an_order_without_lines_is_refused(cast, accepted):
    order = order_services.order_create(
        cast.methodist,
        cast.association,
        campaign=accepted,
        retention=Decimal("1"),
        service_years=4,
        deadline=date(2025, 3, 1),
    )
    with pytest.raises(DomainError) as error:
        order_services.school_order_submit(cast.librarian_a, school_order(order, cast.school_a))
    assert error.value.message == "В заказе нет строк: дождитесь расчёта заказа методистом."


def test_one_order_per_year(cast, order, accepted):
    with pytest.raises(DomainError) as error:
        make_order(cast, accepted)
    assert error.value.message == "Заказ на 2025/2026 учебный год уже есть — откройте его."
    assert Order.objects.count() == 1


def test_an_order_needs_accepted_reports(cast, campaign):
    with pytest.raises(DomainError) as error:
        make_order(cast, campaign)
    assert "нет принятых отчётов" in error.value.message
    assert not Order.objects.exists()
