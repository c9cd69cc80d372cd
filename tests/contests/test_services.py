"""The rules of a contest: entries, the jury's assignment, conflicts, the weighted result."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from bibliomo.contests import selectors, services
from bibliomo.contests.models import Contest, Entry, Sheet
from bibliomo.core.errors import DomainError
from tests.contests.builders import make_contest, open_contest, pdf, score, submit


@pytest.fixture
def contest(cast):
    return open_contest(cast)


def test_announcing_writes_to_every_member(cast, django_capture_on_commit_callbacks):
    contest = make_contest(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.contest_announce(cast.methodist, contest)
    assert contest.status == Contest.Status.OPEN
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert "Лучший библиотечный урок" in letter.subject
    assert cast.librarian_a.email in letter.to and cast.outsider.email not in letter.to
    assert "/contests/" in letter.body


def test_dates_must_follow_one_another(cast):
    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        make_contest(cast, applications_close=today - timedelta(days=10))
    assert error.value.field == "applications_close"


def test_librarian_submits_edits_and_withdraws(cast, contest):
    entry = submit(contest, cast.librarian_a)
    assert entry.number == 1 and entry.school == cast.school_a
    services.entry_update(
        cast.librarian_a,
        entry,
        category=contest.categories.last(),
        title="Новое название",
        authors="Иванова А.С.",
        description="",
        age_group="",
    )
    entry.refresh_from_db()
    assert entry.title == "Новое название"
    services.entry_withdraw(cast.librarian_a, entry)
    assert entry.status == Entry.Status.WITHDRAWN


def test_librarian_cannot_touch_another_schools_entry(cast, contest):
    entry = submit(contest, cast.librarian_a)
    with pytest.raises(DomainError):
        services.entry_withdraw(cast.librarian_b, entry)


def test_no_entry_after_the_deadline(cast):
    today = timezone.localdate()
    contest = open_contest(cast)
    Contest.objects.filter(pk=contest.pk).update(applications_close=today - timedelta(days=1))
    contest.refresh_from_db()
    with pytest.raises(DomainError, match="закрыт"):
        submit(contest, cast.librarian_a)


def test_pupils_work_needs_parents_consent(cast):
    contest = open_contest(cast, audience="pupils", age_groups="5–7 классы\n8–11 классы")
    with pytest.raises(DomainError) as error:
        submit(contest, cast.librarian_a, authors="Сидоров Петя", age_group="5–7 классы")
    assert error.value.field == "parent_consent"
    entry = submit(
        contest,
        cast.librarian_a,
        authors="Сидоров Петя",
        age_group="5–7 классы",
        parent_consent=True,
    )
    assert entry.is_pupils and not entry.publish_names
    assert selectors.public_authors(entry) == "участник"


def test_file_is_checked_by_its_content(cast, contest):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("работа.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(DomainError) as error:
        services.entry_submit(
            cast.librarian_a,
            contest,
            file=fake,
            category=contest.categories.first(),
            title="x",
            authors="Иванова",
        )
    assert error.value.field == "file"


def test_returned_entry_gets_a_letter(cast, contest, django_capture_on_commit_callbacks):
    entry = submit(contest, cast.librarian_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_return(cast.methodist, entry, "Приложите конспект целиком.")
    assert entry.status == Entry.Status.RETURNED
    assert mail.outbox[-1].to == [cast.librarian_a.email]
    assert "конспект целиком" in mail.outbox[-1].body


def _jury(cast, contest):
    for person in (cast.head, cast.director, cast.librarian_b):
        services.juror_add(cast.methodist, contest, person)


def test_no_juror_gets_an_entry_of_her_own_school(cast, contest):
    own = submit(contest, cast.librarian_b, title="Работа школы B")
    other = submit(contest, cast.librarian_a)
    _jury(cast, contest)
    services.sheets_assign(cast.methodist, contest)
    juror_b = contest.jurors.get(person=cast.librarian_b)
    assert set(juror_b.sheets.values_list("entry", flat=True)) == {other.pk}
    assert Sheet.objects.filter(entry=own).count() == 2


def test_juror_steps_aside(cast, contest):
    submit(contest, cast.librarian_a)
    _jury(cast, contest)
    services.sheets_assign(cast.methodist, contest)
    sheet = Sheet.objects.get(juror__person=cast.head)
    services.sheet_step_aside(cast.head, sheet, "Автор — моя сестра.")
    with pytest.raises(DomainError):
        score(cast.head, sheet, [5, 5, 5])
    progress = {p["juror"].person_id: p for p in selectors.juror_progress(contest)}
    assert progress[cast.head.pk]["declined"] == 1 and progress[cast.head.pk]["assigned"] == 0


def test_jury_progress_lists_the_chair_first_then_by_surname(cast, contest):
    services.juror_add(cast.methodist, contest, cast.head)
    services.juror_add(cast.methodist, contest, cast.director)
    services.juror_add(cast.methodist, contest, cast.librarian_b, is_chair=True)
    names = [p["juror"].person.last_name for p in selectors.juror_progress(contest)]
    assert names == ["Петрова", "Венкова", "Никитенко"]


def test_points_beyond_the_maximum_are_refused(cast, contest):
    submit(contest, cast.librarian_a)
    _jury(cast, contest)
    services.sheets_assign(cast.methodist, contest)
    sheet = Sheet.objects.get(juror__person=cast.head)
    with pytest.raises(DomainError, match="от 0 до 5"):
        score(cast.head, sheet, [10, 6, 5])


def test_weighted_result_matches_the_hand_computed_example(cast, contest):
    """Weights 2, 1 and 0,5. Jurors' sums: 8·2+4+2·0,5 = 21; 6·2+5+4·0,5 = 19;
    9·2+3+1·0,5 = 21,5. Mean (21+19+21,5)/3 = 20,50; median 21,00; spread 2,50."""
    entry = submit(contest, cast.librarian_a)
    weaker = submit(contest, cast.librarian_a, title="Вторая")
    _jury(cast, contest)
    services.sheets_assign(cast.methodist, contest)
    marks = {cast.head: [8, 4, 2], cast.director: [6, 5, 4], cast.librarian_b: [9, 3, 1]}
    for person, values in marks.items():
        score(person, Sheet.objects.get(juror__person=person, entry=entry), values)
        score(person, Sheet.objects.get(juror__person=person, entry=weaker), [1, 1, 1])
    rows = {r.entry.pk: r for r in selectors.results(contest)}
    assert sorted(rows[entry.pk].totals.values()) == [Decimal("19"), Decimal("21"), Decimal("21.5")]
    assert rows[entry.pk].result == Decimal("20.50")
    assert rows[entry.pk].spread == Decimal("2.50")
    assert rows[entry.pk].rank == 1 and rows[weaker.pk].rank == 2
    Contest.objects.filter(pk=contest.pk).update(aggregation="median")
    contest.refresh_from_db()
    rows = {r.entry.pk: r for r in selectors.results(contest)}
    assert rows[entry.pk].result == Decimal("21.00")


def test_equal_results_are_shown_as_ties(cast, contest):
    first = submit(contest, cast.librarian_a)
    second = submit(contest, cast.librarian_a, title="Вторая")
    services.juror_add(cast.methodist, contest, cast.head)
    services.sheets_assign(cast.methodist, contest)
    for entry in (first, second):
        score(cast.head, Sheet.objects.get(entry=entry), [5, 5, 5])
    rows = selectors.results(contest)
    assert all(r.tied and r.rank == 1 for r in rows)


def test_others_scores_only_after_ones_own(cast, contest):
    entry = submit(contest, cast.librarian_a)
    _jury(cast, contest)
    services.sheets_assign(cast.methodist, contest)
    score(cast.head, Sheet.objects.get(juror__person=cast.head, entry=entry), [5, 5, 5])
    mine = Sheet.objects.get(juror__person=cast.director, entry=entry)
    assert selectors.others_scores(mine) == []
    score(cast.director, mine, [1, 1, 1])
    mine.refresh_from_db()
    assert [o["total"] for o in selectors.others_scores(mine)] == [Decimal("17.50")]


def test_reminders_go_to_jurors_with_work_left(cast, contest, django_capture_on_commit_callbacks):
    entry = submit(contest, cast.librarian_a)
    _jury(cast, contest)
    services.sheets_assign(cast.methodist, contest)
    score(cast.head, Sheet.objects.get(juror__person=cast.head, entry=entry), [5, 5, 5])
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.jurors_remind(cast.methodist, contest)
    assert sent == 2
    assert {m.to[0] for m in mail.outbox} >= {cast.director.email, cast.librarian_b.email}
    assert "1 работа" in mail.outbox[-1].body


def test_results_published_with_places(cast, contest):
    entry = submit(contest, cast.librarian_a)
    services.contest_close(cast.methodist, contest)
    with pytest.raises(DomainError, match="места"):
        services.results_publish(cast.methodist, contest)
    services.decision_record(cast.methodist, entry, contest.rounds.first(), True)
    services.place_set(cast.methodist, entry, 1)
    services.results_publish(cast.methodist, contest)
    assert contest.results_public


def test_year_figures_shape(cast, contest):
    submit(contest, cast.librarian_a)
    submit(contest, cast.librarian_b)
    services.external_event_create(
        cast.methodist,
        cast.association,
        title="Форум школьных библиотекарей Подмосковья",
        kind="форум",
        level="regional",
        held_on=contest.applications_open,
        participants=6,
        results="Выступление с опытом",
    )
    figures = selectors.year_figures(cast.association, contest.academic_year)
    assert figures["entries"] == 2 and figures["schools"] == 2
    assert figures["contests"][0]["title"] == contest.title
    assert figures["external"][0]["level"] == "региональный"


def test_pdf_builder_is_a_pdf():
    assert pdf().read().startswith(b"%PDF")


def test_regulation_limits_the_files_type_and_size(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contest = open_contest(cast, file_types="docx", max_file_mb=1)
    with pytest.raises(DomainError) as error:
        submit(contest, cast.librarian_a)  # a PDF
    assert error.value.field == "file"
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"0" * (1024 * 1024 + 10))
    contest = open_contest(cast, title="Второй", max_file_mb=1)
    with pytest.raises(DomainError, match="больше 1 МБ"):
        services.entry_submit(
            cast.librarian_a,
            contest,
            file=big,
            category=contest.categories.first(),
            title="x",
            authors="Иванова",
        )
    with pytest.raises(DomainError) as error:
        make_contest(cast, file_types="exe")
    assert error.value.field == "file_types"


def test_no_withdrawal_after_the_deadline(cast):
    contest = open_contest(cast)
    entry = submit(contest, cast.librarian_a)
    Contest.objects.filter(pk=contest.pk).update(
        applications_close=timezone.localdate() - timedelta(days=1)
    )
    entry.refresh_from_db()
    with pytest.raises(DomainError, match="через организатора"):
        services.entry_withdraw(cast.librarian_a, entry)
