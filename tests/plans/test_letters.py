"""Letters about a plan's approval: to the director on submit, to the authors on a decision."""

import pytest
from django.core import mail

from bibliomo.core.models import Letter
from bibliomo.plans import services

pytestmark = pytest.mark.django_db


def test_submitting_a_plan_writes_to_the_director_with_a_link(
    cast, plan, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(cast.methodist, plan)
    assert [m.to for m in mail.outbox] == [["director@test.ru"]]
    letter = mail.outbox[0]
    assert letter.subject == "На утверждение: План работы на 2024/2025 учебный год"
    assert "Передал: Леонтьева Э.В." in letter.body
    assert f"http://127.0.0.1:8000/app/plans/{plan.pk}/" in letter.body
    assert "«На утверждении»" in letter.body


def test_returning_a_plan_writes_the_comment_to_its_authors(
    cast, plan, django_capture_on_commit_callbacks
):
    services.plan_submit(cast.head, plan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_return(cast.director, plan, "Добавьте семинар для молодых специалистов")
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert sorted(letter.to) == ["head@test.ru", "metodist@test.ru"]
    assert letter.subject == "Возвращён на доработку: План работы на 2024/2025 учебный год"
    assert "Добавьте семинар для молодых специалистов" in letter.body
    assert "Вернул: Венкова Г.В." in letter.body
    assert f"/app/plans/{plan.pk}/" in letter.body


def test_approving_a_plan_tells_its_authors(cast, plan, django_capture_on_commit_callbacks):
    services.plan_submit(cast.methodist, plan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_approve(cast.director, plan)
    assert [sorted(m.to) for m in mail.outbox] == [["head@test.ru", "metodist@test.ru"]]
    assert mail.outbox[0].subject == "Утверждён: План работы на 2024/2025 учебный год"
    assert "lib.a@test.ru" not in str([m.to for m in mail.outbox])


def test_a_refused_step_queues_no_letter(cast, plan, django_capture_on_commit_callbacks):
    from bibliomo.core.errors import DomainError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.plan_approve(cast.director, plan)  # a draft: nothing to approve
    assert not Letter.objects.exists() and not mail.outbox
