"""Reads of work plans: the plan as a document, by month, what is due, execution, diffs."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from bibliomo.lib import ru
from bibliomo.lib.ru import ACADEMIC_MONTHS
from bibliomo.plans.document import Activity, Approval, PlanDocument, Section, Signatory
from bibliomo.plans.models import PlanActivity, PlanSection, WorkPlan


def plans_with_content() -> QuerySet[WorkPlan]:
    """Plans with sections and activities loaded in two queries, whatever their size."""
    return WorkPlan.objects.select_related(
        "association", "approved_by", "submitted_by"
    ).prefetch_related(
        Prefetch(
            "sections",
            queryset=PlanSection.objects.order_by("position").prefetch_related(
                Prefetch("activities", queryset=PlanActivity.objects.order_by("position"))
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
    """The «Отметка о выполнении» text for an activity."""
    status = PlanActivity.Status
    if activity.status == status.DONE:
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


# --- The year by month -----------------------------------------------------------------------


@dataclass
class MonthColumn:
    month: int
    label: str
    activities: list[PlanActivity] = field(default_factory=list)


def plan_by_month(
    plan: WorkPlan,
) -> tuple[list[MonthColumn], list[PlanActivity], list[PlanActivity]]:
    """(months September → August, throughout-the-year activities, unplaced activities)."""
    columns = {m: MonthColumn(m, ru.month_name(m, capital=True)) for m in ACADEMIC_MONTHS}
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
    title: str
    activities: list[PlanActivity]
    done: int = 0
    moved: int = 0
    cancelled: int = 0
    overdue: int = 0
    planned: int = 0


def execution_report(plan: WorkPlan, today: date) -> list[SectionExecution]:
    report = []
    for section in plan.sections.all():
        activities = list(section.activities.all())
        row = SectionExecution(section.title, activities)
        for activity in activities:
            if activity.is_overdue(today, plan):
                row.overdue += 1
                activity.overdue = True
            else:
                activity.overdue = False
            if activity.status == PlanActivity.Status.DONE:
                row.done += 1
            elif activity.status == PlanActivity.Status.MOVED:
                row.moved += 1
            elif activity.status == PlanActivity.Status.CANCELLED:
                row.cancelled += 1
            elif not activity.overdue:
                row.planned += 1
        report.append(row)
    return report


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
