"""The consultation desk: asking, the private thread, solving, the base of answers, the one
search box, overdue questions, letters and the year's figures."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bibliomo.consultations import selectors, services
from bibliomo.consultations.models import Attachment, FaqEntry, Question
from bibliomo.core.errors import DomainError
from bibliomo.documents import services as document_services
from bibliomo.lib import ru
from tests.consultations.builders import ask
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db


def _answer(cast, question, text="Оформите акт по форме и приложите приказ.", **extra):
    return services.message_add(cast.methodist, question, text=text, **extra)


# --- Asking ----------------------------------------------------------------------------------


def test_librarian_asks_with_a_file_and_managers_get_a_letter(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.librarian_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consultations:ask"),
            {
                "topic": "exchange",
                "subject": "Кто везёт учебники по обмену?",
                "text": "Нам назначили перевозку из Гимназии № 5.",
                "files": [SimpleUploadedFile("скан.png", png_bytes())],
            },
        )
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert question.school == cast.school_a and question.status == "open"
    assert question.attachments.get().original_name == "скан.png"
    letter = mail.outbox[-1]
    assert sorted(letter.to) == ["head@test.ru", "metodist@test.ru"]
    assert "Кто везёт учебники" in letter.subject and "Иванова Анна Сергеевна" in letter.body


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"topic": "", "subject": "x", "text": "y"}, "Обязательное поле"),
        ({"topic": "astrology", "subject": "x", "text": "y"}, "Выберите корректный вариант"),
        ({"topic": "other", "subject": "", "text": "y"}, "Обязательное поле"),
    ],
)
def test_ask_refuses_bad_input(cast, login, data, error):
    response = login(cast.librarian_a).post(reverse("consultations:ask"), data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not Question.objects.exists()


def test_an_html_page_named_pdf_is_refused_like_in_the_library(cast, login):
    response = login(cast.librarian_a).post(
        reverse("consultations:ask"),
        {
            "topic": "other",
            "subject": "Вопрос",
            "text": "Текст",
            "files": [SimpleUploadedFile("акт.pdf", b"<!doctype html><script>alert(1)</script>")],
        },
    )
    assert response.status_code == 200 and "HTML" in response.content.decode()
    assert not Question.objects.exists()


def test_the_director_cannot_ask_and_a_visitor_is_sent_to_log_in(cast, login, client):
    assert client.get(reverse("consultations:ask")).status_code == 302
    assert login(cast.director).get(reverse("consultations:ask")).status_code == 403


# --- Privacy ---------------------------------------------------------------------------------


def test_another_school_librarian_never_reads_the_question_or_its_files(cast, login, question_b):
    attachment = Attachment.objects.get(question=question_b)
    client = login(cast.librarian_a)
    assert client.get(question_b.get_absolute_url()).status_code == 404
    assert client.get(reverse("consultations:attachment", args=[attachment.pk])).status_code == 404
    response = client.post(reverse("consultations:reply", args=[question_b.pk]), {"text": "Я"})
    assert response.status_code == 404 and question_b.messages.count() == 0
    index = client.get(reverse("consultations:index")).content.decode()
    assert question_b.subject not in index


def test_the_director_does_not_read_questions_but_the_head_does(cast, login, question_b):
    assert login(cast.director).get(question_b.get_absolute_url()).status_code == 404
    assert login(cast.head).get(question_b.get_absolute_url()).status_code == 200


def test_the_asker_and_the_methodist_read_the_question_and_its_file(cast, login, question_b):
    attachment = Attachment.objects.get(question=question_b)
    for person in (cast.librarian_b, cast.methodist):
        client = login(person)
        assert client.get(question_b.get_absolute_url()).status_code == 200
        response = client.get(reverse("consultations:attachment", args=[attachment.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"


def test_methodist_sees_all_questions_with_a_bounded_number_of_queries(
    cast, login, django_assert_max_num_queries
):
    for number in range(12):
        ask(cast.librarian_a if number % 2 else cast.librarian_b, cast.association)
    client = login(cast.methodist)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("consultations:index"))
    assert response.content.decode().count("Как списать учебники") == 12


# --- The thread, solving, letters ------------------------------------------------------------


def test_an_answer_links_documents_and_tells_the_asker(
    cast, login, question_b, django_capture_on_commit_callbacks
):
    document = document_services.document_create(
        cast.methodist,
        cast.association,
        title="Порядок списания учебников",
        kind="recommendation",
        category="methodical",
        audience="members",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.methodist).post(
            reverse("consultations:reply", args=[question_b.pk]),
            {"text": "Составьте акт списания.", "documents": [document.pk]},
        )
    assert response.status_code == 302
    question_b.refresh_from_db()
    assert question_b.status == "answered" and question_b.first_answer_at
    answer = question_b.messages.get()
    assert answer.is_answer and list(answer.documents.all()) == [document]
    assert mail.outbox[-1].to == ["lib.b@test.ru"] and "Составьте акт" in mail.outbox[-1].body
    page = login(cast.librarian_b).get(question_b.get_absolute_url()).content.decode()
    assert "Порядок списания учебников" in page and "Это решило мой вопрос" in page


def test_follow_up_and_solution_by_the_asker_only(cast, login, question_b):
    answer = _answer(cast, question_b)
    client = login(cast.librarian_b)
    client.post(reverse("consultations:reply", args=[question_b.pk]), {"text": "А если их 400?"})
    follow_up = question_b.messages.get(is_answer=False)
    assert follow_up.author == cast.librarian_b
    # The methodist cannot mark the solution for her; a follow-up is no solution.
    solve = reverse("consultations:solve", args=[question_b.pk, answer.pk])
    assert login(cast.methodist).post(solve).status_code == 403
    with pytest.raises(DomainError):
        services.question_solve(cast.librarian_b, question_b, follow_up)
    client = login(cast.librarian_b)
    assert client.post(solve).status_code == 302
    question_b.refresh_from_db()
    assert question_b.status == "solved" and question_b.solution == answer


def test_an_empty_reply_is_refused(cast, login, question_b):
    response = login(cast.methodist).post(
        reverse("consultations:reply", args=[question_b.pk]), {"text": "  "}
    )
    assert response.status_code == 200 and "Обязательное поле" in response.content.decode()


def test_an_answer_template_fills_the_reply(cast, login, question_b):
    client = login(cast.methodist)
    client.post(
        reverse("consultations:templates"),
        {"title": "Списание", "topic": "write_off", "text": "Акт списания составляет комиссия."},
    )
    template = cast.association.answer_templates.get()
    page = client.get(f"{question_b.get_absolute_url()}?template={template.pk}").content.decode()
    assert "Акт списания составляет комиссия." in page
    assert client.get(f"{question_b.get_absolute_url()}?template=zzz").status_code == 200
    assert login(cast.librarian_b).get(reverse("consultations:templates")).status_code == 403
    bad = login(cast.methodist).post(reverse("consultations:templates"), {"title": "", "text": ""})
    assert bad.status_code == 200 and "Обязательное поле" in bad.content.decode()


# --- The base of answers and the one search box ----------------------------------------------


def _solved(cast, question):
    answer = _answer(cast, question, text="Петрова О.И., спишите учебники актом по форме.")
    return services.question_solve(question.asker, question, answer)


def test_publishing_removes_names_and_school_and_members_find_it(cast, login, question_b):
    _solved(cast, Question.objects.get(pk=question_b.pk))
    client = login(cast.methodist)
    form = client.get(reverse("consultations:publish", args=[question_b.pk])).content.decode()
    assert "Петрова" not in form and "Гимназия № 5" not in form
    response = client.post(
        reverse("consultations:publish", args=[question_b.pk]),
        {
            "topic": "write_off",
            "title": "Как списать учебники с истёкшим сроком?",
            "question_text": "Учебники истории исключены из перечня. Как оформить акт?",
            "answer_text": "Спишите учебники актом по форме.",
        },
    )
    entry = FaqEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    # Librarian A, who did not ask, reads the entry and finds it by the documents' search box.
    client = login(cast.librarian_a)
    assert client.get(entry.get_absolute_url()).status_code == 200
    found = client.get(reverse("documents:index"), {"q": "списание учебника"}).content.decode()
    assert "В базе ответов: 1 ответ" in found and entry.get_absolute_url() in found
    assert login(cast.outsider).get(entry.get_absolute_url()).status_code in (403, 404)


def test_a_name_left_in_the_text_is_refused(cast, login, question_b):
    _solved(cast, question_b)
    response = login(cast.methodist).post(
        reverse("consultations:publish", args=[question_b.pk]),
        {
            "topic": "write_off",
            "title": "Вопрос Петровой",
            "question_text": "Вопрос",
            "answer_text": "Ответ",
        },
    )
    assert response.status_code == 200 and "уберите имя" in response.content.decode()
    assert not FaqEntry.objects.exists()


def test_an_unsolved_question_is_not_published_and_librarians_cannot_publish(
    cast, login, question_b
):
    data = {"topic": "other", "title": "В", "question_text": "В", "answer_text": "О"}
    response = login(cast.methodist).post(
        reverse("consultations:publish", args=[question_b.pk]), data
    )
    assert "только решённый" in response.content.decode()
    response = login(cast.librarian_b).post(
        reverse("consultations:publish", args=[question_b.pk]), data
    )
    assert response.status_code == 403


def test_faq_search_finds_by_word_form(cast, question_b):
    _solved(cast, question_b)
    services.faq_publish(
        cast.methodist,
        question_b,
        topic="write_off",
        title="Списание учебников",
        question_text="Как оформить акт?",
        answer_text="Актом по форме.",
    )
    hits, count = selectors.faq_search(cast.association, "списания учебника")
    assert count == 1 and hits[0].entry.title == "Списание учебников"
    assert selectors.faq_search(cast.association, "балет") == ([], 0)
    assert selectors.faq_search(cast.other_association, "учебники") == ([], 0)


# --- Overdue, figures ------------------------------------------------------------------------


def test_working_day_cutoff_skips_weekends():
    wednesday = date(2026, 12, 2)
    assert selectors.working_day_cutoff(wednesday, 2) == date(2026, 11, 30)
    monday = date(2026, 11, 30)
    assert selectors.working_day_cutoff(monday, 2) == date(2026, 11, 26)


def test_an_old_unanswered_question_is_flagged_on_the_methodist_home(
    cast, login, question_b, settings
):
    settings.CONSULTATION_ANSWER_DAYS = 2
    fresh = ask(cast.librarian_a, cast.association, subject="Свежий вопрос")
    Question.objects.filter(pk=question_b.pk).update(created_at=timezone.now() - timedelta(days=7))
    body = login(cast.methodist).get(reverse("home")).content.decode()
    assert "Консультации: вопросы без ответа" in body
    assert question_b.get_absolute_url() in body and fresh.get_absolute_url() not in body
    _answer(cast, question_b)
    body = login(cast.methodist).get(reverse("home")).content.decode()
    assert "Консультации: вопросы без ответа" not in body


def test_year_figures(cast, question_b):
    _solved(cast, question_b)
    ask(cast.librarian_a, cast.association, topic="exchange")
    ask(cast.librarian_a, cast.association, topic="exchange")
    ru_year = ru.academic_year_start(timezone.localdate())
    figures = selectors.year_figures(cast.association, ru_year)
    assert figures["asked"] == 3 and figures["solved"] == 1 and figures["unanswered"] == 2
    assert figures["by_topic"][0] == {"topic": "exchange", "label": "обмен", "count": 2}
    assert figures["frequent_topics"] == ["обмен", "списание"]
    assert figures["median_hours_to_first_answer"] is not None
    assert selectors.year_figures(cast.association, ru_year - 1)["asked"] == 0


def test_figures_page_for_managers_only(cast, login):
    assert login(cast.methodist).get(reverse("consultations:figures")).status_code == 200
    assert login(cast.librarian_a).get(reverse("consultations:figures")).status_code == 403
    assert (
        login(cast.methodist).get(reverse("consultations:figures"), {"year": "x"}).status_code
        == 200
    )


def test_a_staff_only_document_is_not_offered_to_the_asker(cast, question_b):
    secret = document_services.document_create(
        cast.methodist,
        cast.association,
        title="Служебная записка",
        kind="letter",
        category="association",
        audience="staff",
    )
    with pytest.raises(DomainError, match="только для методиста"):
        _answer(cast, question_b, documents=[secret])
    assert question_b.messages.count() == 0
