from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.core import audit
from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.responses import attachment
from bibliomo.directory.access import require_association, require_perm
from bibliomo.lib.documents import DOCX_MIME, PDF_MIME
from bibliomo.plans import execution, facts, printing, selectors, services
from bibliomo.plans.document import PlanDocument
from bibliomo.plans.forms import (
    ActivityEventsForm,
    ActivityForm,
    HeaderForm,
    ImportConfirmForm,
    MarkForm,
    PlanUploadForm,
    ReturnForm,
    SectionForm,
)
from bibliomo.plans.models import PlanActivity, PlanRevision, PlanSection, WorkPlan
from bibliomo.plans.reading import PlanReadError, read_plan

SESSION_KEY = "plan_import"


def _plan(request, pk: int, perm: str = "plans.view_plan") -> WorkPlan:
    association = require_association(request)
    plan = get_object_or_404(selectors.plans_with_content(), association=association, pk=pk)
    require_perm(request, perm, plan)
    return plan


def _section(request, pk: int, perm: str) -> PlanSection:
    association = require_association(request)
    section = get_object_or_404(
        PlanSection.objects.select_related("plan"), plan__association=association, pk=pk
    )
    require_perm(request, perm, section.plan)
    return section


def _activity(request, pk: int, perm: str) -> PlanActivity:
    association = require_association(request)
    activity = get_object_or_404(
        PlanActivity.objects.select_related("section__plan"),
        section__plan__association=association,
        pk=pk,
    )
    require_perm(request, perm, activity.section.plan)
    return activity


def _step(direction: str) -> int:
    steps = {"up": -1, "down": 1}
    if direction not in steps:
        raise Http404
    return steps[direction]


# --- List, import ----------------------------------------------------------------------------


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "plans.view_plans", association)
    plans = list(WorkPlan.objects.filter(association=association).select_related("approved_by"))
    return render(
        request,
        "plans/index.html",
        {
            "plans": plans,
            "can_add": request.user.has_perm("plans.add_plan", association),
            "existing_years": {p.academic_year for p in plans},
        },
    )


@login_required
def import_upload(request):
    association = require_association(request)
    require_perm(request, "plans.add_plan", association)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = read_plan(upload.read(), upload.name)
        except PlanReadError as error:
            form.add_error("file", error.message)
        else:
            request.session[SESSION_KEY] = {"name": upload.name, "plan": document.to_dict()}
            return redirect("plans:import_preview")
    return render(request, "plans/import_upload.html", {"form": form})


@login_required
def import_preview(request):
    association = require_association(request)
    require_perm(request, "plans.add_plan", association)
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.info(request, "Сначала выберите файл плана.")
        return redirect("plans:import")
    document = PlanDocument.from_dict(stored["plan"])
    existing = WorkPlan.objects.filter(
        association=association, academic_year=document.academic_year_start
    ).first()
    form = ImportConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_import(
                request.user, association, document, replace=form.cleaned_data["replace"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            del request.session[SESSION_KEY]
            messages.success(request, f"{plan} сохранён.")
            return redirect(plan)
    flagged = [
        activity
        for activity in document.activities
        if activity.timing.flagged or activity.responsible.flagged
    ]
    return render(
        request,
        "plans/import_preview.html",
        {
            "document": document,
            "filename": stored["name"],
            "form": form,
            "existing": existing,
            "flagged": flagged,
        },
    )


# --- The plan --------------------------------------------------------------------------------


def _plan_context(request, plan: WorkPlan, **state) -> dict:
    user = request.user
    facts.attach_facts(plan)
    execution.attach_suggestions(plan, timezone.localdate())
    execution.attach_links(plan, user)
    return {
        "plan": plan,
        "can_change": user.has_perm("plans.change_plan", plan),
        "can_track": user.has_perm("plans.track_plan", plan),
        "can_submit": user.has_perm("plans.submit_plan", plan),
        "can_approve": user.has_perm("plans.approve_plan", plan),
        "can_revise": user.has_perm("plans.revise_plan", plan),
        "can_rollover": user.has_perm("plans.rollover_plan", plan),
        "today": timezone.localdate(),
        "return_form": state.pop("return_form", None) or ReturnForm(),
        "seminar_ideas": _seminar_ideas(request, plan),
        **state,
    }


def _seminar_ideas(request, plan: WorkPlan) -> dict | None:
    """Only on the whole page of a draft, only for the methodist and the head."""
    if request.htmx or not request.user.has_perm("plans.see_plan_ideas", plan):
        return None
    return selectors.seminar_ideas(plan)


def _render_plan(request, plan: WorkPlan, fragment: str = "plans/_table.html", **state):
    """After an in-place edit: the changed fragment for htmx, the whole page otherwise."""
    if request.htmx:
        # Re-read: the edit may have changed sections, order or status.
        plan = selectors.plans_with_content().get(pk=plan.pk)
        return render(request, fragment, _plan_context(request, plan, **state))
    if request.method == "POST" and not state.get("form"):
        return redirect(plan)
    plan = selectors.plans_with_content().get(pk=plan.pk)
    return render(request, "plans/detail.html", _plan_context(request, plan, **state))


@login_required
def detail(request, pk: int):
    plan = _plan(request, pk)
    return render(
        request,
        "plans/detail.html",
        _plan_context(request, plan, revisions=list(plan.revisions.all())),
    )


@login_required
def header_edit(request, pk: int):
    plan = _plan(request, pk, "plans.change_plan")
    form = HeaderForm(request.POST or None, initial=HeaderForm.initial_for(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update_header(request.user, plan, **form.to_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _render_plan(request, plan, "plans/_header.html")
    return _render_plan(request, plan, "plans/_header.html", header_form=form, form=form)


@login_required
def section_add(request, pk: int):
    plan = _plan(request, pk, "plans.change_plan")
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(request.user, plan, form.cleaned_data["title"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _render_plan(request, plan)
    return _render_plan(request, plan, adding_section=True, section_form=form, form=form)


@login_required
def section_edit(request, pk: int):
    section = _section(request, pk, "plans.change_plan")
    form = SectionForm(request.POST or None, initial={"title": section.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(request.user, section, form.cleaned_data["title"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _render_plan(request, section.plan)
    return _render_plan(
        request, section.plan, editing_section=section.pk, section_form=form, form=form
    )


@login_required
@require_POST
def section_delete(request, pk: int):
    section = _section(request, pk, "plans.change_plan")
    try:
        services.section_delete(request.user, section)
    except DomainError as error:
        return _render_plan(request, section.plan, table_error=error.message)
    return _render_plan(request, section.plan)


@login_required
@require_POST
def section_move(request, pk: int, direction: str):
    section = _section(request, pk, "plans.change_plan")
    services.section_move(request.user, section, _step(direction))
    return _render_plan(request, section.plan)


@login_required
def activity_add(request, pk: int):
    section = _section(request, pk, "plans.change_plan")
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(request.user, section, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _render_plan(request, section.plan)
    return _render_plan(
        request, section.plan, adding_to_section=section.pk, activity_form=form, form=form
    )


@login_required
def activity_edit(request, pk: int):
    activity = _activity(request, pk, "plans.change_plan")
    form = ActivityForm(request.POST or None, initial=ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(request.user, activity, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _render_plan(request, activity.section.plan)
    return _render_plan(
        request,
        activity.section.plan,
        editing_activity=activity.pk,
        activity_form=form,
        form=form,
    )


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = _activity(request, pk, "plans.change_plan")
    services.activity_delete(request.user, activity)
    return _render_plan(request, activity.section.plan)


@login_required
@require_POST
def activity_move(request, pk: int, direction: str):
    activity = _activity(request, pk, "plans.change_plan")
    services.activity_move(request.user, activity, _step(direction))
    return _render_plan(request, activity.section.plan)


@login_required
def activity_mark(request, pk: int):
    activity = _activity(request, pk, "plans.track_plan")
    form = MarkForm(request.POST or None, initial=MarkForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_mark(
                request.user,
                activity,
                data["status"],
                report=data["report"],
                reason=data["reason"],
                moved_to_text=data["moved_to_text"],
                evidence=data["evidence"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _render_plan(request, activity.section.plan)
    return _render_plan(
        request, activity.section.plan, marking_activity=activity.pk, mark_form=form, form=form
    )


@login_required
def activity_events(request, pk: int):
    """Pick what served this line: events of the plan's year (both ways with the event page),
    documents and portal posts."""
    activity = _activity(request, pk, "plans.track_plan")
    plan = activity.section.plan
    form = ActivityEventsForm(
        request.POST or None,
        events=selectors.plan_year_events(plan).order_by("starts_at"),
        documents=selectors.association_documents(plan),
        posts=selectors.association_posts(plan),
        initial={
            "events": list(activity.events.values_list("pk", flat=True)),
            "documents": list(activity.documents.values_list("pk", flat=True)),
            "posts": list(activity.posts.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_set_links(
                request.user,
                activity,
                events=[e.pk for e in data["events"]],
                documents=[d.pk for d in data["documents"]],
                posts=[p.pk for p in data["posts"]],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _render_plan(request, plan)
    return _render_plan(request, plan, linking_activity=activity.pk, events_form=form, form=form)


@login_required
@require_POST
def activity_confirm(request, pk: int):
    activity = _activity(request, pk, "plans.track_plan")
    try:
        services.activity_confirm(request.user, activity)
    except DomainError as error:
        if not request.htmx:
            messages.error(request, error.message)
        return _render_plan(request, activity.section.plan, table_error=error.message)
    return _render_plan(request, activity.section.plan)


# --- Approval, revisions, roll-over ----------------------------------------------------------


def _workflow(request, pk: int, perm: str, action, success: str):
    plan = _plan(request, pk, perm)
    perform(request, action, request.user, plan, done=success)
    return redirect(plan)


@login_required
@require_POST
def submit(request, pk: int):
    return _workflow(
        request,
        pk,
        "plans.submit_plan",
        services.plan_submit,
        "План передан директору на утверждение.",
    )


@login_required
@require_POST
def approve(request, pk: int):
    return _workflow(request, pk, "plans.approve_plan", services.plan_approve, "План утверждён.")


@login_required
@require_POST
def return_for_rework(request, pk: int):
    plan = _plan(request, pk, "plans.approve_plan")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.plan_return(request.user, plan, form.cleaned_data["comment"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "План возвращён на доработку с вашими замечаниями.")
            return redirect(plan)
    context = _plan_context(request, plan, return_form=form, revisions=list(plan.revisions.all()))
    return render(request, "plans/detail.html", context, status=400)


@login_required
@require_POST
def start_revision(request, pk: int):
    return _workflow(
        request,
        pk,
        "plans.revise_plan",
        services.plan_start_revision,
        "Начата новая редакция. После изменений передайте план на утверждение снова.",
    )


@login_required
@require_POST
def rollover(request, pk: int):
    plan = _plan(request, pk, "plans.rollover_plan")
    try:
        new = services.plan_rollover(request.user, plan)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(plan)
    messages.success(request, f"Создан черновик: {new}. Проверьте сроки и содержание.")
    return redirect(new)


@login_required
def revisions(request, pk: int):
    plan = _plan(request, pk)
    items = list(plan.revisions.select_related("approved_by"))
    current = selectors.plan_snapshot(plan)
    compared: list[tuple[PlanRevision, list]] = []
    previous = None
    for revision in items:
        compared.append(
            (
                revision,
                selectors.revision_diff(previous.snapshot, revision.snapshot) if previous else [],
            )
        )
        previous = revision
    pending = selectors.revision_diff(previous.snapshot, current) if previous else []
    return render(
        request,
        "plans/revisions.html",
        {
            "plan": plan,
            "compared": compared,
            "pending": pending,
            "history": audit.history(plan)[:50],
        },
    )


@login_required
def revision_detail(request, pk: int, number: int):
    plan = _plan(request, pk)
    revision = get_object_or_404(PlanRevision, plan=plan, number=number)
    document = PlanDocument.from_dict(revision.snapshot)
    return render(
        request,
        "plans/revision_detail.html",
        {"plan": plan, "revision": revision, "document": document},
    )


# --- Views of the year, printing, report ----------------------------------------------------


@login_required
def by_month(request, pk: int):
    plan = _plan(request, pk)
    months, throughout, unplaced = selectors.plan_by_month(plan)
    return render(
        request,
        "plans/by_month.html",
        {"plan": plan, "months": months, "throughout": throughout, "unplaced": unplaced},
    )


def _paper(plan, kind: str, docx, pdf, filename):
    """The plan's paper as Word or PDF, named as `filename` says; any other kind is 404."""
    builders = {"docx": (docx, DOCX_MIME), "pdf": (pdf, PDF_MIME)}
    if kind not in builders:
        raise Http404
    build, mime = builders[kind]
    return attachment(build(plan), mime, filename(plan, kind))


@login_required
def by_month_export(request, pk: int, kind: str):
    plan = _plan(request, pk)
    return _paper(plan, kind, printing.months_docx, printing.months_pdf, printing.months_filename)


@login_required
def export(request, pk: int, kind: str):
    plan = _plan(request, pk)
    return _paper(plan, kind, printing.plan_docx, printing.plan_pdf, printing.plan_filename)


@login_required
def report(request, pk: int):
    plan = _plan(request, pk)
    today = timezone.localdate()
    rows = selectors.execution_report(plan, today)
    facts.attach_facts(plan)
    if request.GET.get("format") == "docx":
        name = f"report-{plan.academic_year}-{plan.academic_year + 1}.docx"
        return attachment(printing.report_docx(plan, rows, today), DOCX_MIME, name)
    totals = selectors.execution_totals(rows)
    return render(
        request,
        "plans/report.html",
        {
            "plan": plan,
            "rows": rows,
            "totals": totals,
            "today": today,
            "total": sum(len(row.activities) for row in rows),
        },
    )
