"""The order for next year: computing, each school's review, consolidation, files, the handout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.responses import attachment
from bibliomo.directory.access import get_in_association, require_association, require_perm
from bibliomo.exchange import order_exports, order_services, worked_example
from bibliomo.exchange.forms import (
    DecisionForm,
    EntryChangeForm,
    IntakeForm,
    OrderForm,
    OrderLineForm,
)
from bibliomo.exchange.models import Order, OrderLine, SchoolOrder
from bibliomo.lib import ru
from bibliomo.lib.documents import DOCX_MIME

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def order_create(request):
    association = require_association(request)
    require_perm(request, "exchange.manage", association)
    form = OrderForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_services.order_create(request.user, association, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _start_compute(request, order)
    return render(request, "exchange/order_form.html", {"form": form})


def _start_compute(request, order: Order):
    job = order_services.order_compute_start(request.user, order)
    return redirect("job_detail", pk=job.pk)


def order_or_404(request, pk: int, perm: str = "exchange.view_plans") -> Order:
    order = get_in_association(
        request, Order.objects.select_related("campaign", "association"), pk=pk
    )
    require_perm(request, perm, order.association)
    return order


@login_required
def order_detail(request, pk: int):
    order = order_or_404(request, pk)
    schools = (
        order.schools.select_related("school")
        .annotate(
            copies=Sum("lines__copies"), positions=Count("lines", filter=Q(lines__copies__gt=0))
        )
        .order_by("school__sort_name")
    )
    rows = order_exports.consolidated(order)
    school_orders = list(schools)
    handed_in = [SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.ACCEPTED]
    return render(
        request,
        "exchange/order.html",
        {
            "order": order,
            "schools": school_orders,
            "schools_copies": sum(so.copies or 0 for so in school_orders),
            "schools_handed_in": sum(1 for so in school_orders if so.status in handed_in),
            "rows": rows,
            "total": sum(row["copies"] for row in rows),
            "can_manage": request.user.has_perm("exchange.manage", order.association),
        },
    )


@login_required
@require_POST
def order_compute(request, pk: int):
    order = order_or_404(request, pk, "exchange.manage")
    if order.status != Order.Status.DRAFT:
        messages.error(request, "Сводный заказ уже сформирован — пересчитать его нельзя.")
        return redirect(order)
    return _start_compute(request, order)


@login_required
@require_POST
def order_consolidate(request, pk: int):
    order = order_or_404(request, pk, "exchange.manage")
    try:
        order_services.order_consolidate(request.user, order)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Сводный заказ сформирован.")
    return redirect(order)


@login_required
def order_xlsx(request, pk: int):
    order = order_or_404(request, pk)
    return attachment(
        order_exports.consolidated_xlsx(order),
        XLSX,
        f"order-{order.academic_year}-{order.academic_year + 1}.xlsx",
    )


def school_order_or_404(request, pk: int) -> SchoolOrder:
    school_order = get_in_association(
        request,
        SchoolOrder.objects.select_related("order__campaign", "order__association", "school"),
        association_lookup="order__association",
        pk=pk,
    )
    if not request.user.has_perm("exchange.view_school", school_order.school):
        raise Http404  # another school's order does not exist for you
    return school_order


@login_required
def school_order(request, pk: int):
    school_order = school_order_or_404(request, pk)
    user = request.user
    can_edit = (
        school_order.editable
        and user.has_perm("exchange.act_for_school", school_order.school)
        and school_order.order.status == Order.Status.DRAFT
    )
    show_all = request.GET.get("all") == "1"
    lines = school_order.lines.select_related("entry", "previous_entry").order_by(
        "grade", "entry__subject", "entry__code"
    )
    if not show_all:
        lines = lines.filter(Q(copies__gt=0) | Q(need__gt=0) | Q(previous_entry__isnull=False))
    return render(
        request,
        "exchange/school_order.html",
        {
            "so": school_order,
            "lines": list(lines),
            "show_all": show_all,
            "can_edit": can_edit,
            "can_decide": user.has_perm("exchange.manage", school_order.order.association)
            and school_order.status == SchoolOrder.Status.SUBMITTED,
            "intake_form": IntakeForm(initial={"intake": school_order.intake}),
            "total": sum(line.copies for line in school_order.lines.all()),
        },
    )


def _editable_line(request, pk: int) -> OrderLine:
    line = get_in_association(
        request,
        OrderLine.objects.select_related("school_order__school", "school_order__order", "entry"),
        association_lookup="school_order__order__association",
        pk=pk,
    )
    if not request.user.has_perm("exchange.view_school", line.school_order.school):
        raise Http404
    require_perm(request, "exchange.act_for_school", line.school_order.school)
    return line


@login_required
@require_POST
def line_set(request, pk: int):
    line = _editable_line(request, pk)
    form = OrderLineForm(request.POST)
    if form.is_valid():
        try:
            order_services.line_set(
                request.user, line, form.cleaned_data["copies"], form.cleaned_data["note"]
            )
        except DomainError as error:
            messages.error(request, f"{line.grade} класс, {line.entry.code}: {error.message}")
        else:
            messages.success(request, f"{line.grade} класс, {line.entry.code}: сохранено.")
    else:
        messages.error(request, "Укажите целое число экземпляров от 0.")
    return redirect(line.school_order)


@login_required
@require_POST
def lines_save(request, pk: int):
    """The whole table of the school's order in one form: one service call, all or nothing."""
    school_order = school_order_or_404(request, pk)
    require_perm(request, "exchange.act_for_school", school_order.school)
    lines = {
        line.pk: line
        for line in school_order.lines.select_related("entry").filter(
            pk__in=[
                int(key.removeprefix("copies-"))
                for key in request.POST
                if key.startswith("copies-") and key.removeprefix("copies-").isdigit()
            ]
        )
    }
    values = {}
    for line_pk, line in sorted(lines.items(), key=lambda item: (item[1].grade, item[0])):
        raw = request.POST.get(f"copies-{line_pk}", "").strip()
        if not raw.isdigit() or int(raw) > 100000:
            messages.error(
                request,
                f"{line.grade} класс, {line.entry.code}: укажите целое число экземпляров от 0. "
                "Ничего не сохранено.",
            )
            return redirect(school_order)
        values[line_pk] = (int(raw), request.POST.get(f"note-{line_pk}", "")[:300])
    if not values:
        messages.error(request, "Нечего сохранять: в форме нет строк заказа.")
        return redirect(school_order)
    try:
        changed = order_services.lines_set(request.user, school_order, values)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if changed:
            messages.success(
                request, f"Сохранено: {ru.plural(changed, 'строка', 'строки', 'строк')}."
            )
        else:
            messages.info(request, "Изменений нет.")
    return redirect(school_order)


@login_required
def line_entry(request, pk: int):
    line = _editable_line(request, pk)
    choices = order_services.replacement_choices(line)
    form = EntryChangeForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            order_services.line_change_entry(
                request.user, line, form.cleaned_data["entry"], form.cleaned_data["note"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Линия изменена, потребность пересчитана.")
            return redirect(line.school_order)
    return render(request, "exchange/line_entry.html", {"line": line, "form": form})


@login_required
@require_POST
def intake(request, pk: int):
    school_order = school_order_or_404(request, pk)
    require_perm(request, "exchange.act_for_school", school_order.school)
    form = IntakeForm(request.POST)
    if form.is_valid():
        try:
            order_services.intake_set(request.user, school_order, form.cleaned_data["intake"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Набор в 1 класс сохранён, заказ пересчитан.")
    else:
        messages.error(request, "Набор — целое число учеников от 0 до 1000.")
    return redirect(school_order)


@login_required
@require_POST
def submit(request, pk: int):
    school_order = school_order_or_404(request, pk)
    require_perm(request, "exchange.act_for_school", school_order.school)
    try:
        order_services.school_order_submit(request.user, school_order)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Заказ сдан методисту.")
    return redirect(school_order)


@login_required
@require_POST
def decide(request, pk: int):
    school_order = school_order_or_404(request, pk)
    require_perm(request, "exchange.manage", school_order.order.association)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        order_services.school_order_decide(
            request.user,
            school_order,
            bool(form.cleaned_data.get("accept")),
            form.cleaned_data.get("comment", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Решение сохранено.")
    return redirect(school_order)


@login_required
def school_order_file(request, pk: int, extension: str):
    school_order = school_order_or_404(request, pk)
    name = f"order-{school_order.order.academic_year}-school-{school_order.school_id}.{extension}"
    if extension == "docx":
        return attachment(order_exports.school_docx(school_order), DOCX_MIME, name)
    return attachment(order_exports.school_xlsx(school_order), XLSX, name)


@login_required
def algorithm(request):
    association = require_association(request)
    require_perm(request, "exchange.view_index", association)
    order = Order.objects.filter(association=association).select_related("campaign").first()
    example = worked_example.build(order, request.user) if order else None
    return render(request, "exchange/algorithm.html", {"order": order, "example": example})
