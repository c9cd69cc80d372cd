"""A mentee's question reaches her mentor by e-mail with a link to the pair."""

import pytest
from django.core import mail
from django.urls import reverse

from bibliomo.core.errors import DomainError
from bibliomo.mentoring import services
from tests.mentoring.builders import make_pair

pytestmark = pytest.mark.django_db


def test_mentee_question_is_mailed_to_the_mentor(cast, login, django_capture_on_commit_callbacks):
    pair = make_pair(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.librarian_b).post(
            reverse("mentoring:question_ask", args=[pair.pk]), {"text": "Как списать учебники?"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [cast.librarian_a.email]
    assert "вопрос от молодого специалиста" in letter.subject
    assert cast.librarian_b.short_name in letter.subject
    assert "Как списать учебники?" in letter.body
    assert pair.get_absolute_url() in letter.body and "{{" not in letter.body


def test_rejected_question_sends_nothing(cast, django_capture_on_commit_callbacks):
    pair = make_pair(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.question_ask(cast.librarian_b, pair, text="   ")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.question_ask(cast.librarian_a, pair, text="Мой вопрос")
    assert mail.outbox == []
