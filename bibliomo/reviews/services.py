"""Every write to the year's analysis: start, conclusions, approval, the next version."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bibliomo.core import audit
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person
from bibliomo.directory.selectors import approval_recipients
from bibliomo.lib import ru
from bibliomo.reviews.models import Review
from bibliomo.reviews.sections import assemble

FROZEN = "Анализ утверждён и не меняется. Для новых данных составьте новую версию."
MAX_CONCLUSION = 10_000
MAX_TASKS = 30


def _lock(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def review_create(actor: Person, association: Association, academic_year: int) -> Review:
    """The year's analysis, or its next version after an approved one (conclusions and tasks
    carried over for people to revise)."""
    if not 2000 <= academic_year <= ru.academic_year_start(timezone.localdate()):
        raise DomainError("Анализ составляют за прошедший или текущий учебный год.", field="year")
    reviews = Review.objects.select_for_update().filter(
        association=association, academic_year=academic_year
    )
    if reviews.exclude(status=Review.Status.APPROVED).exists():
        raise DomainError(
            f"Анализ за {ru.format_academic_year(academic_year)} учебный год уже составляется."
        )
    last = reviews.order_by("-version").first()
    review = Review.objects.create(
        association=association,
        academic_year=academic_year,
        version=(reviews.aggregate(n=Max("version"))["n"] or 0) + 1,
        conclusions=dict(last.conclusions) if last else {},
        next_tasks=list(last.next_tasks) if last else [],
    )
    comment = f"Версия {review.version}" if last else "Составлен"
    audit.record(actor, review, AuditEntry.Action.CREATED, comment=comment)
    return review


@transaction.atomic
def review_update(
    actor: Person, review: Review, conclusions: dict[str, str], next_tasks: list[str]
) -> Review:
    """The people's part: «Выводы» after each section and the tasks for the next year."""
    review = _lock(review)
    if not review.is_editable:
        raise DomainError(FROZEN)
    cleaned = {}
    for key, text in conclusions.items():
        text = text.strip()
        if len(text) > MAX_CONCLUSION:
            raise DomainError("Вывод длиннее 10 000 знаков — сократите его.", field=key)
        if text:
            cleaned[key] = text
    tasks = [t.strip().lstrip("-–—•").strip() for t in next_tasks]
    tasks = [t for t in tasks if t]
    if len(tasks) > MAX_TASKS:
        raise DomainError("Задач больше 30 — оставьте главные.", field="next_tasks")
    review.conclusions = cleaned
    review.next_tasks = tasks
    review.save(update_fields=["conclusions", "next_tasks", "updated_at"])
    audit.record(actor, review, AuditEntry.Action.UPDATED, comment="Выводы и задачи")
    return review


@transaction.atomic
def review_submit(actor: Person, review: Review) -> Review:
    review = _lock(review)
    if not review.is_editable:
        raise DomainError("Анализ уже на утверждении или утверждён.")
    if not review.next_tasks:
        raise DomainError(
            "Напишите задачи на следующий учебный год — без них анализ не передают.",
            field="next_tasks",
        )
    review.status = Review.Status.SUBMITTED
    review.submitted_at = timezone.now()
    review.submitted_by = actor
    review.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit.record(actor, review, AuditEntry.Action.UPDATED, comment="Передан на утверждение")
    _letter(review, "reviews/submitted", actor, directors=True)
    return review


@transaction.atomic
def review_approve(actor: Person, review: Review) -> Review:
    """Approved: the sections are frozen as they read now and never change afterwards."""
    review = _lock(review)
    if review.status != Review.Status.SUBMITTED:
        raise DomainError("Утвердить можно только анализ, переданный на утверждение.")
    review.sections = [s.to_dict() for s in assemble(review.association, review.academic_year)]
    review.status = Review.Status.APPROVED
    review.approved_at = timezone.now()
    review.approved_by = actor
    review.return_comment = ""
    review.save()
    audit.record(actor, review, AuditEntry.Action.UPDATED, comment="Утверждён")
    _letter(review, "reviews/approved", actor)
    return review


@transaction.atomic
def review_return(actor: Person, review: Review, comment: str) -> Review:
    review = _lock(review)
    if review.status != Review.Status.SUBMITTED:
        raise DomainError("Вернуть можно только анализ, переданный на утверждение.")
    comment = comment.strip()
    if not comment:
        raise DomainError("Напишите, что нужно доработать.", field="comment")
    review.status = Review.Status.RETURNED
    review.return_comment = comment
    review.save(update_fields=["status", "return_comment", "updated_at"])
    audit.record(actor, review, AuditEntry.Action.UPDATED, comment=f"Возвращён: {comment[:250]}")
    _letter(review, "reviews/returned", actor)
    return review


def _letter(review: Review, letter: str, actor: Person, *, directors: bool = False) -> None:
    """As with the plan: a submitted analysis goes to the directors, a decision to its authors."""
    emails = approval_recipients(
        review.association, actor, review.submitted_by, directors=directors
    )
    context = {
        "review": review,
        "actor": actor,
        "link": settings.SITE_URL + review.get_absolute_url(),
    }
    letter_send(letter, emails, context)
