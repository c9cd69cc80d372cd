import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bibliomo.contests import services as contests
from bibliomo.core.errors import DomainError
from bibliomo.documents import services as documents
from bibliomo.portal import services
from bibliomo.portal.models import Post
from tests.contests.builders import open_contest
from tests.factories import DOCUMENT_FIELDS, pdf_bytes

pytestmark = pytest.mark.django_db


def _post(cast, **fields):
    data = {
        "title": "Итоги ярмарки библиотечных идей",
        "lead": "11 идей, 6 внедрены.",
        "body": "## Как это было\n\n- идеи\n- практика\n\n[Фото](https://example.ru/foto)",
        "publish_at": None,
    }
    data.update(fields)
    return services.post_create(cast.head, cast.association, **data)


def test_post_goes_through_review_to_the_portal_and_the_feed(cast, login, client):
    post = _post(cast)
    services.post_submit(cast.head, post)
    assert client.get(reverse("public_post", args=[post.pk])).status_code == 404
    login(cast.methodist).post(reverse("portal:publish", args=[post.pk]))
    client.logout()
    page = client.get(reverse("public_post", args=[post.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "<h2>Как это было</h2>" in body
    assert 'property="og:title"' in body and "Итоги ярмарки" in body
    rss = client.get(reverse("news_rss")).content.decode()
    assert "Итоги ярмарки библиотечных идей" in rss
    assert "Итоги ярмарки" in client.get(reverse("news_atom")).content.decode()
    assert "Итоги ярмарки" in client.get("/").content.decode()


def test_script_never_survives_in_a_post(cast, client):
    post = _post(
        cast,
        body="Текст <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    services.post_publish(cast.methodist, post)
    body = client.get(reverse("public_post", args=[post.pk])).content.decode()
    assert "<script>alert(1)" not in body and "javascript:" not in body and "onerror" not in body


def test_scheduled_post_appears_at_its_time(cast, client):
    post = _post(cast, publish_at=timezone.now() + timedelta(days=1))
    services.post_publish(cast.methodist, post)
    assert client.get(reverse("public_post", args=[post.pk])).status_code == 404
    assert "Итоги ярмарки" not in client.get(reverse("news_rss")).content.decode()
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("public_post", args=[post.pk])).status_code == 200


def test_return_needs_a_comment_and_unpublish_withdraws(cast, client):
    post = _post(cast)
    services.post_submit(cast.head, post)
    with pytest.raises(DomainError, match="что исправить"):
        services.post_return(cast.methodist, post, "")
    services.post_return(cast.methodist, post, "Добавьте фото")
    assert post.status == "returned"
    services.post_publish(cast.methodist, post)
    services.post_unpublish(cast.methodist, post)
    assert client.get(reverse("public_post", args=[post.pk])).status_code == 404


def test_only_public_documents_can_be_attached(cast):
    private = documents.document_create(
        cast.methodist, cast.association, **{**DOCUMENT_FIELDS, "audience": "members"}
    )
    with pytest.raises(DomainError, match="доступен не всем"):
        _post(cast, attachments=[private])


def test_head_writes_but_only_the_methodist_publishes(cast, login):
    post = _post(cast)
    assert login(cast.head).post(reverse("portal:publish", args=[post.pk])).status_code == 403
    assert login(cast.librarian_a).get(reverse("portal:staff_list")).status_code == 403
    assert login(cast.director).post(reverse("portal:submit", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.status == "draft"


def test_post_form_bad_input(cast, login):
    response = login(cast.head).post(reverse("portal:create"), {"title": "", "body": ""})
    assert response.content.decode().count("Обязательное поле.") == 2
    assert not Post.objects.exists()


def test_export_zip_holds_clean_html_and_files(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = documents.document_create(
            cast.methodist,
            cast.association,
            **DOCUMENT_FIELDS,
            file_data=pdf_bytes("Перечень учебников"),
            filename="perechen.pdf",
        )
    post = _post(cast, attachments=[document])
    services.post_publish(cast.methodist, post)
    response = login(cast.methodist).get(reverse("portal:export", args=[post.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "index.html" in names and any(
        n.startswith("files/") and n.endswith(".pdf") for n in names
    )
    html = archive.read("index.html").decode()
    assert "Итоги ярмарки библиотечных идей" in html and "<script" not in html


def test_document_reaches_the_portal_only_when_published(cast, login, client):
    document = documents.document_create(cast.methodist, cast.association, **DOCUMENT_FIELDS)
    assert client.get(reverse("public_document", args=[document.pk])).status_code == 404
    login(cast.head).post(reverse("documents:propose", args=[document.pk]))
    login(cast.methodist).post(reverse("documents:publish", args=[document.pk]))
    client.logout()
    assert client.get(reverse("public_document", args=[document.pk])).status_code == 200
    assert (
        document.title
        in client.get(reverse("public_documents"), {"q": "учебника"}).content.decode()
    )


def test_sitemap_lists_public_pages(cast, client):
    post = _post(cast)
    services.post_publish(cast.methodist, post)
    body = client.get("/sitemap.xml").content.decode()
    assert f"/news/{post.pk}/" in body and "/documents/" in body


def test_announcements_feed_lists_public_events(cast, client):
    from tests.factories import make_event

    make_event(cast, audience="public", title="Открытый мастер-класс")
    make_event(cast, title="Закрытый семинар")
    rss = client.get(reverse("announcements_rss")).content.decode()
    assert "Открытый мастер-класс" in rss and "Закрытый семинар" not in rss


def test_portal_names_the_head_then_the_methodist_in_one_sentence(cast, client):
    body = client.get("/").content.decode()
    assert (
        f"Руководитель ММО — {cast.head.full_name}; методист — {cast.methodist.full_name}."
    ) in body


def test_portal_contests_say_their_year_and_whether_entries_are_still_taken(cast, client):
    taking = open_contest(cast, title="Конкурс чтецов")
    judged = open_contest(cast, title="Лучший библиотечный урок")
    contests.contest_close(cast.methodist, judged)
    body = client.get("/").content.decode()
    year = taking.academic_year
    close = taking.applications_close.strftime("%d.%m.%Y")
    assert f"{year}/{year + 1} · приём заявок до {close}" in body
    assert f"{year}/{year + 1} · приём заявок закрыт, идёт оценка" in body
