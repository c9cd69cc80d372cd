"""Writing, reviewing, scheduling and withdrawing news posts of the portal."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person
from bibliomo.documents.models import Document
from bibliomo.lib.markup import render_markdown
from bibliomo.portal.models import Post

POST_FIELDS = ("title", "lead", "body", "publish_at")


def _apply(post: Post, fields: dict[str, Any], attachments) -> None:
    unknown = set(fields) - set(POST_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(post, name, value.strip() if isinstance(value, str) else value)
    if not post.title:
        raise DomainError("Введите заголовок.", field="title")
    if not post.body:
        raise DomainError("Напишите текст новости.", field="body")
    post.body_html = render_markdown(post.body)
    if attachments is not None:
        private = [d for d in attachments if d.audience != Document.Audience.PUBLIC]
        if private:
            raise DomainError(
                f"«{private[0].title}» доступен не всем: к новости можно приложить только "
                "публичные документы.",
                field="attachments",
            )


@transaction.atomic
def post_create(actor: Person, association: Association, *, attachments=(), **fields) -> Post:
    post = Post(association=association, author=actor)
    _apply(post, fields, attachments)
    post.save()
    post.attachments.set(attachments)
    audit.record(actor, post, AuditEntry.Action.CREATED)
    return post


@transaction.atomic
def post_update(actor: Person, post: Post, *, attachments=None, **fields) -> Post:
    if post.status == Post.Status.PUBLISHED:
        raise DomainError("Опубликованную новость сначала снимите с публикации.")
    before = audit.snapshot(post, [f for f in fields if f != "publish_at"])
    _apply(post, fields, attachments)
    post.save()
    if attachments is not None:
        post.attachments.set(attachments)
    changes = audit.diff(post, before)
    if changes:
        audit.record(actor, post, AuditEntry.Action.UPDATED, changes)
    return post


@transaction.atomic
def post_submit(actor: Person, post: Post) -> Post:
    if post.status not in (Post.Status.DRAFT, Post.Status.RETURNED):
        raise DomainError("На проверку отправляют черновик или возвращённую новость.")
    post.status = Post.Status.REVIEW
    post.save(update_fields=["status", "updated_at"])
    audit.record(actor, post, AuditEntry.Action.UPDATED, comment="Отправлена на проверку")
    return post


@transaction.atomic
def post_publish(actor: Person, post: Post, publish_at: datetime | None = None) -> Post:
    """Publish now, or at `publish_at` (the post appears by itself at that moment)."""
    if post.status not in (Post.Status.REVIEW, Post.Status.DRAFT, Post.Status.RETURNED):
        raise DomainError("Новость уже опубликована.")
    now = timezone.now()
    when = publish_at or post.publish_at
    post.status = Post.Status.PUBLISHED
    post.published_at = when if when and when > now else now
    post.review_comment = ""
    post.save(update_fields=["status", "published_at", "review_comment", "updated_at"])
    scheduled = post.published_at > now
    audit.record(
        actor,
        post,
        AuditEntry.Action.UPDATED,
        comment="Публикация запланирована" if scheduled else "Опубликована",
    )
    return post


@transaction.atomic
def post_return(actor: Person, post: Post, comment: str) -> Post:
    comment = comment.strip()
    if not comment:
        raise DomainError("Напишите, что исправить.", field="comment")
    if post.status != Post.Status.REVIEW:
        raise DomainError("Вернуть можно только новость на проверке.")
    post.status = Post.Status.RETURNED
    post.review_comment = comment
    post.save(update_fields=["status", "review_comment", "updated_at"])
    audit.record(actor, post, AuditEntry.Action.UPDATED, comment=f"Возвращена: {comment[:200]}")
    return post


@transaction.atomic
def post_unpublish(actor: Person, post: Post) -> Post:
    if post.status != Post.Status.PUBLISHED:
        raise DomainError("Новость не опубликована.")
    post.status = Post.Status.DRAFT
    post.published_at = None
    post.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor, post, AuditEntry.Action.UPDATED, comment="Снята с публикации")
    return post


def post_export_zip(post: Post) -> bytes:
    """A clean HTML page and its attached files, ready to post on the municipal portal."""
    attachments = list(post.attachments.prefetch_related("versions"))
    files = []
    for document in attachments:
        version = document.versions.order_by("-number").first()
        if version is not None:
            extension = version.original_name.rsplit(".", 1)[-1]
            files.append((document, version, f"files/{document.pk}-{version.number}.{extension}"))
    html = render_to_string("portal/export.html", {"post": post, "files": files})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", html)
        for _, version, path in files:
            with version.file.open("rb") as handle:
                archive.writestr(path, handle.read())
    return buffer.getvalue()
