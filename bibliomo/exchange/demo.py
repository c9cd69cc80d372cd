"""The demo's exchange and order: a published 2024/2025 exchange plan with shipments in every
state (a few returns overdue) and a draft order for 2025/2026 under review by the schools."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from bibliomo.core.errors import DomainError
from bibliomo.directory.demo import DemoCast
from bibliomo.exchange import order_services, services, shipment_services
from bibliomo.exchange.models import ExchangePlan, Order, PoolLine, Shipment
from bibliomo.textbooks.models import Campaign

# What happened to each shipment, in turn: most went the whole way, some are stuck.
STORIES = [
    "returned",
    "received",  # not returned: overdue
    "returned_short",
    "return_shipped",
    "shipped",
    "received",
    "agreed",
    "sender_agreed",
    "proposed",
    "declined",
    "returned",
    "received_damaged",
]


def _librarian(cast: DemoCast, school):
    return next((p for p in cast.librarians if p.school_id == school.pk), cast.methodist)


def _live(cast: DemoCast, shipment: Shipment, story: str, day: date) -> None:
    sender, receiver = _librarian(cast, shipment.source), _librarian(cast, shipment.target)
    if story == "proposed":
        return
    if story == "declined":
        shipment_services.shipment_decline(
            receiver, shipment, "Линию меняем со следующего года — учебники уже не нужны."
        )
        return
    shipment_services.shipment_agree(sender, shipment, "source")
    if story == "sender_agreed":
        return
    shipment_services.shipment_agree(receiver, shipment, "target")
    if story == "agreed":
        return
    lines = list(shipment.lines.all())
    shipment_services.shipment_ship(
        sender, shipment, day, {line.entry_id: line.copies for line in lines}
    )
    if story == "shipped":
        return
    received = {line.entry_id: line.copies for line in lines}
    damaged = {}
    if story == "received_damaged":
        damaged = {lines[0].entry_id: min(2, lines[0].copies)}
    shipment_services.shipment_receive(
        receiver, shipment, day + timedelta(days=2), received, damaged
    )
    if story in ("received", "received_damaged"):
        return
    back = {line.entry_id: line.copies for line in lines}
    shipment_services.return_ship(receiver, shipment, date(2025, 5, 26), back)
    if story == "return_shipped":
        return
    returned = dict(back)
    note = ""
    if story == "returned_short":
        returned[lines[0].entry_id] = max(0, lines[0].copies - 1)
        note = "Один экземпляр утерян учеником; школа возместит равноценным."
    shipment_services.return_receive(sender, shipment, date(2025, 5, 29), returned, note)


@transaction.atomic
def build(cast: DemoCast, campaign: Campaign) -> tuple[ExchangePlan | None, Order | None]:
    association = cast.association
    plan = ExchangePlan.objects.filter(association=association, campaign=campaign).first()
    if plan is None:
        plan = _exchange(cast, campaign)
    order = Order.objects.filter(association=association).first()
    if order is None:
        order = _order(cast, campaign)
    return plan, order


def _exchange(cast: DemoCast, campaign: Campaign) -> ExchangePlan | None:
    methodist = cast.methodist
    try:
        plan = services.plan_create(
            methodist,
            cast.association,
            campaign=campaign,
            name="Обмен учебниками на 2024/2025 учебный год",
            reserve_percent=3,
            return_date=date(2025, 5, 31),
            time_limit=5,
        )
    except DomainError:
        return None
    held = PoolLine.objects.filter(plan=plan, kind=PoolLine.Kind.OFFER, copies__gte=10).first()
    if held is not None:
        services.pool_line_set(
            _librarian(cast, held.school),
            held,
            held.copies - 5,
            "Оставляем 5 экземпляров: в октябре ждём новых учеников.",
        )
    services.solve(plan)
    services.plan_publish(methodist, plan, notify=False)
    shipments = plan.shipments.select_related("source", "target").order_by("number")
    for index, shipment in enumerate(shipments):
        story = STORIES[index % len(STORIES)]
        _live(cast, shipment, story, date(2024, 10, 1) + timedelta(days=index % 10))
    return plan


def _order(cast: DemoCast, campaign: Campaign) -> Order | None:
    methodist = cast.methodist
    try:
        order = order_services.order_create(
            methodist,
            cast.association,
            campaign=campaign,
            retention=Decimal("0.98"),
            service_years=4,
            deadline=date(2025, 3, 1),
        )
    except DomainError:
        return None
    order_services.compute(order)
    featured = cast.librarians[0].school_id  # the demo login's school: still reviewing
    school_orders = list(order.schools.select_related("school").order_by("school__short_name"))
    for index, school_order in enumerate(school_orders):
        librarian = _librarian(cast, school_order.school)
        if school_order.school_id == featured:
            school_order = order_services.intake_set(librarian, school_order, 96)
            line = school_order.lines.filter(need__gt=0).order_by("grade", "pk").first()
            if line is not None:
                order_services.line_set(
                    librarian, line, line.need + 4, "Запас на случай прибытия учеников."
                )
            continue
        if index % 3 == 0:
            continue  # not yet submitted
        order_services.school_order_submit(librarian, school_order)
        if index % 3 == 1:
            order_services.school_order_decide(methodist, school_order, True)
        elif index == 2:
            order_services.school_order_decide(
                methodist,
                school_order,
                False,
                "Уточните набор в 1 класс: по данным школы набирается четыре класса.",
            )
    return order
