"""Every change to an exchange plan: its pool, the calculation, hand edits, publishing.

A shipment's life after publishing is in `shipment_services.py`.

Each function checks the rule it guards and raises `DomainError` with a Russian sentence; the
whole change happens in one transaction, so a refused step changes nothing. Who may act
(which school's librarian, the methodist) is checked by the views through `rules`; the services
check what state allows and what the data allows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.jobs import job_start
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry, Job
from bibliomo.directory.models import Association, Person, School
from bibliomo.directory.selectors import school_librarians
from bibliomo.exchange import pool
from bibliomo.exchange.models import (
    ExchangePlan,
    Participant,
    PoolLine,
    Shipment,
    ShipmentLine,
)
from bibliomo.lib import redistribution, ru
from bibliomo.lib.ru import plural
from bibliomo.textbooks.models import Campaign, CatalogEntry

Status = Shipment.Status

# ---------------------------------------------------------------- the plan and its pool


@transaction.atomic
def plan_create(
    actor: Person,
    association: Association,
    *,
    campaign: Campaign,
    name: str,
    reserve_percent: int,
    return_date: date,
    min_batch: int = 0,
    max_shipments: int | None = None,
    time_limit: int = 10,
    seed: int = 0,
) -> ExchangePlan:
    if campaign.association_id != association.pk:
        raise DomainError("Мониторинг другого объединения.", field="campaign")
    school_ids = pool.accepted_school_ids(campaign)
    if len(school_ids) < 2:
        raise DomainError(
            "Для обмена нужны принятые отчёты хотя бы двух школ: примите отчёты в мониторинге.",
            field="campaign",
        )
    plan = ExchangePlan.objects.create(
        association=association,
        campaign=campaign,
        name=name.strip(),
        academic_year=campaign.academic_year,
        reserve_percent=reserve_percent,
        return_date=return_date,
        min_batch=min_batch,
        max_shipments=max_shipments,
        time_limit=time_limit,
        seed=seed,
        created_by=actor,
    )
    Participant.objects.bulk_create(
        Participant(plan=plan, school_id=pk, reserve_percent=reserve_percent) for pk in school_ids
    )
    _fill_pool(plan, school_ids)
    audit.record(actor, plan, AuditEntry.Action.CREATED)
    return plan


def _fill_pool(plan: ExchangePlan, school_ids, keep_adjusted: bool = False) -> None:
    """(Re)compute the pool lines of these schools; hand adjustments survive if asked."""
    reserves = dict(
        Participant.objects.filter(plan=plan, school_id__in=school_ids).values_list(
            "school_id", "reserve_percent"
        )
    )
    found = pool.figures(school_ids, plan.academic_year, plan.campaign.as_of)
    existing = {
        (line.school_id, line.entry_id, line.kind): line
        for line in PoolLine.objects.filter(plan=plan, school_id__in=school_ids)
    }
    wanted: dict[tuple[int, int, str], int] = {}
    for (school_id, entry_id), figures in found.items():
        surplus = figures.surplus(reserves.get(school_id, plan.reserve_percent))
        shortage = figures.shortage()
        if surplus:
            wanted[school_id, entry_id, PoolLine.Kind.OFFER] = surplus
        if shortage:
            wanted[school_id, entry_id, PoolLine.Kind.REQUEST] = shortage
    create, update, delete = [], [], []
    for key, computed in wanted.items():
        line = existing.pop(key, None)
        if line is None:
            school_id, entry_id, kind = key
            create.append(
                PoolLine(
                    plan=plan,
                    school_id=school_id,
                    entry_id=entry_id,
                    kind=kind,
                    computed=computed,
                    copies=computed,
                )
            )
            continue
        keep = keep_adjusted and line.adjusted
        line.computed = computed
        if not keep or line.copies == computed:
            line.copies, line.reason = computed, ""
        update.append(line)
    for line in existing.values():
        if keep_adjusted and line.adjusted and line.copies:
            line.computed = 0
            update.append(line)
        else:
            delete.append(line.pk)
    PoolLine.objects.bulk_create(create)
    PoolLine.objects.bulk_update(update, ["computed", "copies", "reason"])
    PoolLine.objects.filter(pk__in=delete).delete()


def _require_draft(plan: ExchangePlan) -> None:
    if not plan.is_draft:
        raise DomainError("План уже опубликован: обменный фонд и перевозки в нём не меняются.")


@transaction.atomic
def reserve_set(actor: Person, participant: Participant, percent: int) -> None:
    plan = ExchangePlan.objects.select_for_update().get(pk=participant.plan_id)
    _require_draft(plan)
    if not 0 <= percent <= 50:
        raise DomainError("Резерв — от 0 до 50 %.", field="reserve_percent")
    before = audit.snapshot(participant, ["reserve_percent"])
    participant.reserve_percent = percent
    participant.save(update_fields=["reserve_percent"])
    _fill_pool(plan, [participant.school_id], keep_adjusted=True)
    audit.record(actor, participant, AuditEntry.Action.UPDATED, audit.diff(participant, before))


def _most_to_give(plan: ExchangePlan, school_id: int, entry_id: int) -> int:
    found = pool.figures([school_id], plan.academic_year, plan.campaign.as_of)
    return found.get((school_id, entry_id), pool.Figures(0, 0)).most_to_give()


def _check_pool_copies(plan, school_id, entry_id, kind, copies, computed, reason) -> None:
    if copies < 0:
        raise DomainError("Число экземпляров не может быть отрицательным.", field="copies")
    if copies != computed and not reason.strip():
        raise DomainError(
            f"Укажите причину: число отличается от рассчитанного по мониторингу ({computed}).",
            field="reason",
        )
    if kind == PoolLine.Kind.OFFER:
        most = _most_to_give(plan, school_id, entry_id)
        if copies > most:
            raise DomainError(
                f"Школа может отдать не больше {most} экз.: остальные нужны её ученикам.",
                field="copies",
            )


@transaction.atomic
def pool_line_set(actor: Person, line: PoolLine, copies: int, reason: str) -> PoolLine:
    plan = ExchangePlan.objects.select_for_update().get(pk=line.plan_id)
    _require_draft(plan)
    _check_pool_copies(
        plan, line.school_id, line.entry_id, line.kind, copies, line.computed, reason
    )
    before = audit.snapshot(line, ["copies", "reason"])
    line.copies = copies
    line.reason = reason.strip() if copies != line.computed else ""
    line.changed_by, line.changed_at = actor, timezone.now()
    line.save(update_fields=["copies", "reason", "changed_by", "changed_at"])
    audit.record(actor, line, AuditEntry.Action.UPDATED, audit.diff(line, before))
    return line


@transaction.atomic
def pool_line_add(
    actor: Person,
    plan: ExchangePlan,
    *,
    school: School,
    entry: CatalogEntry,
    kind: str,
    copies: int,
    reason: str,
) -> PoolLine:
    plan = ExchangePlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    if not Participant.objects.filter(plan=plan, school=school).exists():
        raise DomainError("Школа не участвует в этом обмене.", field="school")
    if PoolLine.objects.filter(plan=plan, school=school, entry=entry, kind=kind).exists():
        raise DomainError("Такая позиция уже есть — измените число в ней.", field="entry")
    if copies <= 0:
        raise DomainError("Укажите число экземпляров больше нуля.", field="copies")
    _check_pool_copies(plan, school.pk, entry.pk, kind, copies, 0, reason)
    line = PoolLine.objects.create(
        plan=plan,
        school=school,
        entry=entry,
        kind=kind,
        computed=0,
        copies=copies,
        reason=reason.strip(),
        changed_by=actor,
        changed_at=timezone.now(),
    )
    audit.record(actor, line, AuditEntry.Action.CREATED)
    return line


# ---------------------------------------------------------------- solving


@dataclass
class PreparedInstance:
    instance: redistribution.Instance
    warnings: list[str]


def build_instance(plan: ExchangePlan) -> PreparedInstance:
    """The solver's input from the pool; schools without coordinates sit out, with a warning."""
    school_ids = list(plan.participants.values_list("school_id", flat=True))
    located = pool.coordinates(school_ids)
    names = dict(School.objects.filter(pk__in=school_ids).values_list("pk", "short_name"))
    warnings = [
        f"У школы «{names[pk]}» нет координат здания — она не участвует в расчёте."
        for pk in sorted(set(school_ids) - set(located), key=lambda pk: ru.natural_key(names[pk]))
    ]
    surplus: dict[tuple[int, int], int] = {}
    shortage: dict[tuple[int, int], int] = {}
    lines = PoolLine.objects.filter(plan=plan, school_id__in=located, copies__gt=0)
    for line in lines:
        copies = surplus if line.kind == PoolLine.Kind.OFFER else shortage
        copies[line.school_id, line.entry_id] = line.copies
    entries = {entry_id for _, entry_id in surplus.keys() | shortage.keys()}
    codes = dict(CatalogEntry.objects.filter(pk__in=entries).values_list("pk", "code"))
    instance = pool.solver_instance(located, codes, surplus, shortage, names)
    return PreparedInstance(instance, warnings)


TRADEOFF_BUDGETS = [5, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300]


class Silent:
    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        pass


def plan_solve_start(actor: Person, plan: ExchangePlan) -> Job:
    """Queue the plan's computation; its job page leads back to the plan."""
    from bibliomo.exchange.tasks import solve_plan

    return job_start(
        actor,
        "exchange_solve",
        f"Расчёт плана: {plan.name}",
        solve_plan,
        {"plan_id": plan.pk},
        result_url=plan.get_absolute_url(),
    )


def plan_solve(job, progress) -> str:
    """Background job: run the solver on the pool and replace the draft shipments."""
    plan = ExchangePlan.objects.select_related("campaign").get(pk=job.params["plan_id"])
    return solve(plan, progress)


def solve(plan: ExchangePlan, progress=None) -> str:
    """The solver on the plan's pool; the draft shipments are replaced all at once."""
    from bibliomo.lib.redistribution import greedy as redistribution_greedy

    progress = progress or Silent()
    _require_draft(plan)
    prepared = build_instance(plan)
    instance = prepared.instance

    def report(fraction: float, message: str) -> None:
        progress.update(round(fraction * 80), 100, message)

    progress.update(0, 100, "Готовлю данные обменного фонда")
    solution = redistribution.solve(
        instance,
        time_limit=plan.time_limit,
        min_batch=plan.min_batch,
        max_shipments=plan.max_shipments,
        seed=plan.seed,
        progress=report,
    )
    progress.update(85, 100, "Считаю, сколько можно перевезти при меньшем числе перевозок")
    budgets = [k for k in TRADEOFF_BUDGETS if k < solution.shipments] + [solution.shipments]
    tradeoff = redistribution.tradeoff(
        instance,
        budgets,
        time_limit=min(5, plan.time_limit),
        seed=plan.seed,
        min_batch=plan.min_batch,
        start=solution if plan.max_shipments is None else None,  # the table agrees with the plan
    )
    baselines = {}
    if not plan.min_batch:
        for key, builder in (
            ("nearest", redistribution_greedy.nearest_source_greedy),
            ("pair", redistribution_greedy.pair_first_greedy),
        ):
            baselines[key] = _figures(instance, builder(instance))
    progress.update(95, 100, "Сохраняю перевозки")
    warnings = prepared.warnings + _clock_warnings(solution.stats)
    _store_solution(plan, instance, solution, tradeoff, baselines, warnings)
    return (
        f"Рассчитано: {solution.covered} экз. за "
        f"{plural(solution.shipments, 'перевозку', 'перевозки', 'перевозок')}."
    )


def _clock_warnings(stats: dict) -> list[str]:
    """What the time limit cut short, in Russian: the plan and its bound are otherwise the same
    on any machine (the search is budgeted in work, not seconds)."""
    warnings = []
    if stats.get("time_capped"):
        warnings.append(
            "Расчёт остановлен по ограничению времени раньше, чем закончил свою работу: "
            "на свободной машине или с большим лимитом план может выйти лучше."
        )
    if stats.get("bound_time_capped"):
        warnings.append(
            "Оценку наилучшего возможного не успели досчитать: план может быть ближе "
            "к наилучшему, чем сказано ниже."
        )
    return warnings


def _figures(instance, transfers) -> dict:
    covered, shipments, km = redistribution.plan_figures(instance, transfers)
    return {"covered": covered, "shipments": shipments, "km": round(km, 1)}


@transaction.atomic
def _store_solution(plan, instance, solution, tradeoff, baselines, warnings) -> None:
    plan = ExchangePlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    plan.shipments.all().delete()
    by_pair: dict[tuple[str, str], list] = defaultdict(list)
    for transfer in solution.transfers:
        by_pair[transfer.source, transfer.target].append(transfer)
    for (source, target), transfers in sorted(by_pair.items()):
        shipment = Shipment.objects.create(
            plan=plan,
            source_id=pool.key_id(source),
            target_id=pool.key_id(target),
            km=round(instance.distance(source, target), 1),
            return_date=plan.return_date,
        )
        ShipmentLine.objects.bulk_create(
            ShipmentLine(shipment=shipment, entry_id=pool.key_id(t.title), copies=t.copies)
            for t in transfers
        )
    shortage_total = sum(instance.shortage.values())
    plan.solved_at = timezone.now()
    plan.covered = solution.covered
    plan.coverable = solution.coverable
    plan.shortage_total = shortage_total
    plan.lower_bound = solution.lower_bound_shipments
    plan.tradeoff = [
        {
            "budget": k,
            "copies": c,
            "percent": round(100 * c / shortage_total, 1) if shortage_total else 0,
        }
        for k, c in tradeoff
    ]
    plan.baselines = baselines
    plan.warnings = warnings
    plan.save()


@transaction.atomic
def budget_set(actor: Person, plan: ExchangePlan, max_shipments: int | None) -> ExchangePlan:
    """Choose a point of the trade-off: at most K shipments (None — as many as needed)."""
    plan = ExchangePlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    if max_shipments is not None and max_shipments < 1:
        raise DomainError("Перевозок — хотя бы одна.", field="max_shipments")
    before = audit.snapshot(plan, ["max_shipments"])
    plan.max_shipments = max_shipments
    plan.save(update_fields=["max_shipments"])
    audit.record(actor, plan, AuditEntry.Action.UPDATED, audit.diff(plan, before))
    return plan


def _plan_transfers(plan: ExchangePlan) -> list[redistribution.Transfer]:
    rows = ShipmentLine.objects.filter(shipment__plan=plan).values_list(
        "shipment__source_id", "shipment__target_id", "entry_id", "copies"
    )
    return [
        redistribution.Transfer(pool.school_key(s), pool.school_key(t), pool.title_key(e), c)
        for s, t, e, c in rows
        if c
    ]


@transaction.atomic
def plan_line_set(
    actor: Person,
    plan: ExchangePlan,
    *,
    source: School,
    target: School,
    entry: CatalogEntry,
    copies: int,
) -> None:
    """Edit the proposed plan by hand: set how many copies of a title go from one school to
    another (0 removes the line). The whole plan is checked against the pool again."""
    plan = ExchangePlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    if source == target:
        raise DomainError("Школа не может передавать учебники самой себе.", field="target")
    if copies < 0:
        raise DomainError("Число экземпляров не может быть отрицательным.", field="copies")
    shipment = Shipment.objects.filter(plan=plan, source=source, target=target).first()
    if shipment is None and copies:
        located = pool.coordinates([source.pk, target.pk])
        km = 0.0
        if len(located) == 2:
            km = redistribution.haversine_km(*located[source.pk], *located[target.pk])
        shipment = Shipment.objects.create(
            plan=plan, source=source, target=target, km=round(km, 1), return_date=plan.return_date
        )
    if shipment is not None:
        if copies:
            ShipmentLine.objects.update_or_create(
                shipment=shipment, entry=entry, defaults={"copies": copies}
            )
        else:
            shipment.lines.filter(entry=entry).delete()
            if not shipment.lines.exists():
                shipment.delete()
    prepared = build_instance(plan)
    transfers = _plan_transfers(plan)
    problems = redistribution.check_solution(
        prepared.instance,
        transfers,
        min_batch=plan.min_batch,
        max_shipments=plan.max_shipments,
    )
    if problems:
        raise DomainError(_readable(problems, prepared.instance), field="copies")
    plan.covered = sum(t.copies for t in transfers)
    plan.save(update_fields=["covered"])
    audit.record(
        actor,
        plan,
        AuditEntry.Action.UPDATED,
        comment=f"{source.short_name} → {target.short_name}, {entry.code}: {copies} экз.",
    )


def _readable(problems: list[str], instance) -> str:
    """The solver's checker names schools and titles by key; say their names instead."""
    names = {s.id: s.name for s in instance.schools}
    names.update({t.id: t.name for t in instance.titles})
    text = " ".join(problems[:3])
    for key in sorted(names, key=len, reverse=True):
        text = text.replace(f"«{key}» ({names[key]})", f"«{names[key]}»")
        text = text.replace(f"«{key}»", f"«{names[key]}»")
    return text


@transaction.atomic
def plan_publish(actor: Person, plan: ExchangePlan, *, notify: bool = True) -> int:
    plan = ExchangePlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    shipments = list(
        plan.shipments.select_related("source", "target").order_by(
            "source__short_name", "target__short_name"
        )
    )
    if not shipments:
        raise DomainError("В плане нет ни одной перевозки: сначала рассчитайте план.")
    for number, shipment in enumerate(shipments, start=1):
        shipment.number = number
        shipment.status = Status.PROPOSED
        shipment.return_date = plan.return_date
    Shipment.objects.bulk_update(shipments, ["number", "status", "return_date"])
    plan.status = ExchangePlan.Status.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    audit.record(actor, plan, AuditEntry.Action.UPDATED, comment="План опубликован")
    schools = {s.source for s in shipments} | {s.target for s in shipments}
    if notify:
        transaction.on_commit(lambda: _notify_published(plan, schools))
    return len(shipments)


def librarian_emails(school: School) -> list[str]:
    """Where a school's letters go: its librarians, else the school's own address."""
    emails = [p.email for p in school_librarians(school)]
    if not emails and school.email:
        emails = [school.email]
    return emails


def _notify_published(plan: ExchangePlan, schools) -> None:
    for school in sorted(schools, key=lambda s: ru.natural_key(s.short_name)):
        emails = librarian_emails(school)
        if not emails:
            continue
        shipments = plan.shipments.filter(Q(source=school) | Q(target=school)).select_related(
            "source", "target"
        )
        letter_send(
            "exchange_published",
            emails,
            {"plan": plan, "school": school, "shipments": shipments},
        )
