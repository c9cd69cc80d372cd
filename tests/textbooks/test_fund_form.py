"""The «Фонд» web form works for a real school: a subject at a time, well under Django's
limit of fields, other subjects untouched."""

import pytest
from django.conf import settings
from django.urls import reverse

from bibliomo.lib.fpu import FpuEntry
from bibliomo.lib.provision_workbook import HoldingRow
from bibliomo.textbooks import services
from bibliomo.textbooks.models import Holding
from tests.factories import CATALOGUE

pytestmark = pytest.mark.django_db

SUBJECTS = ["Математика", "Русский язык", "История", "Биология"]
MANY = [
    FpuEntry(
        f"1.1.9.{s}.{n}.1.1", subject, f"{subject}. Линия {n}", "Автор А.А.", 5, 9, "", "basic", ""
    )
    for s, subject in enumerate(SUBJECTS)
    for n in range(8)
]


@pytest.fixture
def big_fund(cast, campaign):
    services.catalogue_import(None, [*CATALOGUE, *MANY])
    submission = campaign.submissions.get(school=cast.school_a)
    rows = [HoldingRow(e.code, year, 30, 1, 0) for e in MANY for year in range(2015, 2024)]
    services.submission_save(cast.librarian_a, submission, holdings=rows)
    assert len(rows) * 5 > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS  # a single form cannot work
    return submission


def _post_data(response):
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-TOTAL_FORMS": formset.total_form_count(),
        f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count(),
    }
    for form in formset:
        for name in form.fields:
            value = form.initial.get(name)
            data[form.add_prefix(name)] = getattr(value, "pk", value) if value is not None else ""
    return data


def test_fund_is_edited_a_subject_at_a_time(cast, login, big_fund):
    client = login(cast.librarian_a)
    url = reverse("textbooks:holdings", args=[big_fund.pk])
    listing = client.get(url).content.decode()
    assert "Математика" in listing and "?subject=" in listing
    page = client.get(url, {"subject": "Математика"})
    data = _post_data(page)
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    first = next(k for k in data if k.endswith("-copies"))
    data[first] = 25
    before_other = list(
        Holding.objects.exclude(entry__subject="Математика").values_list("entry_id", "copies")
    )
    response = client.post(f"{url}?subject=Математика", data)
    assert response.status_code == 302
    maths = Holding.objects.filter(school=cast.school_a, entry__subject="Математика")
    assert maths.count() == 72 and sorted(maths.values_list("copies", flat=True))[0] == 25
    after_other = list(
        Holding.objects.exclude(entry__subject="Математика").values_list("entry_id", "copies")
    )
    assert sorted(after_other) == sorted(before_other)


def test_fund_subject_rows_must_be_of_that_subject(cast, big_fund):
    from bibliomo.core.errors import DomainError

    with pytest.raises(DomainError):
        services.submission_save_subject_fund(
            cast.librarian_a, big_fund, "Математика", [HoldingRow(MANY[-1].code, 2020, 5)]
        )


def test_fund_form_forbidden_for_another_school_and_bad_input(cast, login, big_fund):
    url = reverse("textbooks:holdings", args=[big_fund.pk])
    assert login(cast.librarian_b).get(url, {"subject": "Математика"}).status_code == 403
    client = login(cast.librarian_a)
    page = client.get(url, {"subject": "Математика"})
    data = _post_data(page)
    first = next(k for k in data if k.endswith("-copies"))
    data[first] = -3
    response = client.post(f"{url}?subject=Математика", data)
    assert response.status_code == 200  # the form again, with the error
    assert Holding.objects.filter(school=cast.school_a).count() == 288
