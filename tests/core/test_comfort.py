"""Small comforts of issue 18: job progress that never overstates, status colours that differ."""

from pathlib import Path

import pytest

from bibliomo.core.models import Job

CSS = Path(__file__).resolve().parents[2] / "bibliomo/core/static/bibliomo/bibliomo.css"


@pytest.mark.parametrize(
    ("status", "done", "total", "percent"),
    [
        (Job.Status.RUNNING, 95, 100, 95),
        (Job.Status.RUNNING, 999, 1000, 99),  # 99,9 % is not «100%»
        (Job.Status.RUNNING, 100, 100, 99),  # counted everything but not finished yet
        (Job.Status.RUNNING, 2, 3, 66),  # rounded down
        (Job.Status.RUNNING, 0, 0, 0),
        (Job.Status.DONE, 95, 100, 100),
    ],
)
def test_job_percent_reads_100_only_when_done(status, done, total, percent):
    assert Job(status=status, done=done, total=total).percent == percent


def test_returned_report_is_not_green_like_accepted():
    css = CSS.read_text()
    rule = css.split(".tag--monitoring.tag--returned", 1)[1].split("}", 1)[0]
    assert "var(--danger)" in rule
    accepted = css.split(".tag--accepted", 1)[1].split("}", 1)[0]
    assert "var(--ok)" in accepted


def test_new_exchange_plan_preselects_the_only_campaign_then_the_latest(cast, login, campaign):
    from datetime import date

    from django.urls import reverse

    from bibliomo.textbooks import services as textbooks

    url = reverse("exchange:plan_create")
    body = login(cast.methodist).get(url).content.decode()
    assert "---------" not in body
    assert f'<option value="{campaign.pk}" selected>' in body

    later = textbooks.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг 2025/2026",
        academic_year=2025,
        as_of=date(2025, 9, 15),
        deadline=date(2025, 9, 30),
    )
    body = login(cast.methodist).get(url).content.decode()
    assert f'<option value="{later.pk}" selected>' in body
    assert f'<option value="{campaign.pk}">' in body
    assert login(cast.librarian_a).get(url).status_code == 403


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "Методическое объединение школьных библиотекарей"),
        ("/events/", "Открытые мероприятия"),
        ("/verify/НЕТ-ТАКОГО/", "Проверка сертификата"),
        ("/news/", "Новости"),
        ("/documents/", "Документы и материалы"),
    ],
)
def test_public_pages_share_navigation_favicon_and_og_title(client, db, url, title):
    from django.contrib.staticfiles import finders

    response = client.get(url)
    body = response.content.decode()
    assert 'aria-label="Разделы портала"' in body
    for link in ("/news/", "/events/", "/documents/"):
        assert f'href="{link}"' in body
    assert f'<meta property="og:title" content="{title}">' in body
    assert 'rel="icon" href="/static/bibliomo/favicon.svg" type="image/svg+xml"' in body
    assert finders.find("bibliomo/favicon.svg").endswith("favicon.svg")
