"""Shared by the exchange page tests: the third school, the world of one of everything,
what a request flashed and what it could change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from bibliomo.core.models import Job
from bibliomo.directory import services as directory
from bibliomo.directory.models import Person, Position, Role, School
from bibliomo.exchange.models import (
    ExchangePlan,
    Order,
    OrderLine,
    Participant,
    PoolLine,
    SchoolOrder,
    Shipment,
    ShipmentLine,
)
from bibliomo.textbooks.models import Holding
from tests.conftest import PASSWORD, consented
from tests.factories import make_plan

Status = Shipment.Status


def today():
    """Read each time: a run may cross midnight in Moscow."""
    return timezone.localdate()


A, B, C = "МБОУ «СОШ № 1»", "МБОУ «Гимназия № 5»", "МБОУ «Лицей № 3»"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def flashed(response) -> list[str]:
    """The messages this request added (earlier unread ones, still in the cookie, left out)."""
    storage = get_messages(response.wsgi_request)
    return [str(message) for message in storage._queued_messages]


def fingerprint():
    """Everything a request of this app could change."""
    return (
        list(ExchangePlan.objects.order_by("pk").values_list("pk", "status", "covered")),
        list(Participant.objects.order_by("pk").values_list("pk", "reserve_percent")),
        list(PoolLine.objects.order_by("pk").values_list("pk", "copies", "reason")),
        list(Shipment.objects.order_by("pk").values_list("pk", "status", "return_date")),
        list(ShipmentLine.objects.order_by("pk").values()),
        list(Holding.objects.order_by("pk").values()),
        list(Order.objects.order_by("pk").values_list("pk", "status", "computed_at")),
        list(SchoolOrder.objects.order_by("pk").values_list("pk", "status", "intake", "comment")),
        list(OrderLine.objects.order_by("pk").values()),
        Job.objects.count(),
        len(mail.outbox),
    )


# ---------------------------------------------------------------- the world


@pytest.fixture
def school_c(cast) -> School:
    """A third school of the association, with a librarian, not in the campaign."""
    school = directory.school_create(
        None,
        cast.association,
        short_name=C,
        full_name=f"Муниципальное бюджетное общеобразовательное учреждение {C}",
        address="г. Серпухов",
        director="Сидоров В.В.",
        email="",
        phone="",
        website="",
    )
    directory.building_create(
        None,
        school,
        name="Основное здание",
        address="г. Серпухов, ул. Ленина, д. 3",
        latitude=Decimal("54.92"),
        longitude=Decimal("37.40"),
        is_main=True,
    )
    return school


@pytest.fixture
def librarian_c(cast, school_c) -> Person:
    return consented(
        directory.person_create(
            None,
            cast.association,
            email="lib.c@test.ru",
            last_name="Смирнова",
            first_name="Вера",
            patronymic="Павловна",
            position=Position.LIBRARIAN,
            school=school_c,
            roles=[Role.LIBRARIAN],
            password=PASSWORD,
        )
    )


def add_shipment(plan, source, target, entries, number, status=Status.PROPOSED, **fields):
    shipment = Shipment.objects.create(
        plan=plan,
        number=number,
        source=source,
        target=target,
        km=2.5,
        status=status,
        return_date=fields.pop("return_date", plan.return_date),
        **fields,
    )
    for copies, entry in enumerate(entries, start=3):
        ShipmentLine.objects.create(shipment=shipment, entry=entry, copies=copies)
    return shipment


@dataclass
class World:
    draft: ExchangePlan  # a draft plan, its pool editable
    plan: ExchangePlan  # the published plan
    shipment: Shipment  # A → B, number 2
    shipment_back: Shipment  # B → A, number 1
    foreign: Shipment  # B → C: school A has nothing to do with it
    order: Order
    so_a: SchoolOrder
    so_b: SchoolOrder
    pool_line: PoolLine  # school A's offer of Russian in the draft plan
    order_line: OrderLine  # school A's maths


@pytest.fixture
def world(cast, accepted, published_plan, order, school_c, librarian_c, entries) -> World:
    draft = make_plan(cast, accepted, name="Черновик обмена")
    return World(
        draft=draft,
        plan=published_plan,
        shipment=Shipment.objects.get(plan=published_plan, source=cast.school_a),
        shipment_back=Shipment.objects.get(plan=published_plan, source=cast.school_b),
        foreign=add_shipment(published_plan, cast.school_b, school_c, [entries.maths], 3),
        order=order,
        so_a=SchoolOrder.objects.get(order=order, school=cast.school_a),
        so_b=SchoolOrder.objects.get(order=order, school=cast.school_b),
        pool_line=PoolLine.objects.get(
            plan=draft, school=cast.school_a, entry=entries.russian, kind="offer"
        ),
        order_line=OrderLine.objects.get(
            school_order__order=order, school_order__school=cast.school_a, entry=entries.maths
        ),
    )
