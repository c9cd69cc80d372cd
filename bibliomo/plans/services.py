"""Every write to a work plan: import, editing, execution, approval, revisions, roll-over."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person
from bibliomo.directory.selectors import approval_recipients
from bibliomo.lib import ru
from bibliomo.plans.document import PlanDocument
from bibliomo.plans.models import PlanActivity, PlanRevision, PlanSection, WorkPlan
from bibliomo.plans.responsible import parse_responsible
from bibliomo.plans.selectors import plan_snapshot, plan_year_events
from bibliomo.plans.timing import Timing, parse_timing

FROZEN = "План утверждён и не редактируется. Чтобы изменить его, начните новую редакцию."
HEADER_FIELDS = (
    "title_lines",
    "theme",
    "goal",
    "tasks",
    "approval_position",
    "approval_name",
    "approval_year",
    "approved_on",
    "signatories",
)


def _require_editable(plan: WorkPlan) -> None:
    if not plan.is_editable:
        raise DomainError(FROZEN)


def _lock(plan: WorkPlan) -> WorkPlan:
    """Re-read the plan under a row lock: two people acting at once must not interleave."""
    return WorkPlan.objects.select_for_update().get(pk=plan.pk)


# --- Import ----------------------------------------------------------------------------------


def _activity_fields(plan_year: int, content: str, timing_text: str, responsible_text: str):
    content = content.strip()
    if not content:
        raise DomainError("Заполните содержание деятельности.", field="content")
    timing = parse_timing(timing_text.strip(), plan_year)
    responsible = parse_responsible(responsible_text.strip())
    return {
        "content": content,
        "timing_text": timing.text,
        "timing_data": timing.to_dict(),
        "responsible_text": responsible.text,
        "responsible_data": responsible.to_dict(),
    }


@transaction.atomic
def plan_import(
    actor: Person | None,
    association: Association,
    document: PlanDocument,
    *,
    replace: bool = False,
) -> WorkPlan:
    """Save a plan read from a file: all of it or, on any problem, nothing."""
    if not document.activities:
        raise DomainError("В плане нет ни одного мероприятия: сохранять нечего.")
    year = document.academic_year_start
    existing = (
        WorkPlan.objects.select_for_update()
        .filter(association=association, academic_year=year)
        .first()
    )
    if existing is not None:
        if not replace:
            raise DomainError(
                f"План на {ru.format_academic_year(year)} учебный год уже есть. Откройте его "
                "или отметьте «Заменить существующий черновик»."
            )
        if existing.was_ever_approved:
            raise DomainError(
                f"План на {ru.format_academic_year(year)} учебный год уже утверждался: "
                "заменить его нельзя, измените его в новой редакции."
            )
        existing.delete()

    plan = WorkPlan.objects.create(
        association=association,
        academic_year=year,
        title_lines=list(document.title_lines),
        theme=document.theme,
        goal=document.goal,
        tasks=list(document.tasks),
        approval_position=document.approval.position,
        approval_name=document.approval.approver,
        approval_year=document.approval.year,
        approved_on=document.approval.approved_on,
        signatories=[list(signatory) for signatory in document.signatories],
    )
    for section_index, section in enumerate(document.sections, start=1):
        stored = PlanSection.objects.create(
            plan=plan, position=section_index, title=section.title or "Без раздела"
        )
        PlanActivity.objects.bulk_create(
            PlanActivity(
                section=stored,
                position=index,
                content=activity.content,
                timing_text=activity.timing.text,
                timing_data=activity.timing.to_dict(),
                responsible_text=activity.responsible.text,
                responsible_data=activity.responsible.to_dict(),
                report=activity.status_note,
            )
            for index, activity in enumerate(section.activities, start=1)
        )
    count = ru.plural(len(document.activities), "мероприятие", "мероприятия", "мероприятий")
    audit.record(actor, plan, AuditEntry.Action.CREATED, comment=f"Загружен из файла: {count}")
    return plan


# --- Header ----------------------------------------------------------------------------------


@transaction.atomic
def plan_update_header(actor: Person, plan: WorkPlan, **fields: Any) -> WorkPlan:
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    plan = _lock(plan)
    _require_editable(plan)
    if "tasks" in fields:
        fields["tasks"] = [task.strip() for task in fields["tasks"] if task.strip()]
    before = audit.snapshot(plan, fields)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    changes = audit.diff(plan, before)
    if changes:
        audit.record(actor, plan, AuditEntry.Action.UPDATED, changes)
    return plan


# --- Sections --------------------------------------------------------------------------------


@transaction.atomic
def section_create(actor: Person, plan: WorkPlan, title: str) -> PlanSection:
    plan = _lock(plan)
    _require_editable(plan)
    title = title.strip()
    if not title:
        raise DomainError("Введите название раздела.", field="title")
    last = plan.sections.aggregate(last=Max("position"))["last"] or 0
    section = PlanSection.objects.create(plan=plan, position=last + 1, title=title)
    audit.record(actor, plan, AuditEntry.Action.UPDATED, comment=f"Добавлен раздел «{title}»")
    return section


@transaction.atomic
def section_update(actor: Person, section: PlanSection, title: str) -> PlanSection:
    plan = _lock(section.plan)
    _require_editable(plan)
    title = title.strip()
    if not title:
        raise DomainError("Введите название раздела.", field="title")
    if title != section.title:
        audit.record(actor, plan, AuditEntry.Action.UPDATED, {"раздел": [section.title, title]})
        section.title = title
        section.save(update_fields=["title"])
    return section


@transaction.atomic
def section_delete(actor: Person, section: PlanSection) -> None:
    plan = _lock(section.plan)
    _require_editable(plan)
    if section.activities.exists():
        raise DomainError(
            "В разделе есть мероприятия. Перенесите их в другой раздел или удалите, "
            "затем удалите раздел."
        )
    title = section.title
    section.delete()
    _renumber(plan.sections.order_by("position"))
    audit.record(actor, plan, AuditEntry.Action.UPDATED, comment=f"Удалён раздел «{title}»")


@transaction.atomic
def section_move(actor: Person, section: PlanSection, step: int) -> None:
    plan = _lock(section.plan)
    _require_editable(plan)
    sections = list(plan.sections.order_by("position"))
    _swap(sections, sections.index(next(s for s in sections if s.pk == section.pk)), step)
    _renumber(sections)


def _swap(items: list, index: int, step: int) -> None:
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]


def _renumber(items) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


# --- Activities ------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    actor: Person, section: PlanSection, *, content: str, timing_text: str, responsible_text: str
) -> PlanActivity:
    plan = _lock(section.plan)
    _require_editable(plan)
    fields = _activity_fields(plan.academic_year, content, timing_text, responsible_text)
    last = section.activities.aggregate(last=Max("position"))["last"] or 0
    activity = PlanActivity.objects.create(section=section, position=last + 1, **fields)
    audit.record(
        actor,
        plan,
        AuditEntry.Action.UPDATED,
        comment=f"Добавлено мероприятие «{activity.content[:120]}»",
    )
    return activity


@transaction.atomic
def activity_update(
    actor: Person,
    activity: PlanActivity,
    *,
    content: str,
    timing_text: str,
    responsible_text: str,
) -> PlanActivity:
    plan = _lock(activity.section.plan)
    _require_editable(plan)
    fields = _activity_fields(plan.academic_year, content, timing_text, responsible_text)
    before = audit.snapshot(activity, ["content", "timing_text", "responsible_text"])
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.save()
    changes = audit.diff(activity, before)
    if changes:
        audit.record(
            actor,
            plan,
            AuditEntry.Action.UPDATED,
            changes,
            comment=f"Мероприятие «{activity.content[:120]}»",
        )
    return activity


@transaction.atomic
def activity_delete(actor: Person, activity: PlanActivity) -> None:
    plan = _lock(activity.section.plan)
    _require_editable(plan)
    section, content = activity.section, activity.content
    activity.delete()
    _renumber(section.activities.order_by("position"))
    audit.record(
        actor, plan, AuditEntry.Action.UPDATED, comment=f"Удалено мероприятие «{content[:120]}»"
    )


@transaction.atomic
def activity_move(actor: Person, activity: PlanActivity, step: int) -> None:
    """Up or down by one; past the edge of its section it moves into the neighbouring one."""
    plan = _lock(activity.section.plan)
    _require_editable(plan)
    siblings = list(activity.section.activities.order_by("position"))
    index = next(i for i, a in enumerate(siblings) if a.pk == activity.pk)
    if 0 <= index + step < len(siblings):
        _swap(siblings, index, step)
        _renumber(siblings)
        return
    sections = list(plan.sections.order_by("position"))
    section_index = next(i for i, s in enumerate(sections) if s.pk == activity.section_id)
    target_index = section_index + step
    if not 0 <= target_index < len(sections):
        return  # already first (or last) in the plan
    target = sections[target_index]
    others = list(target.activities.order_by("position"))
    activity.section = target
    ordered = [*others, activity] if step < 0 else [activity, *others]
    activity.position = 0  # renumbered below
    activity.save(update_fields=["section", "position"])
    _renumber(ordered)
    _renumber([a for a in siblings if a.pk != activity.pk])


# --- Execution -------------------------------------------------------------------------------


@transaction.atomic
def activity_mark(
    actor: Person,
    activity: PlanActivity,
    status: str,
    *,
    report: str = "",
    reason: str = "",
    moved_to_text: str = "",
    evidence: list[dict[str, str]] | None = None,
) -> PlanActivity:
    """Record how an activity went. Allowed on an approved plan: execution is not content."""
    plan = _lock(activity.section.plan)
    if status not in PlanActivity.Status.values:
        raise DomainError("Неизвестное состояние мероприятия.", field="status")
    report, reason, moved_to_text = report.strip(), reason.strip(), moved_to_text.strip()
    if status == PlanActivity.Status.DONE and not report:
        raise DomainError("Напишите коротко, что сделано.", field="report")
    if status == PlanActivity.Status.MOVED:
        if not moved_to_text:
            raise DomainError("Укажите новый срок.", field="moved_to_text")
        if not reason:
            raise DomainError("Укажите причину переноса.", field="reason")
    if status == PlanActivity.Status.CANCELLED and not reason:
        raise DomainError("Укажите причину отмены.", field="reason")
    moved: Timing | None = None
    if status == PlanActivity.Status.MOVED:
        moved = parse_timing(moved_to_text, plan.academic_year)
        if moved.flagged:
            raise DomainError(
                f"Новый срок не распознан: {moved.flag_reason} "
                "Напишите, например, «май» или «до 20.05.2025».",
                field="moved_to_text",
            )
    before = audit.snapshot(activity, ["status"])
    # A move stays on record when the activity is then held (or its report edited later).
    keeps_move = status == PlanActivity.Status.DONE and activity.status in (
        PlanActivity.Status.MOVED,
        PlanActivity.Status.DONE,
    )
    activity.status = status
    activity.report = report if status == PlanActivity.Status.DONE else activity.report
    activity.status_reason = reason if status != PlanActivity.Status.DONE else ""
    if not keeps_move:
        activity.moved_to_text = moved.text if moved else ""
        activity.moved_to_data = moved.to_dict() if moved else {}
    if evidence is not None:
        activity.evidence = [
            {"title": item.get("title", "").strip()[:200], "url": item["url"].strip()}
            for item in evidence
            if item.get("url", "").strip()
        ]
    activity.status_changed_at = timezone.now()
    activity.status_changed_by = actor
    activity.save()
    audit.record(
        actor,
        plan,
        AuditEntry.Action.UPDATED,
        audit.diff(activity, before),
        comment=f"Выполнение: «{activity.content[:120]}»",
    )
    return activity


@transaction.atomic
def activity_set_links(
    actor: Person,
    activity: PlanActivity,
    *,
    events: list[int],
    documents: list[int] | None = None,
    posts: list[int] | None = None,
) -> None:
    """Link exactly these events, documents and portal posts (ids) to a plan line.

    Events must be of the plan's academic year, documents and posts of the plan's
    association; anything else is refused with a DomainError on its field. None leaves
    that kind of link as it is. Allowed on an approved plan: linking is execution, not content.
    """
    from bibliomo.documents.models import Document
    from bibliomo.portal.models import Post

    plan = _lock(activity.section.plan)
    changes: dict[str, list[Any]] = {}
    kinds = (
        ("events", events, plan_year_events(plan), "мероприятия", _WRONG_EVENT),
        (
            "documents",
            documents,
            Document.objects.filter(association_id=plan.association_id),
            "документы",
            "Можно связать только документы своего объединения.",
        ),
        (
            "posts",
            posts,
            Post.objects.filter(association_id=plan.association_id),
            "новости",
            "Можно связать только новости своего объединения.",
        ),
    )
    for name, ids, allowed, label, message in kinds:
        if ids is None:
            continue
        wanted = set(ids)
        found = list(allowed.filter(pk__in=wanted))
        if len(found) != len(wanted):
            raise DomainError(message.format(year=plan.academic_year_label), field=name)
        manager = getattr(activity, name)
        before = sorted(manager.values_list("pk", flat=True))
        manager.set(found)
        if before != sorted(wanted):
            changes[label] = [before, sorted(wanted)]
    if changes:
        audit.record(
            actor,
            plan,
            AuditEntry.Action.UPDATED,
            changes,
            comment=f"Связи строки «{activity.content[:120]}»",
        )


_WRONG_EVENT = "Можно связать только мероприятия {year} учебного года своего объединения."


@transaction.atomic
def activity_confirm(actor: Person, activity: PlanActivity) -> PlanActivity:
    """Confirm the execution the linked events suggest — or, for a line still planned when
    no event says anything, the year's records it names (`execution.suggest_from_records`)
    — with one click.

    The line takes the suggested status, a report listing the events held or the records,
    the move (from the planned month to the month held, or to the new date) and links to the
    events or records as evidence. Raises DomainError when the facts suggest nothing or the
    line already says it.
    """
    from bibliomo.plans.execution import is_settled, suggest, suggest_from_records
    from bibliomo.plans.facts import line_facts

    plan = _lock(activity.section.plan)
    activity = PlanActivity.objects.select_for_update().get(pk=activity.pk)
    today = timezone.localdate()
    suggestion = suggest(activity, today) or suggest_from_records(
        activity, plan, line_facts(plan, activity.content), today
    )
    if suggestion is None:
        raise DomainError(
            "Связанные мероприятия пока ничего не подтверждают: отметьте выполнение вручную.",
            field="status",
        )
    if is_settled(activity, suggestion):
        raise DomainError("Выполнение уже отмечено так, как предлагается.", field="status")
    before = audit.snapshot(activity, ["status"])
    status = PlanActivity.Status
    activity.status = suggestion.status
    if suggestion.status == status.DONE:
        activity.report = suggestion.report
        activity.status_reason = ""
    else:
        activity.status_reason = suggestion.reason
    moved = parse_timing(suggestion.moved_to_text, plan.academic_year)
    if suggestion.moved_to_text:
        # A date outside the plan's year is kept as words; the calendar keeps the old timing.
        activity.moved_to_text = suggestion.moved_to_text
        activity.moved_to_data = {} if moved.flagged else moved.to_dict()
    elif suggestion.status != status.DONE:
        activity.moved_to_text, activity.moved_to_data = "", {}
    known = {item.get("url") for item in activity.evidence}
    activity.evidence = [
        *activity.evidence,
        *(
            {"title": f"{e.get_kind_display()} {e.dates_text}", "url": e.get_absolute_url()}
            for e in suggestion.events
            if e.get_absolute_url() not in known
        ),
        *(
            {"title": fact.title, "url": fact.url}
            for fact in suggestion.facts
            if fact.url not in known
        ),
    ]
    activity.status_changed_at = timezone.now()
    activity.status_changed_by = actor
    activity.save()
    audit.record(
        actor,
        plan,
        AuditEntry.Action.UPDATED,
        audit.diff(activity, before),
        comment=f"Выполнение подтверждено по мероприятиям: «{activity.content[:120]}»",
    )
    return activity


# --- Approval and revisions ------------------------------------------------------------------


@transaction.atomic
def plan_submit(actor: Person, plan: WorkPlan) -> WorkPlan:
    plan = _lock(plan)
    if not plan.is_editable:
        raise DomainError("План уже на утверждении или утверждён.")
    if not PlanActivity.objects.filter(section__plan=plan).exists():
        raise DomainError("В плане нет мероприятий: передавать на утверждение нечего.")
    plan.status = WorkPlan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = actor
    plan.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit.record(actor, plan, AuditEntry.Action.UPDATED, comment="Передан на утверждение")
    _plan_letter(plan, "plans/submitted", actor, directors=True)
    return plan


@transaction.atomic
def plan_approve(actor: Person, plan: WorkPlan) -> WorkPlan:
    plan = _lock(plan)
    if plan.status != WorkPlan.Status.SUBMITTED:
        raise DomainError("Утвердить можно только план, переданный на утверждение.")
    now = timezone.now()
    plan.status = WorkPlan.Status.APPROVED
    plan.approved_at = now
    plan.approved_by = actor
    plan.return_comment = ""
    if plan.approval_year is None:
        plan.approval_year = timezone.localdate(now).year
    plan.save()
    PlanRevision.objects.create(
        plan=plan,
        number=plan.revision,
        snapshot=plan_snapshot(plan),
        approved_at=now,
        approved_by=actor,
    )
    audit.record(
        actor, plan, AuditEntry.Action.UPDATED, comment=f"Утверждена редакция {plan.revision}"
    )
    _plan_letter(plan, "plans/approved", actor)
    return plan


@transaction.atomic
def plan_return(actor: Person, plan: WorkPlan, comment: str) -> WorkPlan:
    plan = _lock(plan)
    if plan.status != WorkPlan.Status.SUBMITTED:
        raise DomainError("Вернуть можно только план, переданный на утверждение.")
    comment = comment.strip()
    if not comment:
        raise DomainError("Напишите, что нужно доработать.", field="comment")
    plan.status = WorkPlan.Status.RETURNED
    plan.return_comment = comment
    plan.save(update_fields=["status", "return_comment", "updated_at"])
    audit.record(actor, plan, AuditEntry.Action.UPDATED, comment=f"Возвращён: {comment[:250]}")
    _plan_letter(plan, "plans/returned", actor)
    return plan


def _plan_letter(plan: WorkPlan, letter: str, actor: Person, *, directors: bool = False) -> None:
    """A submitted plan is announced to the directors; a decision goes to its authors (whoever
    submitted it and the association's methodists and heads), never to the one who acted."""
    emails = approval_recipients(plan.association, actor, plan.submitted_by, directors=directors)
    context = {"plan": plan, "actor": actor, "link": settings.SITE_URL + plan.get_absolute_url()}
    letter_send(letter, emails, context)


@transaction.atomic
def plan_start_revision(actor: Person, plan: WorkPlan) -> WorkPlan:
    """Unfreeze an approved plan as the next revision; the approved one stays readable."""
    plan = _lock(plan)
    if plan.status != WorkPlan.Status.APPROVED:
        raise DomainError("Новую редакцию можно начать только у утверждённого плана.")
    plan.status = WorkPlan.Status.DRAFT
    plan.revision += 1
    plan.submitted_at = None
    plan.save(update_fields=["status", "revision", "submitted_at", "updated_at"])
    audit.record(actor, plan, AuditEntry.Action.UPDATED, comment=f"Начата редакция {plan.revision}")
    return plan


# --- Roll-over -------------------------------------------------------------------------------


def _next_tasks(plan: WorkPlan) -> list[str]:
    """The tasks of next year's draft: «Задачи на следующий учебный год» of this year's
    analysis when it has them (the approved version first), else this plan's own tasks."""
    from bibliomo.reviews.selectors import next_year_tasks

    tasks = next_year_tasks(plan.association, plan.academic_year) or list(plan.tasks)
    return [ru.shift_academic_years(task, 1) for task in tasks]


@transaction.atomic
def plan_rollover(actor: Person, plan: WorkPlan) -> WorkPlan:
    """Next year's draft from this plan: content copied (its years moved on by one), tasks from
    the year's analysis, execution and dates reset."""
    year = plan.academic_year + 1
    if WorkPlan.objects.filter(association=plan.association, academic_year=year).exists():
        raise DomainError(f"План на {ru.format_academic_year(year)} учебный год уже есть.")
    new = WorkPlan.objects.create(
        association=plan.association,
        academic_year=year,
        title_lines=[ru.shift_academic_years(line, 1) for line in plan.title_lines],
        theme=ru.shift_academic_years(plan.theme, 1),
        goal=ru.shift_academic_years(plan.goal, 1),
        tasks=_next_tasks(plan),
        approval_position=plan.approval_position,
        approval_name=plan.approval_name,
        approval_year=None,
        signatories=[list(s) for s in plan.signatories],
        rolled_over_from=plan,
    )
    for section in plan.sections.order_by("position").prefetch_related("activities"):
        copy = PlanSection.objects.create(plan=new, position=section.position, title=section.title)
        rows = []
        for activity in section.activities.all():
            timing = activity.timing.shifted(1)
            rows.append(
                PlanActivity(
                    section=copy,
                    position=activity.position,
                    content=ru.shift_academic_years(activity.content, 1),
                    timing_text=timing.text,
                    timing_data=timing.to_dict(),
                    responsible_text=activity.responsible_text,
                    responsible_data=activity.responsible_data,
                )
            )
        PlanActivity.objects.bulk_create(rows)
    audit.record(
        actor,
        new,
        AuditEntry.Action.CREATED,
        comment=f"Создан из плана на {plan.academic_year_label}",
    )
    return new
