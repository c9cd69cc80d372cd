"""The public portal at «/» and the staff pages that feed it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from bibliomo.contests.public import public_contests
from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.params import text_param
from bibliomo.core.responses import attachment
from bibliomo.directory.access import require_association, require_perm
from bibliomo.directory.models import Association, Role
from bibliomo.documents import selectors as documents
from bibliomo.documents.models import Document
from bibliomo.events.selectors import public_events
from bibliomo.lib import ru
from bibliomo.lib.markup import plain_text
from bibliomo.portal import services
from bibliomo.portal.forms import PostForm, ReturnForm
from bibliomo.portal.models import Post


def published_posts():
    return Post.objects.filter(
        status=Post.Status.PUBLISHED, published_at__lte=timezone.now()
    ).select_related("association")


# --- Public pages ----------------------------------------------------------------------------


def index(request):
    associations = list(
        Association.objects.select_related("municipality").prefetch_related("themes")
    )
    for association in associations:
        grants = association.role_grants.filter(role__in=[Role.HEAD, Role.METHODIST]).order_by(
            "role", "person__last_name"
        )  # the head of the association first, then the methodist
        association.leaders = [
            (g.get_role_display(), g.person) for g in grants.select_related("person")
        ]
    now = timezone.now()
    return render(
        request,
        "portal/index.html",
        {
            "associations": associations,
            "upcoming": public_events().filter(ends_at__gte=now).order_by("starts_at")[:5],
            "posts": published_posts()[:5],
            "documents": documents.public_documents().order_by("-portal_published_at")[:8],
            "contests": public_contests()[:4],
        },
    )


def news(request):
    page = Paginator(published_posts(), 10).get_page(request.GET.get("page"))
    return render(request, "portal/news.html", {"page": page})


def post_detail(request, pk: int):
    post = get_object_or_404(published_posts().prefetch_related("attachments__versions"), pk=pk)
    return render(
        request,
        "portal/post.html",
        {"post": post, "description": plain_text(post.lead or post.body, 200)},
    )


def public_documents(request):
    query = text_param(request.GET.get("q"), 200)
    found = documents.search(documents.public_documents(), query)
    if not query:
        found = found.order_by("-date", "title")
    page = Paginator(found.prefetch_related("versions"), 20).get_page(request.GET.get("page"))
    return render(request, "portal/documents.html", {"page": page, "query": query})


def public_document(request, pk: int):
    document = get_object_or_404(documents.public_documents().prefetch_related("versions"), pk=pk)
    return render(request, "portal/document.html", {"document": document})


# --- Feeds -----------------------------------------------------------------------------------


class NewsFeed(Feed):
    title = "Новости ММО школьных библиотекарей"
    description = "Новости, анонсы и итоги работы методического объединения."

    def link(self):
        return "/news/"

    def items(self):
        return published_posts()[:30]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return plain_text(item.lead or item.body, 400)

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_link(self, item: Post) -> str:
        return item.get_absolute_url()


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class AnnouncementsFeed(Feed):
    title = "Анонсы открытых мероприятий ММО"
    description = "Семинары, мастер-классы, ярмарки идей и вебинары, открытые для всех."

    def link(self):
        return "/events/"

    def items(self):
        return public_events().filter(ends_at__gte=timezone.now()).order_by("starts_at")[:30]

    def item_title(self, item) -> str:
        return f"{ru.capfirst(item.get_kind_display())}: {item.title}"

    def item_description(self, item) -> str:
        return f"{item.when}. {item.place or 'Онлайн'}. {plain_text(item.description, 300)}"

    def item_link(self, item) -> str:
        from django.urls import reverse

        return reverse("public_event", args=[item.pk])

    def item_pubdate(self, item):
        return item.created_at


class AnnouncementsAtomFeed(AnnouncementsFeed):
    feed_type = Atom1Feed
    subtitle = AnnouncementsFeed.description


# --- Staff pages -----------------------------------------------------------------------------


def _post(request, pk: int, perm: str = "portal.write_post") -> Post:
    association = require_association(request)
    require_perm(request, perm, association)
    return get_object_or_404(Post.objects.select_related("author"), association=association, pk=pk)


@login_required
def staff_list(request):
    association = require_association(request)
    require_perm(request, "portal.write_post", association)
    posts = Post.objects.filter(association=association).select_related("author")
    review_documents = Document.objects.filter(
        association=association, portal_state=Document.PortalState.REVIEW
    )
    return render(
        request,
        "portal/staff_list.html",
        {
            "posts": posts,
            "review_documents": review_documents,
            "can_publish": request.user.has_perm("portal.publish_post", association),
        },
    )


@login_required
def edit(request, pk: int | None = None):
    association = require_association(request)
    require_perm(request, "portal.write_post", association)
    post = _post(request, pk) if pk is not None else None
    form = PostForm(
        request.POST or None,
        instance=Post.objects.get(pk=post.pk) if post else None,
        association=association,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachments = data.pop("attachments")
        try:
            if post is None:
                post = services.post_create(
                    request.user, association, attachments=attachments, **data
                )
            else:
                services.post_update(request.user, post, attachments=attachments, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Новость сохранена.")
            return redirect("portal:preview", pk=post.pk)
    return render(request, "portal/edit.html", {"form": form, "post": post})


@login_required
def preview(request, pk: int):
    post = _post(request, pk)
    return render(
        request,
        "portal/preview.html",
        {
            "post": post,
            "return_form": ReturnForm(),
            "can_publish": request.user.has_perm("portal.publish_post", post.association),
        },
    )


def _workflow(request, pk: int, perm: str, action, success: str):
    post = _post(request, pk, perm)
    perform(request, action, post, done=success)
    return redirect("portal:preview", pk=post.pk)


@login_required
@require_POST
def submit(request, pk: int):
    return _workflow(
        request,
        pk,
        "portal.write_post",
        lambda post: services.post_submit(request.user, post),
        "Новость отправлена методисту на проверку.",
    )


@login_required
@require_POST
def publish(request, pk: int):
    return _workflow(
        request,
        pk,
        "portal.publish_post",
        lambda post: services.post_publish(request.user, post),
        "Новость опубликована (или поставлена в расписание).",
    )


@login_required
@require_POST
def unpublish(request, pk: int):
    return _workflow(
        request,
        pk,
        "portal.publish_post",
        lambda post: services.post_unpublish(request.user, post),
        "Новость снята с публикации.",
    )


@login_required
@require_POST
def return_post(request, pk: int):
    form = ReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _workflow(
        request,
        pk,
        "portal.publish_post",
        lambda post: services.post_return(request.user, post, comment),
        "Новость возвращена автору с замечаниями.",
    )


@login_required
def export(request, pk: int):
    post = _post(request, pk)
    if not post.is_visible():
        messages.error(request, "Выгрузить можно только опубликованную новость.")
        return redirect("portal:preview", pk=post.pk)
    return attachment(services.post_export_zip(post), "application/zip", f"news-{post.pk}.zip")
