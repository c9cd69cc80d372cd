"""What the association's records say about a plan line beyond its events: the textbook
campaign, exchange and order, the consultation desk, the portal, the creative group, the
librarians' learning, the contests and the bank of practices of the plan's year.

A line is matched by the words of its content. The patterns are small and explicit on
purpose: «Обмен опытом» is not the textbook exchange, and a line none of them names shows no
figures. One or two queries per kind the plan names, whatever the number of lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from bibliomo.lib import ru


@dataclass
class Fact:
    title: str
    url: str
    figures: str
    short: str = ""  # the title without its year, where a page already names the year
    records: int = 0  # how many records it counts: 0 when nothing happened yet

    @property
    def label(self) -> str:
        return self.short or self.title

    @property
    def sentence(self) -> str:
        """«Title: figures» — how a report quotes it."""
        return f"{self.title}: {self.figures}"


PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("monitoring", re.compile(r"мониторинг\w*\s+обеспеченност")),
    ("exchange", re.compile(r"обмен\w*\s+(?:учебник|учебн\w+\s+литератур)")),
    ("order", re.compile(r"заказ\w*\s+(?:учебник|учебн\w+\s+литератур)")),
    ("consultations", re.compile(r"консультирован")),
    ("portal", re.compile(r"портал")),
    ("groups", re.compile(r"(?:творческ|рабоч)\w*\s+групп")),
    ("growth", re.compile(r"участи\w*\s+в\s+вебинар|повышени\w*\s+квалификац")),
    ("contests", re.compile(r"итог\w*\s+(?:проведения\s+)?конкурс")),
    ("practices", re.compile(r"ярмарк\w*\s+(?:библиотечн\w+\s+)?иде")),
)


def kinds(content: str) -> list[str]:
    """The kinds of work a line's content names: «monitoring», «consultations», …"""
    text = content.lower().replace("ё", "е")
    return [kind for kind, pattern in PATTERNS if pattern.search(text)]


def attach_facts(plan) -> None:
    """Give each activity of a loaded plan its `facts`, each kind counted once for the plan."""
    activities = [a for s in plan.sections.all() for a in s.activities.all()]
    wanted = {kind for a in activities for kind in kinds(a.content)}
    found = {kind: BUILDERS[kind](plan) for kind in wanted}
    for activity in activities:
        activity.facts = [f for kind in kinds(activity.content) for f in found[kind]]


def line_facts(plan, content: str) -> list[Fact]:
    """The facts of one line (the confirmation of what they suggest reads them anew)."""
    return [fact for kind in kinds(content) for fact in BUILDERS[kind](plan)]


def year_facts(plan) -> list[Fact]:
    """Every kind of the plan's year, whether a line names it or not (the director's home)."""
    return [fact for build in BUILDERS.values() for fact in build(plan)]


def _in_year(plan) -> str:
    return f"в {plan.academic_year_label} учебном году"


def _of_year(plan, topic: str, url: str, figures: str, records: int) -> Fact:
    """«Консультации в 2025/2026 учебном году»; «Консультации» where the year is named."""
    return Fact(f"{topic} {_in_year(plan)}", url, figures, short=topic, records=records)


# --- Textbooks -------------------------------------------------------------------------------


def _monitoring(plan) -> list[Fact]:
    """The same four figures as the monitorings list: they add up to the schools."""
    from bibliomo.textbooks.selectors import campaigns_with_progress

    campaigns = campaigns_with_progress(plan.association, plan.academic_year)
    return [
        Fact(
            f"{_campaign_name(c.name)} на {ru.format_date(c.as_of)}",
            c.get_absolute_url(),
            f"{c.progress}; срок {ru.format_date(c.deadline)}",  # type: ignore[attr-defined]
            records=c.accepted + c.waiting,  # type: ignore[attr-defined]  # handed in
        )
        for c in reversed(campaigns)  # oldest first, as the year went
    ]


def _campaign_name(name: str) -> str:
    """«Мониторинг обеспеченности… 2025/2026» as it is; any other name as «Мониторинг «…»»."""
    return name if name.lower().startswith("мониторинг") else f"Мониторинг {ru.quoted(name)}"


def _exchange(plan) -> list[Fact]:
    from bibliomo.exchange.models import ExchangePlan, Shipment

    returned = Q(shipments__status=Shipment.Status.RETURNED)
    real = ~Q(shipments__status__in=[Shipment.Status.DRAFT, Shipment.Status.DECLINED])
    plans = ExchangePlan.objects.filter(
        association_id=plan.association_id, academic_year=plan.academic_year
    )
    plans = plans.annotate(
        trips=Count("shipments", filter=real), back=Count("shipments", filter=returned)
    ).order_by("created_at")
    return [
        Fact(
            f"Обмен «{p.name}» ({p.get_status_display()})",
            p.get_absolute_url(),
            f"перемещается {ru.plural(p.covered, 'экземпляр', 'экземпляра', 'экземпляров')}"
            f", {ru.plural(p.trips, 'перевозка', 'перевозки', 'перевозок')}, "
            f"возвращено {p.back}",
            records=p.trips,
        )
        for p in plans
    ]


def _order(plan) -> list[Fact]:
    """The order made in a year is the order for the next one."""
    from bibliomo.exchange.models import Order, SchoolOrder

    handed_in = [SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.ACCEPTED]
    orders = Order.objects.filter(
        association_id=plan.association_id, academic_year=plan.academic_year + 1
    )
    orders = orders.annotate(
        school_count=Count("schools"),
        submitted=Count("schools", filter=Q(schools__status__in=handed_in)),
    ).order_by("created_at")
    return [
        Fact(
            f"Заказ учебников на {o.academic_year_label} учебный год",
            o.get_absolute_url(),
            f"школы сдали {o.submitted} из {o.school_count} ({o.get_status_display()})",
            records=o.submitted,
        )
        for o in orders
    ]


# --- The members' work -----------------------------------------------------------------------


def _consultations(plan) -> list[Fact]:
    """The same figures as the year's analysis."""
    from bibliomo.consultations.selectors import year_figures

    figures = year_figures(plan.association, plan.academic_year)
    asked = figures["asked"]
    text = (
        f"{ru.plural(asked, 'вопрос', 'вопроса', 'вопросов')}, с ответом {figures['answered']}, "
        f"решено {figures['solved']}; в базу ответов внесено {figures['published']}"
        if asked
        else "вопросов в Bibliomo не задано"
    )
    return [_of_year(plan, "Консультации", reverse("consultations:index"), text, asked)]


def _portal(plan) -> list[Fact]:
    from bibliomo.portal.models import Post

    first, last = ru.academic_year_days(plan.academic_year)
    published = Post.objects.filter(
        association_id=plan.association_id,
        status=Post.Status.PUBLISHED,
        published_at__date__range=(first, last),
        published_at__lte=timezone.now(),
    ).count()
    return [
        _of_year(
            plan, "Новости портала", reverse("public_news"), f"опубликовано {published}", published
        )
    ]


def _groups(plan) -> list[Fact]:
    from bibliomo.groups.selectors import year_meetings

    return [
        _of_year(
            plan,
            f"Группа {ru.quoted(group.name)}",
            reverse("groups:index"),
            f"заседаний проведено {group.held}, "  # type: ignore[attr-defined]  # year_meetings
            f"участников {group.member_count}",  # type: ignore[attr-defined]
            group.held,  # type: ignore[attr-defined]
        )
        for group in year_meetings(plan.association, plan.academic_year)
    ]


LEARNING_FORMS = {
    "course": (
        "курс повышения квалификации",
        "курса повышения квалификации",
        "курсов повышения квалификации",
    ),
    "webinar": ("вебинар", "вебинара", "вебинаров"),
    "conference": ("конференция", "конференции", "конференций"),
    "master_class": ("мастер-класс", "мастер-класса", "мастер-классов"),
}


def _growth(plan) -> list[Fact]:
    """Learning outside the association's own events; courses once confirmed."""
    from bibliomo.growth.selectors import learning_by_kind

    rows = learning_by_kind(plan.association, plan.academic_year)
    parts = [
        ru.plural(n, *LEARNING_FORMS[kind]) if kind in LEARNING_FORMS else f"другое обучение — {n}"
        for kind, n, _hours in rows
    ]
    if parts:
        hours = sum(h for _kind, _n, h in rows)
        text = ", ".join(parts) + f"; {ru.format_number(hours, 1).removesuffix(',0')} ак. ч."
    else:
        text = "обучение вне ММО не внесено"
    url = reverse("growth:index") + f"?year={plan.academic_year}"
    return [_of_year(plan, "Обучение библиотекарей", url, text, sum(n for _k, n, _h in rows))]


def _contest_name(title: str) -> str:
    """«Конкурс буктрейлеров «Читаем вместе»» as it is; «Конкурс «Лучший библиотечный урок»»."""
    if title.lower().startswith("конкурс"):
        return ru.capfirst(title)
    return f"Конкурс {ru.quoted(title)}"


def _contests(plan) -> list[Fact]:
    from bibliomo.contests.selectors import year_contests, year_external

    facts = [
        Fact(
            _contest_name(contest.title),
            contest.get_absolute_url(),
            f"{ru.plural(contest.entry_count, 'работа', 'работы', 'работ')}; "  # type: ignore[attr-defined]
            f"{contest.get_status_display()}",
            records=contest.entry_count,  # type: ignore[attr-defined]
        )
        for contest in year_contests(plan.association, plan.academic_year)
    ]
    outside = year_external(plan.association, plan.academic_year).count()
    if outside:
        facts.append(
            _of_year(
                plan,
                "Внешние конкурсы и конференции",
                reverse("contests:external"),
                f"участие — {outside}",
                outside,
            )
        )
    return facts


def _practices(plan) -> list[Fact]:
    """What the ideas fair is for: practices offered, presented, taken up by other schools."""
    from bibliomo.practices.selectors import year_counts

    counts = year_counts(plan.association, plan.academic_year)
    parts = [
        f"добавлено {counts['added']}, представлено на ярмарке идей {counts['presented_at_fairs']}"
        if counts["added"]
        else "новых практик нет"
    ]
    if counts["implementations"]:
        taken = ru.plural(counts["implementations"], "отметка", "отметки", "отметок")
        schools = ru.plural(counts["schools_implementing"], "школы", "школ", "школ")
        parts.append(f"«Внедрили у нас» — {taken} из {schools}")
    records = counts["added"] + counts["implementations"]
    return [_of_year(plan, "Банк практик", reverse("practices:index"), "; ".join(parts), records)]


BUILDERS: dict[str, Callable[..., list[Fact]]] = {
    "monitoring": _monitoring,
    "exchange": _exchange,
    "order": _order,
    "consultations": _consultations,
    "portal": _portal,
    "groups": _groups,
    "growth": _growth,
    "contests": _contests,
    "practices": _practices,
}
