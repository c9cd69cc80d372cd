"""The methodist anonymises a person who has left: she is gone, her history and figures stay."""

import pytest
from django.test import Client
from django.urls import reverse

from bibliomo.core.models import AuditEntry
from bibliomo.directory import services as directory
from bibliomo.events import selectors as event_selectors
from bibliomo.events.models import Certificate, Registration
from bibliomo.privacy.models import DeletionRequest
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _totals(event):
    return {
        "registrations": Registration.objects.count(),
        "attended": Registration.objects.filter(attendance="attended").count(),
        "event_attended": event.registrations.filter(attendance="attended").count(),
        "certificates": sorted(Certificate.objects.values_list("number", flat=True)),
    }


def test_anonymising_keeps_every_total_and_drops_the_person(cast, login, client, attended_event):
    person = cast.librarian_a
    directory.profile_update(person, phone="+7 900 123-45-67")
    before = _totals(attended_event)
    hours_before = event_selectors.participation_of(person).attended_hours
    login(person).post(reverse("privacy:deletion_request"), {"reason": "Уволилась"})

    url = reverse("privacy:person_anonymise", args=[person.pk])
    client = login(cast.methodist)
    assert "Обезличить безвозвратно" in client.get(url).content.decode()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302

    person.refresh_from_db()
    label = f"Участник № {person.pk}"
    assert person.full_name == person.short_name == label
    assert person.email == f"anonymised-{person.pk}@invalid" and person.phone == ""
    assert not person.is_active and not person.has_usable_password() and person.anonymised_at
    assert person.school == cast.school_a  # the school's figures keep her
    assert _totals(attended_event) == before
    assert event_selectors.participation_of(person).attended_hours == hours_before
    assert DeletionRequest.objects.get(person=person).status == "done"

    certificate = Certificate.objects.get(person=person)
    assert certificate.recipient_full_name == certificate.recipient_dative == ""
    page = client.get(reverse("certificate_verify", args=[certificate.number]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Сертификат подлинный" in body and certificate.number in body
    assert "Иванова" not in body and "Кому" not in body

    for entry in AuditEntry.objects.all():
        text = f"{entry.actor_label} {entry.object_repr} {entry.comment} {entry.changes}"
        assert "Иванова" not in text and "lib.a@test.ru" not in text and "123-45-67" not in text
    for email in ("lib.a@test.ru", person.email):
        signin = Client().post(reverse("login"), {"username": email, "password": PASSWORD})
        assert signin.status_code == 200 and "_auth_user_id" not in signin.client.session
    attendees = client.get(reverse("events:registrations", args=[attended_event.pk]))
    assert label in attendees.content.decode()


@pytest.mark.parametrize("who", ["head", "director", "librarian_b"])
def test_other_roles_cannot_anonymise(cast, login, who):
    url = reverse("privacy:person_anonymise", args=[cast.librarian_a.pk])
    client = login(getattr(cast, who))
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "on"}).status_code == 403
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.anonymised_at is None


def test_methodist_cannot_anonymise_herself_nor_another_associations_person(cast, login):
    client = login(cast.methodist)
    own = reverse("privacy:person_anonymise", args=[cast.methodist.pk])
    assert client.post(own, {"confirm": "on"}).status_code == 403
    foreign = reverse("privacy:person_anonymise", args=[cast.outsider.pk])
    assert client.post(foreign, {"confirm": "on"}).status_code == 404
    unknown = reverse("privacy:person_anonymise", args=[99999999])
    assert client.get(unknown).status_code == 404
    cast.outsider.refresh_from_db()
    assert cast.outsider.anonymised_at is None


def test_without_confirmation_nothing_changes(cast, login):
    url = reverse("privacy:person_anonymise", args=[cast.librarian_a.pk])
    response = login(cast.methodist).post(url, {})
    assert response.status_code == 200
    assert "Подтвердите обезличивание" in response.content.decode()
    cast.librarian_a.refresh_from_db()
    assert cast.librarian_a.last_name == "Иванова" and cast.librarian_a.is_active


def test_anonymising_twice_is_refused(cast, login):
    url = reverse("privacy:person_anonymise", args=[cast.librarian_a.pk])
    client = login(cast.methodist)
    client.post(url, {"confirm": "on"})
    page = client.get(url).content.decode()
    assert "уже обезличены" in page
    response = client.post(url, {"confirm": "on"})
    assert "уже обезличен" in response.content.decode()


def test_person_card_offers_anonymisation_to_the_methodist_only(cast, login):
    url = reverse("directory:person_detail", args=[cast.librarian_a.pk])
    link = reverse("privacy:person_anonymise", args=[cast.librarian_a.pk])
    assert link in login(cast.methodist).get(url).content.decode()
    assert link not in login(cast.head).get(url).content.decode()


def test_an_anonymised_card_cannot_be_edited_or_switched_back_on(cast, login):
    from bibliomo.core.errors import DomainError
    from bibliomo.directory import services as people

    person = cast.librarian_a
    client = login(cast.methodist)
    client.post(reverse("privacy:person_anonymise", args=[person.pk]), {"confirm": "on"})
    page = client.get(reverse("directory:person_detail", args=[person.pk])).content.decode()
    assert "данные обезличены" in page
    assert reverse("directory:person_edit", args=[person.pk]) not in page
    response = client.post(reverse("directory:person_activate", args=[person.pk]), follow=True)
    assert "не включить" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active
    with pytest.raises(DomainError, match="обезличены"):
        people.person_update(cast.methodist, person, last_name="Иванова")
