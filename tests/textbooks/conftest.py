"""Fixtures shared by the textbooks tests."""

import pytest

from bibliomo.directory.models import Person
from tests.conftest import PASSWORD


@pytest.fixture
def operator(db):
    """A regional operator: a platform-level role, in no association."""
    return Person.objects.create_user(
        "operator@test.ru",
        PASSWORD,
        last_name="Оператова",
        first_name="Ольга",
        is_regional_operator=True,
    )
