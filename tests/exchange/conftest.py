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

import pytest

from bibliomo.exchange import services
from bibliomo.exchange.models import ExchangePlan, Order, Shipment
from bibliomo.textbooks.models import CatalogEntry
from tests.factories import (
    A_DATA,
    B_DATA,
    MATHS_5,
    MATHS_5_OTHER,
    PHYSICS_10_11,
    RUSSIAN_5,
    fill_and_accept,
    make_order,
    make_plan,
)


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


@pytest.fixture
def accepted(cast, campaign, entries):
    """Both schools' reports of the campaign, accepted."""
    fill_and_accept(cast, campaign, cast.school_a, cast.librarian_a, A_DATA)
    fill_and_accept(cast, campaign, cast.school_b, cast.librarian_b, B_DATA)
    return campaign


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


@pytest.fixture
def order(cast, accepted) -> Order:
    return make_order(cast, accepted)


# The page tests' world (tests/exchange/pages.py), as fixtures of every exchange test.
from tests.exchange.pages import librarian_c, school_c, world  # noqa: E402, F401
