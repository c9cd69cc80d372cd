"""A worked example of the order algorithm on real figures, for the seminar's handout."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from bibliomo.exchange.models import Order, OrderLine
from bibliomo.exchange.ordering import first_september
from bibliomo.textbooks.models import Enrolment, Holding


@dataclass
class HoldingYear:
    year: int
    usable: int
    state: str  # "годен", "износ", "предельный срок"


@dataclass
class Example:
    line: OrderLine
    school: str
    cohort: int  # pupils of grade g − 1 this year
    retention: float
    holdings: list[HoldingYear]
    first_grade: bool


def _pick(order: Order, school_ids: list[int] | None) -> OrderLine | None:
    """A line that shows most steps at once: wear, the exchange, more pupils."""
    lines = OrderLine.objects.filter(school_order__order=order, need__gt=0, grade__gt=1)
    if school_ids is not None:
        lines = lines.filter(school_order__school_id__in=school_ids)
    for condition in (
        {"worn__gt": 0, "from_exchange__gt": 0},
        {"worn__gt": 0},
        {"from_exchange__gt": 0},
        {},
    ):
        found = (
            lines.filter(**condition)
            .select_related("entry", "school_order__school")
            .order_by("-need", "pk")
            .first()
        )
        if found:
            return found
    return None


def build(order: Order, person) -> Example | None:
    """The example for `person`: from any school for those who read every school's data,
    from her own school for a librarian (another school's pupils and holdings are private)."""
    if person.has_perm("exchange.view_plans", order.association):
        school_ids = None
    elif person.school_id and person.has_perm("exchange.view_school", person.school):
        school_ids = [person.school_id]
    else:
        return None
    line = _pick(order, school_ids)
    if line is None:
        return None
    school = line.school_order.school
    cohort = (
        Enrolment.objects.filter(
            school=school, academic_year=order.campaign.academic_year, grade=line.grade - 1
        ).aggregate(n=Sum("pupils"))["n"]
        or 0
    )
    start = first_september(order.academic_year)
    holdings = []
    for row in Holding.objects.filter(school=school, entry=line.entry).order_by("purchase_year"):
        if not row.entry.usable_on(start):
            state = "предельный срок"
        elif row.purchase_year + order.service_years <= order.academic_year:
            state = "износ"
        else:
            state = "годен"
        holdings.append(HoldingYear(row.purchase_year, row.usable, state))
    return Example(
        line=line,
        school=school.short_name,
        cohort=cohort,
        retention=float(order.retention),
        holdings=holdings,
        first_grade=line.grade == 1,
    )
