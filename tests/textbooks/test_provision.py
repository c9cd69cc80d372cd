from datetime import date

import pytest

from bibliomo.textbooks import provision, services
from bibliomo.textbooks.models import CatalogEntry
from tests.factories import CATALOGUE, MATHS_5, PHYSICS_10_11, RUSSIAN_5

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 9, 15)


def _line(cast, grade, code):
    return next(
        line
        for line in provision.lines(2024, AS_OF, school_id=cast.school_a.pk)
        if line.grade == grade and line.code == code
    )


def test_line_provision_counts_usable_copies_only(cast, filled):
    russian = _line(cast, 5, RUSSIAN_5.code)
    assert russian.copies == 120  # 130 minus 5 damaged and 5 lost
    assert russian.percent == 100.0 and russian.surplus == 20 and russian.shortage == 0
    maths = _line(cast, 5, MATHS_5.code)
    assert maths.percent == 80.0 and maths.shortage == 20


def test_shared_textbook_is_split_by_pupils(cast, filled):
    tenth, eleventh = _line(cast, 10, PHYSICS_10_11.code), _line(cast, 11, PHYSICS_10_11.code)
    assert (tenth.copies, eleventh.copies) == (40, 24)  # 64 copies for 80 pupils: 80% each
    assert tenth.percent == eleventh.percent == 80.0


def test_a_surplus_never_hides_a_shortage(cast, filled):
    total = provision.totals(2024, AS_OF, "all", school_id=cast.school_a.pk)[0]
    # Russian 100 of 100, maths 80 of 100, physics 64 of 80: covered 244 of 280.
    assert total.need == 280  # copies needed: one per pupil per subject
    assert total.pupils == 180  # pupils enrolled: 100 + 50 + 30
    assert round(total.percent, 2) == round(100 * 244 / 280, 2)
    assert round(total.surplus) == 20 and round(total.shortage) == 36


def test_totals_by_subject_stage_and_school(cast, filled):
    by_subject = {
        t.key[0]: t
        for t in provision.totals(2024, AS_OF, "subject", association_id=cast.association.pk)
    }
    assert round(by_subject["Математика"].percent) == 80
    by_stage = {
        t.key[0]: t
        for t in provision.totals(2024, AS_OF, "stage", association_id=cast.association.pk)
    }
    assert set(by_stage) == {"5–9", "10–11"}
    by_school = provision.totals(2024, AS_OF, "school", association_id=cast.association.pk)
    assert [t.key[0] for t in by_school] == [cast.school_a.pk]  # school B has no data yet


def test_excluded_textbook_past_its_limit_date_gives_nothing(cast, filled):
    services.catalogue_import(None, [e for e in CATALOGUE if e.code != MATHS_5.code])
    entry = CatalogEntry.objects.get(code=MATHS_5.code)
    assert entry.status == "excluded"
    assert _line(cast, 5, MATHS_5.code).copies == 0
    services.catalogue_set_limit_date(cast.methodist, entry, date(2025, 8, 31))
    assert _line(cast, 5, MATHS_5.code).copies == 80


def test_line_without_pupils_is_no_data(cast, filled):
    from bibliomo.lib.provision_workbook import LineRow

    services.submission_save(cast.librarian_a, filled, lines=[LineRow(5, RUSSIAN_5.code, 0)])
    line = _line(cast, 5, RUSSIAN_5.code)
    assert line.percent is None
    assert provision.totals(2024, AS_OF, "all", school_id=cast.school_a.pk)[0].percent is None


def test_alerts_name_excluded_textbooks_and_sum_up_old_copies(cast, filled):
    from bibliomo.lib.provision_workbook import HoldingRow
    from bibliomo.textbooks import selectors

    services.submission_save(
        cast.librarian_a,
        filled,
        holdings=[
            HoldingRow(RUSSIAN_5.code, 2015, 40),
            HoldingRow(MATHS_5.code, 2016, 10),
        ],
    )
    services.catalogue_import(None, [e for e in CATALOGUE if e.code != MATHS_5.code])
    texts = [a.text for a in selectors.alerts(cast.school_a, 2024, AS_OF)]
    assert any("исключён из перечня" in t and "Математика. 5 класс" in t for t in texts)
    assert "50 экземпляров 2 учебников старше 4 лет" in " ".join(texts)
