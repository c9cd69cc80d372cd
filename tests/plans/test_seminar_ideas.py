"""The draft of next year's plan offers the methodist the frequent consultation topics of the
year that ends as seminar ideas."""

from datetime import datetime

import pytest
from django.utils import timezone

from bibliomo.consultations import services as consultations
from bibliomo.consultations.models import Question
from bibliomo.plans import services

pytestmark = pytest.mark.django_db

TITLE = "Темы для семинаров по вопросам консультаций"


def _asked_in_2024_2025(cast, topics: list[str]) -> None:
    for n, topic in enumerate(topics):
        librarian = cast.librarian_a if n % 2 else cast.librarian_b
        consultations.question_ask(
            librarian, cast.association, topic=topic, subject=f"Вопрос {n}", text="Как быть?"
        )
    moved = timezone.make_aware(datetime(2025, 3, 10, 12, 0))
    Question.objects.update(created_at=moved)


@pytest.fixture
def draft(cast, approved_plan):
    """The 2025/2026 draft made from the approved 2024/2025 plan, as in summer."""
    return services.plan_rollover(cast.methodist, approved_plan)


@pytest.mark.parametrize("who", ["methodist", "head"])
def test_draft_shows_frequent_topics_of_the_year_that_ends(cast, login, draft, who):
    _asked_in_2024_2025(cast, ["write_off"] * 3 + ["exchange"] * 2 + ["readers", "other"])
    consultations.question_ask(
        cast.librarian_a, cast.association, topic="documents", subject="Сейчас", text="?"
    )  # asked this year: not the year that ends
    body = login(getattr(cast, who)).get(draft.get_absolute_url()).content.decode()
    assert TITLE in body and "в 2024/2025 учебном году" in body
    block = body.split(TITLE, 1)[1].split("</section>", 1)[0]
    assert block.index("списание") < block.index("обмен")
    assert "<li>документы</li>" not in block
    assert block.count("<li>") == 3


def test_draft_without_questions_says_so(cast, login, draft):
    body = login(cast.methodist).get(draft.get_absolute_url()).content.decode()
    assert TITLE in body and "вопросов на консультации не было" in body


@pytest.mark.parametrize("who", ["director", "librarian_a"])
def test_other_roles_do_not_see_the_ideas(cast, login, draft, who):
    _asked_in_2024_2025(cast, ["write_off"])
    response = login(getattr(cast, who)).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert TITLE not in response.content.decode()


def test_approved_plan_does_not_offer_ideas(cast, login, approved_plan):
    _asked_in_2024_2025(cast, ["write_off"])
    body = login(cast.methodist).get(approved_plan.get_absolute_url()).content.decode()
    assert TITLE not in body
