from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.events import services
from bibliomo.events.models import Event, Registration
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def test_capacity_puts_the_third_person_on_the_waitlist(cast, event):
    a = services.registration_create(cast.librarian_a, event, cast.librarian_a)
    b = services.registration_create(cast.librarian_b, event, cast.librarian_b)
    c = services.registration_create(cast.head, event, cast.head)
    assert (a.status, b.status, c.status) == ("registered", "registered", "waitlisted")


def test_cancellation_moves_the_waitlist_up_and_tells_the_person(
    cast, event, django_capture_on_commit_callbacks
):
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    services.registration_create(cast.librarian_b, event, cast.librarian_b)
    waiting = services.registration_create(cast.head, event, cast.head)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(
            cast.librarian_a, Registration.objects.get(person=cast.librarian_a)
        )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    promoted = [m for m in mail.outbox if m.to == ["head@test.ru"]]
    assert promoted and "Освободилось место" in promoted[0].subject
    assert promoted[0].attachments[0][0] == "event.ics"


def test_waitlist_order_is_first_come_first_served(cast, event):
    from bibliomo.directory import services as people
    from bibliomo.directory.models import Role

    others = [
        people.person_create(
            None,
            cast.association,
            email=f"w{n}@test.ru",
            last_name=f"Ж{n}",
            first_name="А",
            roles=[Role.LIBRARIAN],
            school=cast.school_a,
        )
        for n in range(3)
    ]
    for person in [cast.librarian_a, cast.librarian_b, *others]:
        services.registration_create(person, event, person)
    services.registration_cancel(
        cast.librarian_b, Registration.objects.get(person=cast.librarian_b)
    )
    statuses = dict(Registration.objects.filter(event=event).values_list("person__email", "status"))
    assert statuses["w0@test.ru"] == "registered"
    assert statuses["w1@test.ru"] == statuses["w2@test.ru"] == "waitlisted"


def test_registering_twice_is_refused(cast, event):
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    with pytest.raises(DomainError, match="уже записаны"):
        services.registration_create(cast.librarian_a, event, cast.librarian_a)
    assert Registration.objects.filter(event=event).count() == 1


def test_cancelled_registration_can_register_again_at_the_end_of_the_queue(cast, event):
    first = services.registration_create(cast.librarian_a, event, cast.librarian_a)
    services.registration_cancel(cast.librarian_a, first)
    again = services.registration_create(cast.librarian_a, event, cast.librarian_a)
    assert again.pk == first.pk and again.status == "registered"


def test_registration_after_the_deadline_is_refused(cast):
    event = make_event(cast, registration_closes_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError, match="срок регистрации истёк"):
        services.registration_create(cast.librarian_a, event, cast.librarian_a)
    assert not Registration.objects.exists()


def test_methodist_may_add_someone_after_the_deadline(cast):
    event = make_event(cast, registration_closes_at=timezone.now() - timedelta(hours=1))
    registration = services.registration_create(cast.methodist, event, cast.librarian_a)
    assert registration.status == "registered"


def test_registration_to_a_cancelled_or_draft_event_is_refused(cast):
    draft = make_event(cast, status="draft")
    with pytest.raises(DomainError, match="ещё не объявлено"):
        services.registration_create(cast.librarian_a, draft, cast.librarian_a)
    cancelled = make_event(cast)
    services.event_cancel(cast.methodist, cancelled, "Карантин")
    with pytest.raises(DomainError, match="отменено"):
        services.registration_create(cast.methodist, cancelled, cast.librarian_a)


def test_school_staff_event_is_for_that_school(cast):
    event = make_event(cast, audience="school_staff", audience_school=cast.school_a)
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    with pytest.raises(DomainError, match="только для сотрудников"):
        services.registration_create(cast.librarian_b, event, cast.librarian_b)


def test_outsider_cannot_register_for_members_event(cast, event):
    with pytest.raises(DomainError, match="только для членов"):
        services.registration_create(cast.methodist, event, cast.outsider)


def test_event_change_bumps_the_calendar_version_and_writes_to_participants(
    cast, event, django_capture_on_commit_callbacks
):
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(cast.methodist, event, room="актовый зал")
    event.refresh_from_db()
    assert event.sequence == 1
    assert [m.subject for m in mail.outbox] == [f"Изменения в мероприятии: {event.title}"]
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(cast.methodist, event, description="Подробнее")
    event.refresh_from_db()
    assert event.sequence == 1 and len(mail.outbox) == 1  # text only: no letters


def test_cancelling_an_event_needs_a_reason_and_tells_everyone(
    cast, event, django_capture_on_commit_callbacks
):
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    with pytest.raises(DomainError, match="причину"):
        services.event_cancel(cast.methodist, event, " ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(cast.methodist, event, "Карантин в школе")
    assert "Мероприятие отменено" in mail.outbox[0].subject
    assert "Карантин в школе" in mail.outbox[0].body
    content = mail.outbox[0].attachments[0][1]
    assert "STATUS:CANCELLED" in (content if isinstance(content, str) else content.decode())


def test_event_times_are_checked(cast):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(DomainError, match="Окончание"):
        make_event(cast, starts_at=start, ends_at=start - timedelta(hours=1))
    with pytest.raises(DomainError, match="ссылку"):
        make_event(cast, format="online", building=None)
    with pytest.raises(DomainError, match="место"):
        make_event(cast, building=None)
    assert not Event.objects.exists()


def test_attendance_marks_in_bulk_only_after_the_start(cast, event, past_event):
    registration = services.registration_create(cast.librarian_a, event, cast.librarian_a)
    with pytest.raises(DomainError, match="после начала"):
        services.attendance_mark(cast.methodist, event, {registration.pk: "attended"})
    marks = {r.pk: "attended" for r in past_event.registrations.all()}
    assert services.attendance_mark(cast.methodist, past_event, marks) == 2
    with pytest.raises(DomainError, match="не с этого мероприятия"):
        services.attendance_mark(cast.methodist, past_event, {registration.pk: "absent"})


def test_attendance_import_registers_those_who_only_came(cast, past_event):
    services.attendance_import(cast.methodist, past_event, [cast.head, cast.librarian_a])
    rows = dict(past_event.registrations.values_list("person__email", "attendance"))
    assert rows == {
        "lib.a@test.ru": "attended",
        "lib.b@test.ru": "unknown",
        "head@test.ru": "attended",
    }


def test_attendance_import_brings_back_a_cancelled_registration_in_the_same_queries(
    cast, past_event, django_assert_num_queries
):
    """A long list costs what a short one does: seven queries (the savepoint and its release,
    the lock, one read, one update and one insert of the registrations, the journal line)."""
    Registration.objects.filter(person=cast.librarian_b).update(
        status=Registration.Status.CANCELLED
    )
    with django_assert_num_queries(7) as two:  # one cancelled, one never registered
        assert (
            services.attendance_import(cast.methodist, past_event, [cast.librarian_b, cast.head])
            == 2
        )
    everyone = [cast.librarian_b, cast.head, cast.methodist, cast.librarian_a, cast.head]
    with django_assert_num_queries(len(two.captured_queries)):
        assert services.attendance_import(cast.methodist, past_event, everyone) == 4
    rows = set(past_event.registrations.values_list("person__email", "status", "attendance"))
    assert rows == {
        (person.email, "registered", "attended")
        for person in (cast.librarian_a, cast.librarian_b, cast.head, cast.methodist)
    }


def test_feedback_only_from_those_who_attended(cast, past_event):
    ratings = {"useful": 5, "organisation": 4, "applicable": 5}
    with pytest.raises(DomainError, match="присутствовавшие"):
        services.feedback_submit(cast.librarian_a, past_event, ratings, "")
    services.attendance_import(cast.methodist, past_event, [cast.librarian_a])
    with pytest.raises(DomainError, match="от 1 до 5"):
        services.feedback_submit(cast.librarian_a, past_event, {**ratings, "useful": 9}, "")
    feedback = services.feedback_submit(cast.librarian_a, past_event, ratings, " Полезно ")
    assert feedback.comment == "Полезно"


def test_reminders_go_the_day_before_once_and_respect_the_switch(
    cast, django_capture_on_commit_callbacks
):
    tomorrow_noon = timezone.localtime().replace(hour=12, minute=0) + timedelta(days=1)
    event = make_event(cast, starts_at=tomorrow_noon, ends_at=tomorrow_noon + timedelta(hours=2))
    services.registration_create(cast.librarian_a, event, cast.librarian_a)
    services.registration_create(cast.librarian_b, event, cast.librarian_b)
    services.participant_settings_update(cast.librarian_b, reminders=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue() == (2, 0)
    assert [m.to for m in mail.outbox] == [["lib.a@test.ru"]]
    assert mail.outbox[0].subject.startswith("Завтра:")
    assert services.reminders_queue() == (0, 0)


def test_feedback_is_requested_after_the_event_from_those_who_came(
    cast, past_event, django_capture_on_commit_callbacks
):
    services.attendance_import(cast.methodist, past_event, [cast.librarian_a])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_queue() == (0, 1)
    assert mail.outbox[0].to == ["lib.a@test.ru"]
    assert "#feedback" in mail.outbox[0].body


def test_reminder_command_prints_what_it_queued(cast):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("send_event_reminders", stdout=out)
    assert out.getvalue().strip() == "Напоминаний: 0; просьб об отзыве: 0."


def test_no_letter_about_an_event_that_is_over_carries_the_ics(
    cast, past_event, django_capture_on_commit_callbacks
):
    from bibliomo.events import notifications

    services.attendance_import(cast.methodist, past_event, [cast.librarian_a])
    registration = Registration.objects.get(event=past_event, person=cast.librarian_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for kind in notifications.KINDS:
            assert notifications.deliver(kind, registration.pk)
    assert len(mail.outbox) == len(notifications.KINDS)
    # The certificate is ready long after the event: an invitation to it would be nonsense.
    assert all(not m.attachments for m in mail.outbox)
    assert all("Bibliomo" in m.body and past_event.title in m.body for m in mail.outbox)
