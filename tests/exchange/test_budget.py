"""Choosing a point of the trade-off: the plan is recalculated with at most K shipments."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bibliomo.exchange.models import ExchangePlan


@pytest.fixture
def _choose(django_capture_on_commit_callbacks):
    """POST a budget; the calculation job runs when the request's transaction commits."""

    def choose(client, plan, value):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("exchange:plan_solve", args=[plan.pk]), {"max_shipments": value}
            )

    return choose


def test_methodist_chooses_one_shipment_and_the_plan_keeps_to_it(cast, login, solved_plan, _choose):
    assert solved_plan.shipments.count() == 2  # A→B with Russian, B→A with maths and physics
    response = _choose(login(cast.methodist), solved_plan, "1")
    assert response.status_code == 302  # to the job, which ran at once in tests
    solved_plan.refresh_from_db()
    assert solved_plan.max_shipments == 1
    assert solved_plan.shipments.count() == 1
    assert 0 < solved_plan.covered < solved_plan.coverable
    assert solved_plan.tradeoff[-1]["budget"] == 1


def test_lifting_the_limit_brings_every_copy_back(cast, login, solved_plan, _choose):
    client = login(cast.methodist)
    _choose(client, solved_plan, "1")
    _choose(client, solved_plan, "")
    solved_plan.refresh_from_db()
    assert solved_plan.max_shipments is None
    assert solved_plan.covered == solved_plan.coverable
    assert solved_plan.shipments.count() == 2


def test_a_budget_that_is_not_a_number_changes_nothing(cast, login, solved_plan, _choose):
    response = _choose(login(cast.methodist), solved_plan, "десять")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Число перевозок — целое число."
    ]
    solved_plan.refresh_from_db()
    assert solved_plan.max_shipments is None


def test_zero_shipments_is_refused(cast, login, solved_plan, _choose):
    response = _choose(login(cast.methodist), solved_plan, "0")
    assert "Перевозок — хотя бы одна." in [str(m) for m in get_messages(response.wsgi_request)]
    assert ExchangePlan.objects.get(pk=solved_plan.pk).max_shipments is None


def test_a_librarian_cannot_choose(cast, login, solved_plan, _choose):
    assert _choose(login(cast.librarian_a), solved_plan, "1").status_code == 403
    assert ExchangePlan.objects.get(pk=solved_plan.pk).max_shipments is None


def test_a_published_plan_is_not_recalculated(cast, login, published_plan, _choose):
    response = _choose(login(cast.methodist), published_plan, "1")
    assert "План опубликован — пересчитать его нельзя." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    assert ExchangePlan.objects.get(pk=published_plan.pk).max_shipments is None


def test_the_table_offers_smaller_budgets_and_marks_the_current_plan(
    cast, login, solved_plan, _choose
):
    client = login(cast.methodist)
    page = client.get(solved_plan.get_absolute_url()).content.decode()
    assert "текущий план" in page  # two shipments: no smaller budget on the list yet
    _choose(client, solved_plan, "1")
    page = client.get(solved_plan.get_absolute_url()).content.decode()
    assert "Снять ограничение (1 перевозка) и пересчитать" in page
