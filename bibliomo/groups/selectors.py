"""Reads of working groups: the list a person sees, the year's figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bibliomo.directory.models import Association, Person, Role
from bibliomo.events.models import Event
from bibliomo.groups.models import Task, WorkingGroup
from bibliomo.lib import ru


def visible_groups(person: Person, association: Association) -> QuerySet[WorkingGroup]:
    groups = WorkingGroup.objects.filter(association=association)
    if not person.roles_in(association.pk) & {Role.METHODIST, Role.HEAD, Role.DIRECTOR}:
        groups = groups.filter(Q(members=person) | Q(head=person)).distinct()
    return (
        groups.select_related("head__school")
        .annotate(
            member_count=Count("members", distinct=True),
            meeting_count=Count("meetings", distinct=True),
            open_tasks=Count("tasks", filter=Q(tasks__done_on__isnull=True), distinct=True),
        )
        .order_by("name")
    )  # (Meta.ordering does not apply to an aggregated query)


def overdue_tasks(association: Association, today: date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    return (
        Task.objects.filter(group__association=association, done_on__isnull=True, due_on__lt=today)
        .select_related("group", "owner")
        .order_by("due_on")
    )


def year_meetings(association: Association, academic_year: int) -> QuerySet[WorkingGroup]:
    """The association's groups, each with `held` (its meetings held in the academic year) and
    `member_count`; one query."""
    start, end = ru.academic_year_days(academic_year)
    held = Q(meetings__status=Event.Status.HELD, meetings__starts_at__date__range=(start, end))
    return (
        WorkingGroup.objects.filter(association=association)
        .annotate(
            held=Count("meetings", filter=held, distinct=True),
            member_count=Count("members", distinct=True),
        )
        .order_by("name")
    )  # (Meta.ordering does not apply to an aggregated query)


def year_figures(association: Association, academic_year: int) -> dict[str, Any]:
    """Working groups in the academic year (2024 → 2024/2025), for the year's analysis.

    Returns plain data::

        {
            "groups": [
                {
                    "name": str,
                    "head": str,               # «Никитенко Т.Г.»
                    "members": int,
                    "schools": int,            # distinct schools of the members
                    "meetings_held": int,      # group meetings held in the year
                    "tasks_done": int,         # tasks done in the year
                    "tasks_open": int,         # tasks due in the year, not done
                    "products": [              # what the group made in the year
                        {"kind": "документ" | "публикация", "title": str}, ...
                    ],
                },
                ...
            ],
            "meetings_held": int,              # all groups together
            "products": int,
        }
    """
    start, end = ru.academic_year_days(academic_year)
    rows: list[dict[str, Any]] = []
    groups = WorkingGroup.objects.filter(association=association).select_related("head")
    for group in groups.prefetch_related("members", "documents", "posts"):
        members = list(group.members.all())
        products = [
            {"kind": "документ", "title": d.title}
            for d in group.documents.all()
            if d.created_at and start <= timezone.localdate(d.created_at) <= end
        ] + [
            {"kind": "публикация", "title": p.title}
            for p in group.posts.all()
            if start <= timezone.localdate(p.published_at or p.created_at) <= end
        ]
        rows.append(
            {
                "name": group.name,
                "head": group.head.short_name,
                "members": len(members),
                "schools": len({m.school_id for m in members if m.school_id}),
                "meetings_held": group.meetings.filter(
                    status=Event.Status.HELD, starts_at__date__range=(start, end)
                ).count(),
                "tasks_done": group.tasks.filter(done_on__range=(start, end)).count(),
                "tasks_open": group.tasks.filter(
                    done_on__isnull=True, due_on__range=(start, end)
                ).count(),
                "products": products,
            }
        )
    return {
        "groups": rows,
        "meetings_held": sum(row["meetings_held"] for row in rows),
        "products": sum(len(row["products"]) for row in rows),
    }
