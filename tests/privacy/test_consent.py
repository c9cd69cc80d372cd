"""The consent gate on /app/: asked on first login, kept with its date and version, asked
again when the association changes the text."""

import pytest
from django.urls import reverse

from bibliomo.directory import services as directory
from bibliomo.directory.models import Association, Person, Role
from bibliomo.privacy.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(cast) -> Person:
    """A librarian who has never signed in: no consent yet."""
    return directory.person_create(
        None,
        cast.association,
        email="new@test.ru",
        last_name="Новикова",
        first_name="Нина",
        roles=[Role.LIBRARIAN],
        school=cast.school_a,
        password="x",
    )


def test_first_login_asks_for_consent_before_any_app_page(client, newcomer):
    client.force_login(newcomer)
    response = client.get(reverse("directory:school_list"))
    assert response.status_code == 302
    assert response.url == reverse("privacy:consent") + "?next=%2Fapp%2Fschools%2F"
    page = client.get(response.url).content.decode()
    assert "152-ФЗ" in page and "Принимаю" in page
    # POSTs are held too, and nothing is written.
    response = client.post(reverse("directory:profile"), {"last_name": "Другая"})
    assert response.status_code == 302 and response.url == reverse("privacy:consent")
    newcomer.refresh_from_db()
    assert newcomer.last_name == "Новикова"


def test_without_consent_she_may_still_see_her_data_and_ask_for_deletion(client, newcomer):
    client.force_login(newcomer)
    assert client.get(reverse("privacy:my_data_json")).status_code == 200
    assert client.get(reverse("privacy:my_data_docx")).status_code == 200
    response = client.post(reverse("privacy:deletion_request"), {"reason": "Не согласна"})
    assert response.url == reverse("privacy:consent")
    assert newcomer.deletion_requests.get().reason == "Не согласна"
    page = client.get(response.url).content.decode()
    assert "Просьба передана методисту" in page


def test_accepting_records_date_text_and_version_and_opens_the_app(client, cast, newcomer):
    client.force_login(newcomer)
    response = client.post(
        reverse("privacy:consent"), {"version": 1, "agree": "on", "next": "/app/schools/"}
    )
    assert response.status_code == 302 and response.url == "/app/schools/"
    consent = Consent.objects.get(person=newcomer)
    assert consent.version == 1 and consent.association == cast.association
    assert consent.text == cast.association.consent_text and consent.accepted_at
    assert client.get(reverse("directory:school_list")).status_code == 200


def test_consent_without_the_tick_is_refused(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("privacy:consent"), {"version": 1})
    assert response.status_code == 200
    assert "Отметьте согласие" in response.content.decode()
    assert not Consent.objects.filter(person=newcomer).exists()


def test_consent_to_an_outdated_text_is_refused(client, cast, newcomer):
    Association.objects.filter(pk=cast.association.pk).update(consent_version=3)
    client.force_login(newcomer)
    response = client.post(reverse("privacy:consent"), {"version": 2, "agree": "on"})
    assert response.status_code == 302
    assert not Consent.objects.filter(person=newcomer).exists()
    assert "изменился" in client.get(response.url).content.decode()


def test_garbage_version_and_foreign_next_do_not_pass(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("privacy:consent"), {"version": "abc", "agree": "on"})
    assert response.status_code == 200
    assert not Consent.objects.filter(person=newcomer).exists()
    response = client.post(
        reverse("privacy:consent"),
        {"version": 1, "agree": "on", "next": "https://evil.example/"},
    )
    assert response.url == "/app/"


def test_changed_text_is_asked_again(cast, login):
    client = login(cast.methodist)
    response = client.post(
        reverse("privacy:consent_text"), {"text": "Новая редакция согласия на обработку."}
    )
    assert response.status_code == 302
    association = Association.objects.get(pk=cast.association.pk)
    assert association.consent_version == 2 and association.consent_changed_at
    client.force_login(cast.librarian_a)  # she accepted version 1
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("privacy:consent"))
    page = client.get(response.url).content.decode()
    assert "изменило текст согласия" in page and "Новая редакция" in page
    client.post(reverse("privacy:consent"), {"version": 2, "agree": "on"})
    assert client.get(reverse("home")).status_code == 200
    assert list(
        Consent.objects.filter(person=cast.librarian_a).values_list("version", flat=True)
    ) == [2, 1]


def test_same_text_saved_again_is_not_a_new_version(cast, login):
    client = login(cast.methodist)
    client.post(reverse("privacy:consent_text"), {"text": cast.association.consent_text})
    assert Association.objects.get(pk=cast.association.pk).consent_version == 1


def test_empty_text_turns_the_gate_off(client, cast, login, newcomer):
    login(cast.methodist).post(reverse("privacy:consent_text"), {"text": "   "})
    client.force_login(newcomer)
    assert client.get(reverse("directory:school_list")).status_code == 200
    assert client.get(reverse("privacy:consent")).status_code == 302


@pytest.mark.parametrize("who", ["head", "director", "librarian_a", "outsider"])
def test_only_the_methodist_edits_the_consent_text(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("privacy:consent_text")).status_code == 403
    assert client.post(reverse("privacy:consent_text"), {"text": "x"}).status_code == 403
    assert Association.objects.get(pk=cast.association.pk).consent_version == 1


def test_consent_text_too_long_is_refused_and_kept(cast, login):
    client = login(cast.methodist)
    response = client.post(reverse("privacy:consent_text"), {"text": "я" * 20001})
    assert response.status_code == 200 and "не более" in response.content.decode()
    assert Association.objects.get(pk=cast.association.pk).consent_version == 1


def test_htmx_requests_are_redirected_by_header(client, newcomer):
    client.force_login(newcomer)
    response = client.get(reverse("directory:school_list"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("privacy:consent")


def test_account_pages_and_public_site_stay_open_without_consent(client, newcomer):
    client.force_login(newcomer)
    assert client.get(reverse("password_change")).status_code == 200
    assert client.get("/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_another_associations_consent_does_not_count(cast, client):
    client.force_login(cast.outsider)  # consented to her own association only
    assert client.get(reverse("home")).status_code == 200
    assert list(cast.outsider.consent_versions) == [str(cast.other_association.pk)]


def test_an_empty_post_shows_the_missing_tick(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("privacy:consent"), {})
    assert response.status_code == 200 and "Отметьте согласие" in response.content.decode()
