"""A person downloads everything held about her and may ask for deletion."""

import io
import json

import pytest
from django.urls import reverse
from docx import Document

from bibliomo.events import services as event_services
from bibliomo.privacy.models import DeletionRequest

pytestmark = pytest.mark.django_db


def _json(client) -> dict:
    response = client.get(reverse("privacy:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_json_holds_profile_roles_consent_attendance_and_certificates(cast, login, attended_event):
    data = _json(login(cast.librarian_a))
    assert data["profile"]["ФИО"] == "Иванова Анна Сергеевна"
    assert data["profile"]["e-mail"] == "lib.a@test.ru"
    assert any("педагог-библиотекарь" in role for role in data["profile"]["роли"])
    titles = " ".join(section["title"] for section in data["sections"])
    assert "Записи на мероприятия" in titles or "записи" in titles.lower()
    assert "Сертификаты" in titles
    assert "Согласия на обработку персональных данных" in titles
    text = json.dumps(data, ensure_ascii=False)
    assert "присутствовал(а)" in text and attended_event.title in text
    assert attended_event.certificates.get(person=cast.librarian_a).number in text


def test_export_never_holds_secrets_or_other_peoples_data(cast, login, attended_event):
    event_services.participant_settings(cast.librarian_a)  # has a secret calendar token
    client = login(cast.librarian_a)
    text = json.dumps(_json(client), ensure_ascii=False)
    token = cast.librarian_a.event_settings.calendar_token
    assert token not in text and "md5$" not in text and "пароль" not in text.lower()
    assert "lib.b@test.ru" not in text and "Петрова" not in text


def test_docx_is_a_readable_word_document(cast, login, attended_event):
    response = login(cast.librarian_a).get(reverse("privacy:my_data_docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Персональные данные в Bibliomo" in text and "Сертификаты" in text
    assert "Иванова Анна Сергеевна" in cells and attended_event.title in cells
    assert document.sections[0].page_width.cm == pytest.approx(21, abs=0.01)


def test_anonymous_visitor_is_sent_to_login_and_unknown_format_is_404(client, cast, login):
    response = client.get(reverse("privacy:my_data_json"))
    assert response.status_code == 302 and "/login/" in response.url
    assert login(cast.librarian_a).get("/app/privacy/my-data.xml").status_code == 404


def test_profile_offers_the_downloads_and_deletion(cast, login):
    page = login(cast.librarian_a).get(reverse("directory:profile")).content.decode()
    assert reverse("privacy:my_data_docx") in page and reverse("privacy:my_data_json") in page
    assert "Попросить удалить мои данные" in page


def test_deletion_request_reaches_the_methodists_home_only(cast, login):
    client = login(cast.librarian_a)
    response = client.post(reverse("privacy:deletion_request"), {"reason": "Ухожу на пенсию"})
    assert response.status_code == 302
    request = DeletionRequest.objects.get(person=cast.librarian_a)
    assert request.status == "open" and request.association == cast.association
    assert "ждёт решения" in client.get(reverse("directory:profile")).content.decode()
    home = login(cast.methodist).get(reverse("home")).content.decode()
    assert "Просят удалить персональные данные: 1" in home and "Ухожу на пенсию" in home
    assert reverse("privacy:person_anonymise", args=[cast.librarian_a.pk]) in home
    for who in (cast.head, cast.director, cast.librarian_b):
        assert "Просят удалить" not in login(who).get(reverse("home")).content.decode()


def test_second_request_and_oversized_reason_are_refused(cast, login):
    client = login(cast.librarian_a)
    response = client.post(reverse("privacy:deletion_request"), {"reason": "я" * 2001})
    assert DeletionRequest.objects.count() == 0
    assert "не более" in client.get(response.url).content.decode()
    client.post(reverse("privacy:deletion_request"), {"reason": ""})
    response = client.post(reverse("privacy:deletion_request"), {"reason": ""}, follow=True)
    assert "уже передана методисту" in response.content.decode()
    assert DeletionRequest.objects.count() == 1


def test_deletion_request_needs_post(cast, login):
    response = login(cast.librarian_a).get(reverse("privacy:deletion_request"))
    assert response.status_code == 405


def test_methodist_declines_with_an_answer(cast, login):
    login(cast.librarian_a).post(reverse("privacy:deletion_request"), {"reason": ""})
    request = DeletionRequest.objects.get()
    url = reverse("privacy:deletion_request_decline", args=[request.pk])
    for who in (cast.head, cast.librarian_a):
        assert login(who).post(url, {"answer": "нет"}).status_code == 403
    assert login(cast.outsider).post(url, {"answer": "нет"}).status_code == 403
    client = login(cast.methodist)
    response = client.post(url, {"answer": ""}, follow=True)
    assert "почему просьба отклонена" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "open"
    client.post(url, {"answer": "Вы руководитель секции до конца года"})
    request.refresh_from_db()
    assert request.status == "declined" and request.resolved_by == cast.methodist
    page = login(cast.librarian_a).get(reverse("directory:profile")).content.decode()
    assert "отклонена" in page and "до конца года" in page
    assert login(cast.methodist).post(url, {"answer": "ещё раз"}, follow=True).status_code == 200
    request.refresh_from_db()
    assert request.answer == "Вы руководитель секции до конца года"


def test_decline_of_an_unknown_request_is_404(cast, login):
    url = reverse("privacy:deletion_request_decline", args=[999999])
    assert login(cast.methodist).post(url, {"answer": "x"}).status_code == 404


def test_person_without_association_may_download_but_not_ask_or_consent(
    db, login, django_user_model
):
    nobody = django_user_model.objects.create_user(
        "nobody@test.ru", "x", last_name="Никто", first_name="Некто"
    )
    client = login(nobody)
    assert client.get(reverse("privacy:my_data_json")).status_code == 200
    assert client.post(reverse("privacy:deletion_request"), {"reason": ""}).status_code == 403
    assert client.get(reverse("privacy:consent")).status_code == 403
    assert not DeletionRequest.objects.exists()


def test_the_methodists_copy_leaves_out_what_she_changed_on_other_cards(cast, login):
    from bibliomo.directory import services as people

    people.person_update(cast.methodist, cast.librarian_b, phone="+7 900 555-44-33")
    text = json.dumps(_json(login(cast.methodist)), ensure_ascii=False)
    assert "Журнал изменений" in text  # her actions are listed…
    assert "555-44-33" not in text  # …without the other person's values
