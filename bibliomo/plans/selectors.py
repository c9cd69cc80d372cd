"""Reads of work plans: the plan as a document, by month, what is due, execution, diffs."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from bibliomo.lib import ru
from bibliomo.lib.ru import ACADEMIC_MONTHS
from bibliomo.plans.document import Activity, Approval, PlanDocument, Section, Signatory
from bibliomo.plans.execution import events_prefetch
from bibliomo.plans.models import PlanActivity, PlanSection, WorkPlan


def plans_with_content() -> QuerySet[WorkPlan]:
    """Plans with sections and activities loaded in two queries, whatever their size."""
    return WorkPlan.objects.select_related(
        "association", "approved_by", "submitted_by"
    ).prefetch_related(
        Prefetch(
            "sections",
            queryset=PlanSection.objects.order_by("position").prefetch_related(
                Prefetch(
                    "activities",
                    queryset=PlanActivity.objects.order_by("position").prefetch_related(
                        events_prefetch()
                    ),
                )
            ),
        )
    )


def plan_to_document(plan: WorkPlan, *, with_status: bool = False) -> PlanDocument:
    sections = []
    for section in plan.sections.all():
        sections.append(
            Section(
                title=section.title,
                activities=[
                    Activity(
                        content=a.content,
                        timing=a.timing,
                        responsible=a.responsible,
                        status_note=status_note(a) if with_status else "",
                    )
                    for a in section.activities.all()
                ],
            )
        )
    return PlanDocument(
        approval=Approval(
            position=plan.approval_position,
            approver=plan.approval_name,
            year=plan.approval_year,
            approved_on=plan.approved_on,
        ),
        title_lines=list(plan.title_lines),
        academic_year_start=plan.academic_year,
        theme=plan.theme,
        goal=plan.goal,
        tasks=list(plan.tasks),
        sections=sections,
        signatories=[Signatory(role, name) for role, name in plan.signatories],
    )


def status_note(activity: PlanActivity) -> str:
    """The «Отметка о выполнении» text for an activity; a move is never left out."""
    status = PlanActivity.Status
    if activity.status == status.DONE:
        if activity.moved_to_text:
            return f"Перенесено на {activity.moved_to_text}. Выполнено. {activity.report}".strip()
        return f"Выполнено. {activity.report}".strip()
    if activity.status == status.MOVED:
        return f"Перенесено на {activity.moved_to_text}: {activity.status_reason}"
    if activity.status == status.CANCELLED:
        return f"Отменено: {activity.status_reason}"
    return ""


def plan_snapshot(plan: WorkPlan) -> dict[str, Any]:
    """What an approved revision keeps: the plan's content as the director saw it."""
    fresh = plans_with_content().get(pk=plan.pk)
    data = plan_to_document(fresh).to_dict()
    data.pop("warnings", None)
    return data


def plan_year_events(plan: WorkPlan):
    """The association's events of the plan's academic year (September to August)."""
    from bibliomo.events.models import Event

    first = timezone.make_aware(datetime(plan.academic_year, 9, 1))
    last = timezone.make_aware(datetime(plan.academic_year + 1, 9, 1))
    return Event.objects.filter(
        association_id=plan.association_id, starts_at__gte=first, starts_at__lt=last
    ).exclude(status=Event.Status.DRAFT)


def association_documents(plan: WorkPlan):
    """Documents of the plan's association a line may be linked to, newest first."""
    from bibliomo.documents.models import Document

    return Document.objects.filter(association_id=plan.association_id).order_by("-created_at")


def association_posts(plan: WorkPlan):
    """Portal posts of the plan's association a line may be linked to, newest first."""
    from bibliomo.portal.models import Post

    return Post.objects.filter(association_id=plan.association_id).order_by("-created_at")


# --- The year by month -----------------------------------------------------------------------


@dataclass
class MonthColumn:
    month: int
    label: str
    activities: list[PlanActivity] = field(default_factory=list)
    held: list = field(default_factory=list)  # events held in the month


def plan_by_month(
    plan: WorkPlan,
) -> tuple[list[MonthColumn], list[PlanActivity], list[PlanActivity]]:
    """(months September → August, throughout-the-year activities, unplaced activities).

    Each month lists what was planned for it and what was held in it: every event of the
    association held that month, whether linked to a line or not.
    """
    from bibliomo.events.models import Event

    columns = {m: MonthColumn(m, ru.month_name(m, capital=True)) for m in ACADEMIC_MONTHS}
    held = plan_year_events(plan).filter(status=Event.Status.HELD).order_by("starts_at")
    for event in held.prefetch_related("activities", "organisers"):
        columns[timezone.localdate(event.starts_at).month].held.append(event)
    throughout, unplaced = [], []
    for section in plan.sections.all():
        for activity in section.activities.all():
            timing = activity.effective_timing
            months = timing.calendar_months
            for month in months:
                columns[month].activities.append(activity)
            if timing.throughout_year or timing.monthly:
                throughout.append(activity)
            elif not months:
                unplaced.append(activity)
    return list(columns.values()), throughout, unplaced


# --- What needs attention --------------------------------------------------------------------


@dataclass
class DueActivities:
    plan: WorkPlan | None
    this_month: list[PlanActivity]
    overdue: list[tuple[WorkPlan, PlanActivity]]


def due_activities(association, today: date) -> DueActivities:
    """This month's activities of the current year's plan, and overdue ones of approved plans."""
    year = ru.academic_year_start(today)
    plans = list(
        plans_with_content().filter(association=association, academic_year__in=[year - 1, year])
    )
    current = next((p for p in plans if p.academic_year == year), None)
    this_month = []
    if current is not None:
        for activity in _activities(current):
            if today.month in activity.effective_timing.calendar_months:
                this_month.append(activity)
    overdue = [
        (plan, activity)
        for plan in plans
        for activity in _activities(plan)
        if activity.is_overdue(today, plan)
    ]
    return DueActivities(current, this_month, overdue)


def _activities(plan: WorkPlan) -> Iterable[PlanActivity]:
    for section in plan.sections.all():
        yield from section.activities.all()


# --- Execution report ------------------------------------------------------------------------


@dataclass
class SectionExecution:
    """A section's activities, each counted once: done, moved, cancelled, overdue or planned."""

    title: str
    activities: list[PlanActivity]
    done: int = 0
    moved: int = 0
    cancelled: int = 0
    overdue: int = 0
    planned: int = 0

    @property
    def total(self) -> int:
        return self.done + self.moved + self.cancelled + self.overdue + self.planned


def execution_outcome(activity: PlanActivity, plan: WorkPlan, today: date) -> str:
    """The one heading an activity is counted under in the execution report.

    A moved activity later held is done (its move stays in the note); one moved and still
    not held after its new timing is overdue, not moved as well; so the figures add up to
    the number of activities.
    """
    status = PlanActivity.Status
    if activity.status == status.DONE:
        return "done"
    if activity.status == status.CANCELLED:
        return "cancelled"
    if activity.is_overdue(today, plan):
        return "overdue"
    if activity.status == status.MOVED:
        return "moved"
    return "planned"


def execution_report(plan: WorkPlan, today: date) -> list[SectionExecution]:
    report = []
    for section in plan.sections.all():
        activities = list(section.activities.all())
        row = SectionExecution(section.title, activities)
        for activity in activities:
            outcome = execution_outcome(activity, plan, today)
            activity.outcome = outcome
            activity.overdue = outcome == "overdue"
            setattr(row, outcome, getattr(row, outcome) + 1)
        report.append(row)
    return report


OUTCOMES = ("done", "moved", "cancelled", "overdue", "planned")


def execution_totals(report: list[SectionExecution]) -> dict[str, int]:
    """The whole plan's lines under each outcome; they add up to its number of lines."""
    return {key: sum(getattr(row, key) for row in report) for key in OUTCOMES}


def execution_text(activity: PlanActivity) -> str:
    """What the «Выполнение» cell says, in the web report and in Word alike."""
    if getattr(activity, "overdue", False):
        if activity.status == PlanActivity.Status.MOVED:
            return (
                f"Просрочено: перенесено на {activity.moved_to_text} "
                f"({activity.status_reason.rstrip('.')}), не отмечено как выполненное."
            )
        return "Просрочено: не отмечено как выполненное."
    return status_note(activity) or "Запланировано."


# --- Differences between revisions -----------------------------------------------------------


@dataclass
class Change:
    kind: str  # "added", "removed", "changed"
    label: str
    old: str = ""
    new: str = ""


def _lines(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    """The content of a snapshot as (label, text) lines in plan order, for comparison."""
    lines = [("Тема", snapshot.get("theme", "")), ("Цель", snapshot.get("goal", ""))]
    lines += [("Задача", task) for task in snapshot.get("tasks", [])]
    for section in snapshot.get("sections", []):
        lines.append(("Раздел", section["title"]))
        for activity in section["activities"]:
            text = (
                f"{activity['content']} — {activity['timing']['text']} — "
                f"{activity['responsible']['text']}"
            )
            lines.append(("Мероприятие", text))
    return lines


def revision_diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    a, b = _lines(old), _lines(new)
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = a[i1:i2], b[j1:j2]
        # Pair lines of the same kind as edits; the rest are plain additions and removals.
        while removed and added and removed[0][0] == added[0][0]:
            (label, old_text), (_, new_text) = removed.pop(0), added.pop(0)
            changes.append(Change("changed", label, old_text, new_text))
        changes += [Change("removed", label, old=text) for label, text in removed]
        changes += [Change("added", label, new=text) for label, text in added]
    return changes


def seminar_ideas(plan: WorkPlan) -> dict[str, Any]:
    """Frequent consultation topics of the year before the plan's — the year that ends while
    the plan is drafted — offered as seminar ideas: {"label": "2025/2026", "topics": [...]}."""
    from bibliomo.consultations.selectors import year_figures

    year = plan.academic_year - 1
    figures = year_figures(plan.association, year)
    return {"label": figures["label"], "topics": figures["frequent_topics"]}
