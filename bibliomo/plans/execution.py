"""What the facts say about a plan line: the events linked to it, and the execution they suggest.

A line's execution is derived from the events held for it and confirmed by a person: the
suggestion never changes the line by itself (see `services.activity_confirm`).
"""

from __future__ import annotations

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
    facts: list = field(default_factory=list)  # the records it rests on, when not events

    @property
    def source(self) -> str:
        """«По данным Bibliomo» or «По мероприятиям» — what the suggestion rests on."""
        return "По данным Bibliomo" if self.facts else "По мероприятиям"

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


def suggest_from_records(
    activity: PlanActivity, plan, facts: list, today: date
) -> Suggestion | None:
    """«выполнено» for a line still planned whose time is over and whose year's records show
    work done («22 вопроса, с ответом 22…»); a year-long line is reported from 1 May, when
    the year's analysis is written. None when the records say nothing or it is too early."""
    done = [fact for fact in facts if fact.records]
    if activity.status != PlanActivity.Status.PLANNED or not done:
        return None
    timing = activity.effective_timing
    if timing.flagged:
        return None
    if timing.runs_all_year:
        if today < date(plan.academic_year + 1, 5, 1):
            return None
    elif not activity.time_is_over(today, plan):
        return None
    report = "По данным Bibliomo: " + "; ".join(f.sentence for f in done) + "."
    return Suggestion(PlanActivity.Status.DONE, "выполнено", report=report, facts=done)


def is_settled(activity: PlanActivity, suggestion: Suggestion | None) -> bool:
    """True when the person's mark already says what the facts suggest."""
    if suggestion is None:
        return True
    return activity.status == suggestion.status


def attach_suggestions(plan, today: date) -> None:
    """Give each activity of a loaded plan its `suggestion` and whether it is `settled`: by
    its events, else by its year's records (`facts`, attached by `plans.facts` before)."""
    for section in plan.sections.all():
        for activity in section.activities.all():
            activity.suggestion = suggest(activity, today) or suggest_from_records(
                activity, plan, getattr(activity, "facts", []), today
            )
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
