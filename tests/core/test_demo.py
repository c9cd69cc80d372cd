import io

import pytest
from django.core.management import call_command

from bibliomo.directory.models import Building, Person, Role, School
from tests.demo_snapshot import dump

pytestmark = pytest.mark.django_db


def test_demo_builds_the_serpukhov_association_and_prints_logins(built_demo):
    # built_demo: `bibliomo demo` run on an empty database (once a session), what it printed
    # and everything it left behind.
    assert School.objects.count() == 19
    assert 38 <= Building.objects.count() <= 45
    librarians = Person.objects.filter(role_grants__role=Role.LIBRARIAN).distinct().count()
    assert 40 <= librarians <= 50
    assert not Building.objects.filter(latitude=None).exists()
    names = {p.short_name for p in Person.objects.all()}
    assert {"Леонтьева Э.В.", "Никитенко Т.Г.", "Венкова Г.В."} <= names
    text = built_demo.output
    assert "leonteva@bibliomo.test" in text and "пароль: bibliomo" in text


def test_the_demo_loaded_for_a_test_is_every_row_the_command_left(built_demo):
    """The session builds the demo once and loads it into each test that needs it: the loaded
    database holds exactly the rows `bibliomo demo` left, table by table."""
    assert built_demo.rows("directory_school") == 19
    assert {t.name: t.rows for t in dump()} == {t.name: t.rows for t in built_demo.tables}


def test_demo_is_idempotent(built_demo):
    counts = (School.objects.count(), Building.objects.count(), Person.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (School.objects.count(), Building.objects.count(), Person.objects.count()) == counts


def test_demo_coordinates_lie_around_serpukhov(built_demo):
    for building in Building.objects.all():
        assert 54.7 < float(building.latitude) < 55.1
        assert 37.0 < float(building.longitude) < 37.8
