"""The bank of practices: members' pages under /app/practices/, published cards at /practices/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.forms import posted as _posted
from bibliomo.core.params import text_param
from bibliomo.core.responses import stored_file
from bibliomo.directory.access import get_in_association, require_association, require_perm
from bibliomo.practices import selectors, services
from bibliomo.practices.forms import ImplementationForm, MaterialForm, PracticeForm
from bibliomo.practices.models import TAGS, Form, Implementation, Material, Practice


def _practice(request, pk: int, perm: str = "practices.view_practice") -> Practice:
    practice = get_in_association(
        request, Practice.objects.select_related("school", "author", "fair"), pk=pk
    )
    require_perm(request, perm, practice)
    return practice


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "practices.view_bank", association)
    tag = text_param(request.GET.get("tag"), 100)
    tag = tag if tag in TAGS else ""
    form = text_param(request.GET.get("form"), 20)
    query = text_param(request.GET.get("q"), 200)
    sort = text_param(request.GET.get("sort"), 10)
    sort = sort if sort in selectors.SORTS else "popular"
    found = selectors.bank(association, tag=tag, form=form, query=query, sort=sort)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/index.html",
        {
            "page": page,
            "tags": TAGS,
            "forms": Form.choices,
            "tag": tag,
            "form": form if form in Form.values else "",
            "query": query,
            "sort": sort,
            "can_add": request.user.has_perm("practices.add_practice", association),
        },
    )


@login_required
def detail(request, pk: int):
    practice = _practice(request, pk)
    implementations = list(
        practice.implementations.select_related("school", "marked_by").order_by("-implemented_on")
    )
    user = request.user
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "materials": list(practice.materials.all()),
            "implementations": implementations,
            "can_change": user.has_perm("practices.change_practice", practice),
            "can_publish": user.has_perm("practices.publish_practice", practice),
            "can_mark": user.has_perm("practices.mark_implemented", practice)
            and not any(i.school_id == user.school_id for i in implementations),
            "implement_form": ImplementationForm(),
        },
    )


@login_required
def edit(request, pk: int | None = None):
    association = require_association(request)
    practice = None
    if pk is not None:
        practice = _practice(request, pk, "practices.change_practice")
    else:
        require_perm(request, "practices.add_practice", association)
        if request.user.school_id is None:
            messages.error(request, "Практику добавляет педагог-библиотекарь своей школы.")
            return redirect("practices:index")
    form = PracticeForm(_posted(request)[0], instance=practice, association=association)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.PRACTICE_FIELDS}
        try:
            if practice is None:
                practice = services.practice_create(request.user, association, **data)
            else:
                services.practice_update(request.user, practice, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Практика сохранена.")
            return redirect(practice)
    return render(request, "practices/edit.html", {"form": form, "practice": practice})


@login_required
def material_add(request, pk: int):
    practice = _practice(request, pk, "practices.change_practice")
    form = MaterialForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.material_add(request.user, practice, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Материал добавлен.")
            return redirect(practice)
    return render(request, "practices/material_form.html", {"form": form, "practice": practice})


@login_required
def material_download(request, pk: int):
    material = get_in_association(
        request, Material.objects.select_related("practice"), "practice__association", pk=pk
    )
    require_perm(request, "practices.view_practice", material.practice)
    if not material.file:
        return redirect(material.practice)
    return stored_file(material.file, material.original_name or material.title)


@login_required
@require_POST
def material_delete(request, pk: int):
    material = get_in_association(
        request, Material.objects.select_related("practice"), "practice__association", pk=pk
    )
    require_perm(request, "practices.change_practice", material.practice)
    services.material_delete(request.user, material)
    messages.success(request, "Материал удалён.")
    return redirect(material.practice)


@login_required
def implement(request, pk: int):
    practice = _practice(request, pk, "practices.mark_implemented")
    form = ImplementationForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.implementation_mark(request.user, practice, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Отмечено: практика внедрена в вашей школе. Автор получит письмо."
            )
            return redirect(practice)
    return render(request, "practices/implement.html", {"form": form, "practice": practice})


@login_required
def photo_download(request, pk: int):
    implementation = get_in_association(
        request, Implementation.objects.select_related("practice"), "practice__association", pk=pk
    )
    require_perm(request, "practices.view_practice", implementation.practice)
    if not implementation.photo:
        return redirect(implementation.practice)
    return stored_file(implementation.photo, implementation.photo_name or "фото.jpg")


@login_required
@require_POST
def publish(request, pk: int):
    practice = _practice(request, pk, "practices.publish_practice")
    if request.POST.get("unpublish"):
        services.practice_unpublish(request.user, practice)
        messages.success(request, "Практика снята с портала.")
    else:
        services.practice_publish(request.user, practice)
        messages.success(request, "Практика опубликована на портале.")
    return redirect(practice)


# --- Public pages ----------------------------------------------------------------------------


def public_list(request):
    practices = selectors.public_practices().order_by("-taken_up", "-published_at")
    page = Paginator(practices, 20).get_page(request.GET.get("page"))
    return render(request, "practices/public_list.html", {"page": page})


def public_detail(request, pk: int):
    practice = get_object_or_404(selectors.public_practices(), pk=pk)
    return render(
        request,
        "practices/public_detail.html",
        {
            "practice": practice,
            "links": [m for m in practice.materials.all() if m.link],
            "schools": sorted(
                {i.school.short_name for i in practice.implementations.select_related("school")}
            ),
        },
    )
