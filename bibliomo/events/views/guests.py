"""Guests at open events: registering without an account, and the page of the letter's link
(see, cancel, delete one's data). The organiser's Excel list of participants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.responses import attachment
from bibliomo.events import participants_export, selectors, services
from bibliomo.events.forms import GuestForm
from bibliomo.events.models import Event, Guest, Registration
from bibliomo.events.views.common import event_or_404
from bibliomo.privacy import services as privacy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guest_register(request, pk: int):
    event = get_object_or_404(selectors.public_events(), pk=pk)
    is_open, why = event.registration_state()
    form = GuestForm(request.POST or None)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            guest = services.guest_register(event, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(guest)
    return render(request, "events/guest_form.html", {"event": event, "form": form, "closed": why})


def guest_detail(request, token: str):
    guest = get_object_or_404(Guest.objects.select_related("event__association"), token=token)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.guest_cancel(guest)
                messages.success(request, "Запись отменена.")
                return redirect(guest)
            if action == "forget":
                event = guest.event
                privacy.guest_forget(guest)
                messages.success(request, "Ваши данные удалены.")
                return redirect("public_event", pk=event.pk)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(guest)
    return render(
        request,
        "events/guest_detail.html",
        {
            "guest": guest,
            "event": guest.event,
            "active": guest.status != Registration.Status.CANCELLED,
        },
    )


@login_required
def participants_xlsx(request, pk: int):
    event: Event = event_or_404(request, pk, "events.view_registrations")
    return attachment(
        participants_export.participants_xlsx(event), XLSX, f"participants-{event.pk}.xlsx"
    )
