import pytest

from bibliomo.plans import services
from bibliomo.plans.reading import read_plan
from tests.plans.user_plan import WORD_SAMPLE


@pytest.fixture
def user_document():
    return read_plan(WORD_SAMPLE.read_bytes(), WORD_SAMPLE.name)


@pytest.fixture
def plan(cast, user_document):
    """The user's 2024/2025 plan imported into the test association, as a draft."""
    return services.plan_import(cast.methodist, cast.association, user_document)


@pytest.fixture
def approved_plan(cast, plan):
    services.plan_submit(cast.methodist, plan)
    return services.plan_approve(cast.director, plan)
