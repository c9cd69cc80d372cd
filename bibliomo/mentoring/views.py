"""Mentoring pages: the overview and early-career list, a pair's space, the template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.forms import posted as _posted
from bibliomo.core.responses import attachment
from bibliomo.directory.access import get_in_association, require_association, require_perm
from bibliomo.lib.documents import DOCX_MIME
from bibliomo.mentoring import selectors, services
from bibliomo.mentoring.forms import (
    AnswerForm,
    FinishForm,
    MeetingForm,
    PairForm,
    ProgrammeForm,
    QuestionForm,
    SurveyForm,
    TemplateForm,
)
from bibliomo.mentoring.models import Pair, Question, Step
from bibliomo.mentoring.paper import pair_paper


def _pair(request, pk: int, perm: str = "mentoring.view_pair") -> Pair:
    pair = get_in_association(
        request, Pair.objects.select_related("mentor__school", "mentee__school", "seminar"), pk=pk
    )
    require_perm(request, perm, pair)
    return pair


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "mentoring.view_index", association)
    today = timezone.localdate()
    pairs = selectors.pairs_with_progress(
        selectors.visible_pairs(request.user, association), today
    ).order_by("status", "-starts_on")
    overview = request.user.has_perm("mentoring.view_overview", association)
    return render(
        request,
        "mentoring/index.html",
        {
            "pairs": pairs,
            "overview": overview,
            "can_manage": request.user.has_perm("mentoring.manage", association),
            "early_career": list(selectors.early_career(association, today)) if overview else [],
            "overdue": list(selectors.overdue_steps(association, today)[:20]) if overview else [],
        },
    )


@login_required
def pair_new(request):
    association = require_association(request)
    require_perm(request, "mentoring.manage", association)
    initial = {}
    mentee = request.GET.get("mentee", "")
    if mentee.isdigit():
        initial["mentee"] = int(mentee)
    form = PairForm(_posted(request)[0], association=association, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.pair_create(request.user, association, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Пара создана, программа составлена по шаблону объединения.")
            return redirect(pair)
    return render(request, "mentoring/pair_new.html", {"form": form})


@login_required
def template_edit(request):
    association = require_association(request)
    require_perm(request, "mentoring.manage", association)
    template = services.template_of(association)
    form = TemplateForm(
        _posted(request)[0], initial={"goals": template.goals, "steps": template.steps}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.template_update(request.user, association, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Шаблон программы сохранён: по нему составляются новые пары.")
            return redirect("mentoring:index")
    return render(request, "mentoring/template.html", {"form": form})


@login_required
def programme_edit(request, pk: int):
    pair = _pair(request, pk, "mentoring.edit_programme")
    initial = {
        "goals": pair.goals,
        "steps": [(s.due_on, s.title) for s in pair.steps.all()],
        "seminar": pair.seminar_id,
    }
    form = ProgrammeForm(_posted(request)[0], association=pair.association, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(request.user, pair, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Программа пары сохранена.")
            return redirect(pair)
    return render(request, "mentoring/programme.html", {"form": form, "pair": pair})


def _pair_page(request, pair: Pair, status: int = 200, **forms):
    user = request.user
    side = pair.side_of(user)
    context = {
        "pair": pair,
        "steps": list(pair.steps.all()),
        "meetings": list(pair.meetings.all()),
        "questions": list(pair.questions.all()),
        "surveys": list(pair.surveys.all()),
        "today": timezone.localdate(),
        "can_log": user.has_perm("mentoring.log_pair", pair),
        "can_edit": user.has_perm("mentoring.edit_programme", pair),
        "can_ask": user.has_perm("mentoring.ask", pair),
        "can_answer": user.has_perm("mentoring.answer", pair),
        "can_finish": user.has_perm("mentoring.finish_pair", pair)
        and pair.status == Pair.Status.ACTIVE,
        "can_survey": bool(side)
        and pair.status == Pair.Status.FINISHED
        and not pair.surveys.filter(side=side).exists(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "question_form": forms.get("question_form") or QuestionForm(),
        "finish_form": forms.get("finish_form") or FinishForm(),
        "survey_form": forms.get("survey_form") or SurveyForm(),
    }
    return render(request, "mentoring/pair.html", context, status=status)


@login_required
def pair_detail(request, pk: int):
    return _pair_page(request, _pair(request, pk))


def _post(request, pair: Pair, form, form_name: str, service, success: str):
    if form.is_valid():
        try:
            service(request.user, pair, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect(pair)
    return _pair_page(request, pair, status=400, **{form_name: form})


@login_required
@require_POST
def meeting_add(request, pk: int):
    pair = _pair(request, pk, "mentoring.log_pair")
    return _post(
        request,
        pair,
        MeetingForm(request.POST),
        "meeting_form",
        services.meeting_add,
        "Встреча записана.",
    )


@login_required
@require_POST
def question_ask(request, pk: int):
    pair = _pair(request, pk, "mentoring.ask")
    return _post(
        request,
        pair,
        QuestionForm(request.POST),
        "question_form",
        services.question_ask,
        "Вопрос отправлен наставнику.",
    )


@login_required
@require_POST
def pair_finish(request, pk: int):
    pair = _pair(request, pk, "mentoring.finish_pair")
    return _post(
        request,
        pair,
        FinishForm(request.POST),
        "finish_form",
        services.pair_finish,
        "Работа пары завершена. Наставник и молодой специалист могут заполнить анкеты.",
    )


@login_required
@require_POST
def survey(request, pk: int):
    pair = _pair(request, pk)
    return _post(
        request,
        pair,
        SurveyForm(request.POST),
        "survey_form",
        services.survey_submit,
        "Спасибо, анкета сохранена.",
    )


@login_required
@require_POST
def step_mark(request, pk: int):
    step = get_in_association(
        request, Step.objects.select_related("pair"), "pair__association", pk=pk
    )
    require_perm(request, "mentoring.log_pair", step.pair)
    services.step_mark(request.user, step, done=request.POST.get("done") == "1")
    return redirect(step.pair)


@login_required
@require_POST
def question_answer(request, pk: int):
    question = get_in_association(
        request, Question.objects.select_related("pair"), "pair__association", pk=pk
    )
    pair = question.pair
    require_perm(request, "mentoring.answer", pair)
    form = AnswerForm(request.POST)
    if form.is_valid():
        perform(
            request,
            services.question_answer,
            request.user,
            question,
            **form.cleaned_data,
            done="Ответ сохранён.",
        )
        return redirect(pair)
    messages.error(request, "Напишите ответ.")
    return redirect(pair)


@login_required
def export(request, pk: int):
    pair = _pair(request, pk)
    name = f"Наставничество {pair.mentee.last_name}.docx"
    return attachment(pair_paper(pair), DOCX_MIME, name)
