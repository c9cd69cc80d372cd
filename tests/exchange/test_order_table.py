"""The school's order as one form for the whole table (issue 18): one service call, all or
nothing, a Russian message naming the line; and the exchange scheme as plain map data."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bibliomo.core.errors import DomainError
from bibliomo.exchange import order_services, selectors
from bibliomo.exchange.models import OrderLine, SchoolOrder
from tests.conftest import consented

pytestmark = pytest.mark.django_db


def _lines(order, school) -> list[OrderLine]:
    return list(
        OrderLine.objects.filter(school_order__order=order, school_order__school=school)
        .select_related("entry")
        .order_by("grade", "entry__subject", "entry__code")
    )


def _form(lines, **changes) -> dict[str, str]:
    data = {}
    for line in lines:
        copies, note = changes.get(line.entry.code, (line.copies, line.note))
        data[f"copies-{line.pk}"] = str(copies)
        data[f"note-{line.pk}"] = note
    return data


def test_the_whole_table_is_saved_in_one_call(cast, order, entries):
    school_order = SchoolOrder.objects.get(order=order, school=cast.school_a)
    maths, russian = (
        next(line for line in _lines(order, cast.school_a) if line.entry.code == code)
        for code in (entries.maths.code, entries.russian.code)
    )
    changed = order_services.lines_set(
        cast.librarian_a,
        school_order,
        {maths.pk: (maths.need + 5, "Резерв"), russian.pk: (russian.copies, russian.note)},
    )
    assert changed == 1
    maths.refresh_from_db()
    assert (maths.copies, maths.note) == (maths.need + 5, "Резерв")


def test_one_bad_line_saves_nothing_and_names_the_line(cast, order, entries):
    school_order = SchoolOrder.objects.get(order=order, school=cast.school_a)
    lines = _lines(order, cast.school_a)
    good, bad = lines[0], lines[-1]
    with pytest.raises(DomainError) as error:
        order_services.lines_set(
            cast.librarian_a,
            school_order,
            {good.pk: (good.need + 1, "Резерв"), bad.pk: (bad.need + 3, " ")},
        )
    assert error.value.message == (
        f"{bad.grade} класс, {bad.entry.code}: Расчёт предлагает {bad.need} экз.; напишите, "
        "почему заказываете иначе. Ничего не сохранено."
    )
    good.refresh_from_db()
    assert good.copies == good.need  # the good line rolled back with the bad one


def test_lines_of_another_school_are_refused(cast, order):
    school_order = SchoolOrder.objects.get(order=order, school=cast.school_a)
    other = _lines(order, cast.school_b)[0]
    with pytest.raises(DomainError, match="Строки заказа изменились"):
        order_services.lines_set(cast.librarian_a, school_order, {other.pk: (1, "x")})


def test_the_librarian_saves_the_table_from_the_page(cast, client, order, entries):
    client.force_login(consented(cast.librarian_a))
    school_order = SchoolOrder.objects.get(order=order, school=cast.school_a)
    page = client.get(school_order.get_absolute_url())
    assert page.content.decode().count("Сохранить заказ") == 2  # above and below the table
    assert "data-grid" in page.content.decode()
    lines = _lines(order, cast.school_a)
    maths = next(line for line in lines if line.entry.code == entries.maths.code)
    data = _form(lines, **{entries.maths.code: (maths.need + 2, "На новый класс")})
    response = client.post(reverse("exchange:lines_save", args=[school_order.pk]), data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Сохранено: 1 строка."]
    maths.refresh_from_db()
    assert maths.copies == maths.need + 2


def test_bad_number_names_the_line_and_saves_nothing(cast, client, order, entries):
    client.force_login(consented(cast.librarian_a))
    school_order = SchoolOrder.objects.get(order=order, school=cast.school_a)
    lines = _lines(order, cast.school_a)
    first, last = lines[0], lines[-1]
    data = _form(lines, **{first.entry.code: (first.need + 1, "Резерв")})
    data[f"copies-{last.pk}"] = "много"
    response = client.post(reverse("exchange:lines_save", args=[school_order.pk]), data)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{last.grade} класс, {last.entry.code}: укажите целое число экземпляров от 0. "
        "Ничего не сохранено."
    ]
    first.refresh_from_db()
    assert first.copies == first.need


def test_another_schools_librarian_cannot_save_the_table(cast, client, order):
    client.force_login(consented(cast.librarian_b))
    school_order = SchoolOrder.objects.get(order=order, school=cast.school_a)
    lines = _lines(order, cast.school_a)
    data = _form(lines, **{lines[0].entry.code: (lines[0].need + 9, "Чужое")})
    response = client.post(reverse("exchange:lines_save", args=[school_order.pk]), data)
    assert response.status_code == 404
    lines[0].refresh_from_db()
    assert lines[0].copies == lines[0].need


def test_the_scheme_is_plain_points_and_edges(cast, published_plan):
    shipments = list(selectors.shipments_for(published_plan))
    scheme = selectors.scheme(published_plan, shipments)
    names = {point["id"]: point["name"] for point in scheme["points"]}
    assert set(names.values()) == {cast.school_a.short_name, cast.school_b.short_name}
    point = scheme["points"][0]
    assert set(point) == {
        "id", "name", "lat", "lon", "provision", "shortage", "url", "sends", "receives"
    }  # fmt: skip
    assert isinstance(point["lat"], float)
    copies = {(names[edge["from"]], names[edge["to"]]): edge["copies"] for edge in scheme["edges"]}
    assert copies == {
        (cast.school_a.short_name, cast.school_b.short_name): 35,
        (cast.school_b.short_name, cast.school_a.short_name): 42,
    }


def test_the_plan_page_carries_the_scheme_data_island(cast, client, published_plan):
    client.force_login(consented(cast.methodist))
    page = client.get(reverse("exchange:plan", args=[published_plan.pk])).content.decode()
    assert 'id="scheme-map-points" type="application/json"' in page
    assert 'id="scheme-map-edges" type="application/json"' in page
    assert "vendor/leaflet/leaflet.js" in page
    assert "<script>" not in page  # nothing inline
