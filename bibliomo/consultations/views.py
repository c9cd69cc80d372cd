from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.consultations import selectors, services
from bibliomo.consultations.forms import FaqForm, MessageForm, QuestionForm, TemplateForm
from bibliomo.consultations.models import (
    AnswerTemplate,
    Attachment,
    FaqEntry,
    Message,
    Question,
    Topic,
)
from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.params import id_param, year_param
from bibliomo.core.responses import stored_file
from bibliomo.directory.access import require_association, require_perm
from bibliomo.lib import ru
from bibliomo.lib.filetypes import FileKind, safe_download_name

PAGE_SIZE = 25


def _question(request, pk: int) -> Question:
    """A question the person may read; anyone else's is answered as if it did not exist."""
    association = require_association(request)
    question = get_object_or_404(selectors.visible_questions(request.user, association), pk=pk)
    require_perm(request, "consultations.view_question", question)
    return question


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "consultations.view_desk", association)
    questions = selectors.visible_questions(request.user, association)
    filters = {}
    status = request.GET.get("status", "")
    if status in Question.Status.values:
        questions = questions.filter(status=status)
        filters["status"] = status
    topic = request.GET.get("topic", "")
    if topic in Topic.values:
        questions = questions.filter(topic=topic)
        filters["topic"] = topic
    page = Paginator(questions.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    see_all = request.user.has_perm("consultations.see_all", association)
    overdue = set()
    if see_all:
        overdue = set(selectors.overdue_questions(association).values_list("pk", flat=True))
    return render(
        request,
        "consultations/index.html",
        {
            "page": page,
            "filters": filters,
            "topics": Topic.choices,
            "statuses": Question.Status.choices,
            "see_all": see_all,
            "overdue": overdue,
            "can_ask": request.user.has_perm("consultations.ask", association),
            "faq_count": selectors.faq_entries(association).count(),
        },
    )


@login_required
def ask(request):
    association = require_association(request)
    require_perm(request, "consultations.ask", association)
    form = QuestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(request.user, association, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Вопрос отправлен методисту. Ответ придёт письмом и появится здесь."
            )
            return redirect(question)
    return render(request, "consultations/ask.html", {"form": form})


def _thread(question: Question):
    return (
        question.messages.select_related("author")
        .prefetch_related("documents", "posts", "attachments")
        .order_by("created_at", "pk")
    )


@login_required
def detail(request, pk: int):
    question = _question(request, pk)
    user = request.user
    can_answer = user.has_perm("consultations.answer", question)
    initial = {}
    template_id = id_param(request.GET.get("template"))
    if can_answer and template_id is not None:
        template = AnswerTemplate.objects.filter(
            association_id=question.association_id, pk=template_id
        ).first()
        if template is not None:
            initial["text"] = template.text
    form = MessageForm(initial=initial, question=question, can_link=can_answer)
    return _detail_page(request, question, form)


def _detail_page(request, question: Question, form):
    user = request.user
    can_answer = user.has_perm("consultations.answer", question)
    templates = []
    if can_answer:
        templates = list(
            AnswerTemplate.objects.filter(association_id=question.association_id).only(
                "id", "title", "topic"
            )
        )
        templates.sort(key=lambda t: (t.topic != question.topic, t.title))
    return render(
        request,
        "consultations/detail.html",
        {
            "question": question,
            "thread": _thread(question),
            "question_files": question.attachments.filter(message__isnull=True),
            "form": form,
            "can_answer": can_answer,
            "can_solve": user.has_perm("consultations.solve", question)
            and question.status != Question.Status.SOLVED,
            "can_publish": user.has_perm("consultations.manage_faq", question.association)
            and question.status == Question.Status.SOLVED
            and not FaqEntry.objects.filter(question=question).exists(),
            "faq_entry": FaqEntry.objects.filter(question=question).first(),
            "templates": templates,
        },
    )


@login_required
@require_POST
def reply(request, pk: int):
    question = _question(request, pk)
    require_perm(request, "consultations.reply", question)
    can_answer = request.user.has_perm("consultations.answer", question)
    form = MessageForm(request.POST, request.FILES, question=question, can_link=can_answer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.message_add(
                request.user,
                question,
                text=data["text"],
                files=data["files"],
                documents=data.get("documents") or (),
                posts=data.get("posts") or (),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Ответ отправлен." if can_answer else "Сообщение добавлено.")
            return redirect(question)
    return _detail_page(request, question, form)


@login_required
@require_POST
def solve(request, pk: int, message_pk: int):
    question = _question(request, pk)
    require_perm(request, "consultations.solve", question)
    message = get_object_or_404(Message, question=question, pk=message_pk)
    perform(
        request,
        services.question_solve,
        request.user,
        question,
        message,
        done="Отмечено: ответ решил ваш вопрос. Спасибо!",
    )
    return redirect(question)


@login_required
def attachment(request, pk: int):
    association = require_association(request)
    item = get_object_or_404(
        Attachment.objects.select_related("question"), question__association=association, pk=pk
    )
    if not request.user.has_perm("consultations.view_question", item.question):
        raise Http404  # someone else's question: its files do not exist for this person
    kind = FileKind(item.kind_code, "", item.mime, item.original_name.rsplit(".", 1)[-1])
    return stored_file(item.file, safe_download_name(item.original_name.rsplit(".", 1)[0], kind))


# --- The base of answers ---------------------------------------------------------------------


@login_required
def publish(request, pk: int):
    question = _question(request, pk)
    require_perm(request, "consultations.manage_faq", question.association)
    form = FaqForm(request.POST or None, initial=selectors.faq_draft(question))
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.faq_publish(request.user, question, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Опубликовано в базе ответов без имени и школы.")
            return redirect(entry)
    return render(
        request, "consultations/faq_form.html", {"form": form, "question": question, "entry": None}
    )


def _faq_entry(request, pk: int, perm: str = "consultations.view_faq") -> FaqEntry:
    association = require_association(request)
    require_perm(request, perm, association)
    return get_object_or_404(
        FaqEntry.objects.prefetch_related("documents", "posts"), association=association, pk=pk
    )


@login_required
def faq_index(request):
    association = require_association(request)
    require_perm(request, "consultations.view_faq", association)
    entries = selectors.faq_entries(association)
    topic = request.GET.get("topic", "")
    if topic in Topic.values:
        entries = entries.filter(topic=topic)
    page = Paginator(entries.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/faq_index.html",
        {"page": page, "topic": topic if topic in Topic.values else "", "topics": Topic.choices},
    )


@login_required
def faq_detail(request, pk: int):
    entry = _faq_entry(request, pk)
    return render(
        request,
        "consultations/faq_detail.html",
        {
            "entry": entry,
            "can_manage": request.user.has_perm("consultations.manage_faq", entry.association),
        },
    )


@login_required
def faq_edit(request, pk: int):
    entry = _faq_entry(request, pk, "consultations.manage_faq")
    form = FaqForm(request.POST or None, instance=FaqEntry.objects.get(pk=entry.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.faq_update(request.user, entry, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect(entry)
    return render(
        request,
        "consultations/faq_form.html",
        {"form": form, "question": entry.question, "entry": entry},
    )


@login_required
@require_POST
def faq_delete(request, pk: int):
    entry = _faq_entry(request, pk, "consultations.manage_faq")
    services.faq_delete(request.user, entry)
    messages.success(request, "Ответ снят из базы ответов.")
    return redirect("consultations:faq_index")


# --- Answer templates ------------------------------------------------------------------------


@login_required
def templates(request):
    association = require_association(request)
    require_perm(request, "consultations.see_all", association)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(request.user, association, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Шаблон сохранён.")
            return redirect("consultations:templates")
    return render(
        request,
        "consultations/templates.html",
        {"form": form, "templates": AnswerTemplate.objects.filter(association=association)},
    )


def _template(request, pk: int) -> AnswerTemplate:
    association = require_association(request)
    require_perm(request, "consultations.see_all", association)
    return get_object_or_404(AnswerTemplate, association=association, pk=pk)


@login_required
def template_edit(request, pk: int):
    template = _template(request, pk)
    form = TemplateForm(request.POST or None, instance=AnswerTemplate.objects.get(pk=template.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(
                request.user, template.association, template=template, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Шаблон сохранён.")
            return redirect("consultations:templates")
    return render(request, "consultations/template_form.html", {"form": form, "template": template})


@login_required
@require_POST
def template_delete(request, pk: int):
    template = _template(request, pk)
    services.template_delete(request.user, template)
    messages.success(request, "Шаблон удалён.")
    return redirect("consultations:templates")


# --- Figures ---------------------------------------------------------------------------------


@login_required
def figures(request):
    association = require_association(request)
    require_perm(request, "consultations.see_all", association)
    year = year_param(request.GET.get("year"))
    if year is None:
        year = ru.academic_year_start(timezone.localdate())
    return render(
        request,
        "consultations/figures.html",
        {
            "figures": selectors.year_figures(association, year),
            "previous": year - 1,
            "next": year + 1,
        },
    )
