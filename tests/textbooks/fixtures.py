from datetime import date

import pytest

from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.textbooks import services
from tests.factories import CATALOGUE, MATHS_5, PHYSICS_10_11, RUSSIAN_5


@pytest.fixture
def catalogue(db):
    services.catalogue_import(None, CATALOGUE)


@pytest.fixture
def campaign(cast, catalogue):
    return services.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг 2024/2025",
        academic_year=2024,
        as_of=date(2024, 9, 15),
        deadline=date(2024, 9, 30),
    )


@pytest.fixture
def filled(cast, campaign):
    """School A: 5th grade of 100 pupils, a surplus of Russian, a shortage of maths;
    physics shared by 10th and 11th grades."""
    submission = campaign.submissions.get(school=cast.school_a)
    services.submission_save(
        cast.librarian_a,
        submission,
        enrolment=[EnrolmentRow(5, 100, 4), EnrolmentRow(10, 50, 2), EnrolmentRow(11, 30, 1)],
        lines=[
            LineRow(5, RUSSIAN_5.code, 100),
            LineRow(5, MATHS_5.code, 100),
            LineRow(10, PHYSICS_10_11.code, 50),
            LineRow(11, PHYSICS_10_11.code, 30),
        ],
        holdings=[
            HoldingRow(RUSSIAN_5.code, 2023, 130, damaged=5, lost=5),
            HoldingRow(MATHS_5.code, 2022, 80),
            HoldingRow(PHYSICS_10_11.code, 2024, 64),
        ],
    )
    return submission
