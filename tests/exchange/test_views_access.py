"""Every exchange URL: who may open it; the index each role sees."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from bibliomo.exchange.models import (
    Shipment,
)
from tests.exchange.pages import (
    A,
    fingerprint,
)

pytestmark = pytest.mark.django_db

Status = Shipment.Status

Status = Shipment.Status


# ---------------------------------------------------------------- who may open what


@dataclass
class Case:
    url: object  # (world, cast, entries) → url
    method: str
    allowed: tuple[str, ...]  # who gets `ok`
    ok: int
    forbidden: dict[str, int]  # who → status (404 or 403)
    data: object = None  # (world, cast, entries) → POST data


def _u(name, attr=None, query=""):
    def build(w, cast, entries):
        args = [getattr(w, attr).pk] if attr else []
        return reverse(f"exchange:{name}", args=args) + query

    return build


CASES = {
    "index": Case(_u("index"), "get", ("librarian_a", "methodist", "director"), 200, {}),
    "plan_create": Case(
        _u("plan_create"),
        "get",
        ("methodist",),
        200,
        {"librarian_a": 403, "director": 403, "outsider": 403},
    ),
    "plan": Case(
        _u("plan", "plan"),
        "get",
        ("methodist", "director"),
        200,
        {"librarian_a": 403, "outsider": 404},
    ),
    "plan_solve": Case(
        _u("plan_solve", "draft"),
        "post",
        ("methodist",),
        302,
        {"librarian_a": 403, "director": 403, "outsider": 404},
    ),
    "plan_publish": Case(
        _u("plan_publish", "draft"),
        "post",
        ("methodist",),
        302,
        {"librarian_a": 403, "director": 403, "outsider": 404},
    ),
    "plan_line": Case(
        _u("plan_line", "draft"),
        "post",
        ("methodist",),
        302,
        {"librarian_a": 403, "director": 403, "outsider": 404},
        lambda w, cast, e: {
            "source": cast.school_a.pk,
            "target": cast.school_b.pk,
            "code": e.russian.code,
            "copies": "30",
        },
    ),
    "pool": Case(
        lambda w, cast, e: (
            reverse("exchange:pool", args=[w.draft.pk]) + f"?school={cast.school_a.pk}"
        ),
        "get",
        ("librarian_a", "methodist", "director"),
        200,
        {"librarian_b": 403, "librarian_c": 403, "outsider": 404},
    ),
    "pool_add": Case(
        _u("pool_add", "draft"),
        "post",
        ("librarian_a",),
        302,
        {"librarian_b": 403, "director": 403, "outsider": 404},
        lambda w, cast, e: {
            "school": cast.school_a.pk,
            "code": e.maths_other.code,
            "kind": "request",
            "copies": "5",
            "reason": "Переходим на другую линию",
        },
    ),
    "reserve": Case(
        _u("reserve", "draft"),
        "post",
        ("librarian_a",),
        302,
        {"librarian_b": 403, "director": 403, "outsider": 404},
        lambda w, cast, e: {"school": cast.school_a.pk, "reserve_percent": "10"},
    ),
    "pool_line": Case(
        _u("pool_line", "pool_line"),
        "post",
        ("librarian_a",),
        302,
        {"librarian_b": 403, "director": 403, "outsider": 404},
        lambda w, cast, e: {"copies": "30", "reason": "Часть в ремонте"},
    ),
    "shipment": Case(
        _u("shipment", "shipment"),
        "get",
        ("librarian_a", "librarian_b", "methodist", "director"),
        200,
        {"librarian_c": 404, "outsider": 404},
    ),
    "shipment_step": Case(
        lambda w, cast, e: reverse("exchange:shipment_step", args=[w.shipment.pk, "agree-source"]),
        "post",
        ("librarian_a",),
        302,
        {"librarian_c": 404, "outsider": 404},
    ),
    "act_docx": Case(
        _u("act_docx", "shipment"),
        "get",
        ("librarian_a", "librarian_b", "methodist"),
        200,
        {"librarian_c": 404, "outsider": 404},
    ),
    "act_pdf": Case(
        _u("act_pdf", "shipment"),
        "get",
        ("librarian_b",),
        200,
        {"librarian_c": 404, "outsider": 404},
    ),
    "returns": Case(
        _u("returns"),
        "get",
        ("methodist", "director"),
        200,
        {"librarian_a": 403, "outsider": 403},
    ),
    "returns_remind": Case(
        _u("returns_remind"),
        "post",
        ("methodist",),
        302,
        {"librarian_a": 403, "director": 403, "outsider": 403},
    ),
    "order_create": Case(
        _u("order_create"),
        "get",
        ("methodist",),
        200,
        {"librarian_a": 403, "director": 403, "outsider": 403},
    ),
    "algorithm": Case(_u("algorithm"), "get", ("librarian_a", "methodist"), 200, {}),
    "order": Case(
        _u("order", "order"),
        "get",
        ("methodist", "director"),
        200,
        {"librarian_a": 403, "outsider": 404},
    ),
    "order_compute": Case(
        _u("order_compute", "order"),
        "post",
        ("methodist",),
        302,
        {"librarian_a": 403, "director": 403, "outsider": 404},
    ),
    "order_consolidate": Case(
        _u("order_consolidate", "order"),
        "post",
        ("methodist",),
        302,
        {"librarian_a": 403, "director": 403, "outsider": 404},
    ),
    "order_xlsx": Case(
        _u("order_xlsx", "order"),
        "get",
        ("methodist", "director"),
        200,
        {"librarian_a": 403, "outsider": 404},
    ),
    "school_order": Case(
        _u("school_order", "so_a"),
        "get",
        ("librarian_a", "methodist", "director"),
        200,
        {"librarian_b": 404, "outsider": 404},
    ),
    "intake": Case(
        _u("intake", "so_a"),
        "post",
        ("librarian_a",),
        302,
        {"librarian_b": 404, "director": 403, "outsider": 404},
        lambda w, cast, e: {"intake": "60"},
    ),
    "submit": Case(
        _u("submit", "so_a"),
        "post",
        ("librarian_a",),
        302,
        {"librarian_b": 404, "director": 403, "outsider": 404},
    ),
    "decide": Case(
        _u("decide", "so_a"),
        "post",
        ("methodist",),
        302,
        {"librarian_a": 403, "librarian_b": 404, "director": 403, "outsider": 404},
        lambda w, cast, e: {"comment": "Проверьте"},
    ),
    "school_order_xlsx": Case(
        _u("school_order_xlsx", "so_a"),
        "get",
        ("librarian_a", "methodist"),
        200,
        {"librarian_b": 404, "outsider": 404},
    ),
    "school_order_docx": Case(
        _u("school_order_docx", "so_a"),
        "get",
        ("librarian_a", "director"),
        200,
        {"librarian_b": 404, "outsider": 404},
    ),
    "line_set": Case(
        _u("line_set", "order_line"),
        "post",
        ("librarian_a",),
        302,
        {"librarian_b": 404, "director": 403, "outsider": 404},
        lambda w, cast, e: {"copies": "45", "note": "Резерв"},
    ),
    "lines_save": Case(
        _u("lines_save", "so_a"),
        "post",
        ("librarian_a",),
        302,
        {"librarian_b": 404, "director": 403, "outsider": 404},
        lambda w, cast, e: {f"copies-{w.order_line.pk}": "45", f"note-{w.order_line.pk}": "Резерв"},
    ),
    "line_entry": Case(
        _u("line_entry", "order_line"),
        "get",
        ("librarian_a",),
        200,
        {"librarian_b": 404, "director": 403, "outsider": 404},
    ),
}


def test_every_url_is_in_the_access_table():
    from bibliomo.exchange.urls import urlpatterns

    names = {pattern.name for pattern in urlpatterns}
    assert names == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_access(name, cast, client, world, librarian_c, entries):
    case = CASES[name]
    people = {
        "methodist": cast.methodist,
        "director": cast.director,
        "librarian_a": cast.librarian_a,
        "librarian_b": cast.librarian_b,
        "librarian_c": librarian_c,
        "outsider": cast.outsider,
    }
    url = case.url(world, cast, entries)
    data = case.data(world, cast, entries) if case.data else {}
    send = getattr(client, case.method)

    before = fingerprint()
    response = send(url, data)
    assert response.status_code == 302, "anonymous"
    assert response["Location"].startswith(reverse("login"))
    for who, status in case.forbidden.items():
        client.force_login(people[who])
        assert send(url, data).status_code == status, who
    assert fingerprint() == before, "a refused request changed something"
    if case.method == "post":
        assert client.get(url).status_code == 405  # a change is never a GET
    for who in case.allowed:
        client.force_login(people[who])
        assert send(url, data).status_code == case.ok, who


def test_outsider_sees_her_own_empty_index_and_no_example(cast, login, world):
    client = login(cast.outsider)
    body = client.get(reverse("exchange:index")).content.decode()
    assert "Обмен 2024/2025" not in body and A not in body
    body = client.get(reverse("exchange:algorithm")).content.decode()
    assert "Пример появится, когда методист рассчитает заказ" in body


# ---------------------------------------------------------------- the index


def test_a_librarian_sees_only_her_schools_shipments(cast, login, world, librarian_c):
    body = login(cast.librarian_a).get(reverse("exchange:index")).content.decode()
    assert world.shipment.get_absolute_url() in body
    assert world.shipment_back.get_absolute_url() in body
    assert world.foreign.get_absolute_url() not in body
    assert "Черновик обмена" in body  # her pool to check
    assert reverse("exchange:school_order", args=[world.so_a.pk]) in body
    assert reverse("exchange:school_order", args=[world.so_b.pk]) not in body
    assert "Планы обмена" not in body

    body = login(librarian_c).get(reverse("exchange:index")).content.decode()
    assert world.foreign.get_absolute_url() in body
    assert world.shipment.get_absolute_url() not in body
    assert login(cast.librarian_a).get(world.foreign.get_absolute_url()).status_code == 404


def test_the_methodist_sees_plans_and_orders(cast, login, world):
    body = login(cast.methodist).get(reverse("exchange:index")).content.decode()
    assert "Обмен 2024/2025" in body and "Черновик обмена" in body
    assert world.order.get_absolute_url() in body


def test_a_draft_shipment_is_not_shown_to_the_schools(cast, login, solved_plan):
    draft = Shipment.objects.filter(plan=solved_plan).first()
    assert login(cast.librarian_a).get(draft.get_absolute_url()).status_code == 404
    assert login(cast.methodist).get(draft.get_absolute_url()).status_code == 200
    assert (
        login(cast.methodist).get(reverse("exchange:act_docx", args=[draft.pk])).status_code == 404
    )
