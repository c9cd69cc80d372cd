"""The year's analysis: assembled from the data, typed conclusions, approved like the plan,
frozen once approved, in Word and PDF, and its tasks carried into next year's plan."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from bibliomo.core.errors import DomainError
from bibliomo.plans import services as plan_services
from bibliomo.reviews import printing, selectors, services
from bibliomo.reviews.models import Review
from bibliomo.reviews.sections import BUILDERS, Cell, Section, assemble, builders
from tests.lib.paper_rules import assert_clean_text, assert_paper_layout, docx_all_text
from tests.reviews.builders import approved_plan, held_event, line

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TASKS = "Провести семинар по заказу учебников в 2025/2026 учебном году\nРазвивать наставничество"


@pytest.fixture
def year(cast):
    """The 2024/2025 plan approved, two events held for its lines, one of them moved."""
    plan = approved_plan(cast)
    order = line(plan, "Алгоритм заказа")
    fair = line(plan, "Ярмарка библиотечных идей")
    held_event(
        cast,
        (2025, 1, 22),
        title="Алгоритм заказа учебной литературы",
        activities=[order],
        people=[cast.librarian_a, cast.librarian_b],
    )
    held_event(
        cast,
        (2024, 12, 18),
        title="Ярмарка библиотечных идей",
        kind="ideas_fair",
        activities=[fair],
        people=[cast.librarian_a],
    )
    plan_services.activity_confirm(cast.methodist, fair)
    return plan


@pytest.fixture
def review(cast, year):
    return services.review_create(cast.methodist, cast.association, 2024)


def _section(sections: list[Section], key: str) -> Section:
    return next(s for s in sections if s.key == key)


def _texts(section: Section) -> str:
    cells = [c for line in section.lines for c in line]
    cells += [c for t in section.tables for row in t.rows for c in row]
    return " ".join(c.text for c in cells)


# --- The registry of section builders --------------------------------------------------------


def test_every_builder_takes_association_and_year_and_says_none_without_data(cast):
    assert len(builders()) == len(BUILDERS)
    for build in builders():
        section = build(cast.other_association, 2024)
        assert section is None or isinstance(section, Section)
    # Only its librarian is known of the other association: no plan, no events, no campaign.
    assert [s.key for s in assemble(cast.other_association, 2024)] == ["people"]


def test_sections_come_from_the_data_and_every_figure_links_to_its_list(cast, year):
    sections = assemble(cast.association, 2024)
    keys = [s.key for s in sections]
    assert keys[:5] == ["tasks", "plan", "events", "growth", "people"]
    events = _section(sections, "events")
    kinds = events.tables[0]
    # kinds in the order of the event form's list, then the total of each column
    assert [row[0].text for row in kinds.rows] == ["Семинар", "Ярмарка идей", "Итого"]
    seminar, fair, total = kinds.rows
    assert [c.text for c in seminar[1:]] == ["1", "2", "2", "2", "4,5"]
    assert all(c.url for c in seminar[1:3])  # figures link to the list they came from
    for column in (1, 2, 4):  # held, participations, certificates add up
        assert int(total[column].text) == int(seminar[column].text) + int(fair[column].text)
    assert "(участникам и выступающим)" in _texts(events)
    # each event's line in a table cell starts with a capital: «Семинар «…»»
    assert all(row[1].text[:1].isupper() for row in events.tables[1].rows)
    growth = _texts(_section(sections, "growth"))
    assert "2 из 2" in growth and "6 ак. ч." in growth
    plan_figures = _section(sections, "plan").tables[0]
    total = plan_figures.rows[-1]
    assert total[0].text == "Итого" and all(c.url for c in total[1:])
    assert int(total[2].text) >= 1  # the fair confirmed as done
    tasks = _section(sections, "tasks")
    assert len(tasks.tables[0].rows) == len(year.tasks) == 5


def test_who_had_no_events_is_named_without_a_doubled_full_stop(cast, year):
    from bibliomo.directory.models import Person, Position, Role

    idle = Person.objects.create_user(
        email="idle@test.ru",
        password="x",
        last_name="Соколова",
        first_name="Лидия",
        patronymic="Павловна",
        position=Position.LIBRARIAN,
        school=cast.school_b,
    )
    idle.role_grants.create(association=cast.association, role=Role.LIBRARIAN)
    growth = _section(assemble(cast.association, 2024), "growth")
    line = "".join(c.text for c in growth.lines[-1])
    assert line == "Не участвовали ни в одном мероприятии: Соколова Л.П."


def test_section_round_trips_through_json():
    section = Section("x", "Раздел", lines=[[Cell("Всего "), Cell("3", "/app/events/")]])
    assert Section.from_dict(section.to_dict()) == section


# --- Conclusions, approval, frozen figures, versions ------------------------------------------


def test_conclusions_and_tasks_are_typed_by_people(cast, review):
    services.review_update(
        cast.head,
        review,
        {"events": "  Мероприятия прошли успешно. ", "plan": ""},
        ["- A", "", "B"],
    )
    review.refresh_from_db()
    assert review.conclusions == {"events": "Мероприятия прошли успешно."}
    assert review.next_tasks == ["A", "B"]


def test_submit_needs_tasks_for_next_year(cast, review):
    with pytest.raises(DomainError) as error:
        services.review_submit(cast.methodist, review)
    assert error.value.field == "next_tasks"


def test_approval_goes_like_the_plan_with_letters(cast, review, django_capture_on_commit_callbacks):
    services.review_update(cast.methodist, review, {}, TASKS.splitlines())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(cast.methodist, review)
    assert [m.to for m in mail.outbox] == [[cast.director.email]]
    assert mail.outbox[0].subject.endswith(
        "На утверждение: Анализ работы ММО за 2024/2025 учебный год"
    )
    assert reverse("reviews:detail", args=[review.pk]) in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_return(cast.director, review, "Допишите выводы.")
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([cast.methodist.email, cast.head.email])
    services.review_submit(cast.methodist, review)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_approve(cast.director, review)
    assert "Утверждён" in mail.outbox[0].subject
    review.refresh_from_db()
    assert review.is_approved and review.sections


def test_an_approved_analysis_never_changes_later_data_makes_a_new_version(cast, review):
    services.review_update(cast.methodist, review, {"events": "Хорошо."}, ["Задача"])
    services.review_submit(cast.methodist, review)
    review = services.review_approve(cast.director, review)
    before = printing.review_docx(review)
    held_event(
        cast,
        (2025, 3, 5),
        title="Вебинар о ФГИС «Моя школа»",
        kind="webinar",
        people=[cast.librarian_b],
    )
    frozen = _section(selectors.review_sections(review), "events")
    assert "Вебинар" not in _texts(frozen)
    assert docx_all_text(printing.review_docx(review)) == docx_all_text(before)
    with pytest.raises(DomainError):
        services.review_update(cast.methodist, review, {}, ["Другое"])
    second = services.review_create(cast.methodist, cast.association, 2024)
    assert second.version == 2 and second.conclusions == {"events": "Хорошо."}
    assert "Вебинар" in _texts(_section(selectors.review_sections(second), "events"))
    with pytest.raises(DomainError):
        services.review_create(cast.methodist, cast.association, 2024)


def test_a_future_year_cannot_be_analysed(cast):
    with pytest.raises(DomainError):
        services.review_create(cast.methodist, cast.association, 2030)


# --- Next year's plan -------------------------------------------------------------------------


def test_rolling_over_puts_the_analysis_tasks_into_next_years_draft(cast, year, review):
    services.review_update(cast.methodist, review, {}, TASKS.splitlines())
    draft = plan_services.plan_rollover(cast.methodist, year)
    assert draft.tasks == [
        "Провести семинар по заказу учебников в 2026/2027 учебном году",
        "Развивать наставничество",
    ]
    texts = [*draft.title_lines, draft.theme, draft.goal, *draft.tasks]
    texts += [a.content for s in draft.sections.all() for a in s.activities.all()]
    assert not any("2024/2025" in t or "2024-2025" in t for t in texts)


def test_without_an_analysis_the_plan_keeps_its_own_tasks(cast, year):
    draft = plan_services.plan_rollover(cast.methodist, year)
    assert draft.tasks == year.tasks


# --- Pages -------------------------------------------------------------------------------------


def test_methodist_reads_edits_and_submits(cast, login, review):
    client = login(cast.methodist)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Анализ работы ММО за 2024/2025 учебный год" in page
    assert "Выводы:" in page
    plan = review.association.work_plans.get(academic_year=2024)
    assert reverse("plans:report", args=[plan.pk]) in page  # figures link to their lists
    edit = reverse("reviews:edit", args=[review.pk])
    form = client.get(edit).content.decode()
    assert "conclusion_events" in form
    response = client.post(edit, {"conclusion_events": "Всё прошло.", "next_tasks": "Задача 1"})
    assert response.status_code == 302
    response = client.post(reverse("reviews:submit", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED


def test_index_lists_years_and_creates(cast, login, year):
    client = login(cast.head)
    page = client.get(reverse("reviews:index")).content.decode()
    assert "2024/2025" in page and "не составлен" in page
    response = client.post(reverse("reviews:create"), {"year": "2024/2025"})
    assert response.status_code == 302
    assert Review.objects.filter(academic_year=2024).count() == 1


def test_bad_year_is_refused_with_a_message(cast, login):
    client = login(cast.methodist)
    response = client.post(reverse("reviews:create"), {"year": "позапрошлый"}, follow=True)
    assert "2024/2025" in response.content.decode()
    assert not Review.objects.exists()


def test_librarians_and_others_cannot_read_the_analysis(cast, login, review):
    url = reverse("reviews:detail", args=[review.pk])
    assert login(cast.librarian_a).get(url).status_code == 403
    assert login(cast.librarian_a).get(reverse("reviews:index")).status_code == 403
    assert login(cast.outsider).get(url).status_code in (403, 404)


def test_only_the_director_approves_and_a_return_needs_a_comment(cast, login, review):
    services.review_update(cast.methodist, review, {}, ["Задача"])
    services.review_submit(cast.methodist, review)
    approve = reverse("reviews:approve", args=[review.pk])
    assert login(cast.methodist).post(approve).status_code == 403
    back = login(cast.director).post(reverse("reviews:return", args=[review.pk]), {"comment": ""})
    assert back.status_code == 400
    home = login(cast.director).get(reverse("home")).content.decode()
    assert review.get_absolute_url() in home
    assert login(cast.director).post(approve).status_code == 302
    review.refresh_from_db()
    assert review.is_approved
    assert login(cast.methodist).get(reverse("reviews:edit", args=[review.pk])).status_code == 403


def test_word_and_pdf_in_the_paper_shape(cast, login, review):
    services.review_update(cast.methodist, review, {"events": "Мероприятия — в срок."}, ["Задача"])
    client = login(cast.director)
    word = client.get(reverse("reviews:export", args=[review.pk, "docx"]))
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    assert "analysis-2024-2025.docx" in word["Content-Disposition"]
    assert_paper_layout(word.content, min_headers=1)
    text = docx_all_text(word.content)
    assert_clean_text(text)
    assert "УТВЕРЖДАЮ" in text and "за 2024/2025 учебный год" in text
    assert "Выводы: Мероприятия — в срок." in text
    assert "Задачи на следующий учебный год" in text and "1. Задача" in text
    pdf = client.get(reverse("reviews:export", args=[review.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("reviews:export", args=[review.pk, "exe"])).status_code == 404


def test_command_writes_the_same_document(cast, review, tmp_path):
    review = services.review_update(cast.methodist, review, {"plan": "План выполнен."}, ["Задача"])
    target = tmp_path / "analysis.docx"
    out = io.StringIO()
    which = ["--association", str(cast.association.pk)]
    call_command("analysis", "2024/2025", "--format", "docx", "-o", str(target), *which, stdout=out)
    assert "записан" in out.getvalue()
    assert docx_all_text(target.read_bytes()) == docx_all_text(printing.review_docx(review))
    pdf = tmp_path / "analysis.pdf"
    call_command("analysis", "2024/2025", "--format", "pdf", "-o", str(pdf), *which, stdout=out)
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("analysis", "позапрошлый", "-o", str(pdf), *which)


def test_a_returned_analysis_waits_on_the_methodists_home(cast, login, review):
    services.review_update(cast.methodist, review, {}, ["Задача"])
    services.review_submit(cast.head, review)
    services.review_return(cast.director, review, "Добавьте выводы по мероприятиям.")
    page = login(cast.methodist).get(reverse("home")).content.decode()
    assert "Анализ года: утверждение" in page
    assert review.get_absolute_url() in page and "Добавьте выводы по мероприятиям." in page
    librarian = login(cast.librarian_a).get(reverse("home")).content.decode()
    assert "Анализ года: утверждение" not in librarian


def test_an_approved_analysis_offers_a_new_version(cast, login, review):
    services.review_update(cast.methodist, review, {}, ["Задача"])
    services.review_submit(cast.methodist, review)
    services.review_approve(cast.director, review)
    client = login(cast.methodist)
    assert client.post(reverse("reviews:submit", args=[review.pk])).status_code == 403
    response = client.post(reverse("reviews:renew", args=[review.pk]))
    second = Review.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    assert login(cast.director).post(reverse("reviews:renew", args=[review.pk])).status_code == 403
