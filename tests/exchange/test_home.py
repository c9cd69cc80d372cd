"""The home page points each person at the exchange steps that wait for them."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bibliomo.exchange.models import Shipment
from tests.factories import advance


def test_sending_librarian_sees_the_shipment_waiting_for_her_agreement(cast, login, shipment):
    page = login(cast.librarian_a).get(reverse("home")).content.decode()
    assert "Обмен учебниками: ждут вашего шага" in page
    assert reverse("exchange:shipment", args=[shipment.pk]) in page
    # The receiving school has nothing to do until the sender agrees.
    page = login(cast.librarian_b).get(reverse("home")).content.decode()
    assert reverse("exchange:shipment", args=[shipment.pk]) not in page


def test_the_step_moves_to_the_receiving_school(cast, login, shipment):
    advance(cast, shipment, Shipment.Status.SENDER_AGREED)
    page = login(cast.librarian_b).get(reverse("home")).content.decode()
    assert reverse("exchange:shipment", args=[shipment.pk]) in page
    page = login(cast.librarian_a).get(reverse("home")).content.decode()
    assert reverse("exchange:shipment", args=[shipment.pk]) not in page


def test_methodist_sees_overdue_returns(cast, login, shipment):
    advance(cast, shipment, Shipment.Status.RECEIVED)
    Shipment.objects.filter(pk=shipment.pk).update(
        return_date=timezone.localdate() + timedelta(days=30)
    )
    page = login(cast.methodist).get(reverse("home")).content.decode()
    assert "Просрочен возврат" not in page
    Shipment.objects.filter(pk=shipment.pk).update(
        return_date=timezone.localdate() - timedelta(days=1)
    )
    page = login(cast.methodist).get(reverse("home")).content.decode()
    assert "Просрочен возврат учебников по обмену: 1 перевозка" in page
