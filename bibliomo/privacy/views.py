"""Personal data pages: consent, the person's own data, deletion requests, anonymisation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error, errors_text
from bibliomo.core.responses import attachment
from bibliomo.directory.access import current_association, require_association, require_perm
from bibliomo.directory.models import Person
from bibliomo.lib.documents import DOCX_MIME
from bibliomo.privacy import export, selectors, services
from bibliomo.privacy.forms import (
    AnonymiseForm,
    ConsentForm,
    ConsentTextForm,
    DeclineForm,
    DeletionRequestForm,
)
from bibliomo.privacy.models import Consent, DeletionRequest


def _posted(request):
    """The POST data even when empty (an unticked box alone sends nothing), else None."""
    return request.POST if request.method == "POST" else None


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/app/"


@login_required
def consent(request):
    association = require_association(request)
    if not association.consent_text.strip():
        return redirect(_next_url(request))
    form = ConsentForm(_posted(request), initial={"version": association.consent_version})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_accept(request.user, association, form.cleaned_data["version"])
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(f"{request.path}?{urlencode({'next': _next_url(request)})}")
        messages.success(request, "Спасибо: согласие записано.")
        return redirect(_next_url(request))
    accepted = (
        Consent.objects.filter(person=request.user, association=association)
        .order_by("-version")
        .first()
    )
    return render(
        request,
        "privacy/consent.html",
        {
            "association": association,
            "form": form,
            "next": _next_url(request),
            "previous": accepted,
            "already": request.user.has_consented(association),
        },
    )


@login_required
def consent_text(request):
    association = require_association(request)
    require_perm(request, "privacy.manage_consent_text", association)
    form = ConsentTextForm(_posted(request), initial={"text": association.consent_text})
    if request.method == "POST" and form.is_valid():
        before = association.consent_version
        association = services.consent_text_update(
            request.user, association, form.cleaned_data["text"]
        )
        if association.consent_version != before:
            messages.success(
                request,
                f"Сохранена редакция {association.consent_version}: участники примут её "
                "при следующем входе.",
            )
        else:
            messages.info(request, "Текст не изменился.")
        return redirect("privacy:consent_text")
    accepted = Consent.objects.filter(
        association=association, version=association.consent_version
    ).count()
    return render(
        request,
        "privacy/consent_text.html",
        {"form": form, "association": association, "accepted": accepted},
    )


@login_required
def my_data(request, fmt: str):
    data = selectors.personal_data(request.user)
    if fmt == "json":
        return attachment(
            export.personal_data_json(data), "application/json", "мои-данные-bibliomo.json"
        )
    return attachment(export.personal_data_docx(data), DOCX_MIME, "мои-данные-bibliomo.docx")


@login_required
@require_POST
def deletion_request(request):
    association = require_association(request)
    # One who has not consented asks from the consent page and goes back there.
    back = "directory:profile" if request.user.has_consented(association) else "privacy:consent"
    form = DeletionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(back)
    try:
        services.deletion_request_create(request.user, association, form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Просьба передана методисту. Когда данные будут обезличены, войти будет нельзя; "
            "сведения об участии в мероприятиях сохранятся без имени.",
        )
    return redirect(back)


@login_required
@require_POST
def deletion_request_decline(request, pk: int):
    association = require_association(request)
    require_perm(request, "privacy.handle_deletion_requests", association)
    item = get_object_or_404(DeletionRequest, association=association, pk=pk)
    form = DeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("Напишите, почему просьба отклонена.", field="answer")
        services.deletion_request_decline(request.user, item, form.cleaned_data["answer"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Просьба {item.person.short_name} отклонена.")
    return redirect("home")


@login_required
def person_anonymise(request, pk: int):
    association = require_association(request)
    person = get_object_or_404(
        Person.objects.filter(role_grants__association=association).distinct(), pk=pk
    )
    require_perm(request, "privacy.anonymise_person", person)
    form = AnonymiseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_anonymise(request.user, person)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Данные обезличены: теперь это «{services.anonymous_label(person)}».",
            )
            return redirect("directory:person_detail", pk=person.pk)
    requests = DeletionRequest.objects.filter(person=person).order_by("-created_at")
    return render(
        request,
        "privacy/anonymise.html",
        {"person": person, "form": form, "requests": requests},
    )


def open_requests_for(request):
    """For the methodist's home page: open deletion requests, or None for anyone else."""
    association = current_association(request)
    if association is None or not request.user.has_perm(
        "privacy.handle_deletion_requests", association
    ):
        return None
    return list(selectors.open_deletion_requests(association))
