"""Every exchange URL: who may open it, what bad input does, the files it hands out, and
query counts that do not grow with the number of shipments or lines."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bibliomo.core.models import Job
from bibliomo.directory import services as directory
from bibliomo.directory.models import Person, Position, Role, School
from bibliomo.exchange import order_services, services, shipment_services
from bibliomo.exchange.models import (
    ExchangePlan,
    Order,
    OrderLine,
    Participant,
    PoolLine,
    SchoolOrder,
    Shipment,
    ShipmentLine,
)
from bibliomo.textbooks.models import Holding
from tests.conftest import PASSWORD, consented
from tests.exchange.conftest import A_DATA, advance, fill_and_accept, make_plan

pytestmark = pytest.mark.django_db

Status = Shipment.Status


def today():
    """Read each time: a run may cross midnight in Moscow."""
    return timezone.localdate()


A, B, C = "МБОУ «СОШ № 1»", "МБОУ «Гимназия № 5»", "МБОУ «Лицей № 3»"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def flashed(response) -> list[str]:
    """The messages this request added (earlier unread ones, still in the cookie, left out)."""
    storage = get_messages(response.wsgi_request)
    return [str(message) for message in storage._queued_messages]


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    # Papers hold «№» to its number with a no-break space; these tests read the words.
    return "\n".join(parts).replace("\u00a0", " ")


def fingerprint():
    """Everything a request of this app could change."""
    return (
        list(ExchangePlan.objects.order_by("pk").values_list("pk", "status", "covered")),
        list(Participant.objects.order_by("pk").values_list("pk", "reserve_percent")),
        list(PoolLine.objects.order_by("pk").values_list("pk", "copies", "reason")),
        list(Shipment.objects.order_by("pk").values_list("pk", "status", "return_date")),
        list(ShipmentLine.objects.order_by("pk").values()),
        list(Holding.objects.order_by("pk").values()),
        list(Order.objects.order_by("pk").values_list("pk", "status", "computed_at")),
        list(SchoolOrder.objects.order_by("pk").values_list("pk", "status", "intake", "comment")),
        list(OrderLine.objects.order_by("pk").values()),
        Job.objects.count(),
        len(mail.outbox),
    )


# ---------------------------------------------------------------- the world


@pytest.fixture
def school_c(cast) -> School:
    """A third school of the association, with a librarian, not in the campaign."""
    school = directory.school_create(
        None,
        cast.association,
        short_name=C,
        full_name=f"Муниципальное бюджетное общеобразовательное учреждение {C}",
        address="г. Серпухов",
        director="Сидоров В.В.",
        email="",
        phone="",
        website="",
    )
    directory.building_create(
        None,
        school,
        name="Основное здание",
        address="г. Серпухов, ул. Ленина, д. 3",
        latitude=Decimal("54.92"),
        longitude=Decimal("37.40"),
        is_main=True,
    )
    return school


@pytest.fixture
def librarian_c(cast, school_c) -> Person:
    return consented(
        directory.person_create(
            None,
            cast.association,
            email="lib.c@test.ru",
            last_name="Смирнова",
            first_name="Вера",
            patronymic="Павловна",
            position=Position.LIBRARIAN,
            school=school_c,
            roles=[Role.LIBRARIAN],
            password=PASSWORD,
        )
    )


def add_shipment(plan, source, target, entries, number, status=Status.PROPOSED, **fields):
    shipment = Shipment.objects.create(
        plan=plan,
        number=number,
        source=source,
        target=target,
        km=2.5,
        status=status,
        return_date=fields.pop("return_date", plan.return_date),
        **fields,
    )
    for copies, entry in enumerate(entries, start=3):
        ShipmentLine.objects.create(shipment=shipment, entry=entry, copies=copies)
    return shipment


@dataclass
class World:
    draft: ExchangePlan  # a draft plan, its pool editable
    plan: ExchangePlan  # the published plan
    shipment: Shipment  # A → B, number 2
    shipment_back: Shipment  # B → A, number 1
    foreign: Shipment  # B → C: school A has nothing to do with it
    order: Order
    so_a: SchoolOrder
    so_b: SchoolOrder
    pool_line: PoolLine  # school A's offer of Russian in the draft plan
    order_line: OrderLine  # school A's maths


@pytest.fixture
def world(cast, accepted, published_plan, order, school_c, librarian_c, entries) -> World:
    draft = make_plan(cast, accepted, name="Черновик обмена")
    return World(
        draft=draft,
        plan=published_plan,
        shipment=Shipment.objects.get(plan=published_plan, source=cast.school_a),
        shipment_back=Shipment.objects.get(plan=published_plan, source=cast.school_b),
        foreign=add_shipment(published_plan, cast.school_b, school_c, [entries.maths], 3),
        order=order,
        so_a=SchoolOrder.objects.get(order=order, school=cast.school_a),
        so_b=SchoolOrder.objects.get(order=order, school=cast.school_b),
        pool_line=PoolLine.objects.get(
            plan=draft, school=cast.school_a, entry=entries.russian, kind="offer"
        ),
        order_line=OrderLine.objects.get(
            school_order__order=order, school_order__school=cast.school_a, entry=entries.maths
        ),
    )


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


# ---------------------------------------------------------------- plans


def test_methodist_creates_a_plan_in_the_form(cast, login, accepted):
    client = login(cast.methodist)
    form = {
        "campaign": accepted.pk,
        "name": "Обмен учебниками",
        "reserve_percent": "3",
        "return_date": "",
        "min_batch": "0",
        "max_shipments": "",
        "time_limit": "1",
        "seed": "0",
    }
    response = client.post(reverse("exchange:plan_create"), form)
    plan = ExchangePlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert flashed(response) == ["План создан: обменный фонд рассчитан по мониторингу."]
    assert plan.return_date == date(2025, 5, 31)  # the end of the school year
    assert plan.pool.count() == 6


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("reserve_percent", "много", "Введите целое число."),
        ("reserve_percent", "60", "Убедитесь, что это значение меньше либо равно 50."),
        ("time_limit", "0", "Убедитесь, что это значение больше либо равно 1."),
        ("return_date", "31.13.2025", "Введите правильную дату."),
        ("name", "", "Обязательное поле."),
    ],
)
def test_plan_form_bad_input(cast, login, accepted, field, value, error):
    form = {
        "campaign": accepted.pk,
        "name": "План",
        "reserve_percent": "3",
        "return_date": "31.05.2025",
        "min_batch": "0",
        "time_limit": "1",
        "seed": "0",
        field: value,
    }
    response = login(cast.methodist).post(reverse("exchange:plan_create"), form)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ExchangePlan.objects.exists()


def test_plan_form_shows_the_service_refusal(cast, login, campaign, entries):
    fill_and_accept(cast, campaign, cast.school_a, cast.librarian_a, A_DATA)
    form = {
        "campaign": campaign.pk,
        "name": "План",
        "reserve_percent": "3",
        "min_batch": "0",
        "time_limit": "1",
        "seed": "0",
    }
    response = login(cast.methodist).post(reverse("exchange:plan_create"), form)
    assert "Для обмена нужны принятые отчёты хотя бы двух школ" in response.content.decode()
    assert not ExchangePlan.objects.exists()


def test_solving_in_the_background(cast, login, plan, django_capture_on_commit_callbacks):
    client = login(cast.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:plan_solve", args=[plan.pk]))
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.message == "Рассчитано: 77 экз. за 2 перевозки."
    assert job.result_url == plan.get_absolute_url()
    assert Shipment.objects.filter(plan=plan).count() == 2


def test_publishing_from_the_page(cast, login, solved_plan, django_capture_on_commit_callbacks):
    client = login(cast.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:plan_publish", args=[solved_plan.pk]))
    assert flashed(response) == ["План опубликован: школы получили свои перевозки (2)."]
    assert len(mail.outbox) == 2
    assert {m.subject for m in mail.outbox} == {f"Обмен учебниками: {solved_plan.name}"}
    response = client.post(reverse("exchange:plan_publish", args=[solved_plan.pk]))
    assert flashed(response) == [
        "План уже опубликован: обменный фонд и перевозки в нём не меняются."
    ]
    response = client.post(reverse("exchange:plan_solve", args=[solved_plan.pk]))
    assert flashed(response) == ["План опубликован — пересчитать его нельзя."]
    assert not Job.objects.exists()


def test_plan_line_from_the_page(cast, login, solved_plan, entries):
    client = login(cast.methodist)
    url = reverse("exchange:plan_line", args=[solved_plan.pk])
    good = {
        "source": cast.school_a.pk,
        "target": cast.school_b.pk,
        "code": entries.russian.code,
        "copies": "30",
        "view": "title",
    }
    response = client.post(url, good)
    assert response["Location"] == f"{solved_plan.get_absolute_url()}?view=title"
    assert flashed(response) == ["Строка плана сохранена."]
    line = ShipmentLine.objects.get(shipment__source=cast.school_a, entry=entries.russian)
    assert line.copies == 30

    bad = [
        ({"copies": "много"}, "Введите целое число."),
        ({"code": "9.9.9.9"}, "Учебника с кодом «9.9.9.9» нет в перечне."),
        ({"copies": ""}, "Обязательное поле."),
        ({"source": cast.other_school.pk}, "Выберите школы этого объединения."),
        ({"copies": "36"}, "Изменение не сохранено: "),
    ]
    before = fingerprint()
    for change, error in bad:
        response = client.post(url, {**good, **change})
        assert response.status_code == 302
        assert any(message.startswith(error) for message in flashed(response)), (
            change,
            flashed(response),
        )
    assert fingerprint() == before


def test_plan_line_refusal_names_the_school_once(cast, login, solved_plan, entries):
    response = login(cast.methodist).post(
        reverse("exchange:plan_line", args=[solved_plan.pk]),
        {
            "source": cast.school_a.pk,
            "target": cast.school_b.pk,
            "code": entries.russian.code,
            "copies": "36",
        },
    )
    assert flashed(response) == [
        f"Изменение не сохранено: школа «{B}» получает 36 экз. учебника "
        f"«{entries.russian.code}», а потребность — 35 экз."
    ]


def test_plan_page_shows_the_warning_and_every_view(cast, login, plan):
    from bibliomo.directory.models import Building

    Building.objects.filter(school=cast.school_b).update(latitude=None, longitude=None)
    services.solve(plan)
    client = login(cast.methodist)
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "нет координат здания — она не участвует в расчёте" in body
    for view in ("source", "target", "title", "nonsense"):
        assert client.get(plan.get_absolute_url(), {"view": view}).status_code == 200


def test_plan_page_lists_shipments_by_title(cast, login, solved_plan, entries):
    body = login(cast.director).get(solved_plan.get_absolute_url(), {"view": "title"})
    body = body.content.decode()
    assert entries.physics.code in body and "Изменить план вручную" not in body


# ---------------------------------------------------------------- the pool


def test_librarian_opens_her_pool_not_the_other_schools(cast, login, plan):
    client = login(cast.librarian_a)
    body = client.get(reverse("exchange:pool", args=[plan.pk])).content.decode()
    assert f"Обменный фонд: {A}" in body
    assert "Пересчитать предложение" in body  # she may edit it
    url = reverse("exchange:pool", args=[plan.pk]) + f"?school={cast.school_b.pk}"
    assert client.get(url).status_code == 403
    body = login(cast.methodist).get(url).content.decode()
    assert f"Обменный фонд: {B}" in body


def test_a_garbled_school_parameter_shows_the_librarian_her_own_pool(cast, login, plan):
    url = reverse("exchange:pool", args=[plan.pk])
    response = login(cast.librarian_a).get(url, {"school": "abc"})
    assert response.status_code == 200
    assert f"Обменный фонд: {A}" in response.content.decode()


def test_pool_line_from_the_page(cast, login, plan, entries):
    line = PoolLine.objects.get(plan=plan, school=cast.school_a, entry=entries.russian)
    client = login(cast.librarian_a)
    url = reverse("exchange:pool_line", args=[line.pk])
    code = entries.russian.code
    for data, error in [
        ({"copies": "много"}, f"{code}: укажите целое число экземпляров от 0."),
        ({"copies": "-3"}, f"{code}: укажите целое число экземпляров от 0."),
        (
            {"copies": "30", "reason": ""},
            f"{code}: Укажите причину: число отличается от рассчитанного по мониторингу (37).",
        ),
        (
            {"copies": "41", "reason": "всё"},
            f"{code}: Школа может отдать не больше 40 экз.: остальные нужны её ученикам.",
        ),
    ]:
        response = client.post(url, data)
        assert flashed(response) == [error]
        line.refresh_from_db()
        assert line.copies == 37
    response = client.post(url, {"copies": "30", "reason": "Часть в ремонте"})
    assert response["Location"] == (
        reverse("exchange:pool", args=[plan.pk]) + f"?school={cast.school_a.pk}"
    )
    assert flashed(response) == [f"{code}: сохранено."]
    line.refresh_from_db()
    assert (line.copies, line.reason) == (30, "Часть в ремонте")


def test_pool_add_from_the_page(cast, login, plan, entries):
    client = login(cast.librarian_a)
    url = reverse("exchange:pool_add", args=[plan.pk])
    good = {
        "school": cast.school_a.pk,
        "code": entries.maths_other.code,
        "kind": "request",
        "copies": "5",
        "reason": "Переходим на другую линию",
    }
    for change, error in [
        ({"code": "0.0.0"}, "Учебника с кодом «0.0.0» нет в перечне."),
        ({"copies": "пять"}, "Введите целое число."),
        ({"copies": "0"}, "Убедитесь, что это значение больше либо равно 1."),
        ({"reason": ""}, "Обязательное поле."),
        ({"code": entries.russian.code, "kind": "offer"}, "Такая позиция уже есть"),
    ]:
        response = client.post(url, {**good, **change})
        assert any(error in message for message in flashed(response)), (change, flashed(response))
        assert PoolLine.objects.filter(plan=plan).count() == 6
    response = client.post(url, good)
    assert flashed(response) == ["Позиция добавлена в обменный фонд."]
    assert PoolLine.objects.get(plan=plan, entry=entries.maths_other).copies == 5


def test_reserve_from_the_page(cast, login, plan, entries):
    client = login(cast.librarian_a)
    url = reverse("exchange:reserve", args=[plan.pk])
    for value in ("много", "51", ""):
        response = client.post(url, {"school": cast.school_a.pk, "reserve_percent": value})
        assert flashed(response) == ["Резерв — целое число от 0 до 50 %."]
    assert Participant.objects.get(plan=plan, school=cast.school_a).reserve_percent == 3
    response = client.post(url, {"school": cast.school_a.pk, "reserve_percent": "10"})
    assert flashed(response) == ["Резерв сохранён, предложение школы пересчитано."]
    assert PoolLine.objects.get(plan=plan, school=cast.school_a, entry=entries.russian).copies == 30
    # Her reserve only: the other school's in the form is refused.
    response = client.post(url, {"school": cast.school_b.pk, "reserve_percent": "10"})
    assert response.status_code == 403
    assert Participant.objects.get(plan=plan, school=cast.school_b).reserve_percent == 3


def test_a_published_pool_is_read_only(cast, login, published_plan, entries):
    client = login(cast.librarian_a)
    body = client.get(reverse("exchange:pool", args=[published_plan.pk])).content.decode()
    assert "Пересчитать предложение" not in body and "Резерв школы: 3 %." in body
    line = PoolLine.objects.get(plan=published_plan, school=cast.school_a, entry=entries.russian)
    response = client.post(
        reverse("exchange:pool_line", args=[line.pk]), {"copies": "30", "reason": "x"}
    )
    assert flashed(response) == [
        f"{entries.russian.code}: План уже опубликован: обменный фонд и перевозки в нём не меняются."
    ]


# ---------------------------------------------------------------- shipments


def step(client, shipment, name, data=None):
    return client.post(reverse("exchange:shipment_step", args=[shipment.pk, name]), data or {})


def test_the_whole_life_of_a_shipment_through_the_pages(cast, login, shipment, entries):
    rus = entries.russian.pk
    lib_a = login(cast.librarian_a)
    response = step(lib_a, shipment, "agree-target")
    assert flashed(response) == ["Этот шаг делает библиотекарь получающей школы или методист."]
    lib_b = login(cast.librarian_b)
    response = step(lib_b, shipment, "agree-target")
    assert flashed(response) == [f"Сначала перевозку согласует передающая школа ({A})."]
    lib_a = login(cast.librarian_a)
    assert flashed(step(lib_a, shipment, "agree-source")) == ["Отправка согласована."]
    lib_b = login(cast.librarian_b)
    assert flashed(step(lib_b, shipment, "agree-target")) == ["Получение согласовано."]
    shipment.refresh_from_db()
    assert shipment.status == Status.AGREED

    lib_a = login(cast.librarian_a)
    day = (today() - timedelta(days=2)).strftime("%d.%m.%Y")
    response = step(lib_a, shipment, "ship", {"day": day, f"shipped-{rus}": "35"})
    assert flashed(response) == [
        "Отправка отмечена. Распечатайте акт и передайте его с учебниками."
    ]
    assert response["Location"] == shipment.get_absolute_url()

    lib_b = login(cast.librarian_b)
    response = step(
        lib_b,
        shipment,
        "receive",
        {"day": today().isoformat(), f"received-{rus}": "35", f"damaged-{rus}": "1", "note": ""},
    )
    assert flashed(response) == ["Получение отмечено: фонды обеих школ обновлены."]
    assert Holding.objects.get(school=cast.school_b, entry=rus, purchase_year=2023).copies == 35
    response = step(
        lib_b, shipment, "return-ship", {"day": today().isoformat(), f"back-{rus}": "35"}
    )
    assert flashed(response) == ["Возврат отправлен."]
    lib_a = login(cast.librarian_a)
    response = step(
        lib_a, shipment, "return-receive", {"day": today().isoformat(), f"returned-{rus}": "35"}
    )
    assert flashed(response) == ["Возврат принят: учебники снова в фонде школы."]
    shipment.refresh_from_db()
    assert shipment.status == Status.RETURNED
    assert Holding.objects.get(school=cast.school_a, entry=rus, purchase_year=2023).copies == 100
    body = lib_a.get(shipment.get_absolute_url()).content.decode()
    assert "возвращена" in body and "повреждено 1 экз." in body


def test_the_sender_cannot_act_for_the_receiver(cast, login, shipment, entries):
    advance(cast, shipment, Status.SHIPPED)
    before = fingerprint()
    client = login(cast.librarian_a)
    body = client.get(shipment.get_absolute_url()).content.decode()
    assert "Отметить получение" not in body
    response = step(
        client,
        shipment,
        "receive",
        {"day": today().isoformat(), f"received-{entries.russian.pk}": "35"},
    )
    assert flashed(response) == ["Этот шаг делает библиотекарь получающей школы или методист."]
    assert fingerprint() == before
    # …and the receiver cannot ship, agree the sending or take the return back.
    advance(cast, shipment, Status.RETURN_SHIPPED)
    before = fingerprint()
    client = login(cast.librarian_b)
    response = step(
        client,
        shipment,
        "return-receive",
        {"day": today().isoformat(), f"returned-{entries.russian.pk}": "35"},
    )
    assert flashed(response) == ["Этот шаг делает библиотекарь передающей школы или методист."]
    assert fingerprint() == before


def test_shipping_bad_input_changes_nothing(cast, login, shipment, entries):
    advance(cast, shipment, Status.AGREED)
    client = login(cast.librarian_a)
    field = f"shipped-{entries.russian.pk}"
    before = fingerprint()
    for data, error in [
        ({"day": today().isoformat(), field: "много"}, "«много» — не целое число экземпляров."),
        ({field: "35"}, "Укажите дату в формате ДД.ММ.ГГГГ."),
        ({"day": "вчера", field: "35"}, "Укажите дату в формате ДД.ММ.ГГГГ."),
        (
            {"day": (today() + timedelta(days=1)).isoformat(), field: "35"},
            "Дата не может быть в будущем.",
        ),
        (
            {"day": today().isoformat(), field: "40"},
            f"{entries.russian.code}: отправлено 40 экз. — больше, чем по плану (35).",
        ),
        ({"day": today().isoformat(), field: ""}, "Укажите, сколько экземпляров отправлено."),
    ]:
        response = step(client, shipment, "ship", data)
        assert flashed(response) == [error], data
    assert fingerprint() == before


def test_receiving_bad_input_changes_nothing(cast, login, shipment, entries):
    advance(cast, shipment, Status.SHIPPED)
    client = login(cast.librarian_b)
    rus = entries.russian.pk
    before = fingerprint()
    for data, error in [
        (
            {"day": today().isoformat(), f"received-{rus}": "36"},
            f"{entries.russian.code}: получено 36 экз. — больше, чем отправлено (35).",
        ),
        (
            {"day": today().isoformat(), f"received-{rus}": "35", f"damaged-{rus}": "два"},
            "«два» — не целое число экземпляров.",
        ),
        ({f"received-{rus}": "35"}, "Укажите дату в формате ДД.ММ.ГГГГ."),
    ]:
        assert flashed(step(client, shipment, "receive", data)) == [error]
    assert fingerprint() == before


def test_decline_from_the_page_needs_a_reason_and_a_side(cast, login, shipment):
    response = step(login(cast.director), shipment, "decline", {"reason": "Не нужно"})
    assert flashed(response) == ["Этот шаг делает библиотекарь передающей школы или методист."]
    client = login(cast.librarian_b)
    response = step(client, shipment, "decline", {"reason": "  "})
    assert flashed(response) == ["Напишите причину отказа — её увидит методист."]
    shipment.refresh_from_db()
    assert shipment.status == Status.PROPOSED
    response = step(client, shipment, "decline", {"reason": "Купили сами"})
    assert flashed(response) == ["Перевозка отклонена; методист видит причину."]
    shipment.refresh_from_db()
    assert (shipment.status, shipment.declined_reason) == (Status.DECLINED, "Купили сами")
    assert (
        login(cast.methodist).get(reverse("exchange:act_docx", args=[shipment.pk])).status_code
        == 404
    )


def test_return_date_by_the_methodist_only(cast, login, shipment):
    new_day = (today() + timedelta(days=45)).strftime("%d.%m.%Y")
    assert (
        step(login(cast.librarian_a), shipment, "return-date", {"day": new_day}).status_code == 403
    )
    response = step(login(cast.methodist), shipment, "return-date", {"day": new_day})
    assert flashed(response) == ["Срок возврата изменён."]
    shipment.refresh_from_db()
    assert shipment.return_date == today() + timedelta(days=45)
    response = step(login(cast.methodist), shipment, "return-date", {"day": ""})
    assert flashed(response) == ["Укажите дату в формате ДД.ММ.ГГГГ."]


def test_an_unknown_step_is_not_found(cast, login, shipment):
    assert step(login(cast.methodist), shipment, "teleport").status_code == 404


def test_the_act_in_word(cast, login, shipment, entries):
    response = login(cast.librarian_a).get(reverse("exchange:act_docx", args=[shipment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "act-2024-2.docx" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "Акт приёма-передачи учебников во временное пользование № 2/2024" in text
    assert cast.school_a.full_name in text and cast.school_b.full_name in text
    assert entries.russian.code in text
    assert "вернуть учебники в срок до 31.05.2025" in text
    assert "Всего передано 35 экземпляров." in text


def test_the_act_in_pdf(cast, login, shipment):
    response = login(cast.librarian_b).get(reverse("exchange:act_pdf", args=[shipment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_returns_page_and_reminders(
    cast, login, shipment, shipment_back, django_capture_on_commit_callbacks
):
    for item in (shipment, shipment_back):
        advance(cast, item, Status.RECEIVED, day=today() - timedelta(days=10))
    shipment_services.return_date_set(cast.methodist, shipment, today() - timedelta(days=2))
    shipment_services.return_date_set(cast.methodist, shipment_back, today() + timedelta(days=90))
    client = login(cast.methodist)
    body = client.get(reverse("exchange:returns")).content.decode()
    overdue_part, rest = body.split("Срок в ближайшие две недели")
    assert shipment.get_absolute_url() in overdue_part
    assert shipment_back.get_absolute_url() in rest.split("Учебники во временном пользовании")[1]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:returns_remind"))
    assert response["Location"] == reverse("exchange:returns")
    assert flashed(response) == ["Напоминания отправлены по 1 перевозкам."]
    assert len(mail.outbox) == 1 and sorted(mail.outbox[0].to) == ["lib.a@test.ru", "lib.b@test.ru"]
    shipment_services.return_ship(
        cast.librarian_b, shipment, today(), {line.entry_id: 35 for line in shipment.lines.all()}
    )
    response = client.post(reverse("exchange:returns_remind"))
    assert flashed(response) == ["Напоминать некому: перевозок с подходящим сроком нет."]
    assert len(mail.outbox) == 1


def test_a_return_on_its_way_is_not_overdue(cast, login, shipment):
    from bibliomo.exchange.selectors import overdue_returns

    advance(cast, shipment, Status.RECEIVED, day=today() - timedelta(days=10))
    shipment_services.return_date_set(cast.methodist, shipment, today() - timedelta(days=2))
    advance(cast, shipment, Status.RETURN_SHIPPED, day=today() - timedelta(days=1))
    shipment.refresh_from_db()
    assert shipment.status == Status.RETURN_SHIPPED and not shipment.is_overdue(today())
    assert overdue_returns(cast.association, today()) == 0
    body = login(cast.methodist).get(reverse("exchange:returns")).content.decode()
    overdue_part, rest = body.split("Срок в ближайшие две недели")
    assert shipment.get_absolute_url() not in overdue_part
    assert "Просроченных возвратов нет." in overdue_part
    returning = rest.split("Возврат отправлен, в пути")[1].split("Учебники во временном")[0]
    assert shipment.get_absolute_url() in returning


# ---------------------------------------------------------------- orders


def test_order_create_starts_the_computation(
    cast, login, accepted, django_capture_on_commit_callbacks
):
    client = login(cast.methodist)
    assert client.get(reverse("exchange:order_create")).status_code == 200
    form = {
        "campaign": accepted.pk,
        "retention": "0,96",
        "service_years": "4",
        "deadline": "01.03.2025",
        "use_exchange": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:order_create"), form)
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    order = Order.objects.get()
    assert job.status == Job.Status.DONE and job.result_url == order.get_absolute_url()
    assert job.message.startswith("Заказ рассчитан:") and "по 2 школам" in job.message
    assert order.retention == Decimal("0.96") and order.computed_at
    assert OrderLine.objects.filter(school_order__order=order).count() == 6

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange:order_compute", args=[order.pk]))
    assert Job.objects.count() == 2
    # A second order for the same year: the form says why.
    response = client.post(reverse("exchange:order_create"), form)
    assert "Заказ на 2025/2026 учебный год уже есть — откройте его." in response.content.decode()
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("deadline", "", "Обязательное поле."),
        ("retention", "много", "Введите число."),
        ("retention", "2", "Коэффициент — не больше 1,5."),
        ("service_years", "0", "Убедитесь, что это значение больше либо равно 1."),
    ],
)
def test_order_form_bad_input(cast, login, accepted, field, value, error):
    form = {
        "campaign": accepted.pk,
        "retention": "1",
        "service_years": "4",
        "deadline": "01.03.2025",
        field: value,
    }
    response = login(cast.methodist).post(reverse("exchange:order_create"), form)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Order.objects.exists() and not Job.objects.exists()


def test_school_order_review_through_the_pages(cast, login, order, entries):
    so = SchoolOrder.objects.get(order=order, school=cast.school_a)
    line = OrderLine.objects.get(school_order=so, entry=entries.maths)
    client = login(cast.librarian_a)
    body = client.get(so.get_absolute_url()).content.decode()
    assert "Сдать заказ" in body and entries.maths.code in body
    url = reverse("exchange:line_set", args=[line.pk])
    prefix = f"5 класс, {entries.maths.code}"
    for data, error in [
        (
            {"copies": "45", "note": ""},
            f"{prefix}: Расчёт предлагает 40 экз.; напишите, почему заказываете иначе.",
        ),
        ({"copies": "сорок", "note": "x"}, "Укажите целое число экземпляров от 0."),
        ({"copies": "-1", "note": "x"}, "Укажите целое число экземпляров от 0."),
    ]:
        response = client.post(url, data)
        assert response["Location"] == so.get_absolute_url()
        assert flashed(response) == [error]
        line.refresh_from_db()
        assert line.copies == 40
    response = client.post(url, {"copies": "45", "note": "Резерв"})
    assert flashed(response) == [f"{prefix}: сохранено."]
    line.refresh_from_db()
    assert (line.copies, line.note) == (45, "Резерв")

    # Another textbook of the same subject and grade.
    page = client.get(reverse("exchange:line_entry", args=[line.pk])).content.decode()
    assert entries.maths_other.code in page and entries.physics.code not in page
    url = reverse("exchange:line_entry", args=[line.pk])
    response = client.post(url, {"entry": entries.physics.pk, "note": "Физика"})
    assert "Выберите корректный вариант" in response.content.decode()
    response = client.post(url, {"entry": entries.maths_other.pk, "note": ""})
    assert "Обязательное поле." in response.content.decode()
    line.refresh_from_db()
    assert line.entry == entries.maths
    response = client.post(url, {"entry": entries.maths_other.pk, "note": "Новый учебник"})
    assert flashed(response) == ["Линия изменена, потребность пересчитана."]
    line.refresh_from_db()
    assert (line.entry, line.need, line.reasons) == (entries.maths_other, 90, ["new_line"])

    # The intake.
    url = reverse("exchange:intake", args=[so.pk])
    response = client.post(url, {"intake": "сто"})
    assert flashed(response) == ["Набор — целое число учеников от 0 до 1000."]
    response = client.post(url, {"intake": "1001"})
    assert flashed(response) == ["Набор — целое число учеников от 0 до 1000."]
    so.refresh_from_db()
    assert so.intake is None
    response = client.post(url, {"intake": "25"})
    assert flashed(response) == ["Набор в 1 класс сохранён, заказ пересчитан."]
    so.refresh_from_db()
    assert so.intake == 25

    # Submitting freezes it.
    response = client.post(reverse("exchange:submit", args=[so.pk]))
    assert flashed(response) == ["Заказ сдан методисту."]
    so.refresh_from_db()
    assert so.status == SchoolOrder.Status.SUBMITTED
    line_pk = OrderLine.objects.get(school_order=so, grade=10).pk
    response = client.post(
        reverse("exchange:line_set", args=[line_pk]), {"copies": "1", "note": "x"}
    )
    assert "изменить его может только методист" in flashed(response)[0]
    body = client.get(so.get_absolute_url()).content.decode()
    assert "Сдать заказ" not in body


def test_methodist_decides_and_consolidates(cast, login, order):
    so_a = SchoolOrder.objects.get(order=order, school=cast.school_a)
    so_b = SchoolOrder.objects.get(order=order, school=cast.school_b)
    order_services.school_order_submit(cast.librarian_a, so_a)
    client = login(cast.methodist)
    assert "Решение методиста" in client.get(so_a.get_absolute_url()).content.decode()
    decide = reverse("exchange:decide", args=[so_a.pk])
    response = client.post(decide, {"comment": ""})
    assert flashed(response) == ["Напишите, что исправить: школа увидит замечания."]
    so_a.refresh_from_db()
    assert so_a.status == SchoolOrder.Status.SUBMITTED
    response = client.post(decide, {"comment": "Уточните физику"})
    assert flashed(response) == ["Решение сохранено."]
    so_a.refresh_from_db()
    assert (so_a.status, so_a.comment) == (SchoolOrder.Status.RETURNED, "Уточните физику")
    body = login(cast.librarian_a).get(so_a.get_absolute_url()).content.decode()
    assert "Замечания методиста: Уточните физику" in body

    order_services.school_order_submit(cast.librarian_a, so_a)
    client = login(cast.methodist)
    client.post(decide, {"accept": "on"})
    so_a.refresh_from_db()
    assert so_a.status == SchoolOrder.Status.ACCEPTED

    consolidate = reverse("exchange:order_consolidate", args=[order.pk])
    response = client.post(consolidate)
    assert flashed(response) == [f"Не приняты заказы школ: {B}."]
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT

    order_services.school_order_submit(cast.librarian_b, so_b)
    client.post(reverse("exchange:decide", args=[so_b.pk]), {"accept": "on"})
    response = client.post(consolidate)
    assert flashed(response) == ["Сводный заказ сформирован."]
    order.refresh_from_db()
    assert order.status == Order.Status.CONSOLIDATED
    response = client.post(reverse("exchange:order_compute", args=[order.pk]))
    assert flashed(response) == ["Сводный заказ уже сформирован — пересчитать его нельзя."]
    assert not Job.objects.exists()


def _accept_all(cast, order):
    for school, librarian in ((cast.school_a, cast.librarian_a), (cast.school_b, cast.librarian_b)):
        so = SchoolOrder.objects.get(order=order, school=school)
        order_services.school_order_submit(librarian, so)
        order_services.school_order_decide(cast.methodist, so, accept=True)
    order_services.order_consolidate(cast.methodist, order)


def test_consolidated_order_in_excel_totals_by_publisher(cast, login, order, entries):
    _accept_all(cast, order)
    response = login(cast.director).get(reverse("exchange:order_xlsx", args=[order.pk]))
    assert response["Content-Type"] == XLSX
    assert "order-2025-2026.xlsx" in response["Content-Disposition"]
    # The totals are formulas; the values they were written with are read here.
    content = io.BytesIO(response.content)
    sheet = openpyxl.load_workbook(content, data_only=True).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Сводный заказ учебников на 2025/2026 учебный год"
    header = rows[3]
    assert header[:7] == (
        "Издатель",
        "Код в перечне",
        "Предмет",
        "Класс",
        "Авторы",
        "Название",
        "Всего экз.",
    )
    assert header[7:9] == (B, A)
    totals = {row[0]: row[6] for row in rows[4:] if row[0] and str(row[0]).startswith("Итого")}
    # Physics 25 + 21 (БИНОМ); maths 40 for A and Russian 40 for B (Просвещение).
    assert totals == {"Итого: БИНОМ": 46, "Итого: Просвещение": 80}
    by_code = {row[1]: row for row in rows[4:] if row[1]}
    assert by_code[entries.maths.code][6:9] == (40, None, 40)
    assert by_code[entries.russian.code][6:9] == (40, 40, None)
    assert by_code[entries.physics.code][3] == "10–11"
    assert rows[-1][0] == "Всего по округу" and rows[-1][6] == 126


def test_school_order_in_excel_and_word(cast, login, order, entries):
    so = SchoolOrder.objects.get(order=order, school=cast.school_a)
    client = login(cast.librarian_a)
    response = client.get(reverse("exchange:school_order_xlsx", args=[so.pk]))
    assert response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == f"Заказ учебников на 2025/2026 учебный год: {cast.school_a.full_name}"
    assert rows[2][0] == "Класс" and rows[2][12] == "Заказать"
    maths = next(row for row in rows[3:] if row[2] == entries.maths.code)
    assert maths[6:13] == (90, 40, 30, 0, 10, 40, 40)
    assert maths[13] == "износ (истёк срок службы); порча"
    assert rows[-1][0] == "Итого заказать" and rows[-1][12] == 86

    response = client.get(reverse("exchange:school_order_docx", args=[so.pk]))
    assert response["Content-Type"] == DOCX
    text = docx_text(response.content)
    assert "Заказ учебников на 2025/2026 учебный год" in text
    assert cast.school_a.full_name in text
    assert "Заказывается 86 экземпляров по 3 позициям." in text
    assert entries.maths.code in text and entries.russian.code not in text  # nothing to order


def test_algorithm_page_with_a_worked_example(cast, login, order, entries):
    body = login(cast.librarian_a).get(reverse("exchange:algorithm")).content.decode()
    assert "Алгоритм заказа учебной литературы" in body
    # The example shows wear and the exchange at once: school A's maths.
    assert f"{A}, 5 класс, Математика" in body
    assert "поступление 2019 года — 30 годных экз.: износ" in body
    assert "поступление 2024 года — 40 годных экз.: годен" in body
    assert "90 − 40 − 10 = <strong>40</strong>" in body


def test_the_worked_example_never_shows_a_librarian_another_school(cast, login, order, entries):
    body = login(cast.librarian_b).get(reverse("exchange:algorithm")).content.decode()
    assert A not in body and "поступление 2019 года" not in body
    assert (
        f"{A}, 5 класс" in login(cast.methodist).get(reverse("exchange:algorithm")).content.decode()
    )


# ---------------------------------------------------------------- query counts


def page_queries(client, url, assert_max, bound) -> int:
    """Queries of one GET of a page, warm (content types and the session cached)."""
    assert client.get(url).status_code == 200
    with assert_max(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def more_shipments(cast, published_plan, school_c, entries):
    """Four more shipments with several lines each: six in the plan."""

    def add():
        pairs = [
            (cast.school_a, school_c),
            (school_c, cast.school_a),
            (cast.school_b, school_c),
            (school_c, cast.school_b),
        ]
        titles = [entries.russian, entries.maths, entries.physics]
        for number, (source, target) in enumerate(pairs, start=3):
            add_shipment(
                published_plan,
                source,
                target,
                titles,
                number,
                status=Status.RECEIVED,
                received_on=today() - timedelta(days=30),
                return_date=today() + timedelta(days=number * 5 - 20),
            )

    return add


def _on_loan(plan):
    Shipment.objects.filter(plan=plan, number=1).update(
        status=Status.RECEIVED, return_date=today() - timedelta(days=1)
    )
    Shipment.objects.filter(plan=plan, number=2).update(
        status=Status.RETURN_SHIPPED, return_date=today() + timedelta(days=100)
    )


PAGES = {
    # page → (who, url, bound)
    "plan": ("methodist", lambda p: p.get_absolute_url(), 12),
    "plan by title": ("methodist", lambda p: p.get_absolute_url() + "?view=title", 13),
    "returns": ("methodist", lambda p: reverse("exchange:returns"), 10),
    "index of the librarian": ("librarian_a", lambda p: reverse("exchange:index"), 11),
    "index of the methodist": ("methodist", lambda p: reverse("exchange:index"), 9),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow_with_shipments(
    page, cast, login, published_plan, more_shipments, django_assert_max_num_queries
):
    who, url, bound = PAGES[page]
    _on_loan(published_plan)
    client = login(getattr(cast, who))
    two = page_queries(client, url(published_plan), django_assert_max_num_queries, bound)
    more_shipments()
    six = page_queries(client, url(published_plan), django_assert_max_num_queries, bound)
    assert six == two


def test_shipment_page_queries_do_not_grow_with_lines(
    cast, login, published_plan, school_c, entries, django_assert_max_num_queries
):
    one_line = Shipment.objects.get(plan=published_plan, source=cast.school_a)
    three = add_shipment(
        published_plan,
        cast.school_a,
        school_c,
        [entries.russian, entries.maths, entries.physics],
        3,
    )
    client = login(cast.librarian_a)
    shipment_services.shipment_agree(cast.librarian_a, three, "source")  # a line of history too
    small = page_queries(client, one_line.get_absolute_url(), django_assert_max_num_queries, 10)
    large = page_queries(client, three.get_absolute_url(), django_assert_max_num_queries, 10)
    assert small == large


def test_pool_page_queries_do_not_grow_with_lines(
    cast, login, plan, entries, django_assert_max_num_queries
):
    client = login(cast.methodist)
    url = reverse("exchange:pool", args=[plan.pk])
    a = page_queries(client, f"{url}?school={cast.school_a.pk}", django_assert_max_num_queries, 11)
    PoolLine.objects.create(
        plan=plan,
        school=cast.school_b,
        entry=entries.maths_other,
        kind="request",
        computed=0,
        copies=4,
        reason="Новая линия",
        changed_by=cast.librarian_b,
        changed_at=timezone.now(),
    )
    b = page_queries(client, f"{url}?school={cast.school_b.pk}", django_assert_max_num_queries, 11)
    assert a == b


def test_order_pages_queries_do_not_grow_with_lines(
    cast, login, order, django_assert_max_num_queries
):
    so_a = SchoolOrder.objects.get(order=order, school=cast.school_a)  # four lines
    so_b = SchoolOrder.objects.get(order=order, school=cast.school_b)  # two lines
    client = login(cast.methodist)
    page_queries(client, order.get_absolute_url(), django_assert_max_num_queries, 9)
    a = page_queries(client, so_a.get_absolute_url() + "?all=1", django_assert_max_num_queries, 9)
    b = page_queries(client, so_b.get_absolute_url() + "?all=1", django_assert_max_num_queries, 9)
    assert a == b
