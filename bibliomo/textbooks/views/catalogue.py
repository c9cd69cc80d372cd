"""The federal list: browse, import a newer list, set limit dates of excluded textbooks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.params import text_param
from bibliomo.directory.access import require_association, require_perm
from bibliomo.lib.fpu import FpuFileError, read_fpu
from bibliomo.textbooks import services
from bibliomo.textbooks.forms import CatalogueUploadForm, LimitDateForm
from bibliomo.textbooks.models import CatalogEntry


@login_required
def catalogue(request):
    association = require_association(request)
    require_perm(request, "textbooks.view_catalogue", association)
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
    return render(
        request,
        "textbooks/catalogue.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": CatalogEntry.Status.choices,
            "can_import": request.user.has_perm("textbooks.import_catalogue", association),
            "without_limit": CatalogEntry.objects.filter(
                status=CatalogEntry.Status.EXCLUDED, limit_date=None
            ).count(),
        },
    )


@login_required
def catalogue_import(request):
    association = require_association(request)
    require_perm(request, "textbooks.import_catalogue", association)
    form = CatalogueUploadForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            entries = read_fpu(upload.read(), upload.name)
        except FpuFileError as error:
            problems = error.messages
        else:
            report = services.catalogue_import(request.user, entries)
            messages.success(request, f"Перечень загружен. {report.summary()}")
            if report.excluded:
                messages.warning(
                    request, "Укажите предельный срок использования исключённых учебников."
                )
                return redirect("textbooks:excluded")
            return redirect("textbooks:catalogue")
    return render(request, "textbooks/catalogue_import.html", {"form": form, "problems": problems})


@login_required
def excluded(request):
    association = require_association(request)
    require_perm(request, "textbooks.import_catalogue", association)
    entries = CatalogEntry.objects.filter(status=CatalogEntry.Status.EXCLUDED).order_by(
        "limit_date", "subject"
    )
    return render(request, "textbooks/excluded.html", {"entries": entries, "form": LimitDateForm()})


@login_required
@require_POST
def set_limit_date(request, pk: int):
    association = require_association(request)
    require_perm(request, "textbooks.import_catalogue", association)
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
