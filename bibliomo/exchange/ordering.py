"""The order for next year («Алгоритм заказа учебной литературы»), step by step.

1. Forecast the pupils of each school and grade: grade g next year is grade g − 1 this year
   times the retention factor; the first grade is the school's stated intake, or the average
   first grade of the years on record.
2. The textbook a grade learns from stays with the grade: next year's grade g uses the lines
   grade g uses this year (a school may change a line when it reviews its order). Where two
   lines share a subject and grade, the forecast is split as this year's pupils are.
3. Usable copies next year: neither damaged nor lost, not past their service life (bought in
   year p, a copy serves `service_years` school years), of a textbook that may still be used on
   1 September. A textbook shared by several lines is split in proportion to their pupils.
4. The exchange: what one school will have spare next year can cover another's shortfall.
   The same solver as the exchange plan finds how much each school can expect.
5. Need = forecast − usable − expected from the exchange, where positive; the order line
   proposes that number and names its reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Sum

from bibliomo.exchange import pool
from bibliomo.exchange.models import Order, OrderLine
from bibliomo.lib import redistribution
from bibliomo.textbooks.models import CatalogEntry, Enrolment, Holding, TextbookLine

Reason = OrderLine.Reason


def first_september(year: int) -> date:
    return date(year, 9, 1)


def forecast(
    order: Order, school_ids, intakes: dict[int, int | None]
) -> dict[tuple[int, int], int]:
    """(school id, grade) → forecast pupils next year."""
    year = order.campaign.academic_year
    retention = float(order.retention)
    now: dict[tuple[int, int], int] = defaultdict(int)
    firsts: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        Enrolment.objects.filter(school_id__in=school_ids, academic_year__lte=year)
        .values("school_id", "academic_year", "grade")
        .annotate(n=Sum("pupils"))
    )
    for row in rows:
        if row["academic_year"] == year:
            now[row["school_id"], row["grade"]] += row["n"]
        if row["grade"] == 1:
            firsts[row["school_id"]][row["academic_year"]] = row["n"]
    result = {}
    for school_id in school_ids:
        intake = intakes.get(school_id)
        if intake is None:
            recent = sorted(firsts[school_id].items())[-3:]
            intake = round(sum(n for _, n in recent) / len(recent)) if recent else 0
        result[school_id, 1] = intake
        for grade in range(2, 12):
            result[school_id, grade] = round(now.get((school_id, grade - 1), 0) * retention)
    return result


def pupils_now(year: int, school_ids) -> dict[tuple[int, int], int]:
    """(school id, grade) → pupils this year, for the "more pupils" reason."""
    rows = (
        Enrolment.objects.filter(school_id__in=school_ids, academic_year=year)
        .values("school_id", "grade")
        .annotate(n=Sum("pupils"))
    )
    return {(r["school_id"], r["grade"]): r["n"] for r in rows}


@dataclass
class Stock:
    usable: int = 0  # usable next year
    worn: int = 0  # usable now, past service life next year
    expiring: int = 0  # usable now, textbook may not be used next year
    spoiled: int = 0  # damaged or lost on record


def stock(order: Order, school_ids) -> dict[tuple[int, int], Stock]:
    """(school id, entry id) → what of the holdings serves next year, and what drops out."""
    next_year = order.academic_year
    start = first_september(next_year)
    result: dict[tuple[int, int], Stock] = defaultdict(Stock)
    rows = Holding.objects.filter(school_id__in=school_ids).select_related("entry")
    for row in rows.only(
        "school_id",
        "entry_id",
        "purchase_year",
        "copies",
        "damaged",
        "lost",
        "entry__status",
        "entry__limit_date",
    ):
        item = result[row.school_id, row.entry_id]
        item.spoiled += row.damaged + row.lost
        if not row.entry.usable_on(start):
            item.expiring += row.usable
        elif row.purchase_year + order.service_years <= next_year:
            item.worn += row.usable
        else:
            item.usable += row.usable
    return result


@dataclass
class Draft:
    """One order line before it is saved."""

    school_id: int
    grade: int
    entry_id: int
    pupils_now: int
    forecast: int
    stock: Stock = field(default_factory=Stock)
    usable: int = 0
    worn: int = 0
    expiring: int = 0
    from_exchange: int = 0
    previous_entry_id: int | None = None

    @property
    def need(self) -> int:
        return max(0, self.forecast - self.usable - self.from_exchange)

    def reasons(self) -> list[OrderLine.Reason]:
        if not self.need:
            return []
        found = []
        if self.forecast > self.pupils_now:
            found.append(Reason.MORE_PUPILS)
        if self.worn:
            found.append(Reason.WEAR)
        if self.expiring:
            found.append(Reason.LIMIT_DATE)
        if self.stock.spoiled:
            found.append(Reason.DAMAGE)
        if self.previous_entry_id:
            found.append(Reason.NEW_LINE)
        return found or [Reason.OTHER]


def _split(total: int, weights: list[int]) -> list[int]:
    """Whole copies in proportion to the weights (largest remainders), summing to `total`."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    rest = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[:rest]:
        parts[i] += 1
    return parts


def drafts(order: Order, school_ids, intakes: dict[int, int | None]) -> list[Draft]:
    """Steps 1–2 for these schools: the lines with their forecast; `allocate` adds step 3."""
    year = order.campaign.academic_year
    pupils = forecast(order, school_ids, intakes)
    current = pupils_now(year, school_ids)
    lines = TextbookLine.objects.filter(academic_year=year, school_id__in=school_ids).values(
        "school_id", "grade", "entry_id", "entry__subject", "pupils"
    )
    groups: dict[tuple[int, int, str], list[Mapping[str, Any]]] = defaultdict(list)
    for line in lines:
        groups[line["school_id"], line["grade"], line["entry__subject"]].append(line)
    result = []
    for (school_id, grade, _subject), members in sorted(groups.items()):
        weights = [m["pupils"] for m in members]
        forecasts = _split(pupils.get((school_id, grade), 0), weights or [1])
        nows = _split(current.get((school_id, grade), 0), weights or [1])
        for member, expected, now in zip(members, forecasts, nows, strict=True):
            result.append(
                Draft(school_id, grade, member["entry_id"], member["pupils"] or now, expected)
            )
    return result


def allocate(order: Order, lines: list[Draft]) -> None:
    """Share each school's usable copies of a textbook among the lines that use it."""
    school_ids = {line.school_id for line in lines}
    found = stock(order, school_ids)
    by_key: dict[tuple[int, int], list[Draft]] = defaultdict(list)
    for line in lines:
        by_key[line.school_id, line.entry_id].append(line)
    for key, members in by_key.items():
        item = found.get(key, Stock())
        weights = (
            [m.forecast for m in members]
            if any(m.forecast for m in members)
            else [1] * len(members)
        )
        for name in ("usable", "worn", "expiring"):
            for member, part in zip(members, _split(getattr(item, name), weights), strict=True):
                setattr(member, name, part)
        for member in members:
            member.stock = item


def exchange(
    lines: list[Draft], time_limit: float = 3.0, seed: int = 0, progress=None
) -> redistribution.Solution | None:
    """Step 4: let next year's spare copies of one school cover another's need."""
    need: dict[tuple[int, int], int] = defaultdict(int)
    spare: dict[tuple[int, int], int] = defaultdict(int)
    demand: dict[tuple[int, int], int] = defaultdict(int)
    usable: dict[tuple[int, int], int] = {}
    for line in lines:
        key = (line.school_id, line.entry_id)
        demand[key] += line.forecast
        usable[key] = line.stock.usable
    for key, pupils in demand.items():
        gap = pupils - usable[key]
        if gap > 0:
            need[key] = gap
        elif gap < 0:
            spare[key] = -gap
    school_ids = {k[0] for k in demand}
    located = pool.coordinates(school_ids)
    titles = sorted({k[1] for k in need} & {k[1] for k in spare})
    if not titles or len(located) < 2:
        return None
    wanted = set(titles)
    codes = dict(CatalogEntry.objects.filter(pk__in=titles).values_list("pk", "code"))
    instance = pool.solver_instance(
        located,
        codes,
        {k: n for k, n in spare.items() if k[1] in wanted and k[0] in located},
        {k: n for k, n in need.items() if k[1] in wanted and k[0] in located},
    )
    solution = redistribution.solve(instance, time_limit=time_limit, seed=seed, progress=progress)
    received: dict[tuple[int, int], int] = defaultdict(int)
    for transfer in solution.transfers:
        received[pool.key_id(transfer.target), pool.key_id(transfer.title)] += transfer.copies
    by_key: dict[tuple[int, int], list[Draft]] = defaultdict(list)
    for line in lines:
        by_key[line.school_id, line.entry_id].append(line)
    for key, copies in received.items():
        members = by_key[key]
        gaps = [max(0, m.forecast - m.usable) for m in members]
        for member, part in zip(members, _split(copies, gaps), strict=True):
            member.from_exchange = part
    return solution
