"""Every page of the desk for the allowed role, a forbidden role and bad input."""

import pytest
from django.urls import reverse

from bibliomo.consultations import services
from bibliomo.consultations.models import AnswerTemplate, FaqEntry
from tests.consultations.builders import ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(cast):
    question = ask(cast.librarian_a, cast.association)
    answer = services.message_add(cast.methodist, question, text="Актом списания.")
    services.question_solve(cast.librarian_a, question, answer)
    entry = services.faq_publish(
        cast.methodist,
        question,
        topic="write_off",
        title="Как списать учебники?",
        question_text="Как оформить списание?",
        answer_text="Актом списания.",
    )
    template = services.template_save(
        cast.methodist, cast.association, title="Списание", text="Актом."
    )
    return {"question": question, "entry": entry, "template": template}


MANAGER_PAGES = [
    ("consultations:templates", None),
    ("consultations:template_edit", "template"),
    ("consultations:faq_edit", "entry"),
    ("consultations:figures", None),
]


@pytest.mark.parametrize(("name", "key"), MANAGER_PAGES)
def test_manager_pages_open_for_the_head_and_are_refused_to_a_librarian(
    cast, login, desk, name, key
):
    url = reverse(name, args=[desk[key].pk] if key else [])
    assert login(cast.head).get(url).status_code == 200
    assert login(cast.librarian_a).get(url).status_code == 403


def test_members_read_the_base_of_answers(cast, login, desk):
    for person in (cast.librarian_b, cast.director):
        client = login(person)
        assert client.get(reverse("consultations:faq_index")).status_code == 200
        assert client.get(desk["entry"].get_absolute_url()).status_code == 200
    garbage = login(cast.librarian_b).get(reverse("consultations:faq_index"), {"topic": "x'"})
    assert garbage.status_code == 200


def test_faq_edit_and_delete(cast, login, desk):
    client = login(cast.methodist)
    url = reverse("consultations:faq_edit", args=[desk["entry"].pk])
    bad = client.post(
        url, {"topic": "write_off", "title": "", "question_text": "", "answer_text": ""}
    )
    assert bad.status_code == 200 and "Обязательное поле" in bad.content.decode()
    client.post(
        url,
        {
            "topic": "write_off",
            "title": "Списание учебников: порядок",
            "question_text": "Как оформить списание?",
            "answer_text": "Актом списания, утверждённым директором.",
        },
    )
    assert FaqEntry.objects.get().title == "Списание учебников: порядок"
    delete = reverse("consultations:faq_delete", args=[desk["entry"].pk])
    assert login(cast.librarian_a).post(delete).status_code == 403
    assert login(cast.methodist).post(delete).status_code == 302
    assert not FaqEntry.objects.exists()


def test_template_edit_and_delete(cast, login, desk):
    client = login(cast.methodist)
    url = reverse("consultations:template_edit", args=[desk["template"].pk])
    assert client.post(url, {"title": "", "text": ""}).status_code == 200
    client.post(url, {"title": "Списание: акт", "topic": "write_off", "text": "Актом."})
    assert AnswerTemplate.objects.get().title == "Списание: акт"
    delete = reverse("consultations:template_delete", args=[desk["template"].pk])
    assert login(cast.librarian_a).post(delete).status_code == 403
    assert login(cast.methodist).post(delete).status_code == 302
    assert not AnswerTemplate.objects.exists()


def test_the_question_list_filters_and_ignores_garbage(cast, login, desk):
    client = login(cast.librarian_a)
    for params in ({"status": "solved"}, {"topic": "write_off"}, {"status": "<x>", "page": "-1"}):
        response = client.get(reverse("consultations:index"), params)
        assert response.status_code == 200
    body = client.get(reverse("consultations:index"), {"status": "open"}).content.decode()
    assert "Как списать учебники" not in body


def test_the_outsider_does_not_reach_the_association(cast, login, desk):
    client = login(cast.outsider)
    assert client.get(desk["question"].get_absolute_url()).status_code == 404
    assert client.get(desk["entry"].get_absolute_url()).status_code == 404
    assert client.get(
        reverse("consultations:template_edit", args=[desk["template"].pk])
    ).status_code in (403, 404)
