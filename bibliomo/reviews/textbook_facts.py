"""Section builders for textbooks: provision against the two years before, exchange, order."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.urls import reverse

from bibliomo.directory.models import Association
from bibliomo.lib import ru
from bibliomo.reviews.facts import report_day
from bibliomo.reviews.sections import Cell, Section, Table, sentence


def provision_section(association: Association, academic_year: int) -> Section | None:
    """This year's provision beside the two years before: the figures of accepted reports."""
    from bibliomo.textbooks import provision
    from bibliomo.textbooks.models import Campaign, Submission

    campaigns = {
        c.academic_year: c
        for c in Campaign.objects.filter(
            association=association,
            academic_year__in=[academic_year - 2, academic_year - 1, academic_year],
        )
        .annotate(
            schools=Count("submissions"),
            accepted=Count("submissions", filter=Q(submissions__status=Submission.Status.ACCEPTED)),
        )
        .order_by("as_of")
    }
    if academic_year not in campaigns:
        return None
    rows = []
    for year in sorted(campaigns):
        campaign = campaigns[year]
        label = ru.format_academic_year(year)
        url = reverse("textbooks:summary") + f"?year={label}"
        total = provision.summary(year, campaign.as_of, association_id=association.pk).total
        percent = total.percent if total is not None else None
        rows.append(
            [
                Cell(label),
                Cell(
                    f"{ru.format_number(percent, 1)}%" if percent is not None else "нет данных", url
                ),
                Cell(ru.format_number(total.need) if total else "—", url),
                Cell(ru.format_number(total.shortage) if total else "—", url),
                Cell(f"{campaign.accepted} из {campaign.schools}", campaign.get_absolute_url()),
            ]
        )
    section = Section("provision", "Обеспеченность учебниками")
    section.lines.append(
        sentence(
            "Мониторинг обеспеченности: цифры принятых отчётов школ, зафиксированные на дату "
            "мониторинга; каждая строка учитывается не больше чем на 100%."
        )
    )
    section.tables.append(
        Table(
            ["Учебный год", "Обеспеченность", "Нужно экземпляров", "Нехватка", "Отчётов принято"],
            rows,
            numeric=[1, 2, 3],
        )
    )
    return section


def exchange_section(association: Association, academic_year: int) -> Section | None:
    from bibliomo.exchange.models import ExchangePlan, Shipment

    plans = list(
        ExchangePlan.objects.filter(
            association=association,
            academic_year=academic_year,
            status=ExchangePlan.Status.PUBLISHED,
        ).order_by("created_at")
    )
    if not plans:
        return None
    today = report_day(academic_year)
    section = Section("exchange", "Межшкольный обмен учебниками")
    rows = []
    for plan in plans:
        shipments = list(
            plan.shipments.exclude(status__in=[Shipment.Status.DRAFT, Shipment.Status.DECLINED])
        )
        moved = [s for s in shipments if s.received_on is not None]
        returned = [s for s in shipments if s.status == Shipment.Status.RETURNED]
        on_time = [s for s in returned if s.returned_on and s.returned_on <= s.return_date]
        overdue = [s for s in shipments if s.is_overdue(today)]
        url = plan.get_absolute_url()
        rows.append(
            [
                Cell(plan.name, url),
                Cell(ru.format_number(plan.covered), url),
                Cell(str(len(shipments)), url),
                Cell(str(len(moved)), url),
                Cell(f"{len(returned)} (в срок — {len(on_time)})", url),
                Cell(str(len(overdue)), reverse("exchange:returns") if overdue else url),
            ]
        )
    moving = ru.plural(sum(p.covered for p in plans), "экземпляр", "экземпляра", "экземпляров")
    section.lines.append(
        sentence(
            f"Перемещается {moving} между школами; "
            "возврат — до даты, указанной в акте приёма-передачи."
        )
    )
    section.tables.append(
        Table(
            ["План обмена", "Экземпляров", "Перевозок", "Получено", "Возвращено", "Просрочено"],
            rows,
            numeric=[1, 2, 3, 5],
        )
    )
    return section


def order_section(association: Association, academic_year: int) -> Section | None:
    """The order made this year, for the next one."""
    from bibliomo.exchange.models import Order, OrderLine, SchoolOrder

    orders = list(
        Order.objects.filter(association=association, academic_year=academic_year + 1)
        .annotate(
            school_count=Count("schools"),
            handed_in=Count(
                "schools",
                filter=Q(
                    schools__status__in=[SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.ACCEPTED]
                ),
            ),
        )
        .order_by("created_at")
    )
    if not orders:
        return None
    section = Section("order", "Заказ учебников")
    rows = []
    for order in orders:
        copies = (
            OrderLine.objects.filter(school_order__order=order).aggregate(n=Sum("copies"))["n"] or 0
        )
        url = order.get_absolute_url()
        rows.append(
            [
                Cell(f"на {order.academic_year_label} учебный год", url),
                Cell(order.get_status_display()),
                Cell(f"{order.handed_in} из {order.school_count}", url),
                Cell(ru.format_number(copies), url),
            ]
        )
    section.tables.append(
        Table(["Заказ", "Состояние", "Школы сдали", "Экземпляров к заказу"], rows, numeric=[3])
    )
    return section
