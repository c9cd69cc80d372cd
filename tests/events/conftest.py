from datetime import timedelta

import pytest
from django.utils import timezone

from bibliomo.events import services
from bibliomo.events.models import Event
from tests.factories import make_event


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
