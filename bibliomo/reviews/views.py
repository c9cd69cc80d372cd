"""The year's analysis: list, page, conclusions, approval, the next version, Word and PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error, errors_text
from bibliomo.core.responses import attachment
from bibliomo.directory.access import require_association, require_perm
from bibliomo.lib import ru
from bibliomo.lib.documents import DOCX_MIME, PDF_MIME
from bibliomo.plans.models import WorkPlan
from bibliomo.reviews import printing, selectors, services
from bibliomo.reviews.forms import ConclusionsForm, CreateForm, ReturnForm
from bibliomo.reviews.models import Review


def _review(request, pk: int, perm: str = "reviews.view_review") -> Review:
    association = require_association(request)
    review = get_object_or_404(
        Review.objects.select_related("association", "approved_by", "submitted_by"),
        association=association,
        pk=pk,
    )
    require_perm(request, perm, review)
    return review


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "reviews.view_reviews", association)
    reviews = list(selectors.year_reviews(association))
    years = set(
        WorkPlan.objects.filter(association=association).values_list("academic_year", flat=True)
    )
    current = ru.academic_year_start(timezone.localdate())
    by_year = {}
    for review in reviews:
        by_year.setdefault(review.academic_year, []).append(review)
    rows = [
        (ru.format_academic_year(year), by_year.get(year, []))
        for year in sorted(years | set(by_year), reverse=True)
        if year <= current
    ]
    return render(
        request,
        "reviews/index.html",
        {
            "rows": rows,
            "can_add": request.user.has_perm("reviews.add_review", association),
            "form": CreateForm(initial={"year": ru.format_academic_year(current)}),
        },
    )


@login_required
@require_POST
def create(request):
    association = require_association(request)
    require_perm(request, "reviews.add_review", association)
    form = CreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("reviews:index")
    try:
        review = services.review_create(request.user, association, form.cleaned_data["year"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("reviews:index")
    messages.success(request, f"Составлен черновик: {review}. Допишите выводы и задачи.")
    return redirect(review)


def _context(request, review: Review, **extra) -> dict:
    sections = extra.pop("sections", None) or selectors.review_sections(review)
    versions = list(
        Review.objects.filter(
            association=review.association, academic_year=review.academic_year
        ).order_by("version")
    )
    user = request.user
    return {
        "review": review,
        "title_lines": printing.title_lines(review),
        "sections": [(s, review.conclusions.get(s.key, "")) for s in sections],
        "versions": versions,
        "can_change": user.has_perm("reviews.change_review", review),
        "can_submit": user.has_perm("reviews.submit_review", review),
        "can_approve": user.has_perm("reviews.approve_review", review),
        "can_renew": user.has_perm("reviews.renew_review", review) and review == versions[-1],
        "return_form": extra.pop("return_form", None) or ReturnForm(),
        **extra,
    }


@login_required
def detail(request, pk: int):
    review = _review(request, pk)
    return render(request, "reviews/detail.html", _context(request, review))


@login_required
def edit(request, pk: int):
    review = _review(request, pk, "reviews.change_review")
    sections = selectors.review_sections(review)
    if request.method == "POST":
        form = ConclusionsForm(request.POST, sections=sections)
        if form.is_valid():
            try:
                services.review_update(request.user, review, form.conclusions(), form.tasks())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Выводы и задачи сохранены.")
                return redirect(review)
        status = 400
    else:
        initial = {f"conclusion_{s.key}": review.conclusions.get(s.key, "") for s in sections}
        initial["next_tasks"] = "\n".join(review.next_tasks)
        form = ConclusionsForm(initial=initial, sections=sections)
        status = 200
    return render(request, "reviews/edit.html", {"review": review, "form": form}, status=status)


def _workflow(request, pk: int, perm: str, service, done: str):
    review = _review(request, pk, perm)
    perform(request, service, request.user, review, done=done)
    return redirect(review)


@login_required
@require_POST
def submit(request, pk: int):
    return _workflow(
        request,
        pk,
        "reviews.submit_review",
        services.review_submit,
        "Анализ передан директору на утверждение.",
    )


@login_required
@require_POST
def approve(request, pk: int):
    return _workflow(
        request, pk, "reviews.approve_review", services.review_approve, "Анализ утверждён."
    )


@login_required
@require_POST
def return_for_rework(request, pk: int):
    review = _review(request, pk, "reviews.approve_review")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.review_return(request.user, review, form.cleaned_data["comment"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Анализ возвращён на доработку с вашими замечаниями.")
            return redirect(review)
    context = _context(request, review, return_form=form)
    return render(request, "reviews/detail.html", context, status=400)


@login_required
@require_POST
def renew(request, pk: int):
    review = _review(request, pk, "reviews.renew_review")
    try:
        new = services.review_create(request.user, review.association, review.academic_year)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(review)
    messages.success(request, f"Начата версия {new.version}: цифры — по сегодняшним данным.")
    return redirect(new)


@login_required
def export(request, pk: int, kind: str):
    review = _review(request, pk)
    builders = {"docx": (printing.review_docx, DOCX_MIME), "pdf": (printing.review_pdf, PDF_MIME)}
    if kind not in builders:
        raise Http404
    build, mime = builders[kind]
    return attachment(build(review), mime, printing.filename(review, kind))
