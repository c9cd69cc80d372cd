"""Lists, the calendar, the event card and its editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.core.actions import perform
from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.params import month_param
from bibliomo.directory.access import require_association, require_perm
from bibliomo.directory.models import Role
from bibliomo.events import selectors, services
from bibliomo.events.forms import CancelForm, EventForm, FeedbackForm, ProgrammeFormSet
from bibliomo.events.models import FEEDBACK_QUESTIONS, Event, Feedback, Registration
from bibliomo.events.views.common import event_or_404
from bibliomo.lib import ru

PAGE_SIZE = 50


def _drafts(request, association) -> dict:
    """Drafts in lists: all of them for the methodist, her own for an organiser."""
    if Role.METHODIST in request.user.roles_in(association.pk):
        return {"include_drafts": True}
    return {"drafts_of": request.user}


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "events.view_events", association)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Event.Kind.values else ""
    fmt = request.GET.get("format", "")
    fmt = fmt if fmt in Event.Format.values else ""
    month = month_param(request.GET.get("month"))
    mine = request.GET.get("mine") == "1"
    organised = request.GET.get("organised") == "1"
    can_add = request.user.has_perm("events.add_event", association)
    events = selectors.events_for_list(
        association,
        kind=kind,
        fmt=fmt,
        month=month,
        person=request.user if mine else None,
        organiser=request.user if organised else None,
        **_drafts(request, association),
    )
    if month is None and not mine and request.GET.get("past") != "1":
        events = events.filter(ends_at__gte=timezone.now())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/index.html",
        {
            "page": page,
            "kinds": Event.Kind.choices,
            "formats": Event.Format.choices,
            "kind": kind,
            "fmt": fmt,
            "month": month,
            "mine": mine,
            "organised": organised,
            "past": request.GET.get("past") == "1",
            "can_add": can_add,
        },
    )


@login_required
def calendar_month(request):
    association = require_association(request)
    require_perm(request, "events.view_events", association)
    today = timezone.localdate()
    month = month_param(request.GET.get("month")) or today.replace(day=1)
    events = list(
        selectors.events_for_list(association, month=month, **_drafts(request, association))
    )
    previous = (month.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    return render(
        request,
        "events/calendar.html",
        {
            "weeks": selectors.calendar_weeks(month, events),
            "month": month,
            "month_label": f"{ru.month_name(month.month, capital=True)} {month.year}",
            "previous": previous,
            "following": following,
            "today": today,
            "weekdays": ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"],
        },
    )


@login_required
def detail(request, pk: int):
    event = event_or_404(request, pk)
    user = request.user
    registration = Registration.objects.filter(event=event, person=user).first()
    can_manage = user.has_perm("events.manage_registrations", event)
    is_open, closed_reason = event.registration_state()
    context = {
        "event": event,
        "registration": registration,
        "is_open": is_open,
        "closed_reason": closed_reason,
        "can_change": user.has_perm("events.change_event", event),
        "can_manage": can_manage,
        "can_view_registrations": user.has_perm("events.view_registrations", event),
        "materials": selectors.visible_materials(event, user, registration, can_manage),
        "cancel_form": CancelForm(),
        "counts": _counts(event),
        "online_url": event.online_url_for(user),
        "clashes": [] if event.is_past else selectors.clashes(event, user),
    }
    if registration is not None and registration.attendance == Registration.Attendance.ATTENDED:
        existing = Feedback.objects.filter(registration=registration).first()
        initial = {**existing.ratings, "comment": existing.comment} if existing else None
        context["feedback_form"] = FeedbackForm(initial=initial)
        context["feedback_given"] = existing is not None
    if context["can_view_registrations"]:
        context["feedback_summary"] = _feedback_summary(event)
    return render(request, "events/detail.html", context)


def _counts(event: Event) -> dict[str, int | None]:
    rows = dict(
        event.registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    registered = rows.get(Registration.Status.REGISTERED, 0)
    return {
        "registered": registered,
        "waitlisted": rows.get(Registration.Status.WAITLISTED, 0),
        "free": None if event.capacity is None else max(event.capacity - registered, 0),
    }


def _feedback_summary(event: Event) -> dict:
    feedback = Feedback.objects.filter(registration__event=event)
    rows = []
    answers = list(feedback.values_list("ratings", flat=True))
    for key, question in FEEDBACK_QUESTIONS:
        values = [a[key] for a in answers if key in a]
        rows.append((question, round(sum(values) / len(values), 1) if values else None))
    return {
        "count": len(answers),
        "rows": rows,
        "comments": [c for c in feedback.values_list("comment", flat=True) if c][:50],
    }


def _edit(request, event: Event | None):
    association = require_association(request)
    form = EventForm(
        request.POST or None,
        instance=event,
        association=association,
        # Whoever creates an event organises it (a draft is seen by its organisers only).
        initial=None if event else {"organisers": [request.user.pk]},
    )
    initial_programme = [
        {
            "starts_at": item.starts_at,
            "topic": item.topic,
            "speaker": item.speaker,
            "speaker_name": item.speaker_name,
            "speaker_details": item.speaker_details,
        }
        for item in (event.programme.all() if event else [])
    ]
    programme = ProgrammeFormSet(
        request.POST or None,
        initial=initial_programme,
        prefix="programme",
        form_kwargs={"association": association},
    )
    if request.method == "POST" and form.is_valid() and programme.is_valid():
        fields = form.service_fields()
        try:
            with transaction.atomic():
                if event is None:
                    saved = services.event_create(request.user, association, **fields)
                else:
                    saved = services.event_update(request.user, event, **fields)
                services.programme_set(request.user, saved, programme.items())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Мероприятие сохранено.")
            return redirect(saved)
    return render(
        request, "events/form.html", {"form": form, "programme": programme, "event": event}
    )


@login_required
def create(request):
    association = require_association(request)
    require_perm(request, "events.add_event", association)
    return _edit(request, None)


@login_required
def edit(request, pk: int):
    return _edit(request, event_or_404(request, pk, "events.change_event"))


def _transition(request, pk: int, action, success: str):
    event = event_or_404(request, pk, "events.change_event")
    perform(request, action, request.user, event, done=success)
    return redirect(event)


@login_required
@require_POST
def announce(request, pk: int):
    return _transition(
        request, pk, services.event_announce, "Мероприятие объявлено: участники могут записываться."
    )


@login_required
@require_POST
def mark_held(request, pk: int):
    return _transition(request, pk, services.event_mark_held, "Мероприятие отмечено проведённым.")


@login_required
@require_POST
def cancel(request, pk: int):
    event = event_or_404(request, pk, "events.change_event")
    form = CancelForm(request.POST)
    if form.is_valid():
        perform(
            request,
            services.event_cancel,
            request.user,
            event,
            form.cleaned_data["reason"],
            done="Мероприятие отменено; записавшимся отправлены письма.",
        )
    else:
        messages.error(request, "Укажите причину отмены.")
    return redirect(event)


@login_required
@require_POST
def feedback(request, pk: int):
    event = event_or_404(request, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Оцените каждый вопрос от 1 до 5.")
        return redirect(event.get_absolute_url() + "#feedback")
    perform(
        request,
        services.feedback_submit,
        request.user,
        event,
        form.ratings(),
        form.cleaned_data["comment"],
        done="Спасибо за отзыв!",
    )
    return redirect(event.get_absolute_url() + "#feedback")
