from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bibliomo.events import services
from bibliomo.events.models import Event


def make_event(
    cast,
    *,
    days: float = 7,
    capacity=None,
    status="announced",
    kind="seminar",
    audience="members",
    **fields,
) -> Event:
    start = timezone.now() + timedelta(days=days)
    data = {
        "title": "Алгоритм заказа учебной литературы",
        "kind": kind,
        "description": "",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "format": "in_person",
        "building": cast.school_a.buildings.get(),
        "room": "библиотека",
        "address": "",
        "online_url": "",
        "audience": audience,
        "audience_school": None,
        "capacity": capacity,
        "registration_opens_at": None,
        "registration_closes_at": None,
        "hours": Decimal(2),
    }
    data.update(fields)
    event = services.event_create(cast.methodist, cast.association, **data)
    if status != "draft":
        services.event_announce(cast.methodist, event)
    return event


@pytest.fixture
def event(cast):
    return make_event(cast, capacity=2)


@pytest.fixture
def past_event(cast):
    event = make_event(cast, days=7)
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    services.registration_create(cast.librarian_b, event, cast.librarian_b)
    # Move it into the past as if a week had gone by.
    start = timezone.now() - timedelta(days=2)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    event.refresh_from_db()
    return event
