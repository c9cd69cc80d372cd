from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.contests import selectors as contest_selectors
from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error, errors_text
from bibliomo.core.params import year_param
from bibliomo.core.responses import attachment, stored_file
from bibliomo.directory import selectors as directory_selectors
from bibliomo.directory.access import require_association, require_perm
from bibliomo.growth import papers, selectors, services
from bibliomo.growth.forms import CardForm, GoalForm, LearningForm, ReturnForm, StepForm
from bibliomo.growth.models import GrowthCard, Learning, RouteStep
from bibliomo.lib import ru
from bibliomo.lib.documents import DOCX_MIME, PDF_MIME
from bibliomo.lib.filetypes import FileKind, safe_download_name

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    year = year_param(request.GET.get("year"))
    return year if year is not None else ru.academic_year_start(timezone.localdate())


def _person(request, pk: int, perm: str = "growth.view_record"):
    """A member of the current association whose record the person may read; another
    school's librarian's record is refused."""
    association = require_association(request)
    person = get_object_or_404(
        directory_selectors.association_members(association).select_related("school__association"),
        pk=pk,
    )
    require_perm(request, perm, person)
    return person


@login_required
def index(request):
    association = require_association(request)
    if not request.user.has_perm("growth.view_overview", association):
        if request.user.roles_in(association.pk):
            return redirect("growth:card", pk=request.user.pk)
        raise Http404
    year = _year(request)
    return render(
        request,
        "growth/overview.html",
        {
            "overview": selectors.overview(association, year),
            "year": year,
            "can_confirm": request.user.has_perm("growth.confirm_courses", association),
        },
    )


@login_required
def export(request):
    association = require_association(request)
    require_perm(request, "growth.view_overview", association)
    year = _year(request)
    content = papers.overview_xlsx(selectors.overview(association, year))
    name = f"Профессиональное развитие {ru.format_academic_year(year, '-')}.xlsx"
    return attachment(content, XLSX_MIME, name)


@login_required
def card(request, pk: int):
    person = _person(request, pk)
    year = _year(request)
    learning = list(Learning.objects.filter(person=person).order_by("-starts_on", "-pk"))
    events = selectors.attended(person)
    hours = selectors.hours_by_person(require_association(request), year).get(person.pk)
    return render(
        request,
        "growth/card.html",
        {
            "person": person,
            "card": selectors.card_of(person),
            "learning": learning,
            "events": events,
            "hours": hours or selectors.Hours(),
            "year": year,
            "route": selectors.route_of(person, year),
            "contests": contest_selectors.person_participation(person),
            "is_owner": request.user.pk == person.pk,
            "can_confirm": request.user.has_perm("growth.confirm_courses", person),
        },
    )


@login_required
def card_edit(request):
    person = request.user
    require_association(request)
    instance = GrowthCard.objects.filter(person=person).first() or GrowthCard(person=person)
    form = CardForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.card_update(person, person, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Квалификационная категория сохранена.")
            return redirect("growth:card", pk=person.pk)
    return render(request, "growth/card_form.html", {"form": form})


def _learning(request, pk: int, perm: str) -> Learning:
    association = require_association(request)
    learning = get_object_or_404(
        Learning.objects.select_related("person"), association=association, pk=pk
    )
    if not request.user.has_perm("growth.view_learning", learning):
        raise Http404  # another librarian's record does not exist for this person
    require_perm(request, perm, learning)
    return learning


@login_required
def learning_add(request):
    require_association(request)
    form = LearningForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_add(request.user, request.user, **form.service_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Обучение внесено в карточку.")
            return redirect("growth:card", pk=request.user.pk)
    return render(request, "growth/learning_form.html", {"form": form, "learning": None})


@login_required
def learning_edit(request, pk: int):
    learning = _learning(request, pk, "growth.change_learning")
    form = LearningForm(
        request.POST or None, request.FILES or None, instance=Learning.objects.get(pk=learning.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_update(request.user, learning, **form.service_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("growth:card", pk=learning.person_id)
    return render(request, "growth/learning_form.html", {"form": form, "learning": learning})


def _act(request, learning: Learning, action, success: str):
    perform(request, action, done=success)
    return redirect("growth:card", pk=learning.person_id)


@login_required
@require_POST
def learning_delete(request, pk: int):
    learning = _learning(request, pk, "growth.change_learning")
    return _act(
        request,
        learning,
        lambda: services.learning_delete(request.user, learning),
        "Запись удалена.",
    )


@login_required
@require_POST
def learning_confirm(request, pk: int):
    learning = _learning(request, pk, "growth.confirm_learning")
    return _act(
        request,
        learning,
        lambda: services.learning_confirm(request.user, learning),
        "Курсы подтверждены: их часы учтены.",
    )


@login_required
@require_POST
def learning_return(request, pk: int):
    learning = _learning(request, pk, "growth.confirm_learning")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("growth:card", pk=learning.person_id)
    return _act(
        request,
        learning,
        lambda: services.learning_return(request.user, learning, form.cleaned_data["comment"]),
        "Курсы возвращены с замечаниями.",
    )


@login_required
def certificate(request, pk: int):
    learning = _learning(request, pk, "growth.view_learning")
    if not learning.certificate:
        raise Http404
    kind = FileKind(learning.certificate_kind, "", "", learning.certificate_name.rsplit(".", 1)[-1])
    return stored_file(learning.certificate, safe_download_name(learning.title, kind))


# --- The individual route (ИОМ) --------------------------------------------------------------


@login_required
def route(request, pk: int):
    person = _person(request, pk)
    year = _year(request)
    can_edit = request.user.has_perm("growth.edit_route", person)
    current = selectors.route_of(person, year)
    goal_form = GoalForm(request.POST or None, initial={"goal": current.goal if current else ""})
    if request.method == "POST":
        require_perm(request, "growth.edit_route", person)
        if goal_form.is_valid():
            try:
                services.route_save(request.user, person, year, goal_form.cleaned_data["goal"])
            except DomainError as error:
                add_domain_error(goal_form, error)
            else:
                messages.success(request, "Маршрут сохранён.")
                return redirect(f"{request.path}?year={year}")
    association = require_association(request)
    return render(
        request,
        "growth/route.html",
        {
            "person": person,
            "year": year,
            "year_label": ru.format_academic_year(year),
            "route": current,
            "steps": selectors.route_steps(current) if current else [],
            "goal_form": goal_form,
            "step_form": StepForm(association=association),
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def step_add(request, pk: int):
    person = _person(request, pk, "growth.edit_route")
    year = _year(request)
    current = selectors.route_of(person, year)
    back = f"{request.path.rsplit('steps/', 1)[0]}?year={year}"
    if current is None:
        messages.error(request, "Сначала напишите, что вы хотите освоить, и сохраните маршрут.")
        return redirect(back)
    form = StepForm(request.POST, association=require_association(request))
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(back)
    perform(
        request, services.step_add, request.user, current, **form.cleaned_data, done="Шаг добавлен."
    )
    return redirect(back)


def _step(request, pk: int) -> RouteStep:
    association = require_association(request)
    step = get_object_or_404(
        RouteStep.objects.select_related("route__person"), route__association=association, pk=pk
    )
    if not request.user.has_perm("growth.view_record", step.route.person):
        raise Http404
    require_perm(request, "growth.edit_route", step.route.person)
    return step


@login_required
@require_POST
def step_done(request, pk: int):
    step = _step(request, pk)
    perform(request, services.step_done, request.user, step)
    return redirect(step.route.get_absolute_url())


@login_required
@require_POST
def step_delete(request, pk: int):
    step = _step(request, pk)
    url = step.route.get_absolute_url()
    services.step_delete(request.user, step)
    return redirect(url)


# --- Portfolio -------------------------------------------------------------------------------


@login_required
def portfolio(request, pk: int, kind: str):
    person = _person(request, pk)
    if kind not in ("docx", "pdf"):
        raise Http404
    data = papers.portfolio(person)
    name = f"Портфолио {person.short_name}"
    if kind == "docx":
        return attachment(papers.portfolio_docx(data), DOCX_MIME, f"{name}.docx")
    return attachment(papers.portfolio_pdf(data), PDF_MIME, f"{name}.pdf")
