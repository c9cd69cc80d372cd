"""Builders for the consultation desk's tests."""

import io

import pytest
from PIL import Image

from bibliomo.consultations import services


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def ask(person, association, **changes):
    fields = {
        "topic": "write_off",
        "subject": "Как списать учебники с истёкшим сроком?",
        "text": "В школе 40 учебников истории, исключённых из перечня. Как оформить акт?",
        **changes,
    }
    return services.question_ask(person, association, **fields)


@pytest.fixture
def question_b(cast):
    """A question of school B's librarian, with a screenshot attached."""
    return ask(cast.librarian_b, cast.association, files=[(png_bytes(), "акт.png")])
