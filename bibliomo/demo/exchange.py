"""The demo's exchange and order, for the user's year and for the current one.

2024/2025 is over: its exchange went the whole way (returned by 29.05.2025, one short, one
declined, one never returned — overdue ever since) and its order for 2025/2026 was
consolidated. The current year is alive: its exchange is in progress with shipments in states
that fit today (nothing is due back before the end of the year), and the order for next year
is being checked by the schools.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.demo.directory import DemoCast
from bibliomo.demo.timeline import MOSCOW, SEED_YEAR, Stamps, Timeline, at
from bibliomo.exchange import order_services, services, shipment_services
from bibliomo.exchange.models import ExchangePlan, Order, PoolLine, SchoolOrder, Shipment
from bibliomo.lib import ru
from bibliomo.textbooks.models import Campaign

# What happened to the shipments of 2024/2025 (by their place in the plan); the rest returned.
PAST_STORIES = {
    1: "received",  # never returned: overdue since 31.05.2025
    2: "returned_short",
    5: "declined",
}


# The current year before the returns (shipments on their way and received)...
CURRENT_STORIES = [
    "received",
    "shipped",
    "received_damaged",
    "agreed",
    "received",
    "sender_agreed",
    "proposed",
    "received",
    "declined",
    "shipped",
]
# ... and in May, when the schools send the textbooks back.
RETURN_SEASON_STORIES = [
    "returned",
    "return_shipped",
    "returned_short",
    "received",
    "shipped",
    "received",
    "agreed",
    "proposed",
    "declined",
    "return_shipped",
]


@dataclass(frozen=True)
class Dates:
    """The days of one exchange: when it was published, shipped, received, sent back."""

    published: datetime
    ship: date  # the first shipping day; each shipment a day or more later
    back: date | None  # when returns are sent back (None — not yet the season)
    today: date

    def shipped(self, index: int) -> date:
        return min(self.ship + timedelta(days=index % 10), self.today)

    def received(self, index: int) -> date:
        return min(self.shipped(index) + timedelta(days=2), self.today)

    def returned(self) -> date:
        assert self.back is not None  # only the stories that reach the return ask
        return min(self.back + timedelta(days=3), self.today)


def _last_decision(campaign: Campaign) -> datetime:
    """When the monitoring's last report was accepted: the exchange and order come after."""
    moment = campaign.submissions.aggregate(last=Max("decided_at"))["last"]
    return moment or at(campaign.as_of, 9)


def _librarian(cast: DemoCast, school):
    return next((p for p in cast.librarians if p.school_id == school.pk), cast.methodist)


def _live(cast: DemoCast, shipment: Shipment, story: str, index: int, dates: Dates) -> None:
    sender, receiver = _librarian(cast, shipment.source), _librarian(cast, shipment.target)
    stamps = Stamps()
    agreed = at(dates.shipped(index) - timedelta(days=1), 11)
    agreed = max(agreed, dates.published)
    if story == "proposed":
        return
    if story == "declined":
        shipment_services.shipment_decline(
            receiver, shipment, "Линию меняем со следующего года — учебники уже не нужны."
        )
        stamps.done(agreed)
        return
    shipment_services.shipment_agree(sender, shipment, "source")
    Shipment.objects.filter(pk=shipment.pk).update(source_agreed_at=agreed)
    if story == "sender_agreed":
        stamps.done(agreed)
        return
    shipment_services.shipment_agree(receiver, shipment, "target")
    Shipment.objects.filter(pk=shipment.pk).update(target_agreed_at=agreed)
    stamps.done(agreed)
    if story == "agreed":
        return
    lines = list(shipment.lines.all())
    shipment_services.shipment_ship(
        sender, shipment, dates.shipped(index), {line.entry_id: line.copies for line in lines}
    )
    stamps.done(at(dates.shipped(index), 12))
    if story == "shipped":
        return
    received = {line.entry_id: line.copies for line in lines}
    damaged = {}
    if story == "received_damaged":
        damaged = {lines[0].entry_id: min(2, lines[0].copies)}
    shipment_services.shipment_receive(receiver, shipment, dates.received(index), received, damaged)
    stamps.done(at(dates.received(index), 13))
    if story in ("received", "received_damaged"):
        return
    back = {line.entry_id: line.copies for line in lines}
    assert dates.back is not None  # the stories from «return_shipped» on have a return date
    shipment_services.return_ship(receiver, shipment, dates.back, back)
    stamps.done(at(dates.back, 12))
    if story == "return_shipped":
        return
    returned = dict(back)
    note = ""
    if story == "returned_short":
        returned[lines[0].entry_id] = max(0, lines[0].copies - 1)
        note = "Один экземпляр утерян учеником; школа возместит равноценным."
    shipment_services.return_receive(sender, shipment, dates.returned(), returned, note)
    stamps.done(at(dates.returned(), 14))


@transaction.atomic
def build(
    cast: DemoCast, campaign: Campaign, today: date | None = None
) -> tuple[ExchangePlan | None, Order | None]:
    """The exchange of the campaign's year and the order for the year after it."""
    timeline = Timeline.of(today)
    association = cast.association
    plan = ExchangePlan.objects.filter(association=association, campaign=campaign).first()
    if plan is None:
        plan = _exchange(cast, campaign, timeline)
    order = Order.objects.filter(
        association=association, academic_year=campaign.academic_year + 1
    ).first()
    if order is None:
        order = _order(cast, campaign, timeline)
    return plan, order


def _exchange(cast: DemoCast, campaign: Campaign, timeline: Timeline) -> ExchangePlan | None:
    methodist = cast.methodist
    year = campaign.academic_year
    if year == SEED_YEAR:
        created = datetime(2024, 9, 30, 10, 0, tzinfo=MOSCOW)
        dates = Dates(
            published=datetime(2024, 10, 1, 9, 0, tzinfo=MOSCOW),
            ship=date(2024, 10, 2),
            back=date(2025, 5, 26),
            today=timeline.today,
        )
        return_date = date(2025, 5, 31)

        def story(index: int) -> str:
            return PAST_STORIES.get(index, "returned")
    else:
        # After the monitoring's accepted reports: mid-September (or today, if earlier).
        created = max(at(timeline.clamp(date(year, 9, 14)), 10), _last_decision(campaign))
        season = timeline.today >= date(year + 1, 5, 12)
        dates = Dates(
            published=max(at(timeline.clamp(date(year, 9, 15)), 9), created),
            ship=timeline.clamp(date(year, 9, 16)),
            back=date(year + 1, 5, 12) if season else None,
            today=timeline.today,
        )
        return_date = timeline.return_date
        stories = RETURN_SEASON_STORIES if season else CURRENT_STORIES

        def story(index: int) -> str:
            return stories[index % len(stories)]

    stamps = Stamps()
    try:
        plan = services.plan_create(
            methodist,
            cast.association,
            campaign=campaign,
            name=f"Обмен учебниками на {ru.format_academic_year(year)} учебный год",
            reserve_percent=3,
            return_date=return_date,
            max_shipments=12,  # the demo's exchange stays small enough to follow
            time_limit=3,
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
        PoolLine.objects.filter(pk=held.pk).update(changed_at=created)
    services.solve(plan)
    services.plan_publish(methodist, plan, notify=False)
    stamps.done(created)
    ExchangePlan.objects.filter(pk=plan.pk).update(
        created_at=created, solved_at=created, published_at=dates.published
    )
    shipments = plan.shipments.select_related("source", "target").order_by("number")
    for index, shipment in enumerate(shipments):
        _live(cast, shipment, story(index), index, dates)
    return plan


def _order(cast: DemoCast, campaign: Campaign, timeline: Timeline) -> Order | None:
    year = campaign.academic_year
    if year == SEED_YEAR:
        return _past_order(cast, campaign)
    if year != timeline.current:
        return None  # a year in between: its monitoring is enough
    methodist = cast.methodist
    created = max(at(timeline.clamp(date(year, 11, 20)), 10), _last_decision(campaign))
    stamps = Stamps()
    try:
        order = order_services.order_create(
            methodist,
            cast.association,
            campaign=campaign,
            retention=Decimal("0.98"),
            service_years=4,
            deadline=timeline.order_deadline,
        )
    except DomainError:
        return None
    order_services.compute(order)
    stamps.done(created)
    Order.objects.filter(pk=order.pk).update(created_at=created, computed_at=created)
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
            stamps.done(timezone.now())  # checking it today
            continue
        if index % 3 == 0:
            continue  # not yet submitted
        submitted = at(timeline.clamp(created.date() + timedelta(days=1 + index % 7)), 11)
        order_services.school_order_submit(librarian, school_order)
        SchoolOrder.objects.filter(pk=school_order.pk).update(submitted_at=submitted)
        stamps.done(submitted)
        if index % 3 == 1:
            order_services.school_order_decide(methodist, school_order, True)
        elif index == 2:
            order_services.school_order_decide(
                methodist,
                school_order,
                False,
                "Уточните набор в 1 класс: по данным школы набирается четыре класса.",
            )
        stamps.done(max(submitted, at(timeline.clamp(submitted.date() + timedelta(days=1)), 15)))
    return order


def _past_order(cast: DemoCast, campaign: Campaign) -> Order | None:
    """The order for 2025/2026: checked by every school in February 2025, consolidated in March."""
    methodist = cast.methodist
    created = datetime(2025, 1, 20, 10, 0, tzinfo=MOSCOW)
    stamps = Stamps()
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
    stamps.done(created)
    Order.objects.filter(pk=order.pk).update(created_at=created, computed_at=created)
    school_orders = list(order.schools.select_related("school").order_by("school__short_name"))
    for index, school_order in enumerate(school_orders):
        submitted = datetime(2025, 2, 10 + index % 15, 11, 0, tzinfo=MOSCOW)
        order_services.school_order_submit(_librarian(cast, school_order.school), school_order)
        SchoolOrder.objects.filter(pk=school_order.pk).update(submitted_at=submitted)
        stamps.done(submitted)
        order_services.school_order_decide(methodist, school_order, True)
        stamps.done(datetime(2025, 2, 27, 15, 0, tzinfo=MOSCOW))
    consolidated = datetime(2025, 3, 3, 12, 0, tzinfo=MOSCOW)
    order = order_services.order_consolidate(methodist, order)
    stamps.done(consolidated)
    Order.objects.filter(pk=order.pk).update(consolidated_at=consolidated)
    return order
