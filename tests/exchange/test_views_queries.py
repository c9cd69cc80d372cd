"""Query counts of the exchange pages do not grow with shipments or lines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bibliomo.exchange import shipment_services
from bibliomo.exchange.models import (
    PoolLine,
    SchoolOrder,
    Shipment,
)
from tests.exchange.pages import (
    add_shipment,
    today,
)

pytestmark = pytest.mark.django_db

Status = Shipment.Status

Status = Shipment.Status


# ---------------------------------------------------------------- query counts


def page_queries(client, url, assert_max, bound) -> int:
    """Queries of one GET of a page, warm (content types and the session cached)."""
    assert client.get(url).status_code == 200
    with assert_max(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def more_shipments(cast, published_plan, school_c, entries):
    """Four more shipments with several lines each: six in the plan."""

    def add():
        pairs = [
            (cast.school_a, school_c),
            (school_c, cast.school_a),
            (cast.school_b, school_c),
            (school_c, cast.school_b),
        ]
        titles = [entries.russian, entries.maths, entries.physics]
        for number, (source, target) in enumerate(pairs, start=3):
            add_shipment(
                published_plan,
                source,
                target,
                titles,
                number,
                status=Status.RECEIVED,
                received_on=today() - timedelta(days=30),
                return_date=today() + timedelta(days=number * 5 - 20),
            )

    return add


def _on_loan(plan):
    Shipment.objects.filter(plan=plan, number=1).update(
        status=Status.RECEIVED, return_date=today() - timedelta(days=1)
    )
    Shipment.objects.filter(plan=plan, number=2).update(
        status=Status.RETURN_SHIPPED, return_date=today() + timedelta(days=100)
    )


PAGES = {
    # page → (who, url, bound)
    "plan": ("methodist", lambda p: p.get_absolute_url(), 12),
    "plan by title": ("methodist", lambda p: p.get_absolute_url() + "?view=title", 13),
    "returns": ("methodist", lambda p: reverse("exchange:returns"), 10),
    "index of the librarian": ("librarian_a", lambda p: reverse("exchange:index"), 11),
    "index of the methodist": ("methodist", lambda p: reverse("exchange:index"), 9),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow_with_shipments(
    page, cast, login, published_plan, more_shipments, django_assert_max_num_queries
):
    who, url, bound = PAGES[page]
    _on_loan(published_plan)
    client = login(getattr(cast, who))
    two = page_queries(client, url(published_plan), django_assert_max_num_queries, bound)
    more_shipments()
    six = page_queries(client, url(published_plan), django_assert_max_num_queries, bound)
    assert six == two


def test_shipment_page_queries_do_not_grow_with_lines(
    cast, login, published_plan, school_c, entries, django_assert_max_num_queries
):
    one_line = Shipment.objects.get(plan=published_plan, source=cast.school_a)
    three = add_shipment(
        published_plan,
        cast.school_a,
        school_c,
        [entries.russian, entries.maths, entries.physics],
        3,
    )
    client = login(cast.librarian_a)
    shipment_services.shipment_agree(cast.librarian_a, three, "source")  # a line of history too
    small = page_queries(client, one_line.get_absolute_url(), django_assert_max_num_queries, 10)
    large = page_queries(client, three.get_absolute_url(), django_assert_max_num_queries, 10)
    assert small == large


def test_pool_page_queries_do_not_grow_with_lines(
    cast, login, plan, entries, django_assert_max_num_queries
):
    client = login(cast.methodist)
    url = reverse("exchange:pool", args=[plan.pk])
    a = page_queries(client, f"{url}?school={cast.school_a.pk}", django_assert_max_num_queries, 11)
    PoolLine.objects.create(
        plan=plan,
        school=cast.school_b,
        entry=entries.maths_other,
        kind="request",
        computed=0,
        copies=4,
        reason="Новая линия",
        changed_by=cast.librarian_b,
        changed_at=timezone.now(),
    )
    b = page_queries(client, f"{url}?school={cast.school_b.pk}", django_assert_max_num_queries, 11)
    assert a == b


def test_order_pages_queries_do_not_grow_with_lines(
    cast, login, order, django_assert_max_num_queries
):
    so_a = SchoolOrder.objects.get(order=order, school=cast.school_a)  # four lines
    so_b = SchoolOrder.objects.get(order=order, school=cast.school_b)  # two lines
    client = login(cast.methodist)
    page_queries(client, order.get_absolute_url(), django_assert_max_num_queries, 9)
    a = page_queries(client, so_a.get_absolute_url() + "?all=1", django_assert_max_num_queries, 9)
    b = page_queries(client, so_b.get_absolute_url() + "?all=1", django_assert_max_num_queries, 9)
    assert a == b
