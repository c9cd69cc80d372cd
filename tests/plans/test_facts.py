"""The plan knows what happened: events on its lines, execution suggested by them, months."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.documents.models import Document
from bibliomo.events import services as event_services
from bibliomo.events.models import Material, Minutes, Registration
from bibliomo.plans import execution, selectors, services
from bibliomo.plans.models import PlanActivity
from bibliomo.portal.models import Post
from tests.factories import docx_text

pytestmark = pytest.mark.django_db


def _moment(year, month, day, hour=10):
    return timezone.make_aware(datetime(year, month, day, hour))


def _event(cast, when, *, title="Алгоритм заказа учебной литературы", status="held", **extra):
    """An event of the test association on a fixed date, carried to `status` as in life."""
    start = _moment(*when)
    event = event_services.event_create(
        cast.methodist,
        extra.pop("association", cast.association),
        title=title,
        kind=extra.pop("kind", "seminar"),
        description="",
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
        format="in_person",
        building=None,
        room="",
        address="МОУ ДПО УМЦ",
        online_url="",
        audience="members",
        audience_school=None,
        capacity=None,
        registration_opens_at=None,
        registration_closes_at=None,
        hours=Decimal(2),
        activities=extra.pop("activities", []),
    )
    event_services.event_announce(cast.methodist, event)
    if status == "held":
        for person in (cast.librarian_a, cast.librarian_b):
            Registration.objects.create(
                event=event, person=person, status="registered", attendance="attended"
            )
        event_services.event_mark_held(cast.methodist, event)
    elif status == "cancelled":
        event_services.event_cancel(cast.methodist, event, "Карантин в школах.")
    event.refresh_from_db()
    return event


def _line(plan, words="Алгоритм заказа"):
    return PlanActivity.objects.get(section__plan=plan, content__contains=words)


def _fresh_line(plan, pk):
    loaded = selectors.plans_with_content().get(pk=plan.pk)
    for section in loaded.sections.all():
        for activity in section.activities.all():
            if activity.pk == pk:
                return loaded, activity
    raise AssertionError(pk)


# --- What the facts suggest ------------------------------------------------------------------


def test_seminar_planned_in_december_held_in_january_is_done_and_not_overdue(cast, approved_plan):
    line = _line(approved_plan)
    assert line.timing_text == "декабрь"
    _event(cast, (2025, 1, 22), activities=[line])
    plan, line = _fresh_line(approved_plan, line.pk)
    suggestion = execution.suggest(line, date(2025, 6, 1))
    assert suggestion.status == PlanActivity.Status.DONE
    assert suggestion.note == "выполнено (перенесено с декабря на январь)"
    assert "22.01.2025" in suggestion.report and "2 участника" in suggestion.report
    # Nothing was marked by hand, yet the held seminar is not overdue.
    assert not line.is_overdue(date(2025, 6, 1), plan)


def test_line_with_nothing_held_is_still_overdue(cast, approved_plan):
    line = _line(approved_plan)
    plan, line = _fresh_line(approved_plan, line.pk)
    assert execution.suggest(line, date(2025, 6, 1)) is None
    assert line.is_overdue(date(2025, 6, 1), plan)


def test_event_announced_after_the_planned_month_suggests_moved(cast, approved_plan):
    line = _line(approved_plan)
    _event(cast, (2025, 1, 22), status="announced", activities=[line])
    plan, line = _fresh_line(approved_plan, line.pk)
    suggestion = execution.suggest(line, date(2025, 1, 5))
    assert suggestion.status == PlanActivity.Status.MOVED
    assert suggestion.note == "перенесено на 22.01.2025"
    # Moved, so not overdue while its new date is ahead.
    assert not line.is_overdue(date(2025, 1, 5), plan)


def test_only_cancelled_event_suggests_cancelled_with_the_reason(cast, approved_plan):
    line = _line(approved_plan)
    _event(cast, (2024, 12, 11), status="cancelled", activities=[line])
    _, line = _fresh_line(approved_plan, line.pk)
    suggestion = execution.suggest(line, date(2025, 6, 1))
    assert suggestion.status == PlanActivity.Status.CANCELLED
    assert suggestion.reason == "Карантин в школах."


# --- Confirming with one click ----------------------------------------------------------------


def test_confirm_marks_done_with_move_and_evidence_and_counts_once(cast, approved_plan):
    line = _line(approved_plan)
    event = _event(cast, (2025, 1, 22), activities=[line])
    services.activity_confirm(cast.methodist, line)
    line.refresh_from_db()
    assert line.status == PlanActivity.Status.DONE
    assert line.moved_to_text == "январь"
    assert "Алгоритм заказа учебной литературы" in line.report
    assert {"title": "семинар 22.01.2025", "url": event.get_absolute_url()} in line.evidence
    assert selectors.status_note(line).startswith("Перенесено на январь. Выполнено.")
    plan = selectors.plans_with_content().get(pk=approved_plan.pk)
    rows = selectors.execution_report(plan, date(2025, 6, 1))
    outcomes = [a.outcome for row in rows for a in row.activities if a.pk == line.pk]
    assert outcomes == ["done"]
    assert sum(row.total for row in rows) == sum(len(row.activities) for row in rows)
    # Confirming again has nothing to confirm.
    with pytest.raises(DomainError):
        services.activity_confirm(cast.methodist, line)


def test_confirm_cancelled_keeps_the_reason(cast, approved_plan):
    line = _line(approved_plan)
    _event(cast, (2024, 12, 11), status="cancelled", activities=[line])
    services.activity_confirm(cast.head, line)
    line.refresh_from_db()
    assert line.status == PlanActivity.Status.CANCELLED
    assert line.status_reason == "Карантин в школах."


def test_confirm_without_facts_is_refused(cast, approved_plan):
    line = _line(approved_plan)
    with pytest.raises(DomainError) as error:
        services.activity_confirm(cast.methodist, line)
    assert error.value.field == "status"
    line.refresh_from_db()
    assert line.status == PlanActivity.Status.PLANNED


def test_confirm_view_for_manager_reader_and_no_facts(cast, login, approved_plan):
    line = _line(approved_plan)
    url = reverse("plans:activity_confirm", args=[line.pk])
    # Bad input: nothing to confirm yet — said in Russian, nothing changes.
    response = login(cast.methodist).post(url, HTTP_HX_REQUEST="true")
    assert "пока ничего не подтверждают" in response.content.decode()
    _event(cast, (2025, 1, 22), activities=[line])
    assert login(cast.librarian_a).post(url).status_code == 403
    assert login(cast.director).post(url).status_code == 403
    line.refresh_from_db()
    assert line.status == PlanActivity.Status.PLANNED
    response = login(cast.methodist).post(url)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == PlanActivity.Status.DONE


# --- Linking events from the line ------------------------------------------------------------


def test_methodist_links_and_unlinks_events_from_the_line(cast, login, approved_plan):
    line = _line(approved_plan)
    held = _event(cast, (2025, 1, 22))
    other = _event(cast, (2024, 11, 20), title="Профессиональные диалоги", kind="meeting")
    client = login(cast.methodist)
    url = reverse("plans:activity_events", args=[line.pk])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "22.01.2025 — семинар «Алгоритм заказа учебной литературы»" in form
    client.post(url, {"events": [held.pk, other.pk]})
    assert set(line.events.all()) == {held, other}
    # And the event page shows the line: linking works both ways.
    page = client.get(held.get_absolute_url()).content.decode()
    assert f"#activity-{line.pk}" in page
    client.post(url, {"events": [held.pk]})
    assert list(line.events.all()) == [held]


def test_reader_cannot_link_events(cast, login, approved_plan):
    line = _line(approved_plan)
    held = _event(cast, (2025, 1, 22))
    url = reverse("plans:activity_events", args=[line.pk])
    for who in (cast.librarian_a, cast.director):
        assert login(who).post(url, {"events": [held.pk]}).status_code == 403
    assert login(cast.outsider).post(url, {"events": [held.pk]}).status_code == 404
    assert not line.events.exists()


def test_event_of_another_year_or_association_cannot_be_linked(cast, login, approved_plan):
    line = _line(approved_plan)
    next_year = _event(cast, (2025, 10, 15))
    response = login(cast.methodist).post(
        reverse("plans:activity_events", args=[line.pk]),
        {"events": [next_year.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "не из учебного года плана" in response.content.decode()
    assert not line.events.exists()
    with pytest.raises(DomainError) as error:
        services.activity_set_links(cast.methodist, line, events=[next_year.pk])
    assert error.value.field == "events"


def _document(association, title, audience="members"):
    return Document.objects.create(
        association=association,
        title=title,
        kind="order",
        category="association",
        audience=audience,
    )


def _post(association, title, status="published"):
    published = timezone.now() if status == "published" else None
    return Post.objects.create(
        association=association, title=title, body="Текст", status=status, published_at=published
    )


def test_methodist_links_documents_and_posts_readers_see_what_they_may(cast, login, approved_plan):
    line = _line(approved_plan)
    order = _document(cast.association, "Приказ о проведении семинара")
    staff_only = _document(cast.association, "Служебная записка", audience="staff")
    news = _post(cast.association, "Как прошёл семинар по заказу учебников")
    draft = _post(cast.association, "Черновик новости", status="draft")
    url = reverse("plans:activity_events", args=[line.pk])
    client = login(cast.head)
    client.post(url, {"documents": [order.pk, staff_only.pk], "posts": [news.pk, draft.pk]})
    assert set(line.documents.all()) == {order, staff_only}
    assert set(line.posts.all()) == {news, draft}
    page = client.get(approved_plan.get_absolute_url()).content.decode()
    assert "Документ: Приказ о проведении семинара" in page
    assert "Документ: Служебная записка" in page
    assert "Новость: Черновик новости (черновик)" in page
    reader = login(cast.librarian_a).get(approved_plan.get_absolute_url()).content.decode()
    assert "Документ: Приказ о проведении семинара" in reader
    assert "Как прошёл семинар по заказу учебников" in reader
    assert "Служебная записка" not in reader and "Черновик новости" not in reader
    # Unlinking from the line.
    response = login(cast.head).post(url, {"documents": [order.pk]})
    assert response.status_code == 302
    assert list(line.documents.all()) == [order] and not line.posts.exists()


def test_documents_and_posts_of_another_association_are_refused(cast, login, approved_plan):
    line = _line(approved_plan)
    theirs = _document(cast.other_association, "Чужой приказ")
    their_post = _post(cast.other_association, "Чужая новость")
    response = login(cast.methodist).post(
        reverse("plans:activity_events", args=[line.pk]),
        {"documents": [theirs.pk], "posts": [their_post.pk]},
        HTTP_HX_REQUEST="true",
    )
    assert "Этот документ не из нашего объединения." in response.content.decode()
    assert not line.documents.exists() and not line.posts.exists()
    with pytest.raises(DomainError) as error:
        services.activity_set_links(cast.methodist, line, events=[], posts=[their_post.pk])
    assert error.value.field == "posts"
    assert not line.posts.exists()


# --- The plan page ---------------------------------------------------------------------------


def test_plan_page_shows_each_lines_events_and_suggestion(cast, login, approved_plan):
    line = _line(approved_plan)
    event = _event(cast, (2025, 1, 22), activities=[line])
    Material.objects.create(
        event=event, title="Презентация", link="https://example.ru/p", visibility="members"
    )
    meeting_line = _line(approved_plan, "Планирование деятельности")
    meeting = _event(
        cast, (2024, 9, 18), title="Заседание ММО", kind="meeting", activities=[meeting_line]
    )
    Minutes.objects.create(event=meeting, number="1", chair="Т.Г. Никитенко", secretary="А.Б. Ц")
    body = login(cast.methodist).get(approved_plan.get_absolute_url()).content.decode()
    row = body[body.index(f'id="activity-{line.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "22.01.2025, семинар «Алгоритм заказа учебной литературы»" in row
    assert "2 участника" in row and "2 ак. ч." in row
    assert "Материал: Презентация" in row
    assert "выполнено (перенесено с декабря на январь)" in row
    assert "Подтвердить" in row
    assert "просрочено" not in row
    assert "Протокол № 1 (Word)" in body
    # A librarian sees the facts but no confirm button and no participants-only links.
    reader = login(cast.librarian_a).get(approved_plan.get_absolute_url()).content.decode()
    assert "выполнено (перенесено с декабря на январь)" in reader
    assert "Подтвердить" not in reader
    assert "Протокол № 1" in reader and "Протокол № 1 (Word)" not in reader


def test_plan_page_query_count_does_not_grow_with_events(
    cast, login, approved_plan, django_assert_max_num_queries
):
    client = login(cast.methodist)
    lines = list(PlanActivity.objects.filter(section__plan=approved_plan)[:6])
    _event(cast, (2024, 10, 17), activities=lines[:1])
    # The figures of the lines that name the year's work (plans.facts) are counted once each.
    with django_assert_max_num_queries(24):
        client.get(approved_plan.get_absolute_url())
    for n, line in enumerate(lines):
        event = _event(cast, (2024, 10, 1 + n), title=f"Событие {n}", activities=[line])
        Material.objects.create(event=event, title=f"М{n}", link="https://example.ru/m")
        line.documents.add(_document(cast.association, f"Документ {n}"))
        line.posts.add(_post(cast.association, f"Новость {n}"))
    with django_assert_max_num_queries(24):
        body = client.get(approved_plan.get_absolute_url()).content.decode()
    assert "Событие 5" in body and "Документ 5" in body and "Новость 5" in body


# --- By month --------------------------------------------------------------------------------


def test_by_month_lists_planned_and_held(cast, login, approved_plan):
    _event(cast, (2024, 11, 13), title="Федеральный перечень учебников", kind="webinar")
    _event(cast, (2024, 11, 20), title="Профессиональные диалоги", kind="meeting")
    _event(cast, (2024, 11, 27), title="Черновик не в счёт", status="announced")
    _event(cast, (2024, 11, 5), title="Чужое", association=cast.other_association)
    url = reverse("plans:by_month", args=[approved_plan.pk])
    body = login(cast.librarian_a).get(url).content.decode()
    november = body[body.index('id="m11"') :]
    november = november[: november.index("</section>")]
    assert "Нет мероприятий" not in november
    assert "Проведено" in november
    assert "13.11.2024, вебинар «Федеральный перечень учебников»" in november
    assert "20.11.2024, заседание ММО «Профессиональные диалоги»" in november
    assert "Черновик не в счёт" not in november and "Чужое" not in november
    december = body[body.index('id="m12"') :]
    assert "Запланировано" in december[: december.index("</section>")]


# --- The textbook lines ----------------------------------------------------------------------


def test_textbook_lines_show_campaign_exchange_and_order_figures(
    cast, login, approved_plan, django_assert_max_num_queries
):
    from bibliomo.exchange.models import ExchangePlan, Order, SchoolOrder, Shipment
    from bibliomo.textbooks.models import Campaign, Submission

    campaign = Campaign.objects.create(
        association=cast.association,
        name="Обеспеченность учебниками",
        academic_year=2024,
        as_of=date(2024, 9, 20),
        deadline=date(2024, 9, 30),
    )
    Submission.objects.create(campaign=campaign, school=cast.school_a, status="accepted")
    Submission.objects.create(campaign=campaign, school=cast.school_b, status="filling")
    exchange = ExchangePlan.objects.create(
        association=cast.association,
        campaign=campaign,
        name="Обмен 2024",
        academic_year=2024,
        return_date=date(2025, 5, 31),
        covered=120,
        status="published",
    )
    for status, target in (("returned", cast.school_b), ("declined", cast.school_a)):
        Shipment.objects.create(
            plan=exchange,
            source=cast.school_a if target == cast.school_b else cast.school_b,
            target=target,
            status=status,
            return_date=date(2025, 5, 31),
        )
    order = Order.objects.create(
        association=cast.association,
        campaign=campaign,
        academic_year=2025,
        deadline=date(2025, 2, 1),
    )
    SchoolOrder.objects.create(order=order, school=cast.school_a, status="accepted")
    SchoolOrder.objects.create(order=order, school=cast.school_b, status="draft")
    # A line naming the textbook exchange: the user's plan has none, so the methodist adds one.
    section = approved_plan.sections.order_by("position").last()
    services.plan_start_revision(cast.methodist, approved_plan)
    services.activity_create(
        cast.methodist,
        section,
        content="Обмен учебниками между школами",
        timing_text="май",
        responsible_text="Методист",
    )
    client = login(cast.methodist)
    with django_assert_max_num_queries(26):
        body = client.get(approved_plan.get_absolute_url()).content.decode()

    def row(words):
        line = _line(approved_plan, words)
        part = body[body.index(f'id="activity-{line.pk}"') :]
        return part[: part.index("</tr>")]

    monitoring = row("Мониторинг обеспеченности")
    assert "Мониторинг «Обеспеченность учебниками» на 20.09.2024" in monitoring
    assert (
        "из 2 отчётов школ принято 1, ждёт приёмки 0, на доработке 0, не сдано 1; "
        "срок 30.09.2024" in monitoring
    )
    swap = row("Обмен учебниками")
    assert "перемещается 120 экземпляров, 1 перевозка, возвращено 1" in swap
    ordering = row("Алгоритм заказа")
    assert "Заказ учебников на 2025/2026 учебный год" in ordering
    assert "школы сдали 1 из 2" in ordering
    # «Обмен опытом» is not the textbook exchange.
    assert "Обмен 2024" not in row("Обмен опытом")


def test_confirm_moved_records_the_new_date_and_reason(cast, approved_plan):
    import time_machine

    line = _line(approved_plan)
    with time_machine.travel(datetime(2024, 12, 20, 12, tzinfo=timezone.get_current_timezone())):
        _event(cast, (2025, 1, 22), status="announced", activities=[line])
        services.activity_confirm(cast.methodist, line)
    line.refresh_from_db()
    assert line.status == PlanActivity.Status.MOVED
    assert line.moved_to_text == "22.01.2025"
    assert line.moved_to_data["dates"] == ["2025-01-22"]
    assert line.status_reason == "Мероприятие назначено на 22.01.2025."
    assert selectors.status_note(line) == (
        "Перенесено на 22.01.2025: Мероприятие назначено на 22.01.2025."
    )


def test_by_month_papers_list_what_was_held_beside_what_was_planned(cast, approved_plan):
    from bibliomo.plans import printing
    from tests.lib.paper_rules import docx_all_text

    _event(cast, (2024, 11, 20), title="Профессиональные диалоги", kind="meeting")
    plan = selectors.plans_with_content().get(pk=approved_plan.pk)
    text = docx_all_text(printing.months_docx(plan))
    assert "Проведено" in text and "Запланировано" in text
    assert "«Профессиональные диалоги»" in text and "20.11.2024" in text
    assert printing.months_pdf(plan).startswith(b"%PDF")


# --- The members' work -------------------------------------------------------------------------


def _year_of_records(cast):
    """2024/2025 records of each kind the user's plan names, beside ones that must not count."""
    from bibliomo.consultations.models import Question
    from bibliomo.groups.models import WorkingGroup
    from bibliomo.growth.models import Learning
    from tests.contests.builders import make_contest, open_contest, submit

    now = timezone.now()
    for status, answered in (("solved", now), ("open", None)):
        Question.objects.create(
            association=cast.association,
            asker=cast.librarian_a,
            topic="write_off",
            subject="Списание",
            text="Как списать?",
            status=status,
            first_answer_at=answered,
            solved_at=answered if status == "solved" else None,
        )
    Question.objects.create(  # another association's question is not ours
        association=cast.other_association,
        asker=cast.outsider,
        topic="other",
        subject="Ч",
        text="Ч",
    )
    _post(cast.association, "Итоги семинара")
    _post(cast.association, "Черновик", status="draft")
    group = WorkingGroup.objects.create(
        association=cast.association, name="Мы за них в ответе", head=cast.methodist
    )
    group.members.add(cast.librarian_a, cast.librarian_b)
    group.meetings.add(
        _event(cast, (2024, 10, 1), title="Заседание группы", kind="group_meeting"),
        _event(cast, (2024, 10, 2), title="Отменённое", kind="group_meeting", status="cancelled"),
    )
    day = timezone.localdate()
    for kind, hours, confirmed in (
        ("course", 36, now),
        ("course", 72, None),  # a course counts once the methodist has confirmed it
        ("webinar", 2, None),
        ("webinar", 1.5, None),
    ):
        Learning.objects.create(
            association=cast.association,
            person=cast.librarian_a,
            kind=kind,
            title="Обучение",
            hours=Decimal(str(hours)),
            starts_on=day,
            ends_on=day,
            confirmed_at=confirmed,
        )
    contest = open_contest(cast)
    submit(contest, cast.librarian_a)
    submit(contest, cast.librarian_b, title="Урок о поэзии")
    make_contest(cast, title="Черновик конкурса")  # a draft is nobody's result yet


def test_member_work_lines_show_the_years_records(cast, login, approved_plan):
    import time_machine

    with time_machine.travel(datetime(2024, 11, 20, 12, tzinfo=timezone.get_current_timezone())):
        _year_of_records(cast)
        body = login(cast.librarian_a).get(approved_plan.get_absolute_url()).content.decode()
        report = login(cast.methodist).get(reverse("plans:report", args=[approved_plan.pk]))
        paper = login(cast.methodist).get(
            reverse("plans:report", args=[approved_plan.pk]) + "?format=docx"
        )

    def row(words):
        line = _line(approved_plan, words)
        part = body[body.index(f'id="activity-{line.pk}"') :]
        return part[: part.index("</tr>")]

    expected = {
        "индивидуального консультирования": (
            "Консультации в 2024/2025 учебном году",
            "2 вопроса, с ответом 1, решено 1; в базу ответов внесено 0",
        ),
        "образовательном портале": ("Новости портала в 2024/2025 учебном году", "опубликовано 1"),
        "творческой группе": (
            "Группа «Мы за них в ответе» в 2024/2025 учебном году",
            "заседаний проведено 1, участников 2",
        ),
        "Участие в вебинарах": (
            "Обучение библиотекарей в 2024/2025 учебном году",
            "2 вебинара, 1 курс повышения квалификации; 39,5 ак. ч.",
        ),
        "итогам проведения конкурсов": (
            "Конкурс «Лучший библиотечный урок»",
            "2 работы; приём заявок",
        ),
        "Ярмарка библиотечных идей": ("Банк практик в 2024/2025 учебном году", "новых практик нет"),
    }
    for words, (title, figures) in expected.items():
        assert f"{title}</a>: {figures}" in row(words), words
    # Each kind stays on its own line: «Обмен опытом» and the seminars name none of them.
    assert "Консультации в" not in row("Обмен опытом")
    assert "Черновик конкурса" not in body
    text = report.content.decode()
    assert "Консультации в 2024/2025 учебном году</a>: 2 вопроса" in text
    assert "Консультации в 2024/2025 учебном году: 2 вопроса, с ответом 1, решено 1" in (
        docx_text(paper.content)
    )


def test_a_year_without_records_says_so(cast, login, approved_plan):
    body = login(cast.methodist).get(approved_plan.get_absolute_url()).content.decode()
    assert "Консультации в 2024/2025 учебном году</a>: вопросов в Bibliomo не задано" in body
    assert "Обучение библиотекарей в 2024/2025 учебном году</a>: обучение вне ММО не внесено" in (
        body
    )
    assert "Новости портала в 2024/2025 учебном году</a>: опубликовано 0" in body


def test_director_home_tells_the_year_so_far_in_fixed_queries(cast, login, approved_plan):
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bibliomo.groups.models import WorkingGroup

    lines = PlanActivity.objects.filter(section__plan=approved_plan).count()
    with time_machine.travel(datetime(2024, 11, 20, 12, tzinfo=timezone.get_current_timezone())):
        _year_of_records(cast)
        director = login(cast.director)
        with CaptureQueriesContext(connection) as first:
            body = director.get(reverse("home")).content.decode()
        WorkingGroup.objects.create(
            association=cast.association, name="Читаем вместе", head=cast.methodist
        )
        with CaptureQueriesContext(connection) as second:
            more = director.get(reverse("home")).content.decode()
        librarian = login(cast.librarian_a).get(reverse("home")).content.decode()
    assert "2024/2025 учебный год на 20.11.2024" in body
    report = reverse("plans:report", args=[approved_plan.pk])
    text = " ".join(body.split())
    assert f'<a href="{report}">План работы</a></th> <td>{lines} строк: выполнено 0' in text
    assert "Мероприятия</a></th> <td>проведено 1, посещений — 2</td>" in text
    assert "Консультации</a></th><td>2 вопроса, с ответом 1" in text
    assert "Конкурс «Лучший библиотечный урок»</a></th><td>2 работы" in text
    assert "Группа «Читаем вместе»</a></th><td>заседаний проведено 0" in more
    assert len(second) == len(first)
    assert "учебный год на 20.11.2024" not in librarian


def test_the_ideas_fair_line_shows_the_bank_of_practices(cast, login, approved_plan):
    import time_machine

    from bibliomo.practices import services as practices
    from tests.practices.builders import make_fair, make_practice

    with time_machine.travel(datetime(2025, 1, 20, 12, tzinfo=timezone.get_current_timezone())):
        fair = make_fair(cast)
        offered = make_practice(cast, fair=fair)
        make_practice(cast, title="Клуб «Бумажный театр»")
        practices.implementation_mark(
            cast.librarian_b, offered, implemented_on=date(2025, 1, 15), note="Провели в 5 «А»."
        )
        body = login(cast.methodist).get(approved_plan.get_absolute_url()).content.decode()
    line = _line(approved_plan, "Ярмарка библиотечных идей")
    row = body[body.index(f'id="activity-{line.pk}"') :]
    row = row[: row.index("</tr>")]
    assert (
        "Банк практик в 2024/2025 учебном году</a>: добавлено 2, представлено на ярмарке идей 1; "
        "«Внедрили у нас» — 1 отметка из 1 школы" in row
    )


def test_a_year_long_line_is_suggested_done_by_its_records_from_may(cast, login, approved_plan):
    import time_machine

    moscow = timezone.get_current_timezone()
    line = _line(approved_plan, "индивидуального консультирования")
    silent = _line(approved_plan, "Информационно-методическое сопровождение")
    with time_machine.travel(datetime(2024, 11, 20, 12, tzinfo=moscow)):
        _year_of_records(cast)
    client = login(cast.methodist)
    with time_machine.travel(datetime(2025, 4, 20, 12, tzinfo=moscow)):
        april = client.get(approved_plan.get_absolute_url()).content.decode()
        with pytest.raises(DomainError):  # too early: the year is still going
            services.activity_confirm(cast.methodist, line)
    row = april[april.index(f'id="activity-{line.pk}"') :]
    assert "По данным Bibliomo" not in row[: row.index("</tr>")]
    with time_machine.travel(datetime(2025, 5, 20, 12, tzinfo=moscow)):
        may = client.get(approved_plan.get_absolute_url()).content.decode()
        row = may[may.index(f'id="activity-{line.pk}"') :]
        assert "По данным Bibliomo: <strong>выполнено</strong>" in row[: row.index("</tr>")]
        quiet = may[may.index(f'id="activity-{silent.pk}"') :]
        assert "По данным Bibliomo" not in quiet[: quiet.index("</tr>")]
        client.post(reverse("plans:activity_confirm", args=[line.pk]))
    line.refresh_from_db()
    assert line.status == PlanActivity.Status.DONE
    assert line.report == (
        "По данным Bibliomo: Консультации в 2024/2025 учебном году: 2 вопроса, с ответом 1, "
        "решено 1; в базу ответов внесено 0."
    )
    evidence = {"title": "Консультации в 2024/2025 учебном году", "url": "/app/consultations/"}
    assert evidence["url"] == reverse("consultations:index") and evidence in line.evidence
