"""Fixtures for the consultation desk's tests (builders are in builders.py)."""

import pytest

from tests.consultations.builders import ask
from tests.factories import png_bytes


@pytest.fixture
def question_b(cast):
    """A question of school B's librarian, with a screenshot attached."""
    return ask(cast.librarian_b, cast.association, files=[(png_bytes(), "акт.png")])
