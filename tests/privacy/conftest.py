import pytest

from bibliomo.events import services as event_services
from bibliomo.events.certificates import certificates_issue
from bibliomo.events.models import Event, Registration
from tests.factories import make_event


@pytest.fixture
def attended_event(cast):
    """A held seminar both librarians attended, with certificates issued."""
    from datetime import timedelta

    from django.utils import timezone

    event = make_event(cast, days=7)
    for person in (cast.librarian_a, cast.librarian_b):
        event_services.registration_create(person, event, person)
    start = timezone.now() - timedelta(days=2)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    event.refresh_from_db()
    marks = {r.pk: Registration.Attendance.ATTENDED for r in event.registrations.all()}
    event_services.attendance_mark(cast.methodist, event, marks)
    certificates_issue(cast.methodist, event)
    return event
