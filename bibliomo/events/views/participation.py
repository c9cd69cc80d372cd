"""Taking part: registering, the list of participants, attendance, the sign-in sheet,
materials, and a person's own participation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.responses import attachment, stored_file
from bibliomo.directory.access import require_association
from bibliomo.directory.models import Person
from bibliomo.events import attendance_lists, selectors, services
from bibliomo.events.forms import (
    AttendanceUploadForm,
    MaterialForm,
    RegisterOtherForm,
)
from bibliomo.events.models import Event, Material, Registration
from bibliomo.events.views.common import event_or_404
from bibliomo.lib.documents import DOCX_MIME, PDF_MIME
from bibliomo.lib.signin_sheet import signin_sheet_docx, signin_sheet_pdf


@login_required
@require_POST
def register(request, pk: int):
    event = event_or_404(request, pk, "events.register")
    try:
        registration = services.registration_create(request.user, event, request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if registration.status == Registration.Status.WAITLISTED:
            messages.warning(
                request, "Мест нет: вы в листе ожидания. Мы сообщим, если место освободится."
            )
        else:
            messages.success(
                request, "Вы записаны. Письмо с приглашением для календаря отправлено на почту."
            )
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def unregister(request, pk: int):
    """GET: a confirm step (what is cancelled, and that the place may go to someone waiting);
    POST: cancel one's own registration."""
    event = event_or_404(request, pk, "events.register")
    registration = Registration.objects.filter(event=event, person=request.user).first()
    if registration is None:
        messages.error(request, "Вы не записаны на это мероприятие.")
        return redirect(event)
    if request.method == "GET":
        if registration.status == Registration.Status.CANCELLED:
            messages.info(request, "Запись уже отменена.")
            return redirect(event)
        return render(
            request,
            "events/unregister_confirm.html",
            {"event": event, "registration": registration},
        )
    perform(
        request, services.registration_cancel, request.user, registration, done="Запись отменена."
    )
    return redirect(event)


def _participants(event: Event):
    return (
        Registration.objects.filter(event=event)
        .select_related("person__school")
        .order_by("status", "person__last_name", "person__first_name")
    )


def _guests(event: Event) -> dict:
    guests = list(event.guests.order_by("status", "queued_at", "pk"))
    return {
        "guests": guests,
        "guests_registered": sum(g.status == Registration.Status.REGISTERED for g in guests),
        "guests_waiting": sum(g.status == Registration.Status.WAITLISTED for g in guests),
    }


@login_required
def registrations(request, pk: int):
    event = event_or_404(request, pk, "events.view_registrations")
    association = require_association(request)
    can_manage = request.user.has_perm("events.manage_registrations", event)
    rows = list(_participants(event))
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "active": [r for r in rows if r.status == Registration.Status.REGISTERED],
            "waitlist": sorted(
                (r for r in rows if r.status == Registration.Status.WAITLISTED),
                key=lambda r: (r.queued_at, r.pk),
            ),
            "cancelled": [r for r in rows if r.status == Registration.Status.CANCELLED],
            "can_manage": can_manage,
            "register_form": RegisterOtherForm(association=association) if can_manage else None,
            "upload_form": AttendanceUploadForm() if can_manage else None,
            "attendance_choices": Registration.Attendance.choices,
            **_guests(event),
        },
    )


@login_required
@require_POST
def register_other(request, pk: int):
    event = event_or_404(request, pk, "events.manage_registrations")
    form = RegisterOtherForm(request.POST, association=require_association(request))
    if not form.is_valid():
        messages.error(request, "Выберите участника из списка.")
    else:
        person = form.cleaned_data["person"]
        perform(
            request,
            services.registration_create,
            request.user,
            event,
            person,
            done=lambda registration: f"{person.short_name}: {registration.get_status_display()}.",
        )
    return redirect("events:registrations", pk=event.pk)


@login_required
@require_POST
def cancel_registration(request, pk: int, registration_pk: int):
    event = event_or_404(request, pk, "events.manage_registrations")
    registration = get_object_or_404(Registration, event=event, pk=registration_pk)
    perform(
        request,
        services.registration_cancel,
        request.user,
        registration,
        done=f"Запись {registration.person.short_name} отменена.",
    )
    return redirect("events:registrations", pk=event.pk)


@login_required
@require_POST
def attendance(request, pk: int):
    event = event_or_404(request, pk, "events.manage_registrations")
    marks = {}
    for key, value in request.POST.items():
        if key.startswith("attendance_"):
            try:
                marks[int(key.removeprefix("attendance_"))] = value
            except ValueError:
                continue
    bulk = request.POST.get("bulk")
    if bulk:
        ids = [int(i) for i in request.POST.getlist("selected") if i.isdigit()]
        marks.update({i: bulk for i in ids})
    perform(
        request,
        services.attendance_mark,
        request.user,
        event,
        marks,
        done=lambda changed: f"Посещение сохранено (изменений: {changed}).",
    )
    return redirect("events:registrations", pk=event.pk)


@login_required
def attendance_import(request, pk: int):
    """Upload a webinar's attendance list, check the matches, then mark them attended."""
    event = event_or_404(request, pk, "events.manage_registrations")
    association = require_association(request)
    session_key = f"attendance_import_{event.pk}"
    if request.method == "POST" and "confirm" in request.POST:
        return _attendance_confirm(request, event, session_key)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"event": event, "form": form}
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if attendance_lists.runs_in_background(upload.size):
            job = attendance_lists.attendance_list_start(
                request.user, event, upload.checked_data, upload.name
            )
            return redirect(reverse("events:attendance_import", args=[event.pk]) + f"?job={job.pk}")
        result = attendance_lists.attendance_list_check(
            association, upload.checked_data, upload.name
        )
    elif request.GET.get("job"):
        checked = attendance_lists.attendance_list_job_of(request.user, event, request.GET["job"])
        if checked is None:
            raise Http404
        context["job"] = checked
        result = checked.params.get("result")
    if result is not None:
        context.update(attendance_lists.attendance_preview(result, association))
        if "matched" in context:
            request.session[session_key] = attendance_lists.preview_candidates(context)
    return render(request, "events/attendance_import.html", context)


def _attendance_confirm(request, event: Event, session_key: str):
    """Mark the people ticked on the preview — only those the preview offered."""
    ids = [int(i) for i in request.POST.getlist("person") if i.isdigit()]
    allowed = set(request.session.get(session_key, []))
    people = Person.objects.filter(pk__in=[i for i in ids if i in allowed])
    try:
        count = services.attendance_import(request.user, event, people)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        request.session.pop(session_key, None)
        messages.success(request, f"Отмечено присутствовавших: {count}.")
    return redirect("events:registrations", pk=event.pk)


@login_required
def signin_sheet(request, pk: int, kind: str):
    event = event_or_404(request, pk, "events.view_registrations")
    sheet = selectors.signin_sheet(event)
    if kind == "docx":
        content, mime = signin_sheet_docx(sheet), DOCX_MIME
    elif kind == "pdf":
        content, mime = signin_sheet_pdf(sheet), PDF_MIME
    else:
        raise Http404
    return attachment(content, mime, f"signin-{event.pk}.{kind}")


@login_required
def material_add(request, pk: int):
    event = event_or_404(request, pk, "events.change_event")
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_add(request.user, event, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Материал добавлен.")
            return redirect(event)
    return render(request, "events/material_form.html", {"event": event, "form": form})


@login_required
@require_POST
def material_delete(request, pk: int):
    material = get_object_or_404(Material.objects.select_related("event"), pk=pk)
    event = event_or_404(request, material.event_id, "events.change_event")
    services.material_delete(request.user, material)
    messages.success(request, "Материал удалён.")
    return redirect(event)


def material_download(request, pk: int):
    """Files are always downloads with a neutral type: nothing uploaded renders on our origin."""
    material = get_object_or_404(Material.objects.select_related("event"), pk=pk)
    event = material.event
    user = request.user
    registration = (
        Registration.objects.filter(event=event, person=user).first()
        if user.is_authenticated
        else None
    )
    can_manage = user.is_authenticated and user.has_perm("events.change_event", event)
    visible = selectors.visible_materials(event, user, registration, can_manage)
    if material not in visible or not material.file:
        if not user.is_authenticated:
            raise Http404
        raise PermissionDenied
    return stored_file(material.file, material.original_name or material.title)


@login_required
def my_participation(request):
    prefs = services.participant_settings(request.user)
    if request.method == "POST":
        if "reset_token" in request.POST:
            services.calendar_token_reset(request.user)
            messages.success(request, "Ссылки на календарь обновлены: старые больше не работают.")
        else:
            services.participant_settings_update(
                request.user, reminders=request.POST.get("reminders") == "on"
            )
            messages.success(request, "Настройки сохранены.")
        return redirect("events:my")
    return render(
        request,
        "events/my.html",
        {"participation": selectors.participation_of(request.user), "prefs": prefs},
    )
