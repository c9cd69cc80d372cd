"""The contest, its entries, results and papers. Views are thin: form → one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bibliomo.contests import awards as award_services
from bibliomo.contests import papers, selectors, services
from bibliomo.contests.forms import (
    ConclusionsForm,
    ContestForm,
    EntryForm,
    ExternalEventForm,
    ReturnForm,
)
from bibliomo.contests.models import Award, Contest, Entry, ExternalEvent, Round
from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.responses import attachment, stored_file
from bibliomo.directory.access import require_association, require_perm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def contest_or_404(request, pk: int) -> Contest:
    association = require_association(request)
    require_perm(request, "contests.view_contests", association)
    contest = get_object_or_404(Contest, pk=pk, association=association)
    if contest.status == Contest.Status.DRAFT and not request.user.has_perm(
        "contests.manage_contest", association
    ):
        raise Http404
    if not request.user.has_perm(
        "contests.view_every_contest", association
    ) and not selectors.juror_of(contest, request.user):
        raise Http404
    return contest


def names_guard(request, contest: Contest) -> None:
    """In a blind contest a juror reaches no page, file or export that names authors or
    schools until the results are out — even if she also runs the association's work."""
    if (
        contest.blind
        and contest.status != Contest.Status.FINISHED
        and selectors.juror_of(contest, request.user) is not None
    ):
        raise PermissionDenied("Слепая оценка: член жюри не видит авторов и школы.")


def _manage(request, contest: Contest) -> None:
    require_perm(request, "contests.manage_contest", contest.association)


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "contests.view_contests", association)
    contests = list(selectors.contests_for(request.user, association))
    seats = set(request.user.juries.values_list("contest_id", flat=True))
    return render(
        request,
        "contests/index.html",
        {
            "contests": contests,
            "seats": seats,
            "can_manage": request.user.has_perm("contests.manage_contest", association),
            "can_read_all": request.user.has_perm("contests.view_all_entries", association),
        },
    )


def _contest_form(request, contest: Contest | None):
    association = require_association(request)
    require_perm(request, "contests.manage_contest", association)
    form = ContestForm(request.POST or None, instance=contest or Contest(), association=association)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        terms = {key: data.pop(key) for key in ("categories", "criteria", "rounds")}
        try:
            if contest is None:
                contest = services.contest_create(request.user, association, **terms, **data)
            else:
                contest = services.contest_update(request.user, contest, **terms, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Конкурс сохранён.")
            return redirect(contest)
    return render(request, "contests/form.html", {"form": form, "contest": contest})


@login_required
def create(request):
    return _contest_form(request, None)


@login_required
def edit(request, pk: int):
    contest = contest_or_404(request, pk)
    return _contest_form(request, contest)


@login_required
def detail(request, pk: int):
    contest = contest_or_404(request, pk)
    user = request.user
    juror = selectors.juror_of(contest, user)
    blind_juror = juror is not None and contest.blind and contest.status != Contest.Status.FINISHED
    entries = [] if blind_juror else list(selectors.entries_visible(user, contest))
    return render(
        request,
        "contests/detail.html",
        {
            "contest": contest,
            "entries": entries,
            "juror": juror,
            "can_manage": user.has_perm("contests.manage_contest", contest.association),
            "sees_all": user.has_perm("contests.view_all_entries", contest) and not blind_juror,
            "can_submit": user.has_perm("contests.submit_entry", contest)
            and contest.accepts_entries(),
            "categories": contest.categories.all(),
            "criteria": contest.criteria.all(),
            "rounds": contest.rounds.all(),
        },
    )


@login_required
@require_POST
def announce(request, pk: int):
    contest = contest_or_404(request, pk)
    _manage(request, contest)
    perform(
        request,
        services.contest_announce,
        request.user,
        contest,
        done="Конкурс объявлен: он на портале, участникам ушло письмо.",
    )
    return redirect(contest)


@login_required
@require_POST
def close(request, pk: int):
    contest = contest_or_404(request, pk)
    _manage(request, contest)
    perform(request, services.contest_close, request.user, contest, done="Приём заявок закрыт.")
    return redirect(contest)


# --- entries --------------------------------------------------------------------------------


@login_required
def entry_create(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.submit_entry", contest)
    form = EntryForm(request.POST or None, request.FILES or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_submit(request.user, contest, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Заявка подана.")
            return redirect(contest)
    return render(
        request, "contests/entry_form.html", {"form": form, "contest": contest, "entry": None}
    )


def _own_entry_or_403(request, pk: int) -> Entry:
    entry = get_object_or_404(Entry.objects.select_related("contest"), pk=pk)
    contest_or_404(request, entry.contest_id)
    if entry.school_id != request.user.school_id or not request.user.has_perm(
        "contests.submit_entry", entry.contest
    ):
        raise PermissionDenied
    return entry


@login_required
def entry_edit(request, pk: int):
    entry = _own_entry_or_403(request, pk)
    contest = entry.contest
    form = EntryForm(request.POST or None, request.FILES or None, instance=entry, contest=contest)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.entry_update(request.user, entry, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Заявка сохранена.")
            return redirect(contest)
    return render(
        request, "contests/entry_form.html", {"form": form, "contest": contest, "entry": entry}
    )


@login_required
@require_POST
def entry_withdraw(request, pk: int):
    entry = _own_entry_or_403(request, pk)
    perform(request, services.entry_withdraw, request.user, entry, done="Заявка отозвана.")
    return redirect(entry.contest)


@login_required
def entry_return(request, pk: int):
    entry = get_object_or_404(Entry.objects.select_related("contest"), pk=pk)
    contest = contest_or_404(request, entry.contest_id)
    _manage(request, contest)
    names_guard(request, contest)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_return(request.user, entry, form.cleaned_data["comment"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{entry.code} возвращена на исправление.")
            return redirect(contest)
    return render(
        request, "contests/entry_return.html", {"form": form, "entry": entry, "contest": contest}
    )


@login_required
def entry_download(request, pk: int):
    """The file under its own name: for readers of the association and the entry's school."""
    entry = get_object_or_404(Entry.objects.select_related("contest"), pk=pk)
    contest = contest_or_404(request, entry.contest_id)
    names_guard(request, contest)
    if not selectors.entries_visible(request.user, contest).filter(pk=entry.pk).exists():
        raise PermissionDenied
    if not entry.file:
        raise Http404
    return stored_file(entry.file, entry.original_name or f"{entry.code}.bin")


# --- results --------------------------------------------------------------------------------


@login_required
def results(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.view_all_entries", contest)
    names_guard(request, contest)
    rows = selectors.results(contest)
    return render(
        request,
        "contests/results.html",
        {
            "contest": contest,
            "rows": rows,
            "jurors": list(contest.jurors.filter(person__isnull=False).select_related("person")),
            "rounds": list(contest.rounds.all()),
            "can_manage": request.user.has_perm("contests.manage_contest", contest.association),
        },
    )


@login_required
@require_POST
def decision(request, pk: int):
    entry = get_object_or_404(Entry.objects.select_related("contest"), pk=pk)
    contest = contest_or_404(request, entry.contest_id)
    _manage(request, contest)
    names_guard(request, contest)
    round_ = Round.objects.filter(contest=contest, pk=request.POST.get("round") or 0).first()
    passes = request.POST.get("passes")
    if round_ is None or passes not in ("1", "0"):
        messages.error(request, "Выберите этап и решение.")
    else:
        perform(request, services.decision_record, request.user, entry, round_, passes == "1")
    return redirect("contests:results", contest.pk)


@login_required
@require_POST
def place(request, pk: int):
    entry = get_object_or_404(Entry.objects.select_related("contest"), pk=pk)
    contest = contest_or_404(request, entry.contest_id)
    _manage(request, contest)
    names_guard(request, contest)
    raw = request.POST.get("place", "")
    if raw not in ("", "1", "2", "3"):
        messages.error(request, "Место — 1, 2 или 3 (или без места).")
        return redirect("contests:results", contest.pk)
    perform(request, services.place_set, request.user, entry, int(raw) if raw else None)
    return redirect("contests:results", contest.pk)


@login_required
@require_POST
def publish(request, pk: int):
    contest = contest_or_404(request, pk)
    _manage(request, contest)
    perform(
        request,
        services.results_publish,
        request.user,
        contest,
        done="Итоги опубликованы на портале и в ленте RSS.",
    )
    return redirect(contest)


@login_required
def protocol(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.view_all_entries", contest)
    names_guard(request, contest)
    return attachment(papers.protocol_docx(contest), DOCX, f"Протокол счётной комиссии {pk}.docx")


@login_required
def note(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.view_all_entries", contest)
    names_guard(request, contest)
    can_manage = request.user.has_perm("contests.manage_contest", contest.association)
    form = ConclusionsForm(request.POST or None, initial={"conclusions": contest.conclusions})
    if request.method == "POST":
        _manage(request, contest)
        if form.is_valid():
            services.conclusions_save(request.user, contest, form.cleaned_data["conclusions"])
            messages.success(request, "Выводы сохранены.")
            return redirect("contests:note", contest.pk)
    return render(
        request,
        "contests/note.html",
        {
            "contest": contest,
            "figures": selectors.note(contest),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
def note_docx(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.view_all_entries", contest)
    names_guard(request, contest)
    return attachment(papers.note_docx(contest), DOCX, f"Аналитическая справка {pk}.docx")


@login_required
def external(request):
    association = require_association(request)
    require_perm(request, "contests.view_all_entries", association)
    can_manage = request.user.has_perm("contests.manage_contest", association)
    form = ExternalEventForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "contests.manage_contest", association)
        if form.is_valid():
            try:
                services.external_event_create(request.user, association, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, "Записано.")
                return redirect("contests:external")
    return render(
        request,
        "contests/external.html",
        {
            "events": ExternalEvent.objects.filter(association=association),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
def awards(request, pk: int):
    contest = contest_or_404(request, pk)
    require_perm(request, "contests.view_all_entries", contest)
    names_guard(request, contest)
    if request.method == "POST":
        _manage(request, contest)
        perform(
            request,
            award_services.awards_issue,
            request.user,
            contest,
            done=lambda created: f"Выдано дипломов и сертификатов: {len(created)}.",
        )
        return redirect("contests:awards", contest.pk)
    return render(
        request,
        "contests/awards.html",
        {
            "contest": contest,
            "awards": contest.awards.select_related("entry__school", "juror__person"),
            "can_manage": request.user.has_perm("contests.manage_contest", contest.association),
        },
    )


@login_required
def award_pdf(request, pk: int):
    """Readers of the association; the entry's school; the juror her own certificate."""
    award = get_object_or_404(Award.objects.select_related("contest", "entry", "juror"), pk=pk)
    contest = contest_or_404(request, award.contest_id)
    user = request.user
    allowed = (
        user.has_perm("contests.view_all_entries", contest)
        or (award.entry is not None and award.entry.school_id == user.school_id)
        or (award.juror is not None and award.juror.person_id == user.pk)
    )
    if not allowed:
        raise PermissionDenied
    return attachment(award_services.award_pdf(award), "application/pdf", f"{award.number}.pdf")
