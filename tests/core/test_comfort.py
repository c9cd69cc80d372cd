"""Small comforts of issue 18: job progress that never overstates, status colours that differ."""

import re
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


def test_returned_for_rework_is_red_and_only_a_returned_shipment_is_green():
    """«возвращён на доработку» — a plan, an analysis, a report, a school's order, a contest
    entry — needs work; a shipment «возвращена» is done. Every rule naming .tag--returned."""
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    colours = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        for selector in selectors.split(","):
            if ".tag--returned" in selector:
                colours[selector.strip()] = body
    assert "var(--danger)" in colours.pop(".tag--returned")
    assert "var(--ok)" in colours.pop(".tag--shipment.tag--returned")
    assert colours == {}  # no other rule repaints it
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


def test_school_names_sort_naturally_in_lists_and_selects(cast, login):
    from django import forms
    from django.urls import reverse

    from bibliomo.directory import services
    from bibliomo.directory.models import School
    from bibliomo.lib import ru

    for name in ("МБОУ «СОШ № 10»", "МБОУ «СОШ № 2»", "МБОУ «СОШ № 11»"):
        services.school_create(None, cast.association, short_name=name, full_name=name)
    expected = sorted(
        School.objects.filter(association=cast.association).values_list("short_name", flat=True),
        key=ru.natural_key,
    )
    assert expected.index("МБОУ «СОШ № 2»") < expected.index("МБОУ «СОШ № 10»")
    # The model's own order: every ModelChoiceField (selects and filters) follows it.
    field = forms.ModelChoiceField(School.objects.filter(association=cast.association))
    assert [label for _, label in list(field.choices)[1:]] == expected
    # The school list page.
    body = login(cast.methodist).get(reverse("directory:school_list")).content.decode()
    positions = [body.index(name) for name in expected]
    assert positions == sorted(positions)
    # Renaming keeps the order right.
    school = School.objects.get(short_name="МБОУ «СОШ № 11»")
    services.school_update(None, school, short_name="МБОУ «СОШ № 3»")
    names = list(
        School.objects.filter(
            association=cast.association, short_name__contains="СОШ № "
        ).values_list("short_name", flat=True)
    )
    assert names.index("МБОУ «СОШ № 3»") < names.index("МБОУ «СОШ № 10»")


def test_natural_sort_string_pads_numbers():
    from bibliomo.lib import ru

    assert ru.natural_sort_string("СОШ № 2") < ru.natural_sort_string("сош № 10")
    assert ru.natural_sort_string("Гимназия № 5") == "гимназия № 000005"


def test_counts_over_999_are_grouped_russian_style():
    from django.template.loader import render_to_string

    from bibliomo.lib import ru

    job = Job(status=Job.Status.RUNNING, done=1999, total=2000)
    html = render_to_string("core/job_progress.html", {"job": job})
    assert "99% (1\u00a0999 из 2\u00a0000)" in html
    assert ru.plural(264507, "экземпляр", "экземпляра", "экземпляров") == "264\u00a0507 экземпляров"
    assert ru.plural(1234, "школа", "школы", "школ") == "1\u00a0234 школы"
    assert ru.plural(21, "школа", "школы", "школ") == "21 школа"


def test_exchange_templates_group_copies_but_not_in_form_values():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "bibliomo/templates/exchange"
    shipment = (templates / "shipment.html").read_text()
    assert "{{ line.copies|num }}" in shipment
    copies_input = (templates / "_copies_input.html").read_text()
    assert 'max="{{ value }}"' in copies_input  # an input's bound stays a plain number
    assert "{{ total|num }} экз." in (templates / "order.html").read_text()
