"""Figures a methodist can sign: frozen accepted reports, whole copies, write-offs."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow, WriteOffRow
from bibliomo.textbooks import provision, services
from bibliomo.textbooks.models import Submission
from tests.factories import MATHS_5, PHYSICS_10_11, RUSSIAN_5

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 9, 15)


def _figures(cast):
    lines = [
        (line.grade, line.code, line.pupils, line.copies)
        for line in provision.lines(2024, AS_OF, school_id=cast.school_a.pk)
    ]
    summary = provision.summary(2024, AS_OF, association_id=cast.association.pk)
    return lines, summary


def _accept(cast, submission):
    services.submission_submit(cast.librarian_a, submission)
    return services.submission_decide(cast.methodist, submission, True)


def test_accepted_report_never_changes(cast, filled):
    _accept(cast, filled)
    before = _figures(cast)
    # The school's data change afterwards: more copies, other pupils, a write-off, and a report
    # of a later campaign that replaces the holdings (they belong to the school, not a campaign).
    later = services.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг 2026/2027",
        academic_year=2026,
        as_of=date(2026, 9, 15),
        deadline=date(2026, 9, 30),
    )
    services.submission_save(
        cast.librarian_a,
        later.submissions.get(school=cast.school_a),
        enrolment=[EnrolmentRow(5, 120, 4)],
        lines=[LineRow(5, MATHS_5.code, 120)],
        holdings=[HoldingRow(MATHS_5.code, 2022, 110), HoldingRow(RUSSIAN_5.code, 2023, 40)],
        write_offs=[WriteOffRow(PHYSICS_10_11.code, 30, "loss", "7", date(2024, 9, 1))],
    )
    from bibliomo.textbooks.models import Enrolment, TextbookLine

    Enrolment.objects.filter(school=cast.school_a, academic_year=2024).update(pupils=1)
    TextbookLine.objects.filter(school=cast.school_a, academic_year=2024).update(pupils=3)
    assert _figures(cast) == before
    # The summary adds the stored totals: the same figures as adding the stored lines.
    by_lines = provision._grouped(
        2024, AS_OF, ["all", "school", "subject", "stage"], False, {"school_id": cast.school_a.pk}
    )
    assert by_lines["all"] == [before[1].total]
    assert by_lines["subject"] == before[1].by_subject
    assert by_lines["stage"] == before[1].by_stage
    maths = next(x for x in before[0] if x[1] == MATHS_5.code)
    assert maths == (5, MATHS_5.code, 100, 80)
    # The snapshot says what the report said on the campaign date.
    snapshot = Submission.objects.get(pk=filled.pk).snapshot
    assert [MATHS_5.code, 2022, 80, 0, 0] in snapshot["holdings"]
    assert snapshot["write_offs"] == []
    # A school not accepted is still computed from its current data.
    assert provision.lines(2024, AS_OF, live=True, school_id=cast.school_a.pk) != before[0]


def test_shared_textbook_gets_whole_copies_that_add_up(cast, filled):
    services.submission_save(
        cast.librarian_a, filled, holdings=[HoldingRow(PHYSICS_10_11.code, 2024, 65)]
    )
    physics = [
        line
        for line in provision.lines(2024, AS_OF, school_id=cast.school_a.pk)
        if line.code == PHYSICS_10_11.code
    ]
    # 65 copies for 50 + 30 pupils: 40.625 and 24.375 → 41 and 24 (largest remainder).
    assert [(x.grade, x.copies) for x in physics] == [(10, 41), (11, 24)]
    assert sum(x.copies for x in physics) == 65
    assert all(isinstance(x.copies, int) for x in physics)


def test_write_off_reduces_usable_copies_from_its_date(cast, filled):
    def maths():
        return next(
            x
            for x in provision.lines(2024, AS_OF, school_id=cast.school_a.pk)
            if x.code == MATHS_5.code
        )

    assert maths().copies == 80
    services.submission_save(
        cast.librarian_a,
        filled,
        write_offs=[
            WriteOffRow(MATHS_5.code, 10, "damage", "12", date(2024, 9, 1)),
            WriteOffRow(MATHS_5.code, 5, "loss", "15", date(2024, 10, 1)),  # after the date
        ],
    )
    assert maths().copies == 70
    _accept(cast, filled)
    snapshot = Submission.objects.get(pk=filled.pk).snapshot
    assert snapshot["write_offs"] == [[MATHS_5.code, 10, "damage", "12", "2024-09-01"]]
    assert maths().copies == 70


@st.composite
def school_data(draw):
    """Random pupils per grade and copies of two textbooks shared by grades 5 (two lines)
    and 10–11."""
    pupils = {grade: draw(st.integers(0, 200)) for grade in (5, 10, 11)}
    maths_other = draw(st.integers(0, 60))
    copies = {
        code: draw(st.integers(0, 500))
        for code in (RUSSIAN_5.code, MATHS_5.code, PHYSICS_10_11.code)
    }
    damaged = draw(st.integers(0, 5))
    written = draw(st.integers(0, 50))
    return pupils, maths_other, copies, damaged, written


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=school_data())
def test_every_line_adds_up(cast, campaign, data):
    pupils, maths_other, copies, damaged, written = data
    submission = campaign.submissions.get(school=cast.school_a)
    from tests.factories import MATHS_5_OTHER

    services.submission_save(
        cast.librarian_a,
        submission,
        enrolment=[EnrolmentRow(g, n, 1) for g, n in pupils.items() if n],
        lines=[
            LineRow(5, RUSSIAN_5.code, pupils[5]),
            LineRow(5, MATHS_5.code, max(0, pupils[5] - maths_other)),
            LineRow(5, MATHS_5_OTHER.code, min(pupils[5], maths_other)),
            LineRow(10, PHYSICS_10_11.code, pupils[10]),
            LineRow(11, PHYSICS_10_11.code, pupils[11]),
        ],
        holdings=[HoldingRow(code, 2023, n, damaged=min(n, damaged)) for code, n in copies.items()],
        write_offs=[WriteOffRow(PHYSICS_10_11.code, written, "loss", "1", date(2024, 9, 1))]
        if written
        else [],
    )
    lines = provision.lines(2024, AS_OF, school_id=cast.school_a.pk)
    usable = {code: max(0, n - min(n, damaged)) for code, n in copies.items()}
    usable[PHYSICS_10_11.code] = max(0, usable[PHYSICS_10_11.code] - written)
    for code, n in usable.items():
        assert sum(x.copies for x in lines if x.code == code) == n
    for line in lines:
        assert isinstance(line.copies, int)
        assert line.shortage == max(0, line.pupils - line.copies)
        assert line.surplus == max(0, line.copies - line.pupils)
        if line.pupils:
            assert line.percent == min(100.0, 100.0 * line.copies / line.pupils)
    # Within a textbook, the copies follow the pupils: no line is more than one copy off its share.
    for code in (PHYSICS_10_11.code,):
        shared = [x for x in lines if x.code == code]
        demand = sum(x.pupils for x in shared)
        for x in shared:
            if demand:
                assert abs(x.copies - usable[code] * x.pupils / demand) < 1


def _fill(cast, campaign, school, pupils, copies):
    from bibliomo.directory.models import Person

    submission = campaign.submissions.get(school=school)
    services.submission_save(
        Person.objects.get(pk=cast.methodist.pk),
        submission,
        enrolment=[EnrolmentRow(5, pupils, 40)],
        lines=[LineRow(5, RUSSIAN_5.code, pupils), LineRow(5, MATHS_5.code, pupils)],
        holdings=[HoldingRow(RUSSIAN_5.code, 2023, copies), HoldingRow(MATHS_5.code, 2023, copies)],
    )
    return submission


def _school(cast, name):
    from bibliomo.directory.models import School

    return School.objects.create(association=cast.association, short_name=name, full_name=name)


def test_summary_shows_pupils_need_and_copies_sorted_naturally(cast, login, catalogue):
    from django.urls import reverse

    tenth, second = _school(cast, "МБОУ «СОШ № 10»"), _school(cast, "МБОУ «СОШ № 2»")
    campaign = services.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг",
        academic_year=2024,
        as_of=AS_OF,
        deadline=date(2024, 9, 30),
    )
    _fill(cast, campaign, tenth, 1295, 1300)
    _fill(cast, campaign, second, 100, 90)
    _fill(cast, campaign, cast.school_a, 200, 200)
    body = login(cast.methodist).get(reverse("textbooks:summary")).content.decode()
    table = body[body.index("<h2>По школам</h2>") :]
    # Pupils as pupils (1 295), the need in copies (two subjects: 2 590) in its own column.
    assert "<td>1\xa0295</td><td>2\xa0590</td><td>2\xa0600</td>" in table
    assert table.index("СОШ № 1»") < table.index("СОШ № 2»") < table.index("СОШ № 10»")
    # The totals: 1 595 pupils, 3 190 copies needed.
    assert '<th scope="row">Итого</th><td>1\xa0595</td><td>3\xa0190</td>' in table
    assert "16631" not in body


def test_summary_takes_the_same_queries_for_more_schools(cast, login, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    campaign = services.campaign_create(
        cast.methodist,
        cast.association,
        name="Мониторинг",
        academic_year=2024,
        as_of=AS_OF,
        deadline=date(2024, 9, 30),
    )
    client = login(cast.methodist)
    _fill(cast, campaign, cast.school_a, 100, 90)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("textbooks:summary")).status_code == 200
        return len(queries)

    count()  # the first read stores the schools' totals (their data changed)
    few = count()
    for n in range(5):
        school = _school(cast, f"Школа {n}")
        from bibliomo.textbooks.models import Submission as S

        S.objects.create(campaign=campaign, school=school)
        submission = _fill(cast, campaign, school, 50 + n, 50)
        if n % 2:
            services.submission_submit(cast.methodist, submission)
            services.submission_decide(cast.methodist, submission, True)
    count()
    assert count() == few
    assert few <= 12  # session, person, roles, association, campaign dates, schools, stored
    # figures (3), map, three years


def test_provision_command_adds_up_on_every_line_of_the_demo(built_demo):
    import csv
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("provision", "--year", "2024/2025", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    column = {name: n for n, name in enumerate(header)}
    assert len(body) > 2000
    for row in body:
        pupils, copies = int(row[column["Обучающихся"]]), int(row[column["Экземпляров"]])
        assert int(row[column["Нехватка"]]) == max(0, pupils - copies), row
        assert int(row[column["Излишек"]]) == max(0, copies - pupils), row
        percent = row[column["Обеспеченность, %"]]
        if pupils:
            assert float(percent) == round(min(100.0, 100.0 * copies / pupils), 1), row
        else:
            assert percent == "нет данных"
        assert row[column["Учебник"]]  # the title beside the code
    assert total[0] == "Итого"
    assert int(total[column["Обучающихся"]]) == sum(int(r[column["Обучающихся"]]) for r in body)
    # Schools in natural order: «СОШ № 2» before «СОШ № 10».
    schools = list(dict.fromkeys(r[0] for r in body))
    from bibliomo.lib import ru

    assert schools == sorted(schools, key=ru.natural_key)


def test_russian_numbers_and_natural_order():
    from django.template import Context, Template

    from bibliomo.lib import ru

    assert ru.format_number(264507) == "264\xa0507"
    assert ru.format_number(97.14, 1) == "97,1"
    assert Template("{{ n|num }} {{ p|num:1 }}").render(Context({"n": 16631, "p": 99.95})) == (
        "16\xa0631 100,0"
    )
    names = ["МБОУ «СОШ № 10»", "МБОУ «СОШ № 2»", "МБОУ «СОШ № 1»", "МАОУ «Лицей»"]
    assert sorted(names, key=ru.natural_key) == [
        "МАОУ «Лицей»",
        "МБОУ «СОШ № 1»",
        "МБОУ «СОШ № 2»",
        "МБОУ «СОШ № 10»",
    ]


def test_reports_accepted_before_freezing_existed_are_frozen_by_the_command(cast, filled):
    import io

    from django.core.management import call_command

    services.submission_submit(cast.librarian_a, filled)
    services.submission_decide(cast.methodist, filled, True)
    Submission.objects.filter(pk=filled.pk).update(frozen_at=None, snapshot={})
    out = io.StringIO()
    call_command("provision", "--freeze-accepted", stdout=out)
    assert "Зафиксировано принятых отчётов: 1." in out.getvalue()
    frozen = Submission.objects.get(pk=filled.pk)
    assert frozen.frozen_at is not None and frozen.snapshot["lines"]
