"""The paperwork gallery: one sample of every document kind, written from the current data.

`bibliomo paperwork OUTDIR` calls `write_gallery`; so do the tests that check every paper
against the rules in `bibliomo.lib.paper`. A kind with nothing to show (no minutes yet, no
order) is reported as missing, not invented.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, F, Q
from django.utils import timezone

from bibliomo.directory.export import directory_workbook
from bibliomo.directory.models import Association, School
from bibliomo.directory.selectors import school_librarians
from bibliomo.events import certificates, minutes
from bibliomo.events import selectors as event_selectors
from bibliomo.events.models import Certificate, Event, Minutes
from bibliomo.exchange import acts, order_exports
from bibliomo.exchange.models import Order, SchoolOrder, Shipment
from bibliomo.growth import papers as growth_papers
from bibliomo.growth import selectors as growth_selectors
from bibliomo.growth.models import Learning
from bibliomo.lib import ru
from bibliomo.lib.minutes import minutes_docx
from bibliomo.lib.signin_sheet import signin_sheet_docx, signin_sheet_pdf
from bibliomo.mentoring.models import Pair
from bibliomo.mentoring.paper import pair_paper
from bibliomo.plans import printing
from bibliomo.plans.selectors import execution_report, plans_with_content
from bibliomo.reviews import printing as review_printing
from bibliomo.reviews.models import Review
from bibliomo.textbooks import exports
from bibliomo.textbooks.models import Campaign


@dataclass(frozen=True)
class Sample:
    name: str  # the file name in the gallery
    title: str  # what it is, in Russian
    content: bytes | None  # None: nothing in the data to make it from
    missing: str = ""  # why, when there is nothing


def gallery(association: Association) -> list[Sample]:
    """Every document kind, made from the association's own data."""
    samples: list[Sample] = []

    def add(name: str, title: str, make: Callable[[], bytes] | None, missing: str = "") -> None:
        samples.append(Sample(name, title, make() if make else None, missing if not make else ""))

    plans = (
        plans_with_content()
        .filter(association=association)
        .annotate(activities=Count("sections__activities"))
        .filter(activities__gt=0)
        .order_by("-academic_year")
    )
    found = plans.filter(approved_at__isnull=False).first() or plans.first()
    no_plan = "в системе нет плана работы"
    today = timezone.localdate()
    if found is not None:
        plan = plans_with_content().get(pk=found.pk)
        add("plan.docx", "План работы (Word)", lambda: printing.plan_docx(plan))
        add("plan.pdf", "План работы (PDF)", lambda: printing.plan_pdf(plan))
        add("plan-months.docx", "План по месяцам (Word)", lambda: printing.months_docx(plan))
        add("plan-months.pdf", "План по месяцам (PDF)", lambda: printing.months_pdf(plan))
        add(
            "plan-report.docx",
            "Отчёт о выполнении плана (Word)",
            lambda: printing.report_docx(plan, execution_report(plan, today), today),
        )
    else:
        for name, title in (
            ("plan.docx", "План работы (Word)"),
            ("plan.pdf", "План работы (PDF)"),
            ("plan-months.docx", "План по месяцам (Word)"),
            ("plan-months.pdf", "План по месяцам (PDF)"),
            ("plan-report.docx", "Отчёт о выполнении плана (Word)"),
        ):
            add(name, title, None, no_plan)

    review = (
        Review.objects.filter(association=association)
        .order_by(F("approved_at").desc(nulls_last=True), "-academic_year", "-version")
        .first()
    )
    if review is not None:
        add(
            "analysis.docx",
            "Анализ работы за год (Word)",
            lambda: review_printing.review_docx(review),
        )
        add(
            "analysis.pdf", "Анализ работы за год (PDF)", lambda: review_printing.review_pdf(review)
        )
    else:
        for name, title in (
            ("analysis.docx", "Анализ работы за год (Word)"),
            ("analysis.pdf", "Анализ работы за год (PDF)"),
        ):
            add(name, title, None, "анализ года ещё не составляли")

    event = (
        Event.objects.filter(association=association)
        .annotate(people=Count("registrations"))
        .filter(people__gt=0)
        .order_by("-starts_at")
        .first()
    )
    if event is not None:
        sheet = event_selectors.signin_sheet(event)
        add("signin.docx", "Лист регистрации (Word)", lambda: signin_sheet_docx(sheet))
        add("signin.pdf", "Лист регистрации (PDF)", lambda: signin_sheet_pdf(sheet))
    else:
        add("signin.docx", "Лист регистрации (Word)", None, "нет мероприятий с участниками")

    certificate = (
        Certificate.objects.filter(event__association=association)
        .select_related("event__association")
        .order_by("-issued_at")
        .first()
    )
    add(
        "certificate.pdf",
        "Сертификат (PDF)",
        (lambda: certificates.certificate_pdf(certificate)) if certificate else None,
        "сертификаты ещё не выданы",
    )

    protocol = (
        Minutes.objects.filter(event__association=association)
        .select_related("event__association__municipality")
        .order_by("-event__starts_at")
        .first()
    )
    add(
        "minutes.docx",
        "Протокол заседания (Word)",
        (lambda: minutes_docx(minutes.minutes_document(protocol.event))) if protocol else None,
        "протоколов ещё нет",
    )

    shipment = (
        Shipment.objects.filter(plan__association=association)
        .annotate(titles=Count("lines"))
        .filter(titles__gt=0)
        .order_by("-titles", "number")
        .first()
    )
    for name, title, make in (
        ("act.docx", "Акт приёма-передачи (Word)", acts.docx_bytes),
        ("act.pdf", "Акт приёма-передачи (PDF)", acts.pdf_bytes),
    ):
        add(
            name,
            title,
            functools.partial(make, shipment) if shipment else None,
            "нет перевозок учебников",
        )

    school_orders = (
        SchoolOrder.objects.filter(order__association=association)
        .annotate(titles=Count("lines", filter=Q(lines__copies__gt=0)))
        .filter(titles__gt=0)
        .select_related("order__association", "school")
        .order_by("-order__academic_year", "-titles")
    )
    # A school with its librarians in the directory shows every signature line filled.
    school_order = next(
        (so for so in school_orders if school_librarians(so.school).exists()),
        school_orders.first(),
    )
    add(
        "school-order.docx",
        "Заказ школы (Word)",
        (lambda: order_exports.school_docx(school_order)) if school_order else None,
        "нет заказов школ",
    )
    add(
        "school-order.xlsx",
        "Заказ школы (Excel)",
        (lambda: order_exports.school_xlsx(school_order)) if school_order else None,
        "нет заказов школ",
    )
    order = Order.objects.filter(association=association).order_by("-academic_year").first()
    add(
        "order.xlsx",
        "Сводный заказ (Excel)",
        (lambda: order_exports.consolidated_xlsx(order)) if order else None,
        "нет заказа учебников",
    )

    campaign = Campaign.objects.filter(association=association).order_by("-academic_year").first()
    year = campaign.academic_year if campaign else ru.academic_year_start(today)
    as_of = campaign.as_of if campaign else today
    schools = {s.pk: s.short_name for s in School.objects.filter(association=association)}
    add(
        "provision.xlsx",
        "Обеспеченность учебниками (Excel)",
        lambda: exports.provision_xlsx(year, as_of, schools, association_id=association.pk),
    )
    add(
        "regional-form.xlsx",
        "Форма для региона (Excel)",
        lambda: exports.regional_form_xlsx(year, as_of, association),
    )
    add("directory.xlsx", "Справочник школ и людей (Excel)", lambda: _directory(association))
    pair = (
        Pair.objects.filter(association=association)
        .select_related("mentor", "mentee__school", "seminar", "association")
        .order_by("status", "-starts_on")
        .first()
    )
    add(
        "mentoring.docx",
        "Программа наставничества и отчёт пары (Word)",
        (lambda: pair_paper(pair)) if pair else None,
        "нет пар наставничества",
    )
    _growth(association, add, today)
    return samples


def _growth(association: Association, add, today) -> None:
    """The portfolio of a librarian with confirmed courses, and the methodist's workbook."""
    learning = (
        Learning.objects.filter(association=association, confirmed_at__isnull=False)
        .select_related("person__school__association")
        .order_by("person__last_name", "pk")
        .first()
    )
    portfolio = growth_papers.portfolio(learning.person) if learning else None
    missing = "нет подтверждённых курсов повышения квалификации"
    add(
        "portfolio.docx",
        "Портфолио для аттестации (Word)",
        (lambda: growth_papers.portfolio_docx(portfolio)) if portfolio else None,
        missing,
    )
    add(
        "portfolio.pdf",
        "Портфолио для аттестации (PDF)",
        (lambda: growth_papers.portfolio_pdf(portfolio)) if portfolio else None,
        missing,
    )
    year = ru.academic_year_start(today)
    add(
        "growth.xlsx",
        "Профессиональный рост: часы педагогов и школ (Excel)",
        lambda: growth_papers.overview_xlsx(growth_selectors.overview(association, year, today)),
    )


def _directory(association: Association) -> bytes:
    content, _, _ = directory_workbook(association)
    return content


def write_gallery(outdir: Path, association: Association) -> list[Sample]:
    outdir.mkdir(parents=True, exist_ok=True)
    samples = gallery(association)
    for sample in samples:
        if sample.content is not None:
            (outdir / sample.name).write_bytes(sample.content)
    return samples
