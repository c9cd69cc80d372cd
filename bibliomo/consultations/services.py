"""Every write at the consultation desk: questions, the thread, solutions, answer templates,
the base of answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Value
from django.urls import reverse
from django.utils import timezone

from bibliomo.consultations.models import (
    AnswerTemplate,
    Attachment,
    FaqEntry,
    Message,
    Question,
    Topic,
)
from bibliomo.core import audit, uploads
from bibliomo.core.errors import DomainError
from bibliomo.core.mail import letter_send
from bibliomo.core.models import AuditEntry
from bibliomo.directory.models import Association, Person, Role
from bibliomo.documents.models import Document
from bibliomo.documents.services import ALLOWED_KINDS
from bibliomo.lib.filetypes import FileRejected, check_upload, sha256
from bibliomo.lib.russian_search import search_document
from bibliomo.portal.models import Post

MAX_FILES = 5
# An upload as the form hands it over: (checked bytes, the name the person gave it).
Upload = tuple[bytes, str]


def _text(value: str, message: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def _topic(topic: str) -> str:
    if topic not in Topic.values:
        raise DomainError("Выберите тему из списка.", field="topic")
    return topic


def managers_of(association: Association) -> list[Person]:
    """The methodist(s) and the head(s): they answer and get the letters."""
    return list(
        Person.objects.filter(
            is_active=True,
            role_grants__association=association,
            role_grants__role__in=[Role.METHODIST, Role.HEAD],
        ).distinct()
    )


def _attach(question: Question, message: Message | None, files: Sequence[Upload]) -> None:
    if len(files) > MAX_FILES:
        raise DomainError(f"Можно приложить не больше {MAX_FILES} файлов.", field="files")
    for data, name in files:
        try:
            kind = check_upload(
                data,
                name,
                allowed=ALLOWED_KINDS,
                max_bytes=uploads.limit_bytes("document"),
                archive_limits=uploads.archive_limits(),
            )
        except FileRejected as error:
            raise DomainError(error.message, field="files") from None
        digest = sha256(data)
        stem = (name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "файл")[:100]
        attachment = Attachment(
            question=question,
            message=message,
            original_name=f"{stem}.{kind.extension}",
            kind_code=kind.code,
            mime=kind.mime,
            size=len(data),
        )
        # The stored name is random: the uploaded name is data, never a path on our disk.
        attachment.file.save(f"{digest[:32]}.{kind.extension}", ContentFile(data), save=False)
        attachment.save()


def _same_association(association_id: int, items: Iterable[Any], label: str) -> list[Any]:
    items = list(items or ())
    for item in items:
        if item.association_id != association_id:
            raise DomainError(f"Выбран(а) {label} другого объединения.")
    return items


@transaction.atomic
def question_ask(
    actor: Person,
    association: Association,
    *,
    topic: str,
    subject: str,
    text: str,
    files: Sequence[Upload] = (),
) -> Question:
    """A librarian asks; the methodist and the head are told by letter."""
    if Role.LIBRARIAN not in actor.roles_in(association.pk):
        raise DomainError("Задать вопрос может педагог-библиотекарь объединения.")
    question = Question.objects.create(
        association=association,
        asker=actor,
        school=actor.school if actor.school_id else None,
        topic=_topic(topic),
        subject=" ".join(_text(subject, "Сформулируйте вопрос кратко.", "subject").split())[:200],
        text=_text(text, "Опишите вопрос.", "text"),
    )
    _attach(question, None, files)
    audit.record(actor, question, AuditEntry.Action.CREATED)
    letter_send(
        "consultation_asked",
        [person.email for person in managers_of(association) if person.pk != actor.pk],
        {
            "question": question,
            "asker": actor,
            "school": question.school,
            "topic": question.get_topic_display(),
            "url": reverse("consultations:detail", args=[question.pk]),
        },
    )
    return question


@transaction.atomic
def message_add(
    actor: Person,
    question: Question,
    *,
    text: str,
    files: Sequence[Upload] = (),
    documents: Iterable[Document] = (),
    posts: Iterable[Post] = (),
) -> Message:
    """An answer (the methodist or the head) or the asker's follow-up in the thread."""
    is_answer = bool(actor.roles_in(question.association_id) & {Role.METHODIST, Role.HEAD})
    if not is_answer and actor.pk != question.asker_id:
        raise DomainError("Писать в этот вопрос может только тот, кто его задал, и методист.")
    documents = _same_association(question.association_id, documents, "документ")
    if any(document.audience == Document.Audience.STAFF for document in documents):
        raise DomainError(
            "Документ «только для методиста» библиотекарь не откроет — выберите другой.",
            field="documents",
        )
    posts = _same_association(question.association_id, posts, "новость")
    if (documents or posts) and not is_answer:
        raise DomainError("Ссылки на документы и новости добавляет отвечающий.")
    message = Message.objects.create(
        question=question,
        author=actor,
        is_answer=is_answer and actor.pk != question.asker_id,
        text=_text(text, "Напишите сообщение.", "text"),
    )
    message.documents.set(documents)
    message.posts.set(posts)
    _attach(question, message, files)
    if message.is_answer:
        changed = []
        if question.first_answer_at is None:
            question.first_answer_at = message.created_at
            changed.append("first_answer_at")
        if question.status == Question.Status.OPEN:
            question.status = Question.Status.ANSWERED
            changed.append("status")
        if changed:
            question.save(update_fields=changed)
        letter_send(
            "consultation_answered",
            [question.asker.email],
            {
                "question": question,
                "answer": message,
                "author": actor,
                "url": reverse("consultations:detail", args=[question.pk]),
            },
        )
    return message


@transaction.atomic
def question_solve(actor: Person, question: Question, message: Message) -> Question:
    """The asker marks the answer that solved her question."""
    if actor.pk != question.asker_id:
        raise DomainError("Отметить решение может только тот, кто задал вопрос.")
    if message.question_id != question.pk or not message.is_answer:
        raise DomainError("Отметить можно только ответ в этом вопросе.")
    question.status = Question.Status.SOLVED
    question.solution = message
    question.solved_at = timezone.now()
    question.save(update_fields=["status", "solution", "solved_at"])
    audit.record(actor, question, AuditEntry.Action.UPDATED, comment="Вопрос решён")
    return question


# --- Answer templates ------------------------------------------------------------------------


@transaction.atomic
def template_save(
    actor: Person,
    association: Association,
    *,
    title: str,
    text: str,
    topic: str = "",
    template: AnswerTemplate | None = None,
) -> AnswerTemplate:
    if topic and topic not in Topic.values:
        raise DomainError("Выберите тему из списка.", field="topic")
    template = template or AnswerTemplate(association=association, created_by=actor)
    template.title = " ".join(_text(title, "Назовите шаблон.", "title").split())[:200]
    template.text = _text(text, "Напишите текст ответа.", "text")
    template.topic = topic
    template.save()
    return template


@transaction.atomic
def template_delete(actor: Person, template: AnswerTemplate) -> None:
    template.delete()


# --- The base of answers ---------------------------------------------------------------------


@transaction.atomic
def faq_publish(
    actor: Person,
    question: Question,
    *,
    title: str,
    question_text: str,
    answer_text: str,
    topic: str,
) -> FaqEntry:
    """«Опубликовать обезличенно в базе ответов»: the methodist's edited text of a solved
    question, without names or school (she removes them; the draft already has)."""
    if question.status != Question.Status.SOLVED:
        raise DomainError("В базу ответов публикуется только решённый вопрос.")
    if FaqEntry.objects.filter(question=question).exists():
        raise DomainError("Этот вопрос уже опубликован в базе ответов.")
    entry = FaqEntry(association=question.association, question=question, published_by=actor)
    _fill_entry(entry, title, question_text, answer_text, topic, question)
    entry.save()
    if question.solution is not None:
        entry.documents.set(question.solution.documents.all())
        entry.posts.set(question.solution.posts.all())
    faq_reindex(entry)
    audit.record(actor, question, AuditEntry.Action.UPDATED, comment="Опубликован в базе ответов")
    return entry


def _fill_entry(
    entry: FaqEntry,
    title: str,
    question_text: str,
    answer_text: str,
    topic: str,
    question: Question | None,
) -> None:
    entry.title = " ".join(_text(title, "Сформулируйте вопрос кратко.", "title").split())[:200]
    entry.question_text = _text(question_text, "Напишите вопрос.", "question_text")
    entry.answer_text = _text(answer_text, "Напишите ответ.", "answer_text")
    entry.topic = _topic(topic)
    if question is not None:
        _refuse_names(entry, question)


def _refuse_names(entry: FaqEntry, question: Question) -> None:
    """The whole point is «обезличенно»: the asker's surname (in any case) and school must not
    remain."""
    text = f"{entry.title}\n{entry.question_text}\n{entry.answer_text}".lower()
    asker = question.asker
    checks = []
    if len(asker.last_name) > 3:
        # «Петрова», «Петровой», «Петровою»: the surname without its last letter.
        checks.append((asker.last_name, asker.last_name[:-1].lower()))
    if question.school is not None:
        checks.append((question.school.short_name, question.school.short_name.lower()))
    for name, needle in checks:
        if needle and needle in text:
            raise DomainError(
                f"В тексте осталось «{name}» — уберите имя и школу перед публикацией.",
                field="question_text",
            )


@transaction.atomic
def faq_update(
    actor: Person, entry: FaqEntry, *, title: str, question_text: str, answer_text: str, topic: str
) -> FaqEntry:
    _fill_entry(entry, title, question_text, answer_text, topic, entry.question)
    entry.save()
    faq_reindex(entry)
    return entry


@transaction.atomic
def faq_delete(actor: Person, entry: FaqEntry) -> None:
    if entry.question is not None:
        audit.record(
            actor, entry.question, AuditEntry.Action.UPDATED, comment="Снят из базы ответов"
        )
    entry.delete()


def faq_reindex(entry: FaqEntry) -> None:
    """What the one search box looks at: the title (weighted), the question and the answer."""
    heading = f"{entry.title} {entry.get_topic_display()}"
    body = f"{entry.question_text}\n{entry.answer_text}"
    FaqEntry.objects.filter(pk=entry.pk).update(search_stems=search_document(f"{heading}\n{body}"))
    if connection.vendor == "postgresql":
        FaqEntry.objects.filter(pk=entry.pk).update(
            search_vector=SearchVector(Value(heading), weight="A", config="russian")
            + SearchVector(Value(body), weight="C", config="russian")
        )
