from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.directory import services as directory
from bibliomo.directory.models import Person, Position, Role
from bibliomo.mentoring import selectors, services
from bibliomo.mentoring.models import Pair, Survey
from tests.conftest import PASSWORD, consented
from tests.lib.paper_rules import assert_clean_text, assert_paper_layout, docx_all_text
from tests.mentoring.builders import make_pair

pytestmark = pytest.mark.django_db


def _third_librarian(cast) -> Person:
    person = directory.person_create(
        None,
        cast.association,
        email="third@test.ru",
        last_name="Сидорова",
        first_name="Нина",
        patronymic="",
        position=Position.LIBRARIAN,
        school=cast.school_a,
        roles=[Role.LIBRARIAN],
        password=PASSWORD,
    )
    return consented(person)


def test_early_career_is_under_three_years(cast):
    today = timezone.localdate()
    directory.person_update(None, cast.librarian_b, librarian_since=today - timedelta(days=700))
    directory.person_update(None, cast.librarian_a, librarian_since=today - timedelta(days=1200))
    found = list(selectors.early_career(cast.association, today))
    assert found == [cast.librarian_b]
    assert Person.objects.get(pk=cast.librarian_b.pk).is_early_career(today)


def test_methodist_pairs_from_the_template(cast, login):
    client = login(cast.methodist)
    today = timezone.localdate()
    response = client.post(
        reverse("mentoring:template"),
        {"goals": "Освоить работу библиотеки.", "steps": "Знакомство\n\nУчёт фонда\nИтоги"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("mentoring:pair_new"),
        {
            "mentor": cast.librarian_a.pk,
            "mentee": cast.librarian_b.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=90)).isoformat(),
        },
    )
    pair = Pair.objects.get()
    assert response.status_code == 302
    assert [s.title for s in pair.steps.all()] == ["Знакомство", "Учёт фонда", "Итоги"]
    assert pair.steps.last().due_on == today + timedelta(days=90)
    assert pair.goals == "Освоить работу библиотеки."


def test_pair_and_template_bad_input(cast, login):
    client = login(cast.methodist)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("mentoring:pair_new"),
        {
            "mentor": cast.librarian_a.pk,
            "mentee": cast.librarian_a.pk,
            "starts_on": today,
            "ends_on": today,
        },
    )
    assert response.status_code == 200 and not Pair.objects.exists()
    response = client.post(reverse("mentoring:template"), {"goals": "x", "steps": "  "})
    assert response.status_code == 200


def test_librarians_do_not_run_mentoring(cast, login):
    client = login(cast.librarian_a)
    assert client.get(reverse("mentoring:pair_new")).status_code == 403
    assert client.get(reverse("mentoring:template")).status_code == 403


def test_a_librarian_cannot_see_a_pair_she_is_not_in(cast, login):
    pair = make_pair(cast)
    stranger = login(_third_librarian(cast))
    assert stranger.get(pair.get_absolute_url()).status_code == 403
    assert stranger.get(reverse("mentoring:export", args=[pair.pk])).status_code == 403
    index = stranger.get(reverse("mentoring:index")).content.decode()
    assert "Вы не состоите в паре" in index
    assert login(cast.outsider).get(pair.get_absolute_url()).status_code == 404


def test_mentor_and_mentee_work_in_their_pair(cast, login):
    pair = make_pair(cast)
    mentee = login(cast.librarian_b)
    assert mentee.get(pair.get_absolute_url()).status_code == 200
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = mentee.post(
        reverse("mentoring:meeting_add", args=[pair.pk]),
        {"held_on": yesterday, "topic": "Учёт фонда", "agreed": "Заполнить КСУ к пятнице"},
    )
    assert response.status_code == 302
    mentee.post(reverse("mentoring:question_ask", args=[pair.pk]), {"text": "Как списать?"})
    question = pair.questions.get()
    # The mentee cannot answer; the mentor can.
    assert (
        mentee.post(
            reverse("mentoring:question_answer", args=[question.pk]), {"answer": "сама"}
        ).status_code
        == 403
    )
    mentor = login(cast.librarian_a)
    mentor.post(reverse("mentoring:question_answer", args=[question.pk]), {"answer": "Актом."})
    question.refresh_from_db()
    assert question.answer == "Актом."
    step = pair.steps.first()
    mentor.post(reverse("mentoring:step_mark", args=[step.pk]), {"done": "1"})
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    # Bad input: a meeting in the future.
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = mentor.post(
        reverse("mentoring:meeting_add", args=[pair.pk]),
        {"held_on": tomorrow, "topic": "x", "agreed": "y"},
    )
    assert bad.status_code == 400 and pair.meetings.count() == 1


def test_finish_report_surveys_and_word(cast, login):
    pair = make_pair(cast)
    mentee = login(cast.librarian_b)
    assert (
        mentee.post(reverse("mentoring:finish", args=[pair.pk]), {"report": "Готово"}).status_code
        == 403
    )
    mentor = login(cast.librarian_a)
    mentor.post(reverse("mentoring:finish", args=[pair.pk]), {"report": "Программа выполнена."})
    pair.refresh_from_db()
    assert pair.status == Pair.Status.FINISHED
    mentor.post(reverse("mentoring:survey", args=[pair.pk]), {"rating": "5", "achieved": "Всё"})
    again = mentor.post(
        reverse("mentoring:survey", args=[pair.pk]), {"rating": "4", "achieved": "Ещё"}
    )
    assert again.status_code == 400
    bad = login(cast.librarian_b).post(
        reverse("mentoring:survey", args=[pair.pk]), {"rating": "9", "achieved": ""}
    )
    assert bad.status_code == 400
    assert list(pair.surveys.values_list("side", flat=True)) == [Survey.Side.MENTOR]
    response = login(cast.methodist).get(reverse("mentoring:export", args=[pair.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_paper_layout(response.content, min_headers=1)
    text = docx_all_text(response.content)
    assert_clean_text(text)
    assert "Программа выполнена." in text and "Петрова Ольга Ивановна" in text


def test_overview_shows_progress_and_overdue(cast, login, django_assert_max_num_queries):
    make_pair(cast, days_ago=200)
    client = login(cast.methodist)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("mentoring:index"))
    text = response.content.decode()
    assert "Все пары" in text and "просрочено" in text
    assert "Молодые специалисты" in text and "Петрова Ольга Ивановна" in text


def test_one_active_pair_per_mentee(cast):
    make_pair(cast)
    with pytest.raises(DomainError):
        make_pair(cast)


def test_year_figures(cast):
    pair = make_pair(cast, days_ago=10)
    services.meeting_add(
        cast.librarian_a, pair, held_on=timezone.localdate(), topic="Старт", agreed="План"
    )
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    figures = selectors.year_figures(cast.association, year)
    assert figures["pairs"] == 1 and figures["meetings"] == 1
    assert figures["pair_list"][0]["mentee"] == "Петрова О.И."


def test_programme_is_edited_with_dates_and_keeps_done_marks(cast, login):
    pair = make_pair(cast)
    first = pair.steps.first()
    services.step_mark(cast.librarian_a, first, done=True)
    url = reverse("mentoring:programme", args=[pair.pk])
    assert login(cast.librarian_b).get(url).status_code == 403  # the mentee reads it only
    client = login(cast.librarian_a)
    assert "—" in client.get(url).content.decode()
    response = client.post(
        url,
        {"goals": "Новые цели", "steps": f"01.10.2026 — {first.title}\n15.01.2027 — Итоги"},
    )
    assert response.status_code == 302
    steps = list(pair.steps.all())
    assert [s.title for s in steps] == [first.title, "Итоги"]
    assert steps[0].done_on is not None and steps[1].done_on is None
    bad = client.post(url, {"goals": "Цели", "steps": "завтра — шаг"})
    assert bad.status_code == 200 and "Строка 1" in bad.content.decode()


def test_a_stranger_cannot_write_in_a_pair(cast, login):
    pair = make_pair(cast)
    stranger = login(_third_librarian(cast))
    day = timezone.localdate().isoformat()
    for name, data in [
        ("mentoring:meeting_add", {"held_on": day, "topic": "x", "agreed": "y"}),
        ("mentoring:question_ask", {"text": "?"}),
        ("mentoring:finish", {"report": "x"}),
        ("mentoring:survey", {"rating": "5", "achieved": "x"}),
    ]:
        assert stranger.post(reverse(name, args=[pair.pk]), data).status_code == 403, name
    step = pair.steps.first()
    assert (
        stranger.post(reverse("mentoring:step_mark", args=[step.pk]), {"done": "1"}).status_code
        == 403
    )
    # The mentor asks no questions: that is the mentee's part.
    mentor = login(cast.librarian_a)
    assert (
        mentor.post(reverse("mentoring:question_ask", args=[pair.pk]), {"text": "?"}).status_code
        == 403
    )
    assert not pair.meetings.exists() and not pair.questions.exists()
