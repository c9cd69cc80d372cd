"""A shipment's life through the pages, the acts and the return control."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from bibliomo.exchange import shipment_services
from bibliomo.exchange.models import (
    Shipment,
)
from bibliomo.textbooks.models import Holding
from tests.exchange.pages import (
    DOCX,
    A,
    fingerprint,
    flashed,
    today,
)
from tests.factories import advance, docx_text

pytestmark = pytest.mark.django_db

Status = Shipment.Status

Status = Shipment.Status


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
