from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.consultations.selectors import faq_search
from bibliomo.core import audit
from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error, errors_text
from bibliomo.core.params import text_param, year_param
from bibliomo.core.responses import stored_file
from bibliomo.directory.access import require_association, require_perm
from bibliomo.documents import selectors, services
from bibliomo.documents.forms import (
    CommentForm,
    DocumentForm,
    LinkForm,
    PackageItemForm,
    RepealForm,
    VersionForm,
)
from bibliomo.documents.models import Document, DocumentVersion, PackageItem
from bibliomo.lib import ru
from bibliomo.lib.filetypes import FileKind, safe_download_name

PAGE_SIZE = 20


def _document(request, pk: int, perm: str = "documents.view_document") -> Document:
    association = require_association(request)
    document = get_object_or_404(
        selectors.visible_documents(request.user, association)
        .select_related("repealed_by", "created_by")
        .prefetch_related("events", "activities__section__plan"),
        pk=pk,
    )
    require_perm(request, perm, document)
    return document


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "documents.view_library", association)
    documents = selectors.visible_documents(request.user, association)
    filters = {}
    for name, choices in (
        ("kind", Document.Kind),
        ("category", Document.Category),
        ("status", Document.Status),
    ):
        value = request.GET.get(name, "")
        if value in choices.values:
            documents = documents.filter(**{name: value})
            filters[name] = value
    year = year_param(request.GET.get("year"))
    if year is not None:
        documents = documents.filter(date__year=year)
        filters["year"] = str(year)
    query = text_param(request.GET.get("q"), 200)
    documents = selectors.search(documents, query)
    if not query:
        documents = documents.order_by("-date", "title")
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    _attach_latest_text(items, with_text=bool(query))
    # The one search box finds the base of answers too (consultations published for members).
    faq_hits, faq_count = [], 0
    if query and request.user.has_perm("consultations.view_faq", association):
        faq_hits, faq_count = faq_search(association, query)
    return render(
        request,
        "documents/index.html",
        {
            "page": page,
            "hits": selectors.with_fragments(items, query),
            "faq_hits": faq_hits,
            "faq_count": faq_count,
            "query": query,
            "filters": filters,
            "kinds": Document.Kind.choices,
            "categories": Document.Category.choices,
            "statuses": Document.Status.choices,
            "can_add": request.user.has_perm("documents.add_document", association),
        },
    )


def _attach_latest_text(documents: list[Document], *, with_text: bool) -> None:
    """One query for the page: each document's newest version (its text only when searching)."""
    fields = ["id", "document_id", "number", "kind_code", "size", "text_state"]
    versions = DocumentVersion.objects.filter(document__in=documents).order_by(
        "document_id", "-number"
    )
    versions = versions.only(*fields, "text") if with_text else versions.only(*fields)
    latest: dict[int, DocumentVersion] = {}
    for version in versions:
        latest.setdefault(version.document_id, version)
    for document in documents:
        newest = latest.get(document.pk)
        document.latest_versions = [newest] if newest else []


@login_required
def detail(request, pk: int):
    document = _document(request, pk)
    user = request.user
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "versions": document.versions.select_related("uploaded_by").defer("text"),
            "links_out": document.links_out.select_related("target"),
            "links_in": document.links_in.select_related("source"),
            "can_change": user.has_perm("documents.change_document", document),
            "can_publish": user.has_perm("documents.publish_document", document),
            "version_form": VersionForm(),
            "repeal_form": RepealForm(document=document),
            "link_form": LinkForm(document=document),
            "comment_form": CommentForm(),
            "history": audit.history(document)[:20],
        },
    )


@login_required
def create(request):
    association = require_association(request)
    require_perm(request, "documents.add_document", association)
    form = DocumentForm(request.POST or None, request.FILES or None, association=association)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            document = services.document_create(
                request.user,
                association,
                file_data=upload.read() if upload else None,
                filename=upload.name if upload else "",
                **form.service_fields(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Документ добавлен в библиотеку.")
            return redirect(document)
    return render(request, "documents/form.html", {"form": form, "document": None})


@login_required
def edit(request, pk: int):
    document = _document(request, pk, "documents.change_document")
    form = DocumentForm(
        request.POST or None,
        instance=Document.objects.get(pk=document.pk),
        with_file=False,
        association=document.association,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(request.user, document, **form.service_fields())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect(document)
    return render(request, "documents/form.html", {"form": form, "document": document})


def _apply(request, document: Document, form, action, success: str):
    """Run a POST action from the document card and come back to it with a message."""
    if form is not None and not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(document)
    perform(request, action, form.cleaned_data if form is not None else {}, done=success)
    return redirect(document)


@login_required
@require_POST
def version_upload(request, pk: int):
    document = _document(request, pk, "documents.change_document")

    def action(data):
        upload = data["file"]
        services.version_add(request.user, document, upload.read(), upload.name, data["note"])

    form = VersionForm(request.POST, request.FILES)
    return _apply(request, document, form, action, "Новая версия загружена; прежние сохранены.")


@login_required
@require_POST
def repeal(request, pk: int):
    document = _document(request, pk, "documents.change_document")
    form = RepealForm(request.POST, document=document)
    return _apply(
        request,
        document,
        form,
        lambda data: services.document_repeal(
            request.user, document, data["repealed_on"], data["repealed_by"]
        ),
        "Документ отмечен как утративший силу.",
    )


@login_required
@require_POST
def link(request, pk: int):
    document = _document(request, pk, "documents.change_document")
    form = LinkForm(request.POST, document=document)
    return _apply(
        request,
        document,
        form,
        lambda data: services.document_link(request.user, document, data["target"], data["kind"]),
        "Связь добавлена.",
    )


def _portal_action(request, pk: int, perm: str, service, success: str):
    document = _document(request, pk, perm)
    return _apply(request, document, None, lambda _: service(request.user, document), success)


@login_required
@require_POST
def propose(request, pk: int):
    return _portal_action(
        request,
        pk,
        "documents.propose_document",
        services.document_propose,
        "Документ предложен для публикации на портале.",
    )


@login_required
@require_POST
def publish(request, pk: int):
    return _portal_action(
        request,
        pk,
        "documents.publish_document",
        services.document_publish,
        "Документ опубликован на портале.",
    )


@login_required
@require_POST
def unpublish(request, pk: int):
    return _portal_action(
        request,
        pk,
        "documents.publish_document",
        services.document_unpublish,
        "Документ снят с портала.",
    )


@login_required
@require_POST
def return_for_rework(request, pk: int):
    document = _document(request, pk, "documents.publish_document")
    return _apply(
        request,
        document,
        CommentForm(request.POST),
        lambda data: services.document_return(request.user, document, data["comment"]),
        "Документ возвращён с замечаниями.",
    )


def download(request, pk: int):
    """A version's file: always an attachment, never rendered by the browser on our origin."""
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)
    document = version.document
    user = request.user
    if user.is_authenticated and document.association_id in user.grants:
        visible = selectors.visible_documents(user, document.association).filter(pk=document.pk)
        if not visible.exists():
            raise PermissionDenied
    elif not selectors.public_documents().filter(pk=document.pk).exists():
        raise Http404
    kind = FileKind(version.kind_code, "", version.mime, version.original_name.rsplit(".", 1)[-1])
    name = safe_download_name(f"{document.title} (версия {version.number})", kind)
    return stored_file(version.file, name)


# --- The yearly package ----------------------------------------------------------------------


@login_required
def package(request, year: int | None = None):
    association = require_association(request)
    require_perm(request, "documents.view_library", association)
    if year is None:
        # The package page opens on the newest year that has a package, else on this year.
        latest = PackageItem.objects.filter(association=association).order_by("-academic_year")
        year = latest.values_list("academic_year", flat=True).first()
        return redirect(
            "documents:package_year", year=year or ru.academic_year_start(timezone.localdate())
        )
    can_manage = request.user.has_perm("documents.manage_package", association)
    form = PackageItemForm(request.POST or None, association=association)
    if request.method == "POST":
        require_perm(request, "documents.manage_package", association)
        if "copy" in request.POST:
            perform(
                request,
                services.package_copy,
                request.user,
                association,
                year,
                done=lambda result: (
                    f"Из пакета {ru.format_academic_year(result[1])} перенесено "
                    f"{ru.plural(result[0], 'строка', 'строки', 'строк')}; документы ММО "
                    f"этого года привяжите к своим строкам."
                ),
            )
            return redirect("documents:package_year", year=year)
        if form.is_valid():
            try:
                services.package_item_add(request.user, association, year, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("documents:package_year", year=year)
    items = selectors.package(association, year)
    return render(
        request,
        "documents/package.html",
        {
            "year": year,
            "year_label": ru.format_academic_year(year),
            "items": items,
            "missing": sum(1 for i in items if i.state == "missing"),
            "repealed": sum(1 for i in items if i.state == "repealed"),
            "form": form,
            "can_manage": can_manage,
            "source_year": services.package_source_year(association, year)
            if can_manage and not items
            else None,
            "documents": Document.objects.filter(association=association).only("id", "title"),
        },
    )


def _package_item(request, pk: int) -> PackageItem:
    association = require_association(request)
    require_perm(request, "documents.manage_package", association)
    return get_object_or_404(PackageItem, association=association, pk=pk)


@login_required
@require_POST
def package_item_document(request, pk: int):
    item = _package_item(request, pk)
    raw = request.POST.get("document", "")
    document = None
    if raw:
        document = Document.objects.filter(
            association=item.association, pk=raw if raw.isdigit() else 0
        ).first()
        if document is None:
            messages.error(request, "Выберите документ из библиотеки.")
            return redirect("documents:package_year", year=item.academic_year)
    services.package_item_set_document(request.user, item, document)
    return redirect("documents:package_year", year=item.academic_year)


@login_required
@require_POST
def package_item_delete(request, pk: int):
    item = _package_item(request, pk)
    services.package_item_delete(request.user, item)
    return redirect("documents:package_year", year=item.academic_year)
