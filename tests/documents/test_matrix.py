"""The remaining library and portal endpoints against the roles that must not use them."""

import pytest
from django.urls import reverse

from bibliomo.documents import services
from bibliomo.portal import services as portal
from tests.factories import DOCUMENT_FIELDS, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast):
    document = services.document_create(cast.methodist, cast.association, **DOCUMENT_FIELDS)
    services.document_propose(cast.methodist, document)
    item = services.package_item_add(cast.methodist, cast.association, 2024, "Перечень", document)
    post = portal.post_create(
        cast.head, cast.association, title="Новость", lead="", body="Текст", publish_at=None
    )
    portal.post_submit(cast.head, post)
    return document, item, post


@pytest.mark.parametrize("who", ["director", "librarian_a"])
def test_readers_cannot_publish_or_change_the_package(cast, login, setup, who):
    document, item, post = setup
    client = login(getattr(cast, who))
    for name, args in (
        ("documents:unpublish", [document.pk]),
        ("documents:return", [document.pk]),
        ("documents:package_item_document", [item.pk]),
        ("documents:package_item_delete", [item.pk]),
        ("portal:preview", [post.pk]),
        ("portal:unpublish", [post.pk]),
        ("portal:return", [post.pk]),
        ("portal:export", [post.pk]),
    ):
        assert client.post(reverse(name, args=args), {"comment": "x"}).status_code == 403, name
    item.refresh_from_db()
    assert item.document == document


def test_outsider_cannot_reach_our_library(cast, login, setup):
    document, _, post = setup
    client = login(cast.outsider)
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    assert document.title not in client.get(reverse("documents:index")).content.decode()
    assert client.get(reverse("portal:preview", args=[post.pk])).status_code in (403, 404)


def test_head_returns_nothing_only_the_methodist_reviews(cast, login, setup):
    document, _, post = setup
    assert (
        login(cast.head)
        .post(reverse("portal:return", args=[post.pk]), {"comment": "x"})
        .status_code
        == 403
    )
    login(cast.methodist).post(
        reverse("portal:return", args=[post.pk]), {"comment": "Добавьте фото"}
    )
    post.refresh_from_db()
    assert post.status == "returned" and post.review_comment == "Добавьте фото"
    login(cast.methodist).post(
        reverse("documents:return", args=[document.pk]), {"comment": "Не тот файл"}
    )
    document.refresh_from_db()
    assert document.portal_state == "returned"


def test_document_links_to_events_of_its_association_only(cast, login):
    event = make_event(cast, title="Семинар о заказе")
    document = services.document_create(
        cast.methodist, cast.association, **DOCUMENT_FIELDS, events=[event]
    )
    body = (
        login(cast.librarian_a)
        .get(reverse("documents:detail", args=[document.pk]))
        .content.decode()
    )
    assert "Семинар о заказе" in body
    from bibliomo.core.errors import DomainError
    from bibliomo.events.models import Event

    foreign = Event(association=cast.other_association, title="Чужое")
    with pytest.raises(DomainError, match="другого объединения"):
        services.document_update(cast.methodist, document, events=[foreign])
