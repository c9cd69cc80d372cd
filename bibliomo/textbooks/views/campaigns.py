"""Campaigns and a school's report: web forms, the Excel template, submit, accept or return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.responses import attachment
from bibliomo.directory.access import require_association, require_perm
from bibliomo.lib import ru
from bibliomo.lib.provision_workbook import (
    EnrolmentRow,
    HoldingRow,
    LineRow,
    WorkbookError,
    WriteOffRow,
)
from bibliomo.lib.sheet_problems import grouped, limited
from bibliomo.textbooks import report_files, selectors, services
from bibliomo.textbooks.forms import (
    CampaignForm,
    EnrolmentFormSet,
    HoldingFormSet,
    LineFormSet,
    UploadForm,
    WriteOffForm,
)
from bibliomo.textbooks.models import Campaign, CatalogEntry, Submission

MAX_LISTED_CHANGES = 30  # of what an upload over newer data would overwrite


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "textbooks.view_catalogue", association)
    user = request.user
    campaigns = selectors.campaigns_with_progress(association)
    mine = []
    if user.school_id:
        mine = list(
            Submission.objects.filter(
                campaign__association=association, school_id=user.school_id
            ).select_related("campaign", "school")
        )
    return render(
        request,
        "textbooks/index.html",
        {
            "campaigns": campaigns,
            "mine": mine,
            "can_manage": user.has_perm("textbooks.manage_campaigns", association),
            "can_summary": user.has_perm("textbooks.view_summary", association),
        },
    )


@login_required
def campaign_create(request):
    association = require_association(request)
    require_perm(request, "textbooks.manage_campaigns", association)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(request.user, association, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Мониторинг открыт: школы видят его у себя.")
            return redirect(campaign)
    return render(request, "textbooks/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk: int):
    association = require_association(request)
    require_perm(request, "textbooks.view_summary", association)
    campaign = get_object_or_404(Campaign, association=association, pk=pk)
    submissions, counts = selectors.dashboard(campaign)
    return render(
        request,
        "textbooks/campaign.html",
        {
            "campaign": campaign,
            "submissions": submissions,
            "counts": counts,
            "late": campaign.deadline < timezone.localdate(),
            "can_manage": request.user.has_perm("textbooks.manage_campaigns", association),
        },
    )


@login_required
def campaign_remind(request, pk: int):
    """GET: a confirm step naming to how many schools and people the reminder goes; POST: send."""
    association = require_association(request)
    require_perm(request, "textbooks.manage_campaigns", association)
    campaign = get_object_or_404(Campaign, association=association, pk=pk)
    if request.method == "POST":
        sent = services.campaign_remind_late(request.user, campaign)
        messages.success(
            request,
            f"Напоминания отправлены: {ru.plural(sent, 'школе', 'школам', 'школам')}.",
        )
        return redirect(campaign)
    rows = selectors.late_recipients(campaign)
    people = sum(len(p) for _, p in rows)
    return render(
        request,
        "textbooks/campaign_remind.html",
        {"campaign": campaign, "rows": rows, "schools": len(rows), "people": people},
    )


def _submission(request, pk: int, perm: str = "textbooks.view_school_data") -> Submission:
    association = require_association(request)
    submission = get_object_or_404(
        Submission.objects.select_related("campaign", "school"),
        campaign__association=association,
        pk=pk,
    )
    require_perm(request, perm, submission.school)
    return submission


@login_required
def submission_detail(request, pk: int):
    submission = _submission(request, pk)
    school, campaign = submission.school, submission.campaign
    figures = selectors.report_figures(submission)
    return render(
        request,
        "textbooks/submission.html",
        {
            "submission": submission,
            "campaign": campaign,
            "school": school,
            **figures,
            "can_change": request.user.has_perm("textbooks.change_school_data", school)
            and submission.editable,
            "can_decide": request.user.has_perm("textbooks.manage_campaigns", campaign.association),
            "upload_form": UploadForm(),
            "problems": request.session.pop(f"workbook_problems_{submission.pk}", None),
            "notices": request.session.pop(f"workbook_notices_{submission.pk}", None),
            "pending": _pending(request, submission),
            "alerts": selectors.alerts(school, campaign.academic_year, campaign.as_of),
            "warnings": selectors.plausibility_warnings(submission)
            if submission.editable
            else submission.warnings,
        },
    )


@login_required
def template_download(request, pk: int):
    submission = _submission(request, pk)
    data = report_files.template_bytes(submission)
    return attachment(data, report_files.XLSX, report_files.template_name(submission))


def _pending_key(submission: Submission) -> str:
    return f"workbook_pending_{submission.pk}"


def _pending(request, submission: Submission) -> dict | None:
    """An upload over newer data waiting for confirmation: what it would change."""
    pending = request.session.get(_pending_key(submission))
    if pending is None:
        return None
    changes = pending["changes"]
    rest = len(changes) - MAX_LISTED_CHANGES
    return {"changes": changes[:MAX_LISTED_CHANGES], "more": max(rest, 0)}


def _save_upload(request, submission: Submission, data, overwrite_version: str = "") -> None:
    """Save through the service; over newer data, keep the upload for a confirmation."""
    try:
        changed = services.submission_upload(
            request.user, submission, data, overwrite_version=overwrite_version
        )
    except services.NewerDataError as error:
        request.session[_pending_key(submission)] = {
            "data": report_files.to_session(data),
            "version": error.version,
            "changes": error.changes,
        }
        messages.warning(request, error.message)
        return
    except DomainError as error:
        messages.error(request, error.message)
        return
    request.session.pop(_pending_key(submission), None)
    if data.notices:
        request.session[f"workbook_notices_{submission.pk}"] = limited(grouped(data.notices))
    if changed:
        messages.success(
            request,
            f"Данные из файла загружены. Изменено строк: {len(changed)}. Проверьте "
            "обеспеченность и сдайте отчёт.",
        )
    else:
        messages.success(request, "Файл загружен: данные в нём те же, что в Bibliomo.")


@login_required
@require_POST
def upload(request, pk: int):
    submission = _submission(request, pk, "textbooks.change_school_data")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if form.has_error("file", "required"):
            messages.error(request, "Выберите файл шаблона.")
        else:  # too big, unpacks to too much, empty: the field says which
            messages.error(request, " ".join(str(error) for error in form.errors["file"]))
        return redirect("textbooks:submission", pk=pk)
    upload_file = form.cleaned_data["file"]
    request.session.pop(_pending_key(submission), None)
    try:
        data = report_files.read_report(submission, upload_file.read(), upload_file.name)
    except WorkbookError as error:
        request.session[f"workbook_problems_{submission.pk}"] = error.messages
        messages.error(
            request, "Файл не загружен: исправьте ошибки и загрузите снова. Данные не изменены."
        )
    else:
        _save_upload(request, submission, data)
    return redirect("textbooks:submission", pk=pk)


@login_required
@require_POST
def upload_confirm(request, pk: int):
    """Overwrite newer data with the upload the person has seen the changes of — or drop it."""
    submission = _submission(request, pk, "textbooks.change_school_data")
    pending = request.session.get(_pending_key(submission))
    if pending is None:
        messages.error(request, "Нет файла, ожидающего подтверждения: загрузите его снова.")
    elif request.POST.get("decision") != "overwrite":
        request.session.pop(_pending_key(submission))
        messages.info(request, "Загрузка отменена, данные не изменены.")
    else:
        data = report_files.from_session(pending["data"])
        _save_upload(request, submission, data, overwrite_version=pending["version"])
    return redirect("textbooks:submission", pk=pk)


def _editor(request, submission: Submission, template: str, build_forms, save):
    """A web-form editor for one part of the school's data (all rows saved together)."""
    forms = build_forms(request.POST if request.method == "POST" else None)
    if request.method == "POST" and forms.is_valid():
        try:
            save(forms)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Сохранено.")
            return redirect("textbooks:submission", pk=submission.pk)
    return render(request, template, {"submission": submission, "formset": forms})


def _entries():
    return CatalogEntry.objects.filter(
        Q(status=CatalogEntry.Status.LISTED)
        | Q(status=CatalogEntry.Status.OUTSIDE)
        | Q(status=CatalogEntry.Status.EXCLUDED, limit_date__isnull=False)
    ).order_by("subject", "grade_from", "title")


@login_required
def enrolment_edit(request, pk: int):
    submission = _submission(request, pk, "textbooks.change_school_data")
    school, year = submission.school, submission.campaign.academic_year
    current, *_ = selectors.school_rows(school, year)
    buildings = [b.name for b in school.buildings.all()] if school.buildings.count() > 1 else [""]
    if buildings != [""] and any(not r.building for r in current):
        # Grades given for the school as a whole (an upload, older data) are shown as they are.
        buildings = ["", *buildings]
    by_key = {(r.grade, r.building): r for r in current}
    initial = [
        {
            "grade": grade,
            "building": building,
            "pupils": by_key[(grade, building)].pupils if (grade, building) in by_key else None,
            "classes": by_key[(grade, building)].classes if (grade, building) in by_key else None,
        }
        for building in buildings
        for grade in range(1, 12)
    ]

    def save(formset):
        rows = [
            EnrolmentRow(
                f.cleaned_data["grade"],
                f.cleaned_data["pupils"] or 0,
                f.cleaned_data["classes"] or 0,
                f.cleaned_data["building"] or "",
            )
            for f in formset
            if f.cleaned_data.get("pupils")
        ]
        services.submission_save(request.user, submission, enrolment=rows)

    return _editor(
        request,
        submission,
        "textbooks/edit_enrolment.html",
        lambda data: EnrolmentFormSet(data, initial=initial, prefix="e"),
        save,
    )


@login_required
def lines_edit(request, pk: int):
    submission = _submission(request, pk, "textbooks.change_school_data")
    _, current, *_ = selectors.school_rows(submission.school, submission.campaign.academic_year)
    entries = _entries()
    codes = {e.code: e for e in entries}
    initial = [{"grade": r.grade, "entry": codes.get(r.code), "pupils": r.pupils} for r in current]

    def save(formset):
        rows = [
            LineRow(f.cleaned_data["grade"], f.cleaned_data["entry"].code, f.cleaned_data["pupils"])
            for f in formset
            if f.cleaned_data.get("entry")
        ]
        services.submission_save(request.user, submission, lines=rows)

    return _editor(
        request,
        submission,
        "textbooks/edit_lines.html",
        lambda data: LineFormSet(
            data, initial=initial, prefix="l", form_kwargs={"entries": entries}
        ),
        save,
    )


@login_required
def holdings_edit(request, pk: int):
    """The fund, one subject at a time: a real school has hundreds of rows, too many for one
    form (and for a person); the page first lists the subjects with what is entered in each."""
    submission = _submission(request, pk, "textbooks.change_school_data")
    _, _, current, _ = selectors.school_rows(submission.school, submission.campaign.academic_year)
    entries = _entries()
    subject_of = dict(entries.values_list("code", "subject"))
    subjects = list(dict.fromkeys(entries.values_list("subject", flat=True).order_by("subject")))
    subject = request.GET.get("subject", "")
    if subject not in subjects:
        entered: dict[str, list[int]] = {}
        for row in current:
            counts = entered.setdefault(subject_of.get(row.code, "—"), [0, 0])
            counts[0] += 1
            counts[1] += row.copies
        return render(
            request,
            "textbooks/edit_holdings_subjects.html",
            {
                "submission": submission,
                "subjects": [(name, *entered.get(name, (0, 0))) for name in subjects],
            },
        )
    entries = entries.filter(subject=subject)
    codes = {e.code: e for e in entries}
    initial = [
        {
            "entry": codes.get(r.code),
            "purchase_year": r.purchase_year,
            "copies": r.copies,
            "damaged": r.damaged,
            "lost": r.lost,
        }
        for r in current
        if r.code in codes
    ]

    def save(formset):
        rows = [
            HoldingRow(
                f.cleaned_data["entry"].code,
                f.cleaned_data["purchase_year"],
                f.cleaned_data["copies"],
                f.cleaned_data.get("damaged") or 0,
                f.cleaned_data.get("lost") or 0,
            )
            for f in formset
            if f.cleaned_data.get("entry")
        ]
        services.submission_save_subject_fund(request.user, submission, subject, rows)

    forms = HoldingFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        prefix="h",
        form_kwargs={"entries": entries},
    )
    if request.method == "POST" and forms.is_valid():
        try:
            save(forms)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Сохранено: {subject}.")
            return redirect(f"{request.path}")
    return render(
        request,
        "textbooks/edit_holdings.html",
        {"submission": submission, "formset": forms, "subject": subject},
    )


@login_required
def write_off_add(request, pk: int):
    submission = _submission(request, pk, "textbooks.change_school_data")
    form = WriteOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        *_, current = selectors.school_rows(submission.school, submission.campaign.academic_year)
        data = form.cleaned_data
        row = WriteOffRow(
            data["entry"].code, data["copies"], data["reason"], data["act_number"], data["act_date"]
        )
        try:
            services.submission_save(request.user, submission, write_offs=[*current, row])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Списание добавлено.")
            return redirect("textbooks:submission", pk=pk)
    return render(
        request, "textbooks/write_off_form.html", {"submission": submission, "form": form}
    )


@login_required
@require_POST
def submit(request, pk: int):
    submission = _submission(request, pk, "textbooks.change_school_data")
    try:
        services.submission_submit(
            request.user, submission, confirm_warnings=request.POST.get("confirm") == "1"
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Отчёт сдан методисту.")
    return redirect("textbooks:submission", pk=pk)


@login_required
@require_POST
def decide(request, pk: int):
    submission = _submission(request, pk)
    require_perm(request, "textbooks.manage_campaigns", submission.campaign.association)
    accept = request.POST.get("decision") == "accept"
    try:
        services.submission_decide(
            request.user, submission, accept, request.POST.get("comment", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Отчёт принят." if accept else "Отчёт возвращён школе с замечаниями."
        )
    return redirect("textbooks:submission", pk=pk)
