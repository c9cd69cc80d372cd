import time
import pytest
from bibliomo.directory.models import Building
from bibliomo.exchange.models import PoolLine, Shipment, OrderLine
from bibliomo.exchange import services
from tests.exchange.conftest import make_plan

pytestmark = pytest.mark.django_db


def test_nocoord(cast, plan):
    Building.objects.filter(school=cast.school_b).update(latitude=None, longitude=None)
    print(services.solve(plan))
    plan.refresh_from_db()
    print(plan.warnings, plan.covered, plan.tradeoff, plan.baselines, plan.shipments.count())


@pytest.mark.parametrize("n", range(3))
def test_shipment_cost(shipment, n):
    pass


@pytest.mark.parametrize("n", range(3))
def test_order_cost(order, n):
    pass
