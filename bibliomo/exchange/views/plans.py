"""Exchange plans: the pool, the calculated plan with its trade-off and map, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error, errors_text
from bibliomo.core.params import id_param
from bibliomo.directory.access import get_in_association, require_association, require_perm
from bibliomo.directory.models import School
from bibliomo.exchange import selectors, services
from bibliomo.exchange.forms import PlanForm, PlanLineForm, PoolAddForm, PoolLineForm, ReserveForm
from bibliomo.exchange.models import (
    ExchangePlan,
    Order,
    Participant,
    PoolLine,
    SchoolOrder,
    end_of_academic_year,
)
from bibliomo.lib import ru


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "exchange.view_index", association)
    user = request.user
    can_plans = user.has_perm("exchange.view_plans", association)
    school = School.objects.filter(pk=user.school_id, association=association).first()
    context = {
        "can_plans": can_plans,
        "can_manage": user.has_perm("exchange.manage", association),
        "plans": ExchangePlan.objects.filter(association=association) if can_plans else [],
        "orders": Order.objects.filter(association=association) if can_plans else [],
        "school": school,
        "my_shipments": list(selectors.school_shipments(school)) if school else [],
        "my_orders": (
            SchoolOrder.objects.filter(
                school=school, order__association=association
            ).select_related("order")
            if school
            else []
        ),
        "my_pools": (
            ExchangePlan.objects.filter(
                association=association,
                status=ExchangePlan.Status.DRAFT,
                participants__school=school,
            )
            if school
            else []
        ),
    }
    return render(request, "exchange/index.html", context)


@login_required
def plan_create(request):
    association = require_association(request)
    require_perm(request, "exchange.manage", association)
    form = PlanForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                request.user,
                association,
                campaign=data["campaign"],
                name=data["name"],
                reserve_percent=data["reserve_percent"],
                return_date=data["return_date"]
                or end_of_academic_year(data["campaign"].academic_year),
                min_batch=data["min_batch"],
                max_shipments=data["max_shipments"],
                time_limit=data["time_limit"],
                seed=data["seed"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "План создан: обменный фонд рассчитан по мониторингу.")
            return redirect(plan)
    return render(request, "exchange/plan_form.html", {"form": form})


def plan_or_404(request, pk: int, perm: str = "exchange.view_plans") -> ExchangePlan:
    plan = get_in_association(
        request, ExchangePlan.objects.select_related("campaign", "association"), pk=pk
    )
    require_perm(request, perm, plan.association)
    return plan


VIEWS = {
    "source": "по передающим школам",
    "target": "по получающим школам",
    "title": "по учебникам",
}


@login_required
def plan_detail(request, pk: int):
    plan = plan_or_404(request, pk)
    view = request.GET.get("view", "source")
    if view not in VIEWS:
        view = "source"
    shipments = list(selectors.shipments_for(plan))
    groups = []
    if view == "title":
        groups = selectors.by_title(plan)
    else:
        key = "source" if view == "source" else "target"
        found: dict[int, selectors.Group] = {}
        for shipment in shipments:
            school = getattr(shipment, key)
            group = found.setdefault(school.pk, selectors.Group(school.short_name))
            group.copies += shipment.total or 0
            group.rows.append(shipment)
        groups = sorted(found.values(), key=lambda g: ru.natural_key(g.name))
    can_manage = request.user.has_perm("exchange.manage", plan.association)
    return render(
        request,
        "exchange/plan.html",
        {
            "plan": plan,
            "view": view,
            "views": VIEWS,
            "groups": groups,
            "shipments": shipments,
            "shipment_count": len(shipments),
            "optimality": selectors.optimality(plan, len(shipments)),
            "km_total": sum(s.km for s in shipments),
            "totals": selectors.pool_totals(plan),
            "map": selectors.shipment_map(plan, shipments),
            "scheme": selectors.scheme(plan, shipments),
            "chart": selectors.tradeoff_chart(plan),
            "can_manage": can_manage,
            "line_form": PlanLineForm() if can_manage and plan.is_draft else None,
            "schools": plan.participants.select_related("school") if can_manage else [],
        },
    )


@login_required
@require_POST
def plan_solve(request, pk: int):
    plan = plan_or_404(request, pk, "exchange.manage")
    if not plan.is_draft:
        messages.error(request, "План опубликован — пересчитать его нельзя.")
        return redirect(plan)
    if "max_shipments" in request.POST:  # a point chosen on the trade-off table
        raw = request.POST["max_shipments"].strip()
        try:
            services.budget_set(request.user, plan, int(raw) if raw else None)
        except ValueError:
            messages.error(request, "Число перевозок — целое число.")
            return redirect(plan)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(plan)
    job = services.plan_solve_start(request.user, plan)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def plan_publish(request, pk: int):
    plan = plan_or_404(request, pk, "exchange.manage")
    try:
        count = services.plan_publish(request.user, plan)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"План опубликован: школы получили свои перевозки ({count}).")
    return redirect(plan)


@login_required
@require_POST
def plan_line(request, pk: int):
    plan = plan_or_404(request, pk, "exchange.manage")
    form = PlanLineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        schools = School.objects.filter(association=plan.association)
        source = schools.filter(pk=data["source"]).first()
        target = schools.filter(pk=data["target"]).first()
        if source is None or target is None:
            messages.error(request, "Выберите школы этого объединения.")
            return redirect(plan)
        try:
            services.plan_line_set(
                request.user,
                plan,
                source=source,
                target=target,
                entry=data["code"],
                copies=data["copies"],
            )
        except DomainError as error:
            messages.error(request, f"Изменение не сохранено: {error.message}")
        else:
            messages.success(request, "Строка плана сохранена.")
    else:
        messages.error(request, errors_text(form))
    return redirect(f"{plan.get_absolute_url()}?view={request.POST.get('view', 'source')}")


# ---------------------------------------------------------------- the pool


def _pool_school(request, plan: ExchangePlan) -> Participant:
    """The participant whose pool is shown: a librarian's own; the methodist chooses."""
    user = request.user
    wanted = id_param(request.GET.get("school") or request.POST.get("school")) or user.school_id
    participants = Participant.objects.filter(plan=plan).select_related("school")
    participant = participants.filter(school_id=wanted).first()
    if participant is None and user.school_id:
        participant = participants.filter(school_id=user.school_id).first()
    if participant is None:
        participant = participants.first()
    if participant is None or not user.has_perm("exchange.view_school", participant.school):
        raise PermissionDenied
    return participant


@login_required
def pool(request, pk: int):
    plan = get_in_association(request, ExchangePlan.objects.select_related("campaign"), pk=pk)
    participant = _pool_school(request, plan)
    school = participant.school
    lines = list(
        PoolLine.objects.filter(plan=plan, school=school)
        .select_related("entry", "changed_by")
        .order_by("kind", "entry__subject", "entry__code")
    )
    can_edit = plan.is_draft and request.user.has_perm("exchange.act_for_school", school)
    return render(
        request,
        "exchange/pool.html",
        {
            "plan": plan,
            "participant": participant,
            "school": school,
            "offers": [line for line in lines if line.kind == PoolLine.Kind.OFFER],
            "requests": [line for line in lines if line.kind == PoolLine.Kind.REQUEST],
            "can_edit": can_edit,
            "participants": (
                plan.participants.select_related("school")
                if request.user.has_perm("exchange.view_plans", plan.association)
                else []
            ),
            "add_form": PoolAddForm() if can_edit else None,
            "reserve_form": ReserveForm(initial={"reserve_percent": participant.reserve_percent}),
        },
    )


def _pool_redirect(plan, school):
    return redirect(f"{reverse('exchange:pool', args=[plan.pk])}?school={school.pk}")


@login_required
@require_POST
def pool_line(request, pk: int):
    line = get_in_association(
        request,
        PoolLine.objects.select_related("plan", "school", "entry"),
        association_lookup="plan__association",
        pk=pk,
    )
    require_perm(request, "exchange.act_for_school", line.school)
    form = PoolLineForm(request.POST)
    if form.is_valid():
        try:
            services.pool_line_set(
                request.user, line, form.cleaned_data["copies"], form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, f"{line.entry.code}: {error.message}")
        else:
            messages.success(request, f"{line.entry.code}: сохранено.")
    else:
        messages.error(request, f"{line.entry.code}: укажите целое число экземпляров от 0.")
    return _pool_redirect(line.plan, line.school)


@login_required
@require_POST
def pool_add(request, pk: int):
    plan = get_in_association(request, ExchangePlan.objects.all(), pk=pk)
    participant = _pool_school(request, plan)
    require_perm(request, "exchange.act_for_school", participant.school)
    form = PoolAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.pool_line_add(
                request.user,
                plan,
                school=participant.school,
                entry=data["code"],
                kind=data["kind"],
                copies=data["copies"],
                reason=data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Позиция добавлена в обменный фонд.")
    else:
        messages.error(request, errors_text(form))
    return _pool_redirect(plan, participant.school)


@login_required
@require_POST
def reserve(request, pk: int):
    plan = get_in_association(request, ExchangePlan.objects.all(), pk=pk)
    participant = _pool_school(request, plan)
    require_perm(request, "exchange.act_for_school", participant.school)
    form = ReserveForm(request.POST)
    if form.is_valid():
        try:
            services.reserve_set(request.user, participant, form.cleaned_data["reserve_percent"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Резерв сохранён, предложение школы пересчитано.")
    else:
        messages.error(request, "Резерв — целое число от 0 до 50 %.")
    return _pool_redirect(plan, participant.school)
