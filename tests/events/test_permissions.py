"""Every event endpoint that writes or shows private data, against the roles that must not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bibliomo.events import services
from bibliomo.events.models import Event, Material, Registration
from tests.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast, past_event):
    meeting = make_event(cast, kind="meeting", title="Заседание")
    material = services.material_add(
        cast.methodist,
        past_event,
        title="Слайды",
        visibility="members",
        file=SimpleUploadedFile("s.pdf", b"%PDF-1.4"),
    )
    registration = past_event.registrations.first()
    return past_event, meeting, material, registration


def _writes(event, meeting, material, registration):
    return [
        ("events:edit", [event.pk]),
        ("events:announce", [event.pk]),
        ("events:held", [event.pk]),
        ("events:cancel", [event.pk]),
        ("events:register_other", [event.pk]),
        ("events:cancel_registration", [event.pk, registration.pk]),
        ("events:attendance", [event.pk]),
        ("events:attendance_import", [event.pk]),
        ("events:material_add", [event.pk]),
        ("events:material_delete", [material.pk]),
        ("events:certificate_issue", [event.pk]),
        ("events:certificate_zip", [event.pk]),
        ("events:minutes", [meeting.pk]),
    ]


@pytest.mark.parametrize("who", ["director", "librarian_a"])
def test_readers_are_refused_every_write(cast, login, setup, who):
    event, _, material, registration = setup
    client = login(getattr(cast, who))
    for name, args in _writes(*setup):
        response = client.post(reverse(name, args=args), {"reason": "x", "bulk": "absent"})
        assert response.status_code == 403, name
    assert Material.objects.filter(pk=material.pk).exists()
    assert Event.objects.get(pk=event.pk).status == "announced"
    assert Registration.objects.get(pk=registration.pk).attendance == "unknown"


def test_outsider_finds_nothing(cast, login, setup):
    client = login(cast.outsider)
    for name, args in _writes(*setup):
        assert client.post(reverse(name, args=args)).status_code in (403, 404), name
    event = setup[0]
    for name in ("events:detail", "events:registrations", "events:certificates"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 404, name


def test_librarian_cannot_read_the_certificate_list_or_minutes(cast, login, setup):
    event, meeting, _, _ = setup
    client = login(cast.librarian_a)
    assert client.get(reverse("events:certificates", args=[event.pk])).status_code == 403
    assert client.get(reverse("events:minutes_docx", args=[meeting.pk])).status_code == 403


def test_a_draft_is_seen_by_its_organisers_and_the_methodist_only(cast, login):
    from tests.factories import make_event

    draft = make_event(cast, status="draft", title="Черновик семинара")
    draft.organisers.set([cast.head])
    url = reverse("events:detail", args=[draft.pk])
    for who, status in (
        ("methodist", 200),
        ("head", 200),
        ("director", 404),
        ("librarian_a", 404),
        ("outsider", 404),
    ):
        assert login(getattr(cast, who)).get(url).status_code == status, who
    draft.organisers.set([])
    assert login(cast.head).get(url).status_code == 404
    # Nor in the lists and the calendar of a manager who does not organise it.
    month = f"?month={draft.starts_at:%Y-%m}"
    for page in (reverse("events:index") + month, reverse("events:calendar") + month):
        assert "Черновик семинара" not in login(cast.head).get(page).content.decode()
        assert "Черновик семинара" in login(cast.methodist).get(page).content.decode()


def test_whoever_creates_an_event_is_offered_as_its_organiser(cast, login):
    response = login(cast.head).get(reverse("events:create"))
    assert response.context["form"].initial["organisers"] == [cast.head.pk]
