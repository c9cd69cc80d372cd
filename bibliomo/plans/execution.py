"""What the facts say about a plan line: the events linked to it, and the execution they suggest.

A line's execution is derived from the events held for it and confirmed by a person: the
suggestion never changes the line by itself (see `services.activity_confirm`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from bibliomo.lib import ru
from bibliomo.plans.models import PlanActivity

HELD = "held"
ANNOUNCED = "announced"
CANCELLED = "cancelled"


def events_prefetch() -> Prefetch:
    """The events of each activity, with what the plan page shows of them, in two queries."""
    from bibliomo.events.models import Event, Registration

    attended = Q(registrations__attendance=Registration.Attendance.ATTENDED)
    return Prefetch(
        "events",
        queryset=Event.objects.select_related("minutes")
        .prefetch_related("materials")
        .annotate(participants_count=Count("registrations", filter=attended))
        .order_by("starts_at"),
    )


@dataclass
class Suggestion:
    """What the facts suggest for a line: a status of `PlanActivity.Status`, a note and evidence."""

    status: str
    note: str
    events: list = field(default_factory=list)
    report: str = ""
    reason: str = ""
    moved_to_text: str = ""

    @property
    def label(self) -> str:
        return PlanActivity.Status(self.status).label


def _planned_months(activity: PlanActivity) -> list[int]:
    """The months the line was planned for; empty when it runs all year or was not understood."""
    timing = activity.timing
    if timing.flagged or timing.throughout_year or timing.monthly:
        return []
    return timing.calendar_months


def _month_after(month: int, planned: list[int]) -> bool:
    """True when `month` falls after the planned months in the academic year."""
    order = ru.ACADEMIC_MONTHS
    return bool(planned) and order.index(month) > order.index(planned[-1])


def event_line(event) -> str:
    """«семинар «Название», 22.01.2025, 12 участников, 2 ак. ч.»"""
    hours = f"{event.hours.normalize():f}".replace(".", ",")
    count = getattr(event, "participants_count", None)
    parts = [event.named, event.dates_text]
    if count:
        parts.append(ru.plural(count, "участник", "участника", "участников"))
    parts.append(f"{hours} ак. ч.")
    return ", ".join(parts)


def suggest(activity: PlanActivity, today: date) -> Suggestion | None:
    """The execution the linked events suggest, or None when they say nothing yet.

    Held → «выполнено» (with «перенесено с декабря на январь» when held after the planned
    months); announced for a date after the planned months → «перенесено» with the new date;
    only cancelled events → «отменено» with the reason.
    """
    events = [e for e in activity.events.all() if e.status in (HELD, ANNOUNCED, CANCELLED)]
    if not events:
        return None
    planned = _planned_months(activity)
    held = [e for e in events if e.status == HELD]
    if held:
        last = timezone.localdate(held[-1].starts_at)
        report = "Проведено: " + "; ".join(event_line(e) for e in held) + "."
        if planned and last.month not in planned and _month_after(last.month, planned):
            was = ru.month_name(planned[-1], "genitive")
            now = ru.month_name(last.month)
            return Suggestion(
                PlanActivity.Status.DONE,
                f"выполнено (перенесено с {was} на {now})",
                held,
                report=report,
                moved_to_text=now,
            )
        return Suggestion(PlanActivity.Status.DONE, "выполнено", held, report=report)
    upcoming = [
        e for e in events if e.status == ANNOUNCED and timezone.localdate(e.starts_at) >= today
    ]
    if upcoming:
        first = timezone.localdate(upcoming[0].starts_at)
        if _month_after(first.month, planned) and first.month not in planned:
            return Suggestion(
                PlanActivity.Status.MOVED,
                f"перенесено на {ru.format_date(first)}",
                upcoming[:1],
                reason=f"Мероприятие назначено на {ru.format_date(first)}.",
                moved_to_text=ru.format_date(first),
            )
        return None
    cancelled = [e for e in events if e.status == CANCELLED]
    if cancelled and len(cancelled) == len(events):
        reason = cancelled[-1].cancel_reason or "Мероприятие отменено."
        return Suggestion(
            PlanActivity.Status.CANCELLED, f"отменено: {reason}", cancelled[-1:], reason=reason
        )
    return None


def is_settled(activity: PlanActivity, suggestion: Suggestion | None) -> bool:
    """True when the person's mark already says what the facts suggest."""
    if suggestion is None:
        return True
    return activity.status == suggestion.status


def attach_suggestions(plan, today: date) -> None:
    """Give each activity of a loaded plan its `suggestion` and whether it is `settled`."""
    for section in plan.sections.all():
        for activity in section.activities.all():
            activity.suggestion = suggest(activity, today)
            activity.settled = is_settled(activity, activity.suggestion)


def attach_links(plan, user) -> None:
    """Give each activity the `linked_documents` and `linked_posts` this person may see.

    Two queries for the whole plan. A librarian sees documents by their audience rule and
    only published posts; the methodist, the head and the director see every link.
    """
    from bibliomo.documents.models import Document
    from bibliomo.documents.selectors import STAFF_ROLES, visible_documents
    from bibliomo.portal.models import Post

    activities = {a.pk: a for s in plan.sections.all() for a in s.activities.all()}
    for activity in activities.values():
        activity.linked_documents, activity.linked_posts = [], []
    if not activities:
        return
    documents = visible_documents(user, plan.association)
    links = Document.activities.through.objects.filter(
        planactivity_id__in=activities, document__in=documents
    ).select_related("document")
    for link in links.order_by("document__title"):
        activities[link.planactivity_id].linked_documents.append(link.document)
    roles = user.roles_in(plan.association_id) if user.is_authenticated else frozenset()
    posts = Post.objects.filter(association_id=plan.association_id)
    if not roles & STAFF_ROLES:
        posts = posts.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())
    post_links = Post.activities.through.objects.filter(
        planactivity_id__in=activities, post__in=posts
    ).select_related("post")
    for post_link in post_links.order_by("post__created_at"):
        activities[post_link.planactivity_id].linked_posts.append(post_link.post)


# --- The textbook lines ---------------------------------------------------------------------

# Which textbook work a plan line is about, by the words of its content. Small and explicit on
# purpose: «Обмен опытом» is not the textbook exchange, and a line none of these patterns names
# shows no figures.
TEXTBOOK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("monitoring", re.compile(r"мониторинг\w*\s+обеспеченност")),
    ("exchange", re.compile(r"обмен\w*\s+(?:учебник|учебн\w+\s+литератур)")),
    ("order", re.compile(r"заказ\w*\s+(?:учебник|учебн\w+\s+литератур)")),
)


@dataclass
class TextbookFact:
    title: str
    url: str
    figures: str


def textbook_kinds(activity: PlanActivity) -> list[str]:
    """«monitoring», «exchange», «order» — what textbook work the line's content names."""
    content = activity.content.lower().replace("ё", "е")
    return [kind for kind, pattern in TEXTBOOK_PATTERNS if pattern.search(content)]


def attach_textbook_facts(plan) -> None:
    """Give each activity its `textbook_facts`: the campaign, exchange or order of the year.

    At most three queries, and none when no line names textbook work. The order made in a
    year is the order for the next one.
    """
    activities = [a for s in plan.sections.all() for a in s.activities.all()]
    wanted = {kind for a in activities for kind in textbook_kinds(a)}
    facts = {kind: _textbook_facts(kind, plan) for kind in wanted}
    for activity in activities:
        activity.textbook_facts = [f for kind in textbook_kinds(activity) for f in facts[kind]]


def _textbook_facts(kind: str, plan) -> list[TextbookFact]:
    from bibliomo.exchange.models import ExchangePlan, Order, SchoolOrder, Shipment
    from bibliomo.textbooks.models import Campaign, Submission

    association, year = plan.association_id, plan.academic_year
    if kind == "monitoring":
        done = Q(submissions__status__in=[Submission.Status.SUBMITTED, Submission.Status.ACCEPTED])
        accepted = Q(submissions__status=Submission.Status.ACCEPTED)
        campaigns = Campaign.objects.filter(association_id=association, academic_year=year)
        campaigns = campaigns.annotate(
            schools=Count("submissions"),
            done=Count("submissions", filter=done),
            accepted=Count("submissions", filter=accepted),
        ).order_by("as_of")
        return [
            TextbookFact(
                f"Мониторинг «{c.name}» на {ru.format_date(c.as_of)}",
                c.get_absolute_url(),
                f"сдано {c.done} из {c.schools} отчётов, принято {c.accepted}; "
                f"срок {ru.format_date(c.deadline)}",
            )
            for c in campaigns
        ]
    if kind == "exchange":
        returned = Q(shipments__status=Shipment.Status.RETURNED)
        real = ~Q(shipments__status__in=[Shipment.Status.DRAFT, Shipment.Status.DECLINED])
        plans = ExchangePlan.objects.filter(association_id=association, academic_year=year)
        plans = plans.annotate(
            trips=Count("shipments", filter=real), back=Count("shipments", filter=returned)
        ).order_by("created_at")
        return [
            TextbookFact(
                f"Обмен «{p.name}» ({p.get_status_display()})",
                p.get_absolute_url(),
                f"перемещается {_copies(p.covered)}"
                f", {ru.plural(p.trips, 'перевозка', 'перевозки', 'перевозок')}, "
                f"возвращено {p.back}",
            )
            for p in plans
        ]
    handed_in = [SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.ACCEPTED]
    orders = Order.objects.filter(association_id=association, academic_year=year + 1)
    orders = orders.annotate(
        school_count=Count("schools"),
        submitted=Count("schools", filter=Q(schools__status__in=handed_in)),
    ).order_by("created_at")
    return [
        TextbookFact(
            f"Заказ учебников на {o.academic_year_label} учебный год",
            o.get_absolute_url(),
            f"{o.get_status_display()}; школы сдали {o.submitted} из {o.school_count}",
        )
        for o in orders
    ]


def _copies(n: int) -> str:
    """«3 734 экземпляра»: thousands apart, as in the rest of the figures."""
    word = ru.plural_form(n, "экземпляр", "экземпляра", "экземпляров")
    return f"{n:,}".replace(",", "\u00a0") + f" {word}"
