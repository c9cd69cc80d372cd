"""A shipment's life, seen by each of its two schools and the methodist; the return control."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.responses import attachment
from bibliomo.directory.access import get_in_association, require_association, require_perm
from bibliomo.exchange import acts, selectors, shipment_services
from bibliomo.exchange.forms import DayForm
from bibliomo.exchange.models import Shipment
from bibliomo.lib.documents import DOCX_MIME, PDF_MIME

Status = Shipment.Status


def shipment_or_404(request, pk: int) -> Shipment:
    """A shipment of the association that the person may see: a librarian only her school's."""
    shipment = get_in_association(
        request,
        Shipment.objects.select_related("plan__association__municipality", "source", "target"),
        association_lookup="plan__association",
        pk=pk,
    )
    user = request.user
    if shipment.status == Status.DRAFT and not user.has_perm(
        "exchange.view_plans", shipment.plan.association
    ):
        raise Http404
    if not (
        user.has_perm("exchange.view_plans", shipment.plan.association)
        or user.has_perm("exchange.view_school", shipment.source)
        or user.has_perm("exchange.view_school", shipment.target)
    ):
        raise Http404  # another school's shipment does not exist for you
    return shipment


def _sides(request, shipment: Shipment) -> dict[str, bool]:
    user = request.user
    return {
        "source": user.has_perm("exchange.act_for_school", shipment.source),
        "target": user.has_perm("exchange.act_for_school", shipment.target),
    }


@login_required
def shipment_detail(request, pk: int):
    shipment = shipment_or_404(request, pk)
    sides = _sides(request, shipment)
    today = timezone.localdate()
    return render(
        request,
        "exchange/shipment.html",
        {
            "shipment": shipment,
            "lines": list(shipment.lines.select_related("entry")),
            "sides": sides,
            "today": today,
            "overdue": shipment.is_overdue(today),
            "can_manage": request.user.has_perm("exchange.manage", shipment.plan.association),
            "history": shipment_history(shipment),
        },
    )


def shipment_history(shipment: Shipment):
    from bibliomo.core.audit import history

    return history(shipment)


def _act_side(request, shipment: Shipment, side: str) -> None:
    if not _sides(request, shipment)[side]:
        who = "передающей" if side == "source" else "получающей"
        raise DomainError(f"Этот шаг делает библиотекарь {who} школы или методист.")


def _counts(request, shipment: Shipment, prefix: str) -> dict[int, int]:
    counts = {}
    for line in shipment.lines.all():
        raw = request.POST.get(f"{prefix}-{line.entry_id}", "").strip()
        if raw == "":
            counts[line.entry_id] = 0
            continue
        try:
            counts[line.entry_id] = int(raw)
        except ValueError:
            raise DomainError(f"«{raw}» — не целое число экземпляров.") from None
    return counts


def _day(request):
    form = DayForm(request.POST)
    if not form.is_valid():
        raise DomainError("Укажите дату в формате ДД.ММ.ГГГГ.")
    return form.cleaned_data["day"]


@login_required
@require_POST
def shipment_step(request, pk: int, step: str):
    shipment = shipment_or_404(request, pk)
    user = request.user
    try:
        if step == "agree-source":
            _act_side(request, shipment, "source")
            shipment_services.shipment_agree(user, shipment, "source")
            done = "Отправка согласована."
        elif step == "agree-target":
            _act_side(request, shipment, "target")
            shipment_services.shipment_agree(user, shipment, "target")
            done = "Получение согласовано."
        elif step == "decline":
            if not any(_sides(request, shipment).values()):
                _act_side(request, shipment, "source")
            shipment_services.shipment_decline(user, shipment, request.POST.get("reason", ""))
            done = "Перевозка отклонена; методист видит причину."
        elif step == "ship":
            _act_side(request, shipment, "source")
            shipment_services.shipment_ship(
                user, shipment, _day(request), _counts(request, shipment, "shipped")
            )
            done = "Отправка отмечена. Распечатайте акт и передайте его с учебниками."
        elif step == "receive":
            _act_side(request, shipment, "target")
            shipment_services.shipment_receive(
                user,
                shipment,
                _day(request),
                _counts(request, shipment, "received"),
                _counts(request, shipment, "damaged"),
                request.POST.get("note", ""),
            )
            done = "Получение отмечено: фонды обеих школ обновлены."
        elif step == "return-ship":
            _act_side(request, shipment, "target")
            shipment_services.return_ship(
                user, shipment, _day(request), _counts(request, shipment, "back")
            )
            done = "Возврат отправлен."
        elif step == "return-receive":
            _act_side(request, shipment, "source")
            shipment_services.return_receive(
                user,
                shipment,
                _day(request),
                _counts(request, shipment, "returned"),
                request.POST.get("note", ""),
            )
            done = "Возврат принят: учебники снова в фонде школы."
        elif step == "return-date":
            require_perm(request, "exchange.manage", shipment.plan.association)
            shipment_services.return_date_set(user, shipment, _day(request))
            done = "Срок возврата изменён."
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(shipment)


@login_required
def act(request, pk: int, extension: str):
    shipment = shipment_or_404(request, pk)
    if shipment.status in (Status.DRAFT, Status.DECLINED):
        raise Http404  # an act exists only for a published, living shipment
    if extension == "docx":
        return attachment(acts.docx_bytes(shipment), DOCX_MIME, acts.filename(shipment, "docx"))
    return attachment(acts.pdf_bytes(shipment), PDF_MIME, acts.filename(shipment, "pdf"))


@login_required
def returns(request):
    association = require_association(request)
    require_perm(request, "exchange.view_plans", association)
    today = timezone.localdate()
    due = list(shipment_services.returns_due(association, today))
    on_loan = (
        Shipment.objects.filter(plan__association=association, status__in=Shipment.ON_LOAN)
        .filter(~Q(pk__in=[s.pk for s in due]))
        .select_related("plan", "source", "target")
        .order_by("return_date", "number")
    )
    groups = selectors.due_groups(due, today)
    return render(
        request,
        "exchange/returns.html",
        {
            "overdue": groups["overdue"],
            "due": groups["due"],
            "returning": groups["returning"],
            "on_loan": on_loan,
            "today": today,
            "can_manage": request.user.has_perm("exchange.manage", association),
        },
    )


@login_required
@require_POST
def returns_remind(request):
    association = require_association(request)
    require_perm(request, "exchange.manage", association)
    sent = shipment_services.returns_remind(request.user, association)
    if sent:
        messages.success(request, f"Напоминания отправлены по {sent} перевозкам.")
    else:
        messages.info(request, "Напоминать некому: перевозок с подходящим сроком нет.")
    return redirect("exchange:returns")
