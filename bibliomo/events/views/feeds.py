"""Calendar feeds (iCal) and the public pages of open events."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from bibliomo.events import selectors
from bibliomo.events.models import Event, ParticipantSettings, Registration
from bibliomo.events.notifications import calendar_event
from bibliomo.lib.ical import build_calendar

ICS_TYPE = "text/calendar; charset=utf-8"


def _ics_response(name: str, events, person=None) -> HttpResponse:
    if person is None:
        listed = [calendar_event(event, public=True) for event in events]
    else:
        registered = Registration.objects.filter(
            event=OuterRef("pk"), person=person, status=Registration.Status.REGISTERED
        )
        events = events.annotate(viewer_registered=Exists(registered))
        listed = [calendar_event(event, person) for event in events]
    body = build_calendar(name, listed)
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="bibliomo.ics"'
    return response


def _recent(events):
    # A year back is enough for any calendar; the feed stays small and fast.
    return events.filter(ends_at__gte=timezone.now() - timezone.timedelta(days=365))


def personal_feed(request, token: str, scope: str):
    """All the association's events, or only mine, at a secret address (no login: calendar
    apps cannot log in). Resetting the token on «Мои мероприятия» revokes old links."""
    prefs = get_object_or_404(
        ParticipantSettings.objects.select_related("person"), calendar_token=token
    )
    person = prefs.person
    if not person.is_active or scope not in ("all", "my"):
        raise Http404
    events = Event.objects.select_related("building__school", "association").exclude(
        status=Event.Status.DRAFT
    )
    if scope == "my":
        events = events.filter(
            registrations__person=person,
            registrations__status__in=[
                Registration.Status.REGISTERED,
                Registration.Status.WAITLISTED,
            ],
        )
        name = f"Мои мероприятия — {person.short_name}"
    else:
        events = events.filter(association_id__in=list(person.grants))
        name = "Мероприятия ММО"
    return _ics_response(name, _recent(events).distinct(), person)


def public_feed(request):
    return _ics_response("Открытые мероприятия ММО", _recent(selectors.public_events()))


def public_list(request):
    events = selectors.public_events().filter(ends_at__gte=timezone.now()).order_by("starts_at")
    return render(request, "events/public_list.html", {"events": events})


def public_detail(request, pk: int):
    event = get_object_or_404(
        selectors.public_events().prefetch_related("programme__speaker", "materials"), pk=pk
    )
    materials = selectors.visible_materials(event, request.user, None, False)
    return render(request, "events/public_detail.html", {"event": event, "materials": materials})
