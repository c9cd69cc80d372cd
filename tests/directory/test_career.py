"""Experience and education on the person's card: she and the methodist edit them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import Person

pytestmark = pytest.mark.django_db

PROFILE = {
    "last_name": "Иванова",
    "first_name": "Анна",
    "patronymic": "Сергеевна",
    "position": "librarian",
    "phone": "",
}


def test_librarian_records_her_start_and_education(cast, login):
    client = login(cast.librarian_a)
    since = timezone.localdate() - timedelta(days=400)
    response = client.post(
        reverse("directory:profile"),
        {
            **PROFILE,
            "librarian_since": since.isoformat(),
            "education": "higher_library",
            "education_detail": "МГИК, 2024",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=cast.librarian_a.pk)
    assert person.librarian_since == since and person.education == "higher_library"
    assert person.experience_years() == 1 and person.is_early_career()
    card = client.get(person.get_absolute_url()).content.decode()
    assert "1 год (с " in card and "молодой специалист" in card
    assert "высшее библиотечное, МГИК, 2024" in card


def test_a_start_in_the_future_is_refused(cast, login):
    client = login(cast.librarian_a)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(reverse("directory:profile"), {**PROFILE, "librarian_since": future})
    assert response.status_code == 200
    assert "не может быть позже сегодняшнего дня" in response.content.decode()
    assert Person.objects.get(pk=cast.librarian_a.pk).librarian_since is None


def test_methodist_edits_the_card_and_others_cannot(cast, login):
    url = reverse("directory:person_edit", args=[cast.librarian_b.pk])
    assert login(cast.librarian_a).get(url).status_code == 403
    client = login(cast.methodist)
    response = client.post(
        url,
        {
            "email": cast.librarian_b.email,
            "last_name": "Петрова",
            "first_name": "Ольга",
            "patronymic": "Ивановна",
            "position": "librarian",
            "school": cast.school_b.pk,
            "phone": "",
            "roles": ["librarian"],
            "librarian_since": "2010-09-01",
            "education": "vocational_library",
            "education_detail": "",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=cast.librarian_b.pk)
    assert person.librarian_since == date(2010, 9, 1) and not person.is_early_career()


def test_experience_counts_whole_years():
    person = Person(librarian_since=date(2024, 3, 1))
    assert person.experience_years(date(2027, 2, 28)) == 2
    assert person.is_early_career(date(2027, 2, 28))
    assert person.experience_years(date(2027, 3, 1)) == 3
    assert not person.is_early_career(date(2027, 3, 1))
    assert Person().experience_years() is None and not Person().is_early_career()
