import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_public_front_page_needs_no_login(cast, client):
    response = client.get("/")
    assert response.status_code == 200
    assert (
        "Муниципальное методическое объединение школьных библиотекарей" in response.content.decode()
    )
    assert reverse("home") in response.content.decode()


def test_home_requires_login(db, client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_methodist_home_shows_what_needs_attention(cast, login):
    from bibliomo.directory import services

    services.school_create(
        None,
        cast.association,
        short_name="МБОУ «СОШ № 40»",
        full_name="Школа 40",
        address="",
        director="",
        email="",
        phone="",
        website="",
    )
    body = login(cast.methodist).get(reverse("home")).content.decode()
    assert "Требует внимания" in body
    assert "Школы без педагога-библиотекаря в системе: 1" in body
    assert "МБОУ «СОШ № 40»" in body
    assert "На утверждении" not in body
    assert "Моя школа" not in body


def test_director_home_shows_approvals_box(cast, login):
    body = login(cast.director).get(reverse("home")).content.decode()
    assert "На утверждении" in body
    assert "Требует внимания" not in body


def test_librarian_home_shows_her_school(cast, login):
    body = login(cast.librarian_a).get(reverse("home")).content.decode()
    assert "Моя школа" in body and "МБОУ «СОШ № 1»" in body
    assert "Требует внимания" not in body
    assert "Заполните профиль" in body  # no phone yet


def test_navigation_depends_on_role(cast, login):
    body = login(cast.librarian_a).get(reverse("home")).content.decode()
    assert 'href="/app/schools/"' in body and 'href="/app/people/"' in body
    body = login(cast.outsider).get(reverse("home")).content.decode()
    assert "2 школы" not in body


def test_home_counts_use_russian_plurals(cast, login):
    body = login(cast.methodist).get(reverse("home")).content.decode()
    assert "2 школы" in body and "5 участников" in body


def test_person_without_association_gets_a_friendly_home(db, login, django_user_model):
    nobody = django_user_model.objects.create_user("n@test.ru", "x", last_name="Н", first_name="Н")
    body = login(nobody).get(reverse("home")).content.decode()
    assert "не состоите ни в одном" in body


def test_pages_are_served_in_russian_with_print_styles(cast, login):
    body = login(cast.methodist).get(reverse("home")).content.decode()
    assert '<html lang="ru">' in body
    assert 'media="print"' in body
    assert "Перейти к содержимому" in body


def test_unknown_page_is_a_russian_404(cast, login):
    response = login(cast.methodist).get("/app/nowhere/")
    assert response.status_code == 404


def test_every_static_asset_the_layout_uses_is_found():
    from django.contrib.staticfiles import finders

    for path in ("bibliomo/bibliomo.css", "bibliomo/print.css", "vendor/htmx/htmx.min.js"):
        assert finders.find(path), f"{path} is not found by the static files finders"
