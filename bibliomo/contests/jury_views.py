"""The jury: the organiser's page (seats, assignment, progress, reminders) and the juror's
sheets. Nothing a juror reaches here names an entry's author or school in a blind contest."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bibliomo.contests import selectors, services
from bibliomo.contests.forms import ConflictForm, JurorForm, JurorInviteForm
from bibliomo.contests.models import Contest, Juror, Sheet
from bibliomo.contests.views import contest_or_404
from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.responses import stored_file
from bibliomo.directory.access import require_perm


@login_required
def jurors(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.manage_contest", contest.association)
    form = JurorForm(request.POST or None, people=selectors.assignable_people(contest))
    if request.method == "POST" and form.is_valid():
        try:
            services.juror_add(
                request.user,
                contest,
                form.cleaned_data["person"],
                is_chair=form.cleaned_data["is_chair"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Член жюри добавлен.")
            return redirect("contests:jurors", contest.pk)
    return _jurors_page(request, contest, form, JurorInviteForm())


def _jurors_page(request, contest: Contest, form, invite_form):
    return render(
        request,
        "contests/jurors.html",
        {
            "contest": contest,
            "form": form,
            "invite_form": invite_form,
            "progress": selectors.juror_progress(contest),
        },
        status=400 if form.errors or invite_form.errors else 200,
    )


@login_required
@require_POST
def juror_invite(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.manage_contest", contest.association)
    form = JurorInviteForm(request.POST)
    if form.is_valid():
        try:
            services.juror_invite(request.user, contest, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Приглашение отправлено.")
            return redirect("contests:jurors", contest.pk)
    people = selectors.assignable_people(contest)
    return _jurors_page(request, contest, JurorForm(people=people), form)


@login_required
@require_POST
def juror_remove(request, pk: int):
    juror = get_object_or_404(Juror.objects.select_related("contest", "person"), pk=pk)
    contest = contest_or_404(request, juror.contest_id)
    require_perm(request, "contests.manage_contest", contest.association)
    perform(request, services.juror_remove, request.user, juror, done="Исключён(а) из жюри.")
    return redirect("contests:jurors", contest.pk)


@login_required
@require_POST
def assign(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.manage_contest", contest.association)
    perform(
        request,
        services.sheets_assign,
        request.user,
        contest,
        done=lambda count: f"Назначено новых оценок: {count}. Работы своей школы жюри не получает.",
    )
    return redirect("contests:jurors", contest.pk)


@login_required
@require_POST
def remind(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.manage_contest", contest.association)
    sent = services.jurors_remind(request.user, contest)
    messages.success(request, f"Напоминаний отправлено: {sent}.")
    return redirect("contests:jurors", contest.pk)


def _seat(request, contest: Contest) -> Juror:
    juror = selectors.juror_of(contest, request.user)
    if juror is None:
        raise PermissionDenied
    return juror


@login_required
def jury(request, pk: int):
    """The juror's own list: her sheets, each by the entry's number and nomination only."""
    contest = contest_or_404(request, pk)
    juror = _seat(request, contest)
    sheets = list(selectors.sheets_of(juror))
    done = sum(1 for s in sheets if s.submitted_at)
    open_sheets = sum(1 for s in sheets if not s.conflict)
    return render(
        request,
        "contests/jury.html",
        {"contest": contest, "juror": juror, "sheets": sheets, "done": done, "total": open_sheets},
    )


def _own_sheet(request, pk: int) -> Sheet:
    sheet = get_object_or_404(
        Sheet.objects.select_related("juror", "entry__contest", "entry__category"), pk=pk
    )
    contest_or_404(request, sheet.entry.contest_id)
    if sheet.juror.person_id != request.user.pk:
        raise PermissionDenied
    if sheet.entry.school_id == request.user.school_id:
        raise PermissionDenied("Работу своей школы член жюри не оценивает.")
    return sheet


@login_required
def sheet(request, pk: int):
    sheet = _own_sheet(request, pk)
    contest = sheet.entry.contest
    criteria = list(contest.criteria.all())
    given = {s.criterion_id: s.points for s in sheet.scores.all()}
    error = ""
    if request.method == "POST":
        points = {c.pk: request.POST.get(f"points_{c.pk}", "") for c in criteria}
        try:
            services.sheet_submit(request.user, sheet, points, request.POST.get("comment", ""))
        except DomainError as problem:
            error = problem.message
            given = {key: value for key, value in points.items()}
        else:
            messages.success(request, f"Оценка «{sheet.entry.code}» сохранена.")
            return redirect("contests:sheet", sheet.pk)
    rows = [
        {"criterion": c, "value": str(given.get(c.pk, "")), "choices": c.point_choices()}
        for c in criteria
    ]
    return render(
        request,
        "contests/sheet.html",
        {
            "sheet": sheet,
            "entry": sheet.entry,
            "contest": contest,
            "rows": rows,
            "error": error,
            "others": selectors.others_scores(sheet),
            "hides_others": contest.scores_after_own and sheet.submitted_at is None,
            "conflict_form": ConflictForm(),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def step_aside(request, pk: int):
    sheet = _own_sheet(request, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Напишите, в чём конфликт интересов.")
        return redirect("contests:sheet", sheet.pk)
    perform(
        request,
        services.sheet_step_aside,
        request.user,
        sheet,
        form.cleaned_data["conflict"],
        done="Самоотвод записан: эту работу вы не оцениваете.",
    )
    return redirect("contests:jury", sheet.entry.contest_id)


@login_required
def sheet_file(request, pk: int):
    """The entry's file for its juror. In a blind contest it is named by the entry's number
    only: the original file name often carries the author's surname."""
    sheet = _own_sheet(request, pk)
    entry = sheet.entry
    if sheet.conflict or not entry.file:
        raise Http404
    suffix = Path(entry.original_name).suffix.lower()
    name = entry.original_name
    if entry.contest.blind:
        name = f"Работа {entry.number}{suffix if suffix.isascii() else ''}"
    return stored_file(entry.file, name)
