"""Plausibility warnings: shown to the librarian, confirmed on submit, seen by the methodist;
the accepted report shows the fund and what was written off."""

from datetime import date

import pytest
from django.urls import reverse

from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow, WriteOffRow
from bibliomo.textbooks import selectors, services
from bibliomo.textbooks.models import Submission
from tests.factories import MATHS_5, PHYSICS_10_11, RUSSIAN_5

pytestmark = pytest.mark.django_db


def _odd(cast, filled):
    services.submission_save(
        cast.librarian_a,
        filled,
        enrolment=[EnrolmentRow(5, 5000, 6), EnrolmentRow(10, 50, 2), EnrolmentRow(11, 30, 1)],
        lines=[LineRow(5, RUSSIAN_5.code, 100), LineRow(5, MATHS_5.code, 100)],
        holdings=[HoldingRow(RUSSIAN_5.code, 2023, 400), HoldingRow(MATHS_5.code, 2022, 80)],
    )


def test_warnings_name_what_looks_wrong(cast, filled):
    assert selectors.plausibility_warnings(filled) == []
    _odd(cast, filled)
    texts = selectors.plausibility_warnings(filled)
    assert "5 класс: 5000 обучающихся в 6 классах — 833 на класс, больше 35." in texts
    assert any("Русский язык" in t and "400 экз. на 100 обучающихся" in t for t in texts)
    assert "10 класс: обучающиеся есть, а учебников (УМК) не указано." in texts
    assert "11 класс: обучающиеся есть, а учебников (УМК) не указано." in texts


def test_change_from_last_years_accepted_report(cast, filled):
    services.submission_submit(cast.librarian_a, filled)
    services.submission_decide(cast.methodist, filled, True)
    later = services.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг 2025/2026",
        academic_year=2025,
        as_of=date(2025, 9, 15),
        deadline=date(2025, 9, 30),
    )
    report = later.submissions.get(school=cast.school_a)
    services.submission_save(
        cast.librarian_a,
        report,
        enrolment=[EnrolmentRow(5, 40, 2)],
        lines=[LineRow(5, MATHS_5.code, 40)],
    )
    texts = selectors.plausibility_warnings(report)
    assert (
        "Обучающихся 40, а в принятом отчёте за 2024/2025 учебный год — 180: изменение больше "
        "чем на 30%." in texts
    )


def test_submit_needs_confirmation_and_the_methodist_sees_the_warnings(cast, login, filled):
    _odd(cast, filled)
    client = login(cast.librarian_a)
    page = client.get(reverse("textbooks:submission", args=[filled.pk])).content.decode()
    assert "833 на класс" in page and 'name="confirm"' in page
    client.post(reverse("textbooks:submit", args=[filled.pk]))
    assert Submission.objects.get(pk=filled.pk).status == Submission.Status.FILLING
    client.post(reverse("textbooks:submit", args=[filled.pk]), {"confirm": "1"})
    submitted = Submission.objects.get(pk=filled.pk)
    assert submitted.status == Submission.Status.SUBMITTED
    assert any("833 на класс" in w for w in submitted.warnings)
    body = login(cast.methodist).get(reverse("textbooks:submission", args=[filled.pk]))
    text = body.content.decode()
    assert "833 на класс" in text and "Школа подтвердила при сдаче" in text


def test_accepted_report_shows_fund_and_written_off(cast, login, filled):
    services.submission_save(
        cast.librarian_a,
        filled,
        write_offs=[
            WriteOffRow(PHYSICS_10_11.code, 4, "loss", "3", date(2024, 9, 10)),
            WriteOffRow(MATHS_5.code, 9, "loss", "4", date(2024, 12, 1)),  # after the date
        ],
    )
    services.submission_submit(cast.librarian_a, filled)
    services.submission_decide(cast.methodist, filled, True)
    # The school's data change afterwards: the accepted report still says what it said.
    from bibliomo.textbooks.models import Holding

    Holding.objects.filter(school=cast.school_a).update(copies=500)
    text = (
        login(cast.methodist)
        .get(reverse("textbooks:submission", args=[filled.pk]))
        .content.decode()
    )
    # 120 + 80 + 64 usable copies; 4 written off by 15.09.2024 (the act of 01.12 comes later).
    assert (
        "Фонд: 264 годных экземпляра; списано по актам на 15.09.2024: 4 экз.; "
        "к использованию 260 экз." in text
    )
    assert "Отчёт принят" in text and "Списания: 1 акт" in text
