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
from bibliomo.lib.provision_workbook import (
    EnrolmentRow,
    HoldingRow,
    LineRow,
    WorkbookError,
    WriteOffRow,
    read_workbook,
    write_workbook,
)
from bibliomo.textbooks import selectors, services
from bibliomo.textbooks.forms import (
    CampaignForm,
    EnrolmentFormSet,
    HoldingFormSet,
    LineFormSet,
    UploadForm,
    WriteOffForm,
)
from bibliomo.textbooks.models import Campaign, CatalogEntry, Submission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "textbooks.view_catalogue", association)
    user = request.user
    campaigns = list(Campaign.objects.filter(association=association))
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
@require_POST
def campaign_remind(request, pk: int):
    association = require_association(request)
    require_perm(request, "textbooks.manage_campaigns", association)
    campaign = get_object_or_404(Campaign, association=association, pk=pk)
    sent = services.campaign_remind_late(request.user, campaign)
    messages.success(request, f"Напоминания отправлены: школ — {sent}.")
    return redirect(campaign)


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
            "alerts": selectors.alerts(school, campaign.academic_year, campaign.as_of),
            "warnings": selectors.plausibility_warnings(submission)
            if submission.editable
            else submission.warnings,
        },
    )


@login_required
def template_download(request, pk: int):
    submission = _submission(request, pk)
    data = write_workbook(selectors.workbook_for(submission), selectors.catalogue_refs())
    name = f"monitoring-{submission.campaign.academic_year}-school-{submission.school_id}.xlsx"
    return attachment(data, XLSX, name)


@login_required
@require_POST
def upload(request, pk: int):
    submission = _submission(request, pk, "textbooks.change_school_data")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Выберите файл шаблона.")
        return redirect("textbooks:submission", pk=pk)
    upload_file = form.cleaned_data["file"]
    try:
        data = read_workbook(
            upload_file.read(),
            upload_file.name,
            selectors.catalogue_refs(),
            campaign_id=submission.campaign_id,
            school_id=submission.school_id,
        )
        services.submission_save(
            request.user,
            submission,
            enrolment=data.enrolment,
            lines=data.lines,
            holdings=data.holdings,
            write_offs=data.write_offs,
        )
    except WorkbookError as error:
        request.session[f"workbook_problems_{submission.pk}"] = error.messages
        messages.error(
            request, "Файл не загружен: исправьте ошибки и загрузите снова. Данные не изменены."
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Данные из файла загружены. Проверьте обеспеченность и сдайте отчёт."
        )
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
        entered = {}
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
