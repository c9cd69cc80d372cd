"""A shipment's life after the plan is published: agreed by both schools, shipped, received
(holdings move), sent back and taken back; and the return control.

Each function checks what the state and the data allow and raises `DomainError` with a Russian
sentence; the whole step happens in one transaction, so a refused step changes nothing. From
which states a step may be taken, and which side takes it, is the table in `workflow.py`: these
functions enforce its states, the view checks its sides.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person
from bibliomo.exchange.models import HoldingMove, Shipment, ShipmentLine
from bibliomo.exchange.services import librarian_emails
from bibliomo.exchange.workflow import step_expect
from bibliomo.lib.ru import format_date
from bibliomo.textbooks.selectors import usable_copies
from bibliomo.textbooks.services import holdings_put, holdings_take, holdings_take_years

Status = Shipment.Status


def _lock(shipment: Shipment) -> Shipment:
    return (
        Shipment.objects.select_for_update()
        .select_related("plan", "source", "target")
        .get(pk=shipment.pk)
    )


def _journal(shipment: Shipment) -> str:
    """The comment on the schools' holdings journal lines a shipment writes."""
    return f"Перевозка № {shipment.number}"


def _record(actor, shipment, before_status, comment=""):
    audit.record(
        actor,
        shipment,
        AuditEntry.Action.UPDATED,
        {"состояние": [Status(before_status).label, shipment.get_status_display()]},
        comment=comment,
    )


@transaction.atomic
def shipment_agree(actor: Person, shipment: Shipment, side: str) -> Shipment:
    """`side` is "source" or "target": the sending school agrees first, then the receiving."""
    shipment = _lock(shipment)
    before = shipment.status
    if side == "source":
        step_expect(shipment, "agree-source")
        shipment.status, shipment.source_agreed_at = Status.SENDER_AGREED, timezone.now()
    elif side == "target":
        if shipment.status == Status.PROPOSED:
            raise DomainError(
                f"Сначала перевозку согласует передающая школа ({shipment.source.short_name})."
            )
        step_expect(shipment, "agree-target")
        shipment.status, shipment.target_agreed_at = Status.AGREED, timezone.now()
    else:  # pragma: no cover - views pass one of the two
        raise ValueError(side)
    shipment.save(update_fields=["status", "source_agreed_at", "target_agreed_at"])
    _record(actor, shipment, before)
    return shipment


@transaction.atomic
def shipment_decline(actor: Person, shipment: Shipment, reason: str) -> Shipment:
    shipment = _lock(shipment)
    step_expect(shipment, "decline")
    if not reason.strip():
        raise DomainError("Напишите причину отказа — её увидит методист.", field="reason")
    before = shipment.status
    shipment.status, shipment.declined_reason = Status.DECLINED, reason.strip()[:300]
    shipment.save(update_fields=["status", "declined_reason"])
    _record(actor, shipment, before, comment=reason.strip())
    return shipment


def _lines(shipment: Shipment) -> dict[int, ShipmentLine]:
    return {line.entry_id: line for line in shipment.lines.select_related("entry")}


def _check_day(day: date | None, not_before: date | None, what: str) -> date:
    if day is None:
        raise DomainError(f"Укажите дату: {what}.", field="day")
    if day > timezone.localdate():
        raise DomainError("Дата не может быть в будущем.", field="day")
    if not_before and day < not_before:
        raise DomainError(f"Дата раньше предыдущего шага ({format_date(not_before)}).", field="day")
    return day


def _check_counts(
    counts: dict[int, int], lines: dict[int, ShipmentLine], limit, what: str, limit_what: str
) -> None:
    unknown = set(counts) - set(lines)
    if unknown:
        raise DomainError("В перевозке нет такого учебника.")
    for entry_id, count in counts.items():
        line = lines[entry_id]
        if count is None or count < 0:
            raise DomainError(f"{line.entry.code}: число экземпляров не может быть отрицательным.")
        most = limit(line)
        if count > most:
            raise DomainError(
                f"{line.entry.code}: {what} {count} экз. — больше, чем {limit_what} ({most})."
            )
    if not any(counts.values()):
        raise DomainError(f"Укажите, сколько экземпляров {what}.")


@transaction.atomic
def shipment_ship(actor: Person, shipment: Shipment, day: date, counts: dict[int, int]) -> Shipment:
    shipment = _lock(shipment)
    step_expect(shipment, "ship")
    _check_day(day, None, "когда отправлено")
    lines = _lines(shipment)
    _check_counts(counts, lines, lambda line: line.copies, "отправлено", "по плану")
    usable = usable_copies(shipment.source_id, lines)
    for entry_id, line in lines.items():
        count = counts.get(entry_id, 0)
        available = usable[entry_id]
        if count > available:
            raise DomainError(
                f"{line.entry.code}: в фонде школы «{shipment.source.short_name}» "
                f"{available} годных экз., отправить {count} нельзя."
            )
        line.shipped = count
    ShipmentLine.objects.bulk_update(lines.values(), ["shipped"])
    before = shipment.status
    shipment.status, shipment.shipped_on = Status.SHIPPED, day
    shipment.save(update_fields=["status", "shipped_on"])
    _record(actor, shipment, before)
    return shipment


@transaction.atomic
def shipment_receive(
    actor: Person,
    shipment: Shipment,
    day: date,
    received: dict[int, int],
    damaged: dict[int, int] | None = None,
    note: str = "",
) -> Shipment:
    """The receiving school counts what arrived: both schools' holdings change together."""
    shipment = _lock(shipment)
    if shipment.status == Status.RECEIVED:
        raise DomainError(f"Перевозка № {shipment.number} уже получена — второй раз нельзя.")
    step_expect(shipment, "receive")
    _check_day(day, shipment.shipped_on, "когда получено")
    damaged = damaged or {}
    lines = _lines(shipment)
    counts = {entry_id: received.get(entry_id, 0) for entry_id in lines}
    _check_counts(counts, lines, lambda line: line.shipped or 0, "получено", "отправлено")
    for entry_id, line in lines.items():
        count, spoiled = counts[entry_id], damaged.get(entry_id, 0) or 0
        if spoiled < 0 or spoiled > count:
            raise DomainError(
                f"{line.entry.code}: повреждённых {spoiled} — больше, чем получено ({count})."
            )
    taken = holdings_take(
        actor,
        shipment.source,
        [(line.entry, line.shipped) for line in lines.values() if line.shipped],
        comment=_journal(shipment),
        changed="Фонд изменился после отправки — уточните данные.",
    )
    arrivals, moves = [], []
    for entry_id, line in lines.items():
        count, spoiled = counts[entry_id], damaged.get(entry_id, 0) or 0
        arriving, spoiled_left = count, spoiled
        for year, part in taken.get(entry_id, []):
            arrived = min(part, arriving)
            hurt = min(arrived, spoiled_left)
            if arrived:
                arrivals.append((line.entry, year, arrived, hurt))
            moves.append(
                HoldingMove(
                    shipment=shipment,
                    entry_id=entry_id,
                    direction=HoldingMove.Direction.OUT,
                    purchase_year=year,
                    left=part,
                    arrived=arrived,
                    damaged=hurt,
                )
            )
            arriving -= arrived
            spoiled_left -= hurt
        line.received, line.damaged = count, spoiled
    holdings_put(actor, shipment.target, arrivals, comment=_journal(shipment))
    HoldingMove.objects.bulk_create(moves)
    ShipmentLine.objects.bulk_update(lines.values(), ["received", "damaged"])
    shortfall = [
        f"{line.entry.code}: не дошло {line.shortfall} экз."
        for line in lines.values()
        if line.shortfall
    ] + [
        f"{line.entry.code}: повреждено {line.damaged} экз."
        for line in lines.values()
        if line.damaged
    ]
    if note.strip():
        shortfall.append(note.strip())
    before = shipment.status
    shipment.status, shipment.received_on = Status.RECEIVED, day
    shipment.discrepancy = "\n".join(shortfall)
    shipment.save(update_fields=["status", "received_on", "discrepancy"])
    _record(actor, shipment, before, comment=shipment.discrepancy)
    return shipment


@transaction.atomic
def return_ship(actor: Person, shipment: Shipment, day: date, counts: dict[int, int]) -> Shipment:
    """The borrowing school sends the books back."""
    shipment = _lock(shipment)
    step_expect(shipment, "return-ship")
    _check_day(day, shipment.received_on, "когда отправлено обратно")
    lines = _lines(shipment)
    _check_counts(counts, lines, lambda line: line.received or 0, "возвращается", "получено")
    for entry_id, line in lines.items():
        line.return_shipped = counts.get(entry_id, 0)
    ShipmentLine.objects.bulk_update(lines.values(), ["return_shipped"])
    before = shipment.status
    shipment.status, shipment.return_shipped_on = Status.RETURN_SHIPPED, day
    shipment.save(update_fields=["status", "return_shipped_on"])
    _record(actor, shipment, before)
    return shipment


@transaction.atomic
def return_receive(
    actor: Person, shipment: Shipment, day: date, counts: dict[int, int], note: str = ""
) -> Shipment:
    """The lending school takes its books back: holdings move back by year of purchase."""
    shipment = _lock(shipment)
    if shipment.status == Status.RETURNED:
        raise DomainError(f"Возврат по перевозке № {shipment.number} уже принят.")
    step_expect(shipment, "return-receive")
    _check_day(day, shipment.return_shipped_on, "когда возврат получен")
    lines = _lines(shipment)
    counts = {entry_id: counts.get(entry_id, 0) for entry_id in lines}
    _check_counts(counts, lines, lambda line: line.return_shipped or 0, "получено", "отправлено")
    moves = defaultdict(list)
    for move in shipment.moves.filter(direction=HoldingMove.Direction.OUT):
        moves[move.entry_id].append(move)
    parts = []
    for entry_id, line in lines.items():
        leaving = line.return_shipped or 0
        for move in moves[entry_id]:
            part = min(move.arrived, leaving)
            if part:
                parts.append((line, move, part))
                leaving -= part
        line.returned = counts[entry_id]
    hurts = holdings_take_years(
        actor,
        shipment.target,
        [(line.entry, move.purchase_year, part, move.damaged) for line, move, part in parts],
        comment=_journal(shipment),
    )
    arriving, arrivals, back_moves = dict(counts), [], []
    for (line, move, part), hurt in zip(parts, hurts, strict=True):
        back = min(part, arriving[line.entry_id])
        if back:
            arrivals.append((line.entry, move.purchase_year, back, min(hurt, back)))
        back_moves.append(
            HoldingMove(
                shipment=shipment,
                entry_id=line.entry_id,
                direction=HoldingMove.Direction.BACK,
                purchase_year=move.purchase_year,
                left=part,
                arrived=back,
                damaged=min(hurt, back),
            )
        )
        arriving[line.entry_id] -= back
    holdings_put(actor, shipment.source, arrivals, comment=_journal(shipment))
    HoldingMove.objects.bulk_create(back_moves)
    ShipmentLine.objects.bulk_update(lines.values(), ["returned"])
    missing = [
        f"{line.entry.code}: при возврате не дошло "
        f"{(line.return_shipped or 0) - (line.returned or 0)} экз."
        for line in lines.values()
        if (line.return_shipped or 0) > (line.returned or 0)
    ] + [
        f"{line.entry.code}: не возвращено {(line.received or 0) - (line.return_shipped or 0)} экз."
        for line in lines.values()
        if (line.received or 0) > (line.return_shipped or 0)
    ]
    if note.strip():
        missing.append(note.strip())
    before = shipment.status
    shipment.status, shipment.returned_on = Status.RETURNED, day
    shipment.discrepancy = "\n".join(filter(None, [shipment.discrepancy, *missing]))
    shipment.save(update_fields=["status", "returned_on", "discrepancy"])
    _record(actor, shipment, before, comment="\n".join(missing))
    return shipment


@transaction.atomic
def return_date_set(actor: Person, shipment: Shipment, day: date) -> Shipment:
    """ "Unless agreed otherwise": the methodist may extend the loan."""
    shipment = _lock(shipment)
    if shipment.status in (Status.RETURNED, Status.DECLINED):
        raise DomainError("Перевозка завершена — срок возврата уже не меняется.")
    step_expect(shipment, "return-date")
    if shipment.received_on and day < shipment.received_on:
        raise DomainError("Срок возврата раньше даты получения.", field="day")
    before = audit.snapshot(shipment, ["return_date"])
    shipment.return_date = day
    shipment.save(update_fields=["return_date"])
    audit.record(actor, shipment, AuditEntry.Action.UPDATED, audit.diff(shipment, before))
    return shipment


# ---------------------------------------------------------------- return control

DUE_SOON_DAYS = 14


def returns_due(association: Association, today: date | None = None):
    """Shipments out on loan whose return date is past or within two weeks."""
    today = today or timezone.localdate()
    return (
        Shipment.objects.filter(
            plan__association=association,
            status__in=Shipment.ON_LOAN,
            return_date__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("plan", "source", "target")
        .prefetch_related("lines__entry")
        .order_by("return_date", "number")
    )


def returns_remind(
    actor: Person | None,
    association: Association,
    today: date | None = None,
    *,
    quiet_days: int = 0,
) -> int:
    """E-mail both schools of every loan that is overdue or due within two weeks; a scheduled
    run passes `quiet_days` so a school is not reminded of the same loan more often."""
    today = today or timezone.localdate()
    sent = 0
    due = returns_due(association, today).filter(status=Status.RECEIVED)
    if quiet_days:
        since = timezone.now() - timedelta(days=quiet_days)
        due = due.exclude(reminded_at__gte=since)
    for shipment in due:
        emails = librarian_emails(shipment.source) + librarian_emails(shipment.target)
        if not emails:
            continue
        letter_send(
            "exchange_return_reminder",
            emails,
            {"shipment": shipment, "overdue": shipment.return_date < today},
        )
        Shipment.objects.filter(pk=shipment.pk).update(reminded_at=timezone.now())
        sent += 1
    if sent or actor is not None:
        audit.record(
            actor, association, AuditEntry.Action.UPDATED, comment=f"Напоминания о возврате: {sent}"
        )
    return sent
