"""Certificates (issue, correct, download, verify, ZIP) and minutes of meetings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import SignaturesField, add_domain_error
from bibliomo.core.jobs import job_start
from bibliomo.core.responses import attachment
from bibliomo.directory.access import require_association, require_perm
from bibliomo.events import certificates, minutes
from bibliomo.events.models import Certificate, Minutes
from bibliomo.events.views.common import event_or_404
from bibliomo.lib.documents import DOCX_MIME, PDF_MIME
from bibliomo.lib.minutes import minutes_docx as render_docx


class TemplateForm(forms.Form):
    title = forms.CharField(label="Заголовок", max_length=100)
    subtitle = forms.CharField(label="Подзаголовок", max_length=100, required=False)
    body = forms.CharField(
        label="Текст",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Подстановки: {получатель_дп} — ФИО в дательном падеже, {получатель}, "
        "{мероприятие}, {вид}, {дата}, {часы}, {часы_текст}, {тема_выступления}, {номер}.",
    )
    signatures = SignaturesField(label="Подписи: «должность — И.О. Фамилия», каждая с новой строки")
    place_and_year = forms.CharField(label="Место и год", max_length=100, required=False)


class NameForm(forms.Form):
    recipient_dative = forms.CharField(label="ФИО в дательном падеже", max_length=300)


class MinutesForm(forms.Form):
    number = forms.CharField(
        label="Номер протокола",
        max_length=20,
        required=False,
        help_text="Пусто — номер заседания в учебном году (нумерация с сентября).",
    )
    chair = forms.CharField(label="Председатель", max_length=200)
    secretary = forms.CharField(label="Секретарь", max_length=200)
    invited = forms.CharField(
        label="Приглашённые (каждый с новой строки)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="Вопрос повестки", max_length=400, required=False)
    speaker = forms.CharField(label="Докладчик", max_length=200, required=False)
    heard = forms.CharField(
        label="Слушали", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    spoke = forms.CharField(
        label="Выступили", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decided = forms.CharField(
        label="Решили (каждое решение с новой строки)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=2, max_num=30)


# --- Certificates ----------------------------------------------------------------------------


@login_required
def certificate_list(request, pk: int):
    event = event_or_404(request, pk, "events.issue_certificates")
    issued = list(
        event.certificates.select_related("person").order_by("role", "recipient_full_name")
    )
    return render(request, "events/certificates.html", {"event": event, "issued": issued})


@login_required
@require_POST
def certificate_issue(request, pk: int):
    event = event_or_404(request, pk, "events.issue_certificates")
    try:
        created = certificates.certificates_issue(request.user, event)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Выдано новых сертификатов: {len(created)}."
            if created
            else "Все сертификаты уже выданы.",
        )
    return redirect("events:certificates", pk=event.pk)


@login_required
@require_POST
def certificate_zip(request, pk: int):
    from bibliomo.events.tasks import certificates_zip

    event = event_or_404(request, pk, "events.issue_certificates")
    job = job_start(
        request.user,
        "certificates_zip",
        f"Сертификаты: {event.title}",
        certificates_zip,
        {"event_id": event.pk},
    )
    return redirect("job_detail", pk=job.pk)


def _certificate_for(request, number: str) -> Certificate:
    certificate = get_object_or_404(
        Certificate.objects.select_related("event__association", "person"), number=number
    )
    user = request.user
    if certificate.person_id != user.pk and not user.has_perm(
        "events.issue_certificates", certificate.event
    ):
        raise Http404  # someone else's certificate does not exist for you
    return certificate


@login_required
def certificate_pdf(request, number: str):
    certificate = _certificate_for(request, number)
    return attachment(
        certificates.certificate_pdf(certificate), PDF_MIME, f"certificate-{certificate.number}.pdf"
    )


@login_required
def certificate_name(request, number: str):
    certificate = _certificate_for(request, number)
    require_perm(request, "events.issue_certificates", certificate.event)
    form = NameForm(
        request.POST or None, initial={"recipient_dative": certificate.recipient_dative}
    )
    if request.method == "POST" and form.is_valid():
        try:
            certificates.certificate_correct_name(
                request.user, certificate, form.cleaned_data["recipient_dative"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Форма имени исправлена.")
            return redirect("events:certificates", pk=certificate.event_id)
    return render(
        request, "events/certificate_name.html", {"certificate": certificate, "form": form}
    )


@login_required
def certificate_template(request, role: str):
    association = require_association(request)
    require_perm(request, "events.add_event", association)
    if role not in Certificate.Role.values:
        raise Http404
    current = certificates.template_for(association, role)
    initial = {
        "title": current.title,
        "subtitle": current.subtitle,
        "body": current.body,
        "signatures": [list(pair) for pair in current.signatures],
        "place_and_year": current.place_and_year,
    }
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            certificates.template_save(request.user, association, role, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Шаблон сохранён.")
            return redirect("events:certificate_template", role=role)
    return render(
        request,
        "events/certificate_template.html",
        {"form": form, "role_label": dict(Certificate.Role.choices)[role]},
    )


def certificate_verify(request, number: str):
    """The public page a certificate's QR code opens."""
    certificate = (
        Certificate.objects.select_related("event__association").filter(number=number).first()
    )
    # Contests' diplomas and certificates are checked on the same page (their numbers differ).
    award = None
    if certificate is None:
        from bibliomo.contests.models import Award

        award = Award.objects.select_related("contest__association").filter(number=number).first()
    status = 200 if certificate or award else 404
    return render(
        request,
        "events/certificate_verify.html",
        {"certificate": certificate, "award": award, "number": number[:40]},
        status=status,
    )


# --- Minutes ---------------------------------------------------------------------------------


@login_required
def minutes_edit(request, pk: int):
    event = event_or_404(request, pk, "events.write_minutes")
    if not event.keeps_minutes:
        raise Http404
    existing = Minutes.objects.filter(event=event).prefetch_related("items").first()
    initial = {"number": str(minutes.meeting_number(event))}
    items_initial = []
    if existing is not None:
        initial = {
            "number": existing.number,
            "chair": existing.chair,
            "secretary": existing.secretary,
            "invited": existing.invited,
        }
        items_initial = [
            {
                "title": i.title,
                "speaker": i.speaker,
                "heard": i.heard,
                "spoke": i.spoke,
                "decided": i.decided,
            }
            for i in existing.items.all()
        ]
    form = MinutesForm(request.POST or None, initial=initial)
    items = AgendaFormSet(request.POST or None, initial=items_initial, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [f.cleaned_data for f in items.forms if f.cleaned_data.get("title")]
        try:
            minutes.minutes_save(request.user, event, items=rows, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Протокол сохранён.")
            return redirect("events:minutes", pk=event.pk)
    return render(
        request,
        "events/minutes.html",
        {"event": event, "form": form, "items": items, "existing": existing},
    )


@login_required
def minutes_docx(request, pk: int):
    event = event_or_404(request, pk, "events.view_registrations")
    if not Minutes.objects.filter(event=event).exists():
        raise Http404
    return attachment(
        render_docx(minutes.minutes_document(event)), DOCX_MIME, f"protocol-{event.pk}.docx"
    )
