"""What the exchange and order pages read: grouped views of a plan, the map, a school's lot."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse

from bibliomo.exchange import pool
from bibliomo.exchange.models import ExchangePlan, Shipment, ShipmentLine
from bibliomo.exchange.shipment_services import DUE_SOON_DAYS
from bibliomo.lib import maps, ru


def shipments_for(plan: ExchangePlan, school=None):
    shipments = plan.shipments.select_related("source", "target").annotate(
        total=Sum("lines__copies"), titles=Count("lines")
    )
    if school is not None:
        shipments = shipments.filter(Q(source=school) | Q(target=school))
    return shipments.order_by("number", "source__sort_name", "target__sort_name")


def school_shipments(school):
    """Every shipment a school sends or receives, in published plans."""
    return (
        Shipment.objects.filter(Q(source=school) | Q(target=school))
        .exclude(status=Shipment.Status.DRAFT)
        .select_related("plan", "source", "target")
        .annotate(total=Sum("lines__copies"))
        .order_by("-plan__academic_year", "number")
    )


@dataclass
class Group:
    name: str
    copies: int = 0
    rows: list = field(default_factory=list)


def by_title(plan: ExchangePlan) -> list[Group]:
    lines = (
        ShipmentLine.objects.filter(shipment__plan=plan)
        .select_related("entry", "shipment__source", "shipment__target")
        .order_by("entry__subject", "entry__code", "shipment__source__sort_name")
    )
    groups: dict[int, Group] = {}
    for line in lines:
        group = groups.setdefault(
            line.entry_id,
            Group(f"{line.entry.code} — {line.entry.title} ({line.entry.grades} кл.)"),
        )
        group.copies += line.copies
        group.rows.append(line)
    return list(groups.values())


def pool_totals(plan: ExchangePlan) -> dict:
    rows = plan.pool.values("kind").annotate(copies=Sum("copies"), lines=Count("id"))
    found: dict[str, Mapping[str, Any]] = {row["kind"]: row for row in rows}
    return {
        "offered": (found.get("offer") or {}).get("copies") or 0,
        "asked": (found.get("request") or {}).get("copies") or 0,
        "adjusted": plan.pool.exclude(reason="").count(),
    }


@dataclass
class MapPoint:
    x: int
    y: int
    name: str
    sends: int = 0
    receives: int = 0


@dataclass
class MapArrow:
    x1: int
    y1: int
    x2: int
    y2: int
    width: int
    label: str


def _label(name: str) -> str:
    """«МБОУ «СОШ № 9»» → «СОШ № 9»: the map has little room."""
    found = re.match(r"^[А-ЯЁA-Z]+ «(.*)»$", name)
    return found.group(1) if found else name


def shipment_map(plan: ExchangePlan, shipments, size: int = 560) -> dict | None:
    """Schools as points and shipments as arrows, in an equirectangular projection."""
    school_ids = {s.source_id for s in shipments} | {s.target_id for s in shipments}
    school_ids |= set(plan.participants.values_list("school_id", flat=True))
    located = pool.coordinates(school_ids)
    if len(located) < 2:
        return None
    names = {}
    for shipment in shipments:
        names[shipment.source_id] = _label(shipment.source.short_name)
        names[shipment.target_id] = _label(shipment.target.short_name)
    placed, frame = maps.project(
        [{"school": pk, "lat": lat, "lon": lon} for pk, (lat, lon) in located.items()],
        size=size - 40,
    )
    points = {p["school"]: MapPoint(p["x"], p["y"], names.get(p["school"], "")) for p in placed}
    arrows = []
    heaviest = max((s.total or 0 for s in shipments), default=1) or 1
    for shipment in shipments:
        if shipment.source_id not in points or shipment.target_id not in points:
            continue
        a, b = points[shipment.source_id], points[shipment.target_id]
        a.sends += shipment.total or 0
        b.receives += shipment.total or 0
        arrows.append(
            MapArrow(
                a.x,
                a.y,
                b.x,
                b.y,
                round(1 + 4 * (shipment.total or 0) / heaviest),  # whole units, as above
                f"{shipment.source.short_name} → {shipment.target.short_name}: "
                f"{shipment.total or 0} экз., {shipment.km:.1f} км",
            )
        )
    return {
        "width": frame.width + 140,  # room for the last labels
        "height": frame.height,
        "points": list(points.values()),
        "arrows": arrows,
    }


def scheme(plan: ExchangePlan, shipments) -> dict | None:
    """The exchange scheme as plain data for the Leaflet map (includes/school_map.html):
    schools as points {id, name, lat, lon, provision, shortage, url, sends, receives} and
    shipments as edges {from, to, copies}."""
    school_ids = {s.source_id for s in shipments} | {s.target_id for s in shipments}
    located = pool.coordinates(school_ids)
    if len(located) < 2:
        return None
    names: dict[int, str] = {}
    sends: defaultdict[int, int] = defaultdict(int)
    receives: defaultdict[int, int] = defaultdict(int)
    edges: list[dict[str, int]] = []
    for shipment in shipments:
        names[shipment.source_id] = shipment.source.short_name
        names[shipment.target_id] = shipment.target.short_name
        copies = shipment.total or 0
        sends[shipment.source_id] += copies
        receives[shipment.target_id] += copies
        if shipment.source_id in located and shipment.target_id in located:
            edges.append({"from": shipment.source_id, "to": shipment.target_id, "copies": copies})
    pattern = reverse("directory:school_detail", args=[0]).rsplit("/0/", 1)
    points = [
        {
            "id": pk,
            "name": names[pk],
            "lat": lat,
            "lon": lon,
            "provision": None,
            "shortage": None,
            "url": f"{pattern[0]}/{pk}/{pattern[1]}",
            "sends": sends[pk],
            "receives": receives[pk],
        }
        for pk, (lat, lon) in sorted(located.items(), key=lambda i: ru.natural_key(names[i[0]]))
    ]
    return {"points": points, "edges": edges}


def optimality(plan: ExchangePlan, shipment_count: int) -> str | None:
    """How close the plan's shipments are to the fewest possible, in Russian, from the proven
    lower bound the solver stored: the plan is at most ⌈100 · (plan − bound) / bound⌉ % worse
    than the best plan (the best has at least ``bound`` shipments). None when the stored bound
    says nothing about the plan as it is now (no bound, or lines edited below it)."""
    bound = plan.lower_bound
    if not plan.solved_at or not shipment_count or not bound or shipment_count < bound:
        return None
    if shipment_count == bound:
        return "доказано: меньше перевозок не бывает"
    percent = -(-100 * (shipment_count - bound) // bound)  # rounded up
    return (
        f"не больше чем на {percent}% хуже наилучшего возможного: "
        f"доказано, что нужно не меньше {ru.plural(bound, 'перевозки', 'перевозок', 'перевозок')}"
    )


def tradeoff_chart(plan: ExchangePlan, width: int = 480, height: int = 200) -> dict | None:
    """Copies moved against shipments allowed, as an SVG polyline."""
    rows = plan.tradeoff
    if not rows or not plan.coverable:
        return None
    most_k = max(row["budget"] for row in rows) or 1
    top = max(plan.coverable, 1)
    points = [(0, height)] + [
        (round(row["budget"] / most_k * width), round(height - row["copies"] / top * height))
        for row in rows
    ]
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{x},{y}" for x, y in points),
        "dots": [
            {"x": x, "y": y, "row": row} for (x, y), row in zip(points[1:], rows, strict=True)
        ],
    }


def due_groups(shipments, today) -> dict[str, list]:
    """Overdue (past the date, not sent back), due (within the window) and returning (sent
    back, on the way: not overdue whatever the date)."""
    groups = defaultdict(list)
    for shipment in shipments:
        if shipment.status == Shipment.Status.RETURN_SHIPPED:
            groups["returning"].append(shipment)
        else:
            groups["overdue" if shipment.is_overdue(today) else "due"].append(shipment)
    return groups


def awaiting_school(school, today):
    """Shipments waiting for this school's step: agree, ship, receive, send back, take back."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    status = Shipment.Status
    return (
        Shipment.objects.filter(
            Q(source=school, status__in=[status.PROPOSED, status.AGREED, status.RETURN_SHIPPED])
            | Q(target=school, status__in=[status.SENDER_AGREED, status.SHIPPED])
            | Q(target=school, status=status.RECEIVED, return_date__lte=soon)
        )
        .select_related("source", "target")
        .order_by("return_date", "number")
    )


def overdue_returns(association, today) -> int:
    return Shipment.objects.filter(
        plan__association=association,
        status=Shipment.Status.RECEIVED,  # a return already sent back is on its way, not late
        return_date__lt=today,
    ).count()
