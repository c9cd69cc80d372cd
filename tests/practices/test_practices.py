from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.practices import selectors, services
from bibliomo.practices.models import Implementation, Practice
from tests.practices.builders import make_fair, make_practice

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_member_shares_a_practice_of_her_school(cast, login):
    client = login(cast.librarian_a)
    fair = make_fair(cast)
    response = client.post(
        reverse("practices:create"),
        {
            "title": "Акция «Подари книгу школе»",
            "grades": "1–11 классы, родители",
            "form": "campaign",
            "goal": "Пополнить фонд художественной литературы.",
            "description": "Неделя сбора книг.",
            "tags": ["работа с родителями", "популяризация чтения"],
            "fair": fair.pk,
        },
    )
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert practice.school == cast.school_a and practice.author == cast.librarian_a
    assert practice.tags == ["популяризация чтения", "работа с родителями"]
    page = client.get(practice.get_absolute_url())
    assert "Ярмарка библиотечных идей" in page.content.decode()


def test_bad_input_is_shown_at_the_field(cast, login):
    client = login(cast.librarian_a)
    response = client.post(reverse("practices:create"), {"title": "", "form": "dance"})
    assert response.status_code == 200
    assert Practice.objects.count() == 0
    assert "Обязательное поле" in response.content.decode()


def test_a_fair_of_another_association_is_refused(cast):
    other = make_fair(cast)
    other.association = cast.other_association
    other.save()
    with pytest.raises(DomainError):
        make_practice(cast, fair=other)


def test_outsider_and_anonymous_do_not_see_the_bank(cast, login, client):
    practice = make_practice(cast)
    assert client.get(reverse("practices:index")).status_code == 302
    outsider = login(cast.outsider)
    assert outsider.get(practice.get_absolute_url()).status_code == 404


def test_members_see_the_bank_sorted_by_uptake(cast, login, django_assert_max_num_queries):
    quiet = make_practice(cast, title="Клуб «Читающая семья»")
    popular = make_practice(cast, title="Квест по Пушкину")
    Implementation.objects.create(
        practice=popular, school=cast.school_b, implemented_on=timezone.localdate()
    )
    client = login(cast.director)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("practices:index"))
    text = response.content.decode()
    assert text.index("Квест по Пушкину") < text.index(quiet.title)
    assert "1 школа" in text
    filtered = client.get(
        reverse("practices:index"), {"tag": "нет такой", "form": "x", "q": "Клуб"}
    )
    assert filtered.status_code == 200 and "Квест по Пушкину" not in filtered.content.decode()


def test_another_school_marks_it_implemented_and_the_author_is_told(
    cast, login, django_capture_on_commit_callbacks
):
    practice = make_practice(cast)
    client = login(cast.librarian_b)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("practices:implement", args=[practice.pk]),
            {
                "implemented_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
                "note": "Провели в 5 «А», дети в восторге.",
                "photo": SimpleUploadedFile("квест.png", PNG, content_type="image/png"),
            },
        )
    assert response.status_code == 302
    mark = Implementation.objects.get()
    assert mark.school == cast.school_b and mark.photo_name == "квест.png"
    assert [m.to for m in mail.outbox] == [[cast.librarian_a.email]]
    assert "Гимназия" in mail.outbox[0].body and practice.title in mail.outbox[0].subject
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Где практика живёт дальше" in page and "Внедрили: 1 школа" in page
    photo = client.get(reverse("practices:photo", args=[mark.pk]))
    assert photo.status_code == 200
    # Once per school.
    again = client.post(
        reverse("practices:implement", args=[practice.pk]),
        {"implemented_on": timezone.localdate().isoformat(), "note": "ещё раз"},
    )
    assert again.status_code == 200 and Implementation.objects.count() == 1


def test_the_authors_school_cannot_mark_its_own_practice(cast, login):
    practice = make_practice(cast)
    client = login(cast.librarian_a)
    response = client.get(reverse("practices:implement", args=[practice.pk]))
    assert response.status_code == 403


def test_implementation_needs_a_past_date_and_a_word(cast, login):
    practice = make_practice(cast)
    client = login(cast.librarian_b)
    url = reverse("practices:implement", args=[practice.pk])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert client.post(url, {"implemented_on": future, "note": "да"}).status_code == 200
    assert client.post(url, {"implemented_on": "2026-01-01", "note": ""}).status_code == 200
    fake = SimpleUploadedFile("фото.png", b"<html><script>x</script></html>")
    response = client.post(url, {"implemented_on": "2026-01-01", "photo": fake})
    assert response.status_code == 200
    assert Implementation.objects.count() == 0


def test_material_upload_is_checked_like_the_library(cast, login):
    practice = make_practice(cast)
    client = login(cast.librarian_a)
    url = reverse("practices:material_add", args=[practice.pk])
    bad = SimpleUploadedFile("сценарий.pdf", b"<html>not a pdf</html>")
    assert client.post(url, {"title": "Сценарий", "file": bad}).status_code == 200
    assert client.post(url, {"title": "Видео", "link": "https://example.org/v"}).status_code == 302
    material = practice.materials.get()
    assert material.link == "https://example.org/v"
    other = login(cast.librarian_b)
    assert other.get(url).status_code == 403  # not her practice
    assert other.post(reverse("practices:material_delete", args=[material.pk])).status_code == 403


def test_only_the_methodist_publishes_and_the_public_page_has_no_names(cast, login, client):
    practice = make_practice(cast)
    Implementation.objects.create(
        practice=practice, school=cast.school_b, implemented_on=timezone.localdate(), note="ok"
    )
    head = login(cast.head)
    assert head.post(reverse("practices:publish", args=[practice.pk])).status_code == 403
    assert client.get(reverse("public_practice", args=[practice.pk])).status_code == 404
    methodist = login(cast.methodist)
    methodist.post(reverse("practices:publish", args=[practice.pk]))
    methodist.logout()
    page = client.get(reverse("public_practice", args=[practice.pk])).content.decode()
    assert practice.title in page and "Гимназия № 5" in page
    assert "Иванова" not in page and cast.librarian_a.email not in page
    assert practice.title in client.get(reverse("public_practices")).content.decode()


def test_year_figures_are_plain_numbers(cast):
    practice = make_practice(cast, fair=make_fair(cast))
    services.implementation_mark(
        cast.librarian_b, practice, implemented_on=timezone.localdate(), note="Провели"
    )
    year = (
        timezone.localdate().year
        if timezone.localdate().month >= 9
        else timezone.localdate().year - 1
    )
    figures = selectors.year_figures(cast.association, year)
    assert figures["practices_added"] == 1 and figures["presented_at_fairs"] == 1
    assert figures["implementations"] == 1 and figures["schools_implementing"] == 1
    assert figures["top"][0]["taken_up"] == 1
    assert figures["by_tag"] == {"популяризация чтения": 1}


def test_author_edits_her_card_others_cannot(cast, login):
    practice = make_practice(cast)
    url = reverse("practices:edit", args=[practice.pk])
    assert login(cast.librarian_b).get(url).status_code == 403
    client = login(cast.librarian_a)
    data = {
        "title": "Квест «Тайна библиотеки»",
        "grades": "5 классы",
        "form": "quest",
        "goal": "Цель",
        "description": "Описание",
        "tags": ["функциональная грамотность"],
    }
    assert client.post(url, data).status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Квест «Тайна библиотеки»"
    assert practice.tags == ["функциональная грамотность"]
    assert client.post(url, {**data, "tags": ["нет такой"]}).status_code == 200


def test_material_file_is_a_download_for_members_only(cast, login):
    practice = make_practice(cast)
    material = services.material_add(
        cast.librarian_a,
        practice,
        title="Сценарий",
        file=SimpleUploadedFile("сценарий.txt", "Станция 1".encode()),
    )
    url = reverse("practices:material", args=[material.pk])
    response = login(cast.librarian_b).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert login(cast.outsider).get(url).status_code == 404


def test_bank_filters_by_tag(cast):
    make_practice(cast, title="Про чтение", tags=["популяризация чтения"])
    make_practice(cast, title="Про родителей", tags=["работа с родителями"])
    found = selectors.bank(cast.association, tag="работа с родителями")
    assert [p.title for p in found] == ["Про родителей"]
