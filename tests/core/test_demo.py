import io

import pytest
from django.core.management import call_command

from bibliomo.directory.models import Building, Person, Role, School

pytestmark = pytest.mark.django_db


def test_demo_builds_the_serpukhov_association_and_prints_logins():
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert School.objects.count() == 19
    assert 38 <= Building.objects.count() <= 45
    librarians = Person.objects.filter(role_grants__role=Role.LIBRARIAN).distinct().count()
    assert 40 <= librarians <= 50
    assert not Building.objects.filter(latitude=None).exists()
    names = {p.short_name for p in Person.objects.all()}
    assert {"Леонтьева Э.В.", "Никитенко Т.Г.", "Венкова Г.В."} <= names
    text = out.getvalue()
    assert "leonteva@bibliomo.test" in text and "пароль: bibliomo" in text


def test_demo_is_idempotent():
    call_command("demo", stdout=io.StringIO())
    counts = (School.objects.count(), Building.objects.count(), Person.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (School.objects.count(), Building.objects.count(), Person.objects.count()) == counts


def test_demo_coordinates_lie_around_serpukhov():
    call_command("demo", stdout=io.StringIO())
    for building in Building.objects.all():
        assert 54.7 < float(building.latitude) < 55.1
        assert 37.0 < float(building.longitude) < 37.8
