"""Every change to the order for next year: computing it, a school's review, consolidation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.jobs import job_start
from bibliomo.core.models import AuditEntry, Job
from bibliomo.directory.models import Association, Person
from bibliomo.exchange import ordering, pool
from bibliomo.exchange.models import Order, OrderLine, SchoolOrder
from bibliomo.textbooks.models import Campaign, CatalogEntry

SchoolStatus = SchoolOrder.Status


@transaction.atomic
def order_create(
    actor: Person,
    association: Association,
    *,
    campaign: Campaign,
    retention: Decimal,
    service_years: int,
    deadline: date,
    use_exchange: bool = True,
) -> Order:
    if campaign.association_id != association.pk:
        raise DomainError("Мониторинг другого объединения.", field="campaign")
    school_ids = pool.accepted_school_ids(campaign)
    if not school_ids:
        raise DomainError(
            "В мониторинге нет принятых отчётов: заказ считается по принятым данным школ.",
            field="campaign",
        )
    year = campaign.academic_year + 1
    if Order.objects.filter(association=association, academic_year=year).exists():
        raise DomainError(
            f"Заказ на {year}/{year + 1} учебный год уже есть — откройте его.", field="campaign"
        )
    order = Order.objects.create(
        association=association,
        campaign=campaign,
        academic_year=year,
        retention=retention,
        service_years=service_years,
        deadline=deadline,
        use_exchange=use_exchange,
        created_by=actor,
    )
    SchoolOrder.objects.bulk_create(SchoolOrder(order=order, school_id=pk) for pk in school_ids)
    audit.record(actor, order, AuditEntry.Action.CREATED)
    return order


def order_compute_start(actor: Person, order: Order) -> Job:
    """Queue the order's computation; its job page leads back to the order."""
    from bibliomo.exchange.tasks import compute_order

    return job_start(
        actor,
        "order_compute",
        f"Расчёт: {order}",
        compute_order,
        {"order_id": order.pk},
        result_url=order.get_absolute_url(),
    )


def order_compute(job, progress) -> str:
    """Background job: the whole order from the forecast to the exchange, all or nothing."""
    order = Order.objects.select_related("campaign").get(pk=job.params["order_id"])
    return compute(order, progress)


def compute(order: Order, progress=None) -> str:
    from bibliomo.exchange.services import Silent

    progress = progress or Silent()
    if order.status != Order.Status.DRAFT:
        raise DomainError("Сводный заказ уже сформирован: пересчитать его нельзя.")
    school_orders = list(order.schools.all())
    intakes = {so.school_id: so.intake for so in school_orders}
    progress.update(5, 100, "Прогноз контингента и фонд на следующий год")
    lines = ordering.drafts(order, list(intakes), intakes)
    ordering.allocate(order, lines)
    if order.use_exchange:
        progress.update(20, 100, "Считаю, что могут передать другие школы")

        def report(fraction: float, message: str) -> None:
            progress.update(20 + round(fraction * 70), 100, message)

        ordering.exchange(lines, progress=report)
    progress.update(95, 100, "Сохраняю строки заказа")
    _store(order, school_orders, lines)
    ordered = sum(line.need for line in lines)
    return f"Заказ рассчитан: {ordered} экз. по {len(school_orders)} школам."


@transaction.atomic
def _store(order: Order, school_orders: list[SchoolOrder], lines) -> None:
    order = Order.objects.select_for_update().get(pk=order.pk)
    editable = {so.school_id: so for so in school_orders if so.editable}
    OrderLine.objects.filter(school_order__in=editable.values()).delete()
    OrderLine.objects.bulk_create(
        _line(editable[d.school_id], d) for d in lines if d.school_id in editable
    )
    order.computed_at = timezone.now()
    order.save(update_fields=["computed_at"])


def _line(school_order: SchoolOrder, draft: ordering.Draft) -> OrderLine:
    return OrderLine(
        school_order=school_order,
        grade=draft.grade,
        entry_id=draft.entry_id,
        previous_entry_id=draft.previous_entry_id,
        pupils_now=draft.pupils_now,
        forecast=draft.forecast,
        usable=draft.usable,
        worn=draft.worn,
        expiring=draft.expiring,
        lost=draft.stock.spoiled,
        from_exchange=draft.from_exchange,
        need=draft.need,
        copies=draft.need,
        reasons=[str(r) for r in draft.reasons()],
    )


def _require_editable(school_order: SchoolOrder) -> None:
    if school_order.order.status != Order.Status.DRAFT:
        raise DomainError("Сводный заказ сформирован: заказ школы больше не меняется.")
    if not school_order.editable:
        raise DomainError(
            f"Заказ школы {school_order.get_status_display()}: изменить его может только "
            "методист, вернув на доработку."
        )


def _recompute_school(school_order: SchoolOrder) -> None:
    """Forecast, usable copies and need again for one school, keeping its chosen lines, the
    copies expected from the exchange and the numbers it changed by hand."""
    order = school_order.order
    old = list(school_order.lines.all())
    fresh = {
        (d.grade, d.entry_id): d
        for d in ordering.drafts(
            order, [school_order.school_id], {school_order.school_id: school_order.intake}
        )
    }
    drafts = []
    for line in old:
        draft = fresh.get((line.grade, line.entry_id))
        if draft is None and line.previous_entry_id is not None:
            draft = fresh.get((line.grade, line.previous_entry_id))
        if draft is None:
            continue
        draft.entry_id, draft.previous_entry_id = line.entry_id, line.previous_entry_id
        draft.from_exchange = line.from_exchange if not line.previous_entry_id else 0
        drafts.append((line, draft))
    ordering.allocate(order, [d for _, d in drafts])
    for line, draft in drafts:
        hand_set = line.copies != line.need
        line.forecast, line.usable = draft.forecast, draft.usable
        line.worn, line.expiring, line.lost = draft.worn, draft.expiring, draft.stock.spoiled
        line.need = draft.need
        if not hand_set:
            line.copies = draft.need
        line.reasons = [str(r) for r in draft.reasons()]
    OrderLine.objects.bulk_update(
        [line for line, _ in drafts],
        ["forecast", "usable", "worn", "expiring", "lost", "need", "copies", "reasons"],
    )


@transaction.atomic
def intake_set(actor: Person, school_order: SchoolOrder, intake: int | None) -> SchoolOrder:
    school_order = (
        SchoolOrder.objects.select_for_update()
        .select_related("order__campaign")
        .get(pk=school_order.pk)
    )
    _require_editable(school_order)
    if intake is not None and not 0 <= intake <= 1000:
        raise DomainError("Набор в 1 класс — от 0 до 1000 учеников.", field="intake")
    before = audit.snapshot(school_order, ["intake"])
    school_order.intake = intake
    school_order.save(update_fields=["intake"])
    _recompute_school(school_order)
    audit.record(actor, school_order, AuditEntry.Action.UPDATED, audit.diff(school_order, before))
    return school_order


@transaction.atomic
def line_set(actor: Person, line: OrderLine, copies: int, note: str) -> OrderLine:
    school_order = (
        SchoolOrder.objects.select_for_update().select_related("order").get(pk=line.school_order_id)
    )
    _require_editable(school_order)
    _line_apply(actor, line, copies, note)
    return line


@transaction.atomic
def lines_set(actor: Person, school_order: SchoolOrder, values: dict[int, tuple[int, str]]) -> int:
    """The whole table of a school's order at once: {line id: (copies, note)}. All or nothing —
    the first line that cannot be saved stops the rest, and its message names the line.
    Returns how many lines changed."""
    school_order = (
        SchoolOrder.objects.select_for_update().select_related("order").get(pk=school_order.pk)
    )
    _require_editable(school_order)
    lines = (
        school_order.lines.select_related("entry")
        .filter(pk__in=values)
        .order_by("grade", "entry__subject", "entry__code")
    )
    if len(lines) != len(values):
        raise DomainError("Строки заказа изменились: откройте заказ заново.")
    changed = 0
    for line in lines:
        copies, note = values[line.pk]
        if (copies, note.strip()[:300]) == (line.copies, line.note):
            continue
        try:
            _line_apply(actor, line, copies, note)
        except DomainError as error:
            raise DomainError(
                f"{line.grade} класс, {line.entry.code}: {error.message} Ничего не сохранено.",
                field=f"{error.field}-{line.pk}" if error.field else None,
            ) from error
        changed += 1
    return changed


def _line_apply(actor: Person, line: OrderLine, copies: int, note: str) -> None:
    if copies < 0:
        raise DomainError("Число экземпляров не может быть отрицательным.", field="copies")
    if copies > 5 * max(line.forecast, 1) + 50:
        raise DomainError(
            f"{copies} экз. для {line.forecast} учеников — проверьте число.", field="copies"
        )
    if copies != line.need and not note.strip():
        raise DomainError(
            f"Расчёт предлагает {line.need} экз.; напишите, почему заказываете иначе.",
            field="note",
        )
    before = audit.snapshot(line, ["copies", "note"])
    line.copies, line.note = copies, note.strip()[:300]
    if copies > line.need and not line.reasons:
        line.reasons = [OrderLine.Reason.OTHER]
    line.save(update_fields=["copies", "note", "reasons"])
    audit.record(actor, line, AuditEntry.Action.UPDATED, audit.diff(line, before))


def replacement_choices(line: OrderLine):
    """Textbooks of the same subject a grade may move to: listed, for this grade."""
    return CatalogEntry.objects.filter(
        subject=line.entry.subject,
        grade_from__lte=line.grade,
        grade_to__gte=line.grade,
        status=CatalogEntry.Status.LISTED,
    ).exclude(pk=line.entry_id)


@transaction.atomic
def line_change_entry(actor: Person, line: OrderLine, entry: CatalogEntry, note: str) -> OrderLine:
    """Move a grade to another textbook of the list: its copies are ordered anew."""
    school_order = (
        SchoolOrder.objects.select_for_update()
        .select_related("order__campaign")
        .get(pk=line.school_order_id)
    )
    _require_editable(school_order)
    if not replacement_choices(line).filter(pk=entry.pk).exists():
        raise DomainError(
            f"«{entry.code}» нельзя выбрать: нужен учебник того же предмета для "
            f"{line.grade} класса из действующего перечня.",
            field="entry",
        )
    if school_order.lines.filter(grade=line.grade, entry=entry).exists():
        raise DomainError("Этот учебник уже есть в заказе для этого класса.", field="entry")
    if not note.strip():
        raise DomainError("Напишите, почему школа переходит на другую линию.", field="note")
    old_code = line.entry.code
    line.previous_entry_id = line.previous_entry_id or line.entry_id
    line.entry = entry
    line.from_exchange = 0
    line.note = note.strip()[:300]
    line.save(update_fields=["entry", "previous_entry", "from_exchange", "note"])
    line.copies = line.need  # the recomputation sets the new textbook's need
    line.save(update_fields=["copies"])
    _recompute_school(school_order)
    audit.record(
        actor, line, AuditEntry.Action.UPDATED, {"учебник": [old_code, entry.code]}, comment=note
    )
    line.refresh_from_db()
    return line


@transaction.atomic
def school_order_submit(actor: Person, school_order: SchoolOrder) -> SchoolOrder:
    school_order = (
        SchoolOrder.objects.select_for_update().select_related("order").get(pk=school_order.pk)
    )
    _require_editable(school_order)
    if not school_order.lines.exists():
        raise DomainError("В заказе нет строк: дождитесь расчёта заказа методистом.")
    before = school_order.get_status_display()
    school_order.status = SchoolStatus.SUBMITTED
    school_order.submitted_at, school_order.submitted_by = timezone.now(), actor
    school_order.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit.record(
        actor,
        school_order,
        AuditEntry.Action.UPDATED,
        {"состояние": [before, school_order.get_status_display()]},
    )
    return school_order


@transaction.atomic
def school_order_decide(
    actor: Person, school_order: SchoolOrder, accept: bool, comment: str = ""
) -> SchoolOrder:
    school_order = (
        SchoolOrder.objects.select_for_update().select_related("order").get(pk=school_order.pk)
    )
    if school_order.order.status != Order.Status.DRAFT:
        raise DomainError("Сводный заказ уже сформирован.")
    if school_order.status != SchoolStatus.SUBMITTED:
        raise DomainError("Решение принимают по сданному заказу.")
    if not accept and not comment.strip():
        raise DomainError("Напишите, что исправить: школа увидит замечания.", field="comment")
    before = school_order.get_status_display()
    school_order.status = SchoolStatus.ACCEPTED if accept else SchoolStatus.RETURNED
    school_order.comment = comment.strip()
    school_order.save(update_fields=["status", "comment"])
    audit.record(
        actor,
        school_order,
        AuditEntry.Action.UPDATED,
        {"состояние": [before, school_order.get_status_display()]},
        comment=comment,
    )
    return school_order


@transaction.atomic
def order_consolidate(actor: Person, order: Order) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != Order.Status.DRAFT:
        raise DomainError("Сводный заказ уже сформирован.")
    waiting = order.schools.exclude(status=SchoolStatus.ACCEPTED).select_related("school")
    if waiting:
        names = ", ".join(so.school.short_name for so in waiting[:5])
        more = f" и ещё {len(waiting) - 5}" if len(waiting) > 5 else ""
        raise DomainError(f"Не приняты заказы школ: {names}{more}.")
    order.status, order.consolidated_at = Order.Status.CONSOLIDATED, timezone.now()
    order.save(update_fields=["status", "consolidated_at"])
    audit.record(actor, order, AuditEntry.Action.UPDATED, comment="Сводный заказ сформирован")
    return order
