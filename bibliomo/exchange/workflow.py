"""A shipment's workflow in one table: each step says from which states it may be taken, who
takes it (the sending school, the receiving school, either, or the methodist), which service
does it and what its form asks. The services enforce the states (`step_expect`), the view
dispatches by the table (`StepForm`), the page shows `Shipment.available_steps(person)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import DATE_FORMATS
from bibliomo.exchange.models import Shipment, ShipmentLine

Status = Shipment.Status

SOURCE, TARGET, EITHER, MANAGER = "source", "target", "either", "manager"


@dataclass(frozen=True)
class Counts:
    """One column of copies typed per line: `prefix-<entry id>` in the form, `argument` of the
    service; the page offers the line's `default` attribute (or 0) with it as the maximum."""

    prefix: str
    argument: str
    label: str
    default: str | None = None


@dataclass(frozen=True)
class Step:
    slug: str
    label: str  # the button
    doing: str  # «Нельзя {doing}: перевозка № … {состояние}.»
    done: str  # the message after it is done
    states: tuple[str, ...]
    who: str
    service: str  # a function of `shipment_services`
    kind: str = "button"  # "button", "lines" (the table of copies) or "details" (folded form)
    day: bool = False
    note: bool = False
    reason: bool = False
    counts: tuple[Counts, ...] = ()
    fixed: tuple[tuple[str, Any], ...] = ()  # arguments the service always gets
    summary: str = ""  # the fold's title for "details"

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(column.prefix for column in self.counts)


STEPS: dict[str, Step] = {
    step.slug: step
    for step in (
        Step(
            "agree-source",
            "Согласовать отправку",
            "согласовать отправку",
            "Отправка согласована.",
            (Status.PROPOSED,),
            SOURCE,
            "shipment_agree",
            fixed=(("side", SOURCE),),
        ),
        Step(
            "agree-target",
            "Согласовать получение",
            "согласовать получение",
            "Получение согласовано.",
            (Status.SENDER_AGREED,),
            TARGET,
            "shipment_agree",
            fixed=(("side", TARGET),),
        ),
        Step(
            "decline",
            "Отказаться",
            "отказаться",
            "Перевозка отклонена; методист видит причину.",
            (Status.PROPOSED, Status.SENDER_AGREED, Status.AGREED),
            EITHER,
            "shipment_decline",
            kind="details",
            reason=True,
            summary="Отказаться от перевозки",
        ),
        Step(
            "ship",
            "Отметить отправку",
            "отметить отправку",
            "Отправка отмечена. Распечатайте акт и передайте его с учебниками.",
            (Status.AGREED,),
            SOURCE,
            "shipment_ship",
            kind="lines",
            day=True,
            counts=(Counts("shipped", "counts", "Отправлено", "copies"),),
        ),
        Step(
            "receive",
            "Отметить получение",
            "отметить получение",
            "Получение отмечено: фонды обеих школ обновлены.",
            (Status.SHIPPED,),
            TARGET,
            "shipment_receive",
            kind="lines",
            day=True,
            note=True,
            counts=(
                Counts("received", "received", "Получено", "shipped"),
                Counts("damaged", "damaged", "Повреждено"),
            ),
        ),
        Step(
            "return-ship",
            "Отправить возврат",
            "отправить возврат",
            "Возврат отправлен.",
            (Status.RECEIVED,),
            TARGET,
            "return_ship",
            kind="lines",
            day=True,
            counts=(Counts("back", "counts", "Отправлено обратно", "received"),),
        ),
        Step(
            "return-receive",
            "Принять возврат",
            "принять возврат",
            "Возврат принят: учебники снова в фонде школы.",
            (Status.RETURN_SHIPPED,),
            SOURCE,
            "return_receive",
            kind="lines",
            day=True,
            note=True,
            counts=(Counts("returned", "counts", "Возвращено", "return_shipped"),),
        ),
        Step(
            "return-date",
            "Сохранить",
            "изменить срок возврата",
            "Срок возврата изменён.",
            tuple(
                status
                for status in Status
                if status not in (Status.DRAFT, Status.RETURNED, Status.DECLINED)
            ),
            MANAGER,
            "return_date_set",
            kind="details",
            day=True,
            summary="Изменить срок возврата",
        ),
    )
}


def step_expect(shipment: Shipment, slug: str) -> Step:
    """The service's guard: the step must be open from the shipment's state."""
    step = STEPS[slug]
    if shipment.status not in step.states:
        raise DomainError(
            f"Нельзя {step.doing}: перевозка № {shipment.number} {shipment.get_status_display()}."
        )
    return step


def may_take(person, shipment: Shipment, step: Step) -> bool:
    """Whether the person acts for the side the step belongs to (the state aside)."""
    if step.who == MANAGER:
        return person.has_perm("exchange.manage", shipment.plan.association)
    source = step.who in (SOURCE, EITHER) and person.has_perm(
        "exchange.act_for_school", shipment.source
    )
    target = step.who in (TARGET, EITHER) and person.has_perm(
        "exchange.act_for_school", shipment.target
    )
    return bool(source or target)


def refusal(step: Step) -> str:
    """Why a person of the wrong side may not take the step."""
    who = "получающей" if step.who == TARGET else "передающей"
    return f"Этот шаг делает библиотекарь {who} школы или методист."


def available_steps(shipment: Shipment, person) -> list[Step]:
    return [
        step
        for step in STEPS.values()
        if shipment.status in step.states and may_take(person, shipment, step)
    ]


def step_values(step: Step | None, line: ShipmentLine) -> dict[str, int | None]:
    """What the page offers in each column of copies: the previous step's number, or 0."""
    if step is None:
        return {}
    return {
        column.prefix: getattr(line, column.default) if column.default else 0
        for column in step.counts
    }


class CopiesField(forms.Field):
    """Copies typed in a line: empty is none; anything but a whole number is refused."""

    def to_python(self, value) -> int:
        raw = (value or "").strip()
        if raw == "":
            return 0
        try:
            return int(raw)
        except ValueError:
            raise forms.ValidationError(f"«{raw}» — не целое число экземпляров.") from None


class StepForm(forms.Form):
    """What a step asks: a date, a note or a reason, copies per line — in the order checked."""

    DAY_ERROR = "Укажите дату в формате ДД.ММ.ГГГГ."

    def __init__(self, data, *, step: Step, lines: list[ShipmentLine]):
        super().__init__(data)
        self.step = step
        if step.day:
            self.fields["day"] = forms.DateField(
                input_formats=DATE_FORMATS,
                error_messages={"required": self.DAY_ERROR, "invalid": self.DAY_ERROR},
            )
        for column in step.counts:
            for line in lines:
                self.fields[f"{column.prefix}-{line.entry_id}"] = CopiesField(required=False)
        if step.reason:
            self.fields["reason"] = forms.CharField(required=False, strip=False)
        if step.note:
            self.fields["note"] = forms.CharField(required=False, strip=False)
        self.lines = lines

    def first_error(self) -> str:
        return next(str(error) for errors in self.errors.values() for error in errors)

    def arguments(self) -> dict[str, Any]:
        """The service's keyword arguments from the cleaned form."""
        data = self.cleaned_data
        arguments: dict[str, Any] = dict(self.step.fixed)
        if self.step.day:
            arguments["day"] = data["day"]
        for column in self.step.counts:
            arguments[column.argument] = {
                line.entry_id: data[f"{column.prefix}-{line.entry_id}"] for line in self.lines
            }
        if self.step.reason:
            arguments["reason"] = data["reason"]
        if self.step.note:
            arguments["note"] = data["note"]
        return arguments
