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
from bibliomo.exchange import acts, selectors, shipment_services, workflow
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


@login_required
def shipment_detail(request, pk: int):
    shipment = shipment_or_404(request, pk)
    steps = shipment.available_steps(request.user)
    lines_step = next((step for step in steps if step.kind == "lines"), None)
    lines = list(shipment.lines.select_related("entry"))
    for line in lines:
        line.step_values = workflow.step_values(lines_step, line)
    today = timezone.localdate()
    return render(
        request,
        "exchange/shipment.html",
        {
            "shipment": shipment,
            "lines": lines,
            "steps": steps,
            "lines_step": lines_step,
            "today": today,
            "overdue": shipment.is_overdue(today),
            "can_manage": request.user.has_perm("exchange.manage", shipment.plan.association),
            "history": shipment_history(shipment),
        },
    )


def shipment_history(shipment: Shipment):
    from bibliomo.core.audit import history

    return history(shipment)


@login_required
@require_POST
def shipment_step(request, pk: int, step: str):
    """One step of the table in `workflow.py`: the side is checked, the form read, the service
    named by the step called."""
    shipment = shipment_or_404(request, pk)
    chosen = workflow.STEPS.get(step)
    if chosen is None:
        raise Http404
    if chosen.who == workflow.MANAGER:
        require_perm(request, "exchange.manage", shipment.plan.association)
    try:
        if not workflow.may_take(request.user, shipment, chosen):
            raise DomainError(workflow.refusal(chosen))
        form = workflow.StepForm(request.POST, step=chosen, lines=list(shipment.lines.all()))
        if not form.is_valid():
            raise DomainError(form.first_error())
        service = getattr(shipment_services, chosen.service)
        service(request.user, shipment, **form.arguments())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, chosen.done)
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
