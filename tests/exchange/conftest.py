"""An accepted monitoring campaign of two schools that can help each other, and the exchange
plan and the order built from it.

School A (МБОУ «СОШ № 1»): 5th grade of 100 pupils, 90 pupils in the 4th grade.
    Russian 5:  2023 — 100 copies (3 damaged, 2 lost) → 95 usable; 2020 — 45 usable (worn by
                2025 with a 4-year service life). 140 usable: a surplus of 140 − ⌈103⌉ = 37.
    Maths 5:    2024 — 40 usable; 2019 — 32 copies, 2 damaged → 30 usable (worn by 2025).
                70 usable for 100 pupils: a shortage of 30.
    Physics 10–11, shared by the 10th (50) and 11th (30) grades; 60 pupils in the 9th grade.
                2024 — 64 usable for 80 pupils: a shortage of 16.
School B (МБОУ «Гимназия № 5»): 5th grade of 80 pupils, 90 in the 4th grade.
    Russian 5:  2022 — 50 copies, 5 lost → 45 usable: a shortage of 35.
    Maths 5:    2023 — 100 usable; 2021 — 20 usable (worn by 2025). 120 usable: a surplus of
                120 − ⌈82.4⌉ = 37.
    Physics 10–11: 12 copies of 2024 and no line using them — offered whole.

The exchange: A → B carries 35 Russian; B → A carries 30 maths and 12 physics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from bibliomo.exchange import order_services, services, shipment_services
from bibliomo.exchange.models import ExchangePlan, Order, Shipment
from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.textbooks import services as textbooks
from bibliomo.textbooks.models import CatalogEntry, Submission
from tests.textbooks.fixtures import MATHS_5, MATHS_5_OTHER, PHYSICS_10_11, RUSSIAN_5

RETURN_DATE = date(2025, 5, 31)

A_DATA = {
    "enrolment": [
        EnrolmentRow(4, 90, 3),
        EnrolmentRow(5, 100, 4),
        EnrolmentRow(9, 60, 2),
        EnrolmentRow(10, 50, 2),
        EnrolmentRow(11, 30, 1),
    ],
    "lines": [
        LineRow(5, RUSSIAN_5.code, 100),
        LineRow(5, MATHS_5.code, 100),
        LineRow(10, PHYSICS_10_11.code, 50),
        LineRow(11, PHYSICS_10_11.code, 30),
    ],
    "holdings": [
        HoldingRow(RUSSIAN_5.code, 2023, 100, damaged=3, lost=2),
        HoldingRow(RUSSIAN_5.code, 2020, 45),
        HoldingRow(MATHS_5.code, 2024, 40),
        HoldingRow(MATHS_5.code, 2019, 32, damaged=2),
        HoldingRow(PHYSICS_10_11.code, 2024, 64),
    ],
}
B_DATA = {
    "enrolment": [EnrolmentRow(4, 90, 3), EnrolmentRow(5, 80, 3)],
    "lines": [LineRow(5, RUSSIAN_5.code, 80), LineRow(5, MATHS_5.code, 80)],
    "holdings": [
        HoldingRow(RUSSIAN_5.code, 2022, 50, lost=5),
        HoldingRow(MATHS_5.code, 2023, 100),
        HoldingRow(MATHS_5.code, 2021, 20),
        HoldingRow(PHYSICS_10_11.code, 2024, 12),
    ],
}


@dataclass
class Entries:
    russian: CatalogEntry
    maths: CatalogEntry
    maths_other: CatalogEntry
    physics: CatalogEntry


@pytest.fixture
def entries(catalogue) -> Entries:
    found = {e.code: e for e in CatalogEntry.objects.all()}
    return Entries(
        found[RUSSIAN_5.code],
        found[MATHS_5.code],
        found[MATHS_5_OTHER.code],
        found[PHYSICS_10_11.code],
    )


def fill_and_accept(cast, campaign, school, librarian, data) -> Submission:
    submission = campaign.submissions.get(school=school)
    textbooks.submission_save(librarian, submission, **data)
    textbooks.submission_submit(librarian, submission)
    return textbooks.submission_decide(cast.methodist, submission, accept=True)


@pytest.fixture
def accepted(cast, campaign, entries):
    """Both schools' reports of the campaign, accepted."""
    fill_and_accept(cast, campaign, cast.school_a, cast.librarian_a, A_DATA)
    fill_and_accept(cast, campaign, cast.school_b, cast.librarian_b, B_DATA)
    return campaign


def make_plan(cast, campaign, **options) -> ExchangePlan:
    values = {
        "campaign": campaign,
        "name": "Обмен 2024/2025",
        "reserve_percent": 3,
        "return_date": RETURN_DATE,
        "time_limit": 1,
    }
    values.update(options)
    return services.plan_create(cast.methodist, cast.association, **values)


@pytest.fixture
def plan(cast, accepted) -> ExchangePlan:
    return make_plan(cast, accepted)


@pytest.fixture
def solved_plan(plan) -> ExchangePlan:
    services.solve(plan)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def published_plan(cast, solved_plan, django_capture_on_commit_callbacks) -> ExchangePlan:
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_publish(cast.methodist, solved_plan, notify=True)
    solved_plan.refresh_from_db()
    return solved_plan


@pytest.fixture
def shipment(cast, published_plan) -> Shipment:
    """The published shipment from school A to school B (35 copies of Russian)."""
    return Shipment.objects.get(plan=published_plan, source=cast.school_a, target=cast.school_b)


@pytest.fixture
def shipment_back(cast, published_plan) -> Shipment:
    """The published shipment from school B to school A (maths and physics)."""
    return Shipment.objects.get(plan=published_plan, source=cast.school_b, target=cast.school_a)


def make_order(cast, campaign, **options) -> Order:
    values = {
        "campaign": campaign,
        "retention": Decimal("1.00"),
        "service_years": 4,
        "deadline": date(2025, 3, 1),
    }
    values.update(options)
    order = order_services.order_create(cast.methodist, cast.association, **values)
    order_services.compute(order)
    order.refresh_from_db()
    return order


@pytest.fixture
def order(cast, accepted) -> Order:
    return make_order(cast, accepted)


# ---------------------------------------------------------------- a shipment's life

ORDER_OF_STEPS = [
    Shipment.Status.PROPOSED,
    Shipment.Status.SENDER_AGREED,
    Shipment.Status.AGREED,
    Shipment.Status.SHIPPED,
    Shipment.Status.RECEIVED,
    Shipment.Status.RETURN_SHIPPED,
    Shipment.Status.RETURNED,
]


def librarian_of(cast, school):
    return cast.librarian_a if school == cast.school_a else cast.librarian_b


def all_planned(shipment: Shipment) -> dict[int, int]:
    return {line.entry_id: line.copies for line in shipment.lines.all()}


def advance(cast, shipment: Shipment, state: str, day: date | None = None) -> Shipment:
    """Walk a proposed shipment through its life, by the right school each time, up to `state`
    (every copy planned goes and comes back)."""
    from django.utils import timezone

    day = day or timezone.localdate()
    sender, receiver = librarian_of(cast, shipment.source), librarian_of(cast, shipment.target)
    if state == Shipment.Status.DECLINED:
        return shipment_services.shipment_decline(sender, shipment, "Не можем выделить транспорт")
    copies = all_planned(shipment)
    steps = {
        Shipment.Status.SENDER_AGREED: lambda: shipment_services.shipment_agree(
            sender, shipment, "source"
        ),
        Shipment.Status.AGREED: lambda: shipment_services.shipment_agree(
            receiver, shipment, "target"
        ),
        Shipment.Status.SHIPPED: lambda: shipment_services.shipment_ship(
            sender, shipment, day, copies
        ),
        Shipment.Status.RECEIVED: lambda: shipment_services.shipment_receive(
            receiver, shipment, day, copies
        ),
        Shipment.Status.RETURN_SHIPPED: lambda: shipment_services.return_ship(
            receiver, shipment, day, copies
        ),
        Shipment.Status.RETURNED: lambda: shipment_services.return_receive(
            sender, shipment, day, copies
        ),
    }
    shipment.refresh_from_db()
    while shipment.status != state:
        following = ORDER_OF_STEPS[ORDER_OF_STEPS.index(shipment.status) + 1]
        steps[following]()
        shipment.refresh_from_db()
    return shipment


# The page tests' world (tests/exchange/pages.py), as fixtures of every exchange test.
from tests.exchange.pages import librarian_c, school_c, world  # noqa: E402, F401
