"""The federal list: browse; a platform operator loads a newer list (preview, then confirm) and
sets limit dates of excluded textbooks; an association's managers propose corrections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.params import text_param
from bibliomo.directory.access import current_association, require_association, require_perm
from bibliomo.textbooks import catalogue_services, services
from bibliomo.textbooks.catalogue_services import CataloguePreview
from bibliomo.textbooks.forms import (
    CatalogueConfirmForm,
    CatalogueUploadForm,
    CorrectionCloseForm,
    CorrectionForm,
    LimitDateForm,
)
from bibliomo.textbooks.models import CatalogEntry, CatalogueCorrection, CatalogueImport


def _require_catalogue_viewer(request):
    """The association, or None for a platform operator who belongs to none."""
    association = current_association(request)
    if association is None and not request.user.is_platform_operator:
        association = require_association(request)  # raises: neither a member nor an operator
    require_perm(request, "textbooks.view_catalogue", association)
    return association


@login_required
def catalogue(request):
    association = _require_catalogue_viewer(request)
    entries = CatalogEntry.objects.all()
    query = text_param(request.GET.get("q"), 100)
    if query:
        entries = entries.filter(
            Q(code__startswith=query)
            | Q(title__icontains=query)
            | Q(authors__icontains=query)
            | Q(subject__icontains=query)
            | Q(publisher__icontains=query)
        )
    status = request.GET.get("status", "")
    if status in CatalogEntry.Status.values:
        entries = entries.filter(status=status)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "textbooks/catalogue.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": CatalogEntry.Status.choices,
            "can_import": user.has_perm("textbooks.import_catalogue"),
            "can_see_excluded": user.has_perm("textbooks.view_excluded", association),
            "can_propose": association is not None
            and user.has_perm("textbooks.propose_correction", association),
            "without_limit": CatalogEntry.objects.filter(
                status=CatalogEntry.Status.EXCLUDED, limit_date=None
            ).count(),
        },
    )


@login_required
def catalogue_import(request):
    require_perm(request, "textbooks.import_catalogue")
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = catalogue_services.catalogue_upload_start(
            request.user,
            upload.checked_data,
            upload.name,
            amendment=form.cleaned_data["amendment"],
        )
        return redirect(stored)
    recent = CatalogueImport.objects.select_related("owner")[:10]
    return render(request, "textbooks/catalogue_import.html", {"form": form, "recent": recent})


def _stored_upload(request, pk: int) -> CatalogueImport:
    require_perm(request, "textbooks.import_catalogue")
    return get_object_or_404(CatalogueImport.objects.select_related("owner", "job"), pk=pk)


@login_required
def catalogue_preview(request, pk: int):
    upload = _stored_upload(request, pk)
    preview = CataloguePreview.from_json(upload.preview) if upload.preview else None
    return render(
        request,
        "textbooks/catalogue_preview.html",
        {
            "upload": upload,
            "preview": preview,
            "form": CatalogueConfirmForm(),
            "job": upload.job,
        },
    )


@login_required
@require_POST
def catalogue_confirm(request, pk: int):
    upload = _stored_upload(request, pk)
    form = CatalogueConfirmForm(request.POST)
    if form.is_valid():
        try:
            catalogue_services.catalogue_upload_confirm(
                request.user, upload, full_list=form.cleaned_data["full_list"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(upload)
    preview = CataloguePreview.from_json(upload.preview) if upload.preview else None
    context = {"upload": upload, "preview": preview, "form": form, "job": upload.job}
    return render(request, "textbooks/catalogue_preview.html", context, status=400)


@login_required
@require_POST
def catalogue_as_amendment(request, pk: int):
    upload = _stored_upload(request, pk)
    try:
        catalogue_services.catalogue_upload_as_amendment(request.user, upload)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(upload)


@login_required
@require_POST
def catalogue_cancel(request, pk: int):
    upload = _stored_upload(request, pk)
    try:
        catalogue_services.catalogue_upload_cancel(request.user, upload)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(upload)
    messages.success(request, "Загрузка отменена, перечень не изменён.")
    return redirect("textbooks:catalogue")


@login_required
def excluded(request):
    association = _require_catalogue_viewer(request)
    require_perm(request, "textbooks.view_excluded", association)
    entries = CatalogEntry.objects.filter(status=CatalogEntry.Status.EXCLUDED).order_by(
        "limit_date", "subject"
    )
    return render(
        request,
        "textbooks/excluded.html",
        {
            "entries": entries,
            "form": LimitDateForm(),
            "can_change": request.user.has_perm("textbooks.import_catalogue"),
            "can_propose": association is not None
            and request.user.has_perm("textbooks.propose_correction", association),
        },
    )


@login_required
@require_POST
def set_limit_date(request, pk: int):
    require_perm(request, "textbooks.import_catalogue")
    entry = get_object_or_404(CatalogEntry, pk=pk)
    form = LimitDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Введите правильную дату.")
    else:
        try:
            services.catalogue_set_limit_date(request.user, entry, form.cleaned_data["limit_date"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{entry.code}: срок сохранён.")
    return redirect("textbooks:excluded")


# --- Proposals to correct the list -----------------------------------------------------------


@login_required
def corrections(request):
    """Operators see every proposal; an association's managers see their own."""
    user = request.user
    items = CatalogueCorrection.objects.select_related(
        "association", "author", "entry", "closed_by"
    )
    if not user.has_perm("textbooks.import_catalogue"):
        association = require_association(request)
        require_perm(request, "textbooks.propose_correction", association)
        items = items.filter(association=association)
    return render(
        request,
        "textbooks/corrections.html",
        {
            "items": items[:200],
            "can_close": user.has_perm("textbooks.import_catalogue"),
            "close_form": CorrectionCloseForm(),
        },
    )


@login_required
def correction_new(request):
    association = require_association(request)
    require_perm(request, "textbooks.propose_correction", association)
    initial = {}
    entry_id = request.GET.get("entry", "")
    if entry_id.isdigit():
        initial["entry"] = CatalogEntry.objects.filter(pk=int(entry_id)).first()
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_services.correction_propose(
                request.user,
                association,
                text=form.cleaned_data["text"],
                entry=form.cleaned_data["entry"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Предложение отправлено региональному оператору перечня.")
            return redirect("textbooks:corrections")
    context = {"form": form, "entry": initial.get("entry")}
    return render(request, "textbooks/correction_form.html", context)


@login_required
@require_POST
def correction_close(request, pk: int):
    require_perm(request, "textbooks.import_catalogue")
    correction = get_object_or_404(CatalogueCorrection, pk=pk)
    form = CorrectionCloseForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    try:
        catalogue_services.correction_close(request.user, correction, answer=answer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Предложение отмечено рассмотренным.")
    return redirect("textbooks:corrections")
