"""Every home page says what to do, for each role, with a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bibliomo.events import certificates
from bibliomo.events import services as event_services
from bibliomo.events.models import Event
from bibliomo.exchange.models import Order, SchoolOrder
from bibliomo.lib import ru
from bibliomo.plans.models import WorkPlan
from bibliomo.textbooks import services as textbook_services
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def _home(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _plan(cast, year, status, **fields) -> WorkPlan:
    return WorkPlan.objects.create(
        association=cast.association, academic_year=year, status=status, **fields
    )


def _past_event(cast, title, days_ago=3, organisers=None):
    event = make_event(cast, title=title, organisers=organisers or [cast.methodist])
    event_services.registration_create(cast.librarian_a, event, cast.librarian_a)
    start = timezone.now() - timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    event.refresh_from_db()
    return event


# --- Director --------------------------------------------------------------------------------


def test_director_sees_plans_waiting_for_her_with_a_constant_number_of_queries(cast, login):
    client = login(cast.director)
    _plan(cast, 2025, WorkPlan.Status.SUBMITTED, submitted_at=timezone.now())
    body, first = _home(client)
    plan = WorkPlan.objects.get()
    assert "План работы на 2025/2026 учебный год" in body
    assert f'href="{plan.get_absolute_url()}"' in body
    # Later years than the current one: the current year's plan brings the year's overview,
    # a fixed set of queries of its own (tests/plans/test_facts.py).
    current = ru.academic_year_start(timezone.localdate())
    for year in (current + 1, current + 2, current + 3):
        _plan(cast, year, WorkPlan.Status.SUBMITTED, submitted_at=timezone.now())
    body, more = _home(client)
    assert f"План работы на {ru.format_academic_year(current + 3)} учебный год" in body
    assert more == first


def test_director_is_not_shown_drafts_or_the_managers_boxes(cast, login):
    _plan(cast, 2025, WorkPlan.Status.DRAFT)
    body, _ = _home(login(cast.director))
    assert "Нет документов, ожидающих вашего утверждения" in body
    assert "Мероприятия, которые я провожу" not in body


# --- Methodist and head ----------------------------------------------------------------------


def test_methodist_sees_a_returned_plan_with_the_remarks(cast, login):
    plan = _plan(
        cast, 2025, WorkPlan.Status.RETURNED, return_comment="Добавьте семинар для молодых"
    )
    _plan(cast, 2024, WorkPlan.Status.APPROVED, approved_at=timezone.now() - timedelta(days=2))
    body, _ = _home(login(cast.head))
    assert "План работы: утверждение" in body
    assert f'href="{plan.get_absolute_url()}"' in body
    assert "возвращён на доработку" in body and "Добавьте семинар для молодых" in body
    assert "План работы на 2024/2025 учебный год" in body and "утверждён" in body


def test_old_approvals_do_not_linger(cast, login):
    _plan(cast, 2024, WorkPlan.Status.APPROVED, approved_at=timezone.now() - timedelta(days=60))
    body, _ = _home(login(cast.methodist))
    assert "План работы: утверждение" not in body


def test_methodist_is_told_to_mark_attendance_then_issue_certificates(cast, login):
    event = _past_event(cast, "Семинар о наставничестве")
    client = login(cast.methodist)
    body, _ = _home(client)
    assert "Не завершены: 1 мероприятие" in body
    assert reverse("events:attendance", args=[event.pk]) in body
    assert reverse("events:certificates", args=[event.pk]) not in body
    event_services.attendance_import(cast.methodist, event, [cast.librarian_a])
    body, _ = _home(client)
    assert reverse("events:attendance", args=[event.pk]) not in body
    assert reverse("events:certificates", args=[event.pk]) in body
    certificates.certificates_issue(cast.methodist, event)
    body, _ = _home(client)
    assert "Не завершены" not in body


def test_a_meeting_asks_for_its_attendance_but_not_for_certificates(cast, login):
    meeting = _past_event(cast, "Заседание ММО: итоги полугодия")
    Event.objects.filter(pk=meeting.pk).update(kind=Event.Kind.MEETING)
    seminar = _past_event(cast, "Семинар о каталогизации")
    client = login(cast.methodist)
    body, _ = _home(client)
    assert "Не завершены: 2 мероприятия" in body
    assert reverse("events:attendance", args=[meeting.pk]) in body
    for event in (meeting, seminar):
        event_services.attendance_import(cast.methodist, event, [cast.librarian_a])
    body, _ = _home(client)
    assert "Не завершены: 1 мероприятие" in body
    assert reverse("events:certificates", args=[seminar.pk]) in body
    assert reverse("events:certificates", args=[meeting.pk]) not in body


def test_organiser_sees_her_upcoming_events_and_others_do_not(cast, login):
    event = make_event(cast, title="Ярмарка идей", organisers=[cast.head])
    event_services.registration_create(cast.librarian_a, event, cast.librarian_a)
    body, _ = _home(login(cast.head))
    assert "Ярмарка идей" in body and "1 участник" in body
    assert reverse("events:registrations", args=[event.pk]) in body
    body, _ = _home(login(cast.methodist))
    assert "Предстоящих мероприятий, где вы организатор, нет" in body


def test_methodist_sees_reports_waiting_for_acceptance(cast, login, filled, campaign):
    textbook_services.submission_submit(cast.librarian_a, filled)
    body, _ = _home(login(cast.methodist))
    assert "Мониторинг: ждут приёмки" in body and "1 отчёт школы сдан" in body
    assert reverse("textbooks:submission", args=[filled.pk]) in body
    textbook_services.submission_decide(cast.methodist, filled, accept=True)
    body, _ = _home(login(cast.methodist))
    assert "Мониторинг: ждут приёмки" not in body


def test_methodist_home_queries_do_not_grow_with_data(cast, login, filled, campaign):
    client = login(cast.methodist)
    textbook_services.submission_submit(cast.librarian_a, filled)
    _past_event(cast, "Первое")
    make_event(cast, title="Будущее первое", organisers=[cast.methodist])
    _plan(cast, 2025, WorkPlan.Status.RETURNED, return_comment="Исправить")
    _, first = _home(client)
    for n in range(7):
        _past_event(cast, f"Прошедшее {n}", days_ago=n + 4)
        make_event(cast, title=f"Будущее {n}", days=n + 8, organisers=[cast.methodist])
    campaign.submissions.filter(school=cast.school_b).update(status="submitted")
    body, more = _home(client)
    assert "Не завершены: 8 мероприятий" in body and "И ещё 3." in body
    # the link under the first five coming ones leads to exactly the ones counted
    link = reverse("events:index") + "?organised=1"
    assert f'<a href="{link}">Все предстоящие, где вы организатор (8)</a>' in body
    assert "8 мероприятий впереди" in client.get(link).content.decode()
    assert "2 отчёта школ сданы" in body
    assert more == first


# --- Librarian -------------------------------------------------------------------------------


def test_librarian_sees_her_schools_report_due_and_returned(cast, login, filled, campaign):
    client = login(cast.librarian_a)
    body, _ = _home(client)
    assert "Мониторинг учебников" in body and campaign.name in body
    assert reverse("textbooks:submission", args=[filled.pk]) in body
    assert "срок сдачи прошёл 30.09.2024" in body  # the fixture's deadline is long gone
    textbook_services.submission_submit(cast.librarian_a, filled)
    assert "Мониторинг учебников" not in _home(client)[0]
    textbook_services.submission_decide(cast.methodist, filled, accept=False, comment="Нет 7-х")
    body, _ = _home(client)
    assert "возвращено на доработку" in body and "Нет 7-х" in body


def test_librarian_never_sees_another_schools_report(cast, login, filled, campaign):
    body, _ = _home(login(cast.librarian_b))
    other = campaign.submissions.get(school=cast.school_b)
    assert reverse("textbooks:submission", args=[other.pk]) in body
    assert reverse("textbooks:submission", args=[filled.pk]) not in body
    assert "Мероприятия, которые я провожу" not in body and "ждут приёмки" not in body


def test_librarian_sees_her_order_due(cast, login, campaign):
    order = Order.objects.create(
        association=cast.association,
        campaign=campaign,
        academic_year=2025,
        deadline=timezone.localdate() + timedelta(days=10),
    )
    mine = SchoolOrder.objects.create(order=order, school=cast.school_a)
    theirs = SchoolOrder.objects.create(order=order, school=cast.school_b)
    body, _ = _home(login(cast.librarian_a))
    assert "Заказ учебников на 2025/2026 учебный год" in body
    assert mine.get_absolute_url() in body and theirs.get_absolute_url() not in body
    deadline = (timezone.localdate() + timedelta(days=10)).strftime("%d.%m.%Y")
    assert f"проверьте и сдайте до {deadline}" in body
    SchoolOrder.objects.filter(pk=mine.pk).update(status=SchoolOrder.Status.SUBMITTED)
    assert mine.get_absolute_url() not in _home(login(cast.librarian_a))[0]


def test_librarian_is_asked_for_feedback_once(cast, login):
    event = _past_event(cast, "Мастер-класс по буктрейлерам")
    event_services.attendance_import(cast.methodist, event, [cast.librarian_a])
    client = login(cast.librarian_a)
    body, _ = _home(client)
    assert "Оцените мероприятие" in body
    assert f"{event.get_absolute_url()}#feedback" in body
    event_services.feedback_submit(
        cast.librarian_a, event, {"useful": 5, "organisation": 4, "applicable": 5}, ""
    )
    assert "Оцените мероприятие" not in _home(client)[0]


def test_librarian_home_queries_do_not_grow_with_data(cast, login, filled, campaign):
    client = login(cast.librarian_a)
    event = _past_event(cast, "Первое")
    event_services.attendance_import(cast.methodist, event, [cast.librarian_a])
    upcoming = make_event(cast, title="Будущее")
    event_services.registration_create(cast.librarian_a, upcoming, cast.librarian_a)
    _, first = _home(client)
    for n in range(6):
        past = _past_event(cast, f"Прошедшее {n}", days_ago=n + 4)
        event_services.attendance_import(cast.methodist, past, [cast.librarian_a])
        later = make_event(cast, title=f"Будущее {n}", days=n + 8)
        event_services.registration_create(cast.librarian_a, later, cast.librarian_a)
        textbook_services.campaign_create(
            cast.methodist,
            cast.association,
            name=f"Мониторинг {n}",
            academic_year=2025,
            as_of=date(2025, 9, 15),
            deadline=date(2025, 9, 30) + timedelta(days=n),
        )
    body, more = _home(client)
    assert body.count("#feedback") == 5  # the first five, newest first
    assert more == first


# --- Mentoring -------------------------------------------------------------------------------


def test_methodist_sees_overdue_mentoring_steps_with_constant_queries(cast, login):
    from bibliomo.mentoring import services as mentoring_services
    from bibliomo.mentoring.models import Step

    client = login(cast.methodist)
    today = timezone.localdate()
    pair = mentoring_services.pair_create(
        cast.methodist,
        cast.association,
        mentor=cast.librarian_a,
        mentee=cast.librarian_b,
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=60),
    )
    Step.objects.filter(pair=pair).update(due_on=today + timedelta(days=1))
    body, first = _home(client)
    assert "Наставничество: просрочено" not in body
    Step.objects.filter(pair=pair).update(due_on=today - timedelta(days=1))
    body, more = _home(client)
    assert "Наставничество: просрочено" in body and "И ещё 2" in body
    assert "7 шагов программ не выполнены" in body
    assert more == first
    librarian_body, _ = _home(login(cast.librarian_a))
    assert "Наставничество: просрочено" not in librarian_body


def test_mentor_and_mentee_see_their_pair_on_the_home_page(cast, login):
    from bibliomo.mentoring import services as mentoring_services

    today = timezone.localdate()
    pair = mentoring_services.pair_create(
        cast.methodist,
        cast.association,
        mentor=cast.librarian_a,
        mentee=cast.librarian_b,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=200),
    )
    mentoring_services.question_ask(cast.librarian_b, pair, text="Как?")
    mentoring_services.question_ask(cast.librarian_b, pair, text="Когда?")
    mentor_body, mentor_queries = _home(login(cast.librarian_a))
    assert "Вы — наставник: Петрова О.И." in mentor_body
    assert "2 вопроса ждут ответа" in mentor_body
    mentee_body, _ = _home(login(cast.librarian_b))
    assert "Ваш наставник: Иванова А.С." in mentee_body
    assert "ждут ответа" not in mentee_body
    mentoring_services.question_ask(cast.librarian_b, pair, text="Где?")
    _, again = _home(login(cast.librarian_a))
    assert again == mentor_queries


# --- Consultations ---------------------------------------------------------------------------


def _question(cast, person, subject):
    from bibliomo.consultations import services as consultations

    return consultations.question_ask(
        person, cast.association, topic="other", subject=subject, text="Подробно."
    )


def test_methodist_sees_overdue_questions_with_a_constant_number_of_queries(cast, login, settings):
    from bibliomo.consultations.models import Question

    settings.CONSULTATION_ANSWER_DAYS = 2
    client = login(cast.methodist)
    old = timezone.now() - timedelta(days=9)
    _question(cast, cast.librarian_a, "Старый вопрос")
    Question.objects.update(created_at=old)
    body, first = _home(client)
    assert "Консультации: вопросы без ответа" in body and "1 вопрос ждёт" in body
    for number in range(7):
        _question(cast, cast.librarian_b, f"Вопрос {number}")
    Question.objects.update(created_at=old)
    body, more = _home(client)
    assert "8 вопросов ждут" in body and "И ещё 3" in body
    assert more == first
    _home(login(cast.director))  # the director is not shown questions
    assert "вопросы без ответа" not in _home(login(cast.director))[0]


def test_librarian_is_told_her_question_has_an_answer(cast, login):
    from bibliomo.consultations import services as consultations

    question = _question(cast, cast.librarian_a, "Как списать учебники?")
    client = login(cast.librarian_a)
    assert "Консультации: есть ответ" not in _home(client)[0]
    consultations.message_add(cast.methodist, question, text="Актом.")
    body, _ = _home(client)
    assert "Консультации: есть ответ" in body and question.get_absolute_url() in body
    assert "Консультации: есть ответ" not in _home(login(cast.librarian_b))[0]
