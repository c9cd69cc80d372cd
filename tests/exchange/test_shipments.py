"""A shipment's life: agreeing, shipping, receiving (holdings move), returning, reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bibliomo.core.errors import DomainError
from bibliomo.core.models import AuditEntry
from bibliomo.exchange import shipment_services
from bibliomo.exchange.models import HoldingMove, Shipment, ShipmentLine
from bibliomo.textbooks.models import Holding
from tests.factories import advance

pytestmark = pytest.mark.django_db

Status = Shipment.Status


def today():
    """Read each time: a run may cross midnight in Moscow."""
    return timezone.localdate()


def holdings() -> dict[tuple[str, str, int], tuple[int, int, int]]:
    """(school, code, year of purchase) → (copies, damaged, lost): every school's fund."""
    return {
        (h.school.short_name, h.entry.code, h.purchase_year): (h.copies, h.damaged, h.lost)
        for h in Holding.objects.select_related("school", "entry")
    }


def lines_state(shipment):
    return list(
        ShipmentLine.objects.filter(shipment=shipment)
        .order_by("entry_id")
        .values_list("copies", "shipped", "received", "damaged", "return_shipped", "returned")
    )


def moves(shipment):
    return sorted(
        shipment.moves.values_list(
            "direction", "entry__code", "purchase_year", "left", "arrived", "damaged"
        )
    )


A, B = "МБОУ «СОШ № 1»", "МБОУ «Гимназия № 5»"


@pytest.fixture
def russian(entries):
    return entries.russian


# ---------------------------------------------------------------- agreeing


def test_the_sender_agrees_first_then_the_receiver(cast, shipment):
    assert shipment.status == Status.PROPOSED
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_agree(cast.librarian_b, shipment, "target")
    assert error.value.message == f"Сначала перевозку согласует передающая школа ({A})."
    shipment.refresh_from_db()
    assert shipment.status == Status.PROPOSED and shipment.target_agreed_at is None

    shipment_services.shipment_agree(cast.librarian_a, shipment, "source")
    shipment.refresh_from_db()
    assert shipment.status == Status.SENDER_AGREED and shipment.source_agreed_at
    shipment_services.shipment_agree(cast.librarian_b, shipment, "target")
    shipment.refresh_from_db()
    assert shipment.status == Status.AGREED and shipment.target_agreed_at


def test_decline_needs_a_reason(cast, shipment):
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_decline(cast.librarian_b, shipment, "   ")
    assert error.value.message == "Напишите причину отказа — её увидит методист."
    shipment.refresh_from_db()
    assert shipment.status == Status.PROPOSED
    shipment_services.shipment_decline(cast.librarian_b, shipment, " Учебники уже закуплены ")
    shipment.refresh_from_db()
    assert shipment.status == Status.DECLINED
    assert shipment.declined_reason == "Учебники уже закуплены"


def test_an_agreed_shipment_may_still_be_declined(cast, shipment):
    advance(cast, shipment, Status.AGREED)
    shipment_services.shipment_decline(cast.librarian_a, shipment, "Сломалась машина")
    shipment.refresh_from_db()
    assert shipment.status == Status.DECLINED


# ---------------------------------------------------------------- shipping


def test_shipping_more_than_planned_is_refused(cast, shipment, russian):
    advance(cast, shipment, Status.AGREED)
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_ship(cast.librarian_a, shipment, today(), {russian.pk: 36})
    assert error.value.message == f"{russian.code}: отправлено 36 экз. — больше, чем по плану (35)."
    shipment.refresh_from_db()
    assert shipment.status == Status.AGREED and shipment.shipped_on is None
    assert lines_state(shipment) == [(35, None, None, 0, None, None)]


def test_a_shipping_date_in_the_future_or_missing_is_refused(cast, shipment, russian):
    advance(cast, shipment, Status.AGREED)
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_ship(
            cast.librarian_a, shipment, today() + timedelta(days=1), {russian.pk: 35}
        )
    assert error.value.message == "Дата не может быть в будущем."
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_ship(cast.librarian_a, shipment, None, {russian.pk: 35})
    assert error.value.message == "Укажите дату: когда отправлено."
    shipment.refresh_from_db()
    assert shipment.status == Status.AGREED


def test_shipping_nothing_or_a_title_not_in_the_shipment_is_refused(cast, shipment, entries):
    advance(cast, shipment, Status.AGREED)
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_ship(
            cast.librarian_a, shipment, today(), {entries.russian.pk: 0}
        )
    assert error.value.message == "Укажите, сколько экземпляров отправлено."
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_ship(cast.librarian_a, shipment, today(), {entries.maths.pk: 5})
    assert error.value.message == "В перевозке нет такого учебника."
    shipment.refresh_from_db()
    assert shipment.status == Status.AGREED


def test_shipping_more_than_the_sender_holds_is_refused(cast, shipment, russian):
    advance(cast, shipment, Status.AGREED)
    Holding.objects.filter(school=cast.school_a, entry=russian, purchase_year=2020).update(copies=0)
    Holding.objects.filter(school=cast.school_a, entry=russian, purchase_year=2023).update(
        copies=30
    )  # 30 − 3 damaged − 2 lost = 25 usable
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_ship(cast.librarian_a, shipment, today(), {russian.pk: 35})
    assert error.value.message == (
        f"{russian.code}: в фонде школы «{A}» 25 годных экз., отправить 35 нельзя."
    )
    shipment.refresh_from_db()
    assert shipment.status == Status.AGREED


def test_shipping_does_not_move_holdings_yet(cast, shipment, russian):
    before = holdings()
    advance(cast, shipment, Status.SHIPPED)
    assert holdings() == before
    shipment.refresh_from_db()
    assert shipment.shipped_on == today()
    assert lines_state(shipment) == [(35, 35, None, 0, None, None)]


# ---------------------------------------------------------------- receiving


def test_receiving_moves_both_schools_holdings_and_records_the_moves(cast, shipment, russian):
    advance(cast, shipment, Status.SHIPPED)
    before = holdings()
    shipment_services.shipment_receive(
        cast.librarian_b, shipment, today(), {russian.pk: 35}, {russian.pk: 2}, "Две книги намокли"
    )
    after = holdings()
    # The sender gives from its newest copies (2023), the receiver gets them as 2023 copies.
    assert after[A, russian.code, 2023] == (65, 3, 2)
    assert after[A, russian.code, 2020] == before[A, russian.code, 2020] == (45, 0, 0)
    assert after[B, russian.code, 2023] == (35, 2, 0)
    assert after[B, russian.code, 2022] == before[B, russian.code, 2022]
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed == {(A, russian.code, 2023), (B, russian.code, 2023)}
    assert moves(shipment) == [("out", russian.code, 2023, 35, 35, 2)]
    shipment.refresh_from_db()
    assert shipment.status == Status.RECEIVED and shipment.received_on == today()
    assert lines_state(shipment) == [(35, 35, 35, 2, None, None)]
    assert shipment.discrepancy == f"{russian.code}: повреждено 2 экз.\nДве книги намокли"


def test_receiving_takes_the_newest_years_first_and_the_return_puts_them_back(
    cast, shipment, russian
):
    Holding.objects.create(school=cast.school_a, entry=russian, purchase_year=2024, copies=10)
    advance(cast, shipment, Status.SHIPPED)
    start = holdings()
    shipment_services.shipment_receive(
        cast.librarian_b, shipment, today(), {russian.pk: 35}, {russian.pk: 2}
    )
    moved = holdings()
    assert moved[A, russian.code, 2024] == (0, 0, 0)
    assert moved[A, russian.code, 2023] == (75, 3, 2)
    assert moved[A, russian.code, 2020] == (45, 0, 0)
    # The damage is put on the first copies counted.
    assert moved[B, russian.code, 2024] == (10, 2, 0)
    assert moved[B, russian.code, 2023] == (25, 0, 0)
    assert moves(shipment) == [
        ("out", russian.code, 2023, 25, 25, 0),
        ("out", russian.code, 2024, 10, 10, 2),
    ]

    shipment_services.return_ship(cast.librarian_b, shipment, today(), {russian.pk: 35})
    assert holdings() == moved  # nothing moves until the lender counts the books
    shipment_services.return_receive(cast.librarian_a, shipment, today(), {russian.pk: 35})
    back = holdings()
    assert back[A, russian.code, 2024] == (10, 2, 0)  # the two damaged copies come back damaged
    assert back[A, russian.code, 2023] == start[A, russian.code, 2023] == (100, 3, 2)
    assert back[B, russian.code, 2024] == (0, 0, 0)
    assert back[B, russian.code, 2023] == (0, 0, 0)
    assert back[B, russian.code, 2022] == start[B, russian.code, 2022]
    assert [m for m in moves(shipment) if m[0] == "back"] == [
        ("back", russian.code, 2023, 25, 25, 0),
        ("back", russian.code, 2024, 10, 10, 2),
    ]
    shipment.refresh_from_db()
    assert shipment.status == Status.RETURNED and shipment.returned_on == today()
    assert lines_state(shipment) == [(35, 35, 35, 2, 35, 35)]


def test_a_second_receive_is_refused_and_changes_nothing(cast, shipment, russian):
    advance(cast, shipment, Status.RECEIVED)
    before, moved, lines = holdings(), moves(shipment), lines_state(shipment)
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_receive(cast.librarian_b, shipment, today(), {russian.pk: 35})
    assert error.value.message == "Перевозка № 2 уже получена — второй раз нельзя."
    assert holdings() == before
    assert moves(shipment) == moved
    assert lines_state(shipment) == lines


def test_receiving_more_than_shipped_is_refused_and_changes_nothing(cast, shipment, russian):
    advance(cast, shipment, Status.SHIPPED)
    before = holdings()
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_receive(cast.librarian_b, shipment, today(), {russian.pk: 36})
    assert error.value.message == (
        f"{russian.code}: получено 36 экз. — больше, чем отправлено (35)."
    )
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_receive(
            cast.librarian_b, shipment, today(), {russian.pk: 30}, {russian.pk: 31}
        )
    assert error.value.message == f"{russian.code}: повреждённых 31 — больше, чем получено (30)."
    assert holdings() == before
    assert not HoldingMove.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status == Status.SHIPPED and shipment.received_on is None
    assert lines_state(shipment) == [(35, 35, None, 0, None, None)]


def test_receiving_before_the_shipping_date_is_refused(cast, shipment, russian):
    advance(cast, shipment, Status.SHIPPED)
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_receive(
            cast.librarian_b, shipment, today() - timedelta(days=1), {russian.pk: 35}
        )
    assert error.value.message == f"Дата раньше предыдущего шага ({today():%d.%m.%Y})."


def test_a_receive_that_finds_the_fund_changed_is_rolled_back_whole(cast, shipment, russian):
    advance(cast, shipment, Status.SHIPPED)
    # After shipping, the sender's fund was edited: 25 + 5 usable copies, 35 went.
    Holding.objects.filter(school=cast.school_a, entry=russian, purchase_year=2023).update(
        copies=30
    )
    Holding.objects.filter(school=cast.school_a, entry=russian, purchase_year=2020).update(copies=5)
    before = holdings()
    with pytest.raises(DomainError) as error:
        shipment_services.shipment_receive(cast.librarian_b, shipment, today(), {russian.pk: 35})
    assert error.value.message.startswith(
        f"{russian.code}: в фонде школы «{A}» не хватает 5 годных экз."
    )
    assert holdings() == before  # the copies taken year by year went back
    assert not HoldingMove.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status == Status.SHIPPED


def test_a_shortfall_is_recorded_as_a_discrepancy(cast, shipment, russian):
    advance(cast, shipment, Status.SHIPPED)
    shipment_services.shipment_receive(cast.librarian_b, shipment, today(), {russian.pk: 33})
    shipment.refresh_from_db()
    assert shipment.discrepancy == f"{russian.code}: не дошло 2 экз."
    line = shipment.lines.get()
    assert (line.shipped, line.received, line.shortfall) == (35, 33, 2)
    after = holdings()
    assert after[A, russian.code, 2023] == (65, 3, 2)  # 35 left the sender
    assert after[B, russian.code, 2023] == (33, 0, 0)  # 33 arrived
    assert moves(shipment) == [("out", russian.code, 2023, 35, 33, 0)]


def test_a_multi_title_shipment_moves_each_title(cast, shipment_back, entries):
    advance(cast, shipment_back, Status.SHIPPED)
    shipment_services.shipment_receive(
        cast.librarian_a,
        shipment_back,
        today(),
        {entries.maths.pk: 30, entries.physics.pk: 12},
    )
    after = holdings()
    assert after[B, entries.maths.code, 2023] == (70, 0, 0)
    assert after[B, entries.maths.code, 2021] == (20, 0, 0)
    assert after[A, entries.maths.code, 2023] == (30, 0, 0)
    assert after[B, entries.physics.code, 2024] == (0, 0, 0)
    assert after[A, entries.physics.code, 2024] == (76, 0, 0)


def test_each_school_journals_the_whole_receipt_on_one_line(cast, shipment, shipment_back, entries):
    """The holdings journal (README: textbooks) gets one line per school and step, with every
    title and purchase year whose usable copies changed, old → new; the queries do not grow
    with the titles."""
    advance(cast, shipment, Status.SHIPPED)
    advance(cast, shipment_back, Status.SHIPPED)
    since = AuditEntry.objects.count()
    maths, physics = entries.maths, entries.physics
    with CaptureQueriesContext(connection) as two_titles:
        shipment_services.shipment_receive(
            cast.librarian_a, shipment_back, today(), {maths.pk: 30, physics.pk: 12}
        )
    lines = {
        entry.object_repr: (entry.comment, entry.changes)
        for entry in AuditEntry.objects.order_by("pk")[since:]
        if entry.object_repr in (A, B)
    }
    assert lines == {
        B: (
            "Перевозка № 1",
            {f"Фонд: {maths.code} (2023)": [100, 70], f"Фонд: {physics.code} (2024)": [12, 0]},
        ),
        A: (
            "Перевозка № 1",
            {f"Фонд: {maths.code} (2023)": [0, 30], f"Фонд: {physics.code} (2024)": [64, 76]},
        ),
    }
    with CaptureQueriesContext(connection) as one_title:
        shipment_services.shipment_receive(
            cast.librarian_b, shipment, today(), {entries.russian.pk: 35}
        )
    # One statement per kind, whatever the number of titles; the two-title receipt has one
    # more only because its receiver gets a new purchase year (an INSERT beside the UPDATE).
    assert len(two_titles) == len(one_title) + 1


# ---------------------------------------------------------------- the return


def test_a_partial_return_is_recorded_and_moves_back_what_came(cast, shipment, russian):
    advance(cast, shipment, Status.RECEIVED)
    with pytest.raises(DomainError) as error:
        shipment_services.return_ship(cast.librarian_b, shipment, today(), {russian.pk: 36})
    assert error.value.message == (
        f"{russian.code}: возвращается 36 экз. — больше, чем получено (35)."
    )
    shipment_services.return_ship(cast.librarian_b, shipment, today(), {russian.pk: 30})
    with pytest.raises(DomainError) as error:
        shipment_services.return_receive(cast.librarian_a, shipment, today(), {russian.pk: 31})
    assert error.value.message == (
        f"{russian.code}: получено 31 экз. — больше, чем отправлено (30)."
    )
    shipment_services.return_receive(cast.librarian_a, shipment, today(), {russian.pk: 28})
    after = holdings()
    assert after[B, russian.code, 2023] == (5, 0, 0)  # 5 never sent back
    assert after[A, russian.code, 2023] == (93, 3, 2)  # 65 + 28 that arrived
    shipment.refresh_from_db()
    assert shipment.status == Status.RETURNED
    assert shipment.discrepancy.splitlines() == [
        f"{russian.code}: при возврате не дошло 2 экз.",
        f"{russian.code}: не возвращено 5 экз.",
    ]
    assert [m for m in moves(shipment) if m[0] == "back"] == [
        ("back", russian.code, 2023, 30, 28, 0)
    ]


def test_a_second_return_receive_is_refused(cast, shipment, russian):
    advance(cast, shipment, Status.RETURNED)
    before = holdings()
    with pytest.raises(DomainError) as error:
        shipment_services.return_receive(cast.librarian_a, shipment, today(), {russian.pk: 35})
    assert error.value.message == "Возврат по перевозке № 2 уже принят."
    assert holdings() == before


# ---------------------------------------------------------------- every wrong step is refused

ACTIONS = {
    "agree_source": lambda cast, s, copies: shipment_services.shipment_agree(
        cast.librarian_a, s, "source"
    ),
    "agree_target": lambda cast, s, copies: shipment_services.shipment_agree(
        cast.librarian_b, s, "target"
    ),
    "decline": lambda cast, s, copies: shipment_services.shipment_decline(
        cast.librarian_b, s, "Причина"
    ),
    "ship": lambda cast, s, copies: shipment_services.shipment_ship(
        cast.librarian_a, s, today(), copies
    ),
    "receive": lambda cast, s, copies: shipment_services.shipment_receive(
        cast.librarian_b, s, today(), copies
    ),
    "return_ship": lambda cast, s, copies: shipment_services.return_ship(
        cast.librarian_b, s, today(), copies
    ),
    "return_receive": lambda cast, s, copies: shipment_services.return_receive(
        cast.librarian_a, s, today(), copies
    ),
}
ALLOWED = {
    (Status.PROPOSED, "agree_source"),
    (Status.SENDER_AGREED, "agree_target"),
    (Status.PROPOSED, "decline"),
    (Status.SENDER_AGREED, "decline"),
    (Status.AGREED, "decline"),
    (Status.AGREED, "ship"),
    (Status.SHIPPED, "receive"),
    (Status.RECEIVED, "return_ship"),
    (Status.RETURN_SHIPPED, "return_receive"),
}
SPECIAL = {
    (Status.PROPOSED, "agree_target"): f"Сначала перевозку согласует передающая школа ({A}).",
    (Status.RECEIVED, "receive"): "Перевозка № 2 уже получена — второй раз нельзя.",
    (Status.RETURNED, "return_receive"): "Возврат по перевозке № 2 уже принят.",
}
REFUSED = [
    (state, action)
    for state in Status.values
    for action in ACTIONS
    if (state, action) not in ALLOWED
]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_step_out_of_turn_is_refused_and_changes_nothing(request, cast, state, action):
    if state == Status.DRAFT:
        plan = request.getfixturevalue("solved_plan")
        shipment = Shipment.objects.get(plan=plan, source=cast.school_a)
    else:
        shipment = advance(cast, request.getfixturevalue("shipment"), state)
    copies = {line.entry_id: line.copies for line in shipment.lines.all()}
    before = (holdings(), moves(shipment), lines_state(shipment))
    with pytest.raises(DomainError) as error:
        ACTIONS[action](cast, shipment, copies)
    label = Status(state).label
    expected = SPECIAL.get((state, action))
    if expected:
        assert error.value.message == expected
    else:
        assert error.value.message.startswith("Нельзя "), error.value.message
        assert error.value.message.endswith(f"перевозка № {shipment.number} {label}.")
    shipment.refresh_from_db()
    assert shipment.status == state
    assert (holdings(), moves(shipment), lines_state(shipment)) == before


# ---------------------------------------------------------------- the return date


def test_the_methodist_changes_the_return_date(cast, shipment):
    advance(cast, shipment, Status.RECEIVED)
    shipment_services.return_date_set(cast.methodist, shipment, today() + timedelta(days=30))
    shipment.refresh_from_db()
    assert shipment.return_date == today() + timedelta(days=30)
    with pytest.raises(DomainError) as error:
        shipment_services.return_date_set(cast.methodist, shipment, today() - timedelta(days=1))
    assert error.value.message == "Срок возврата раньше даты получения."
    shipment.refresh_from_db()
    assert shipment.return_date == today() + timedelta(days=30)


@pytest.mark.parametrize("state", [Status.RETURNED, Status.DECLINED])
def test_a_finished_shipment_keeps_its_return_date(cast, shipment, state):
    advance(cast, shipment, state)
    with pytest.raises(DomainError) as error:
        shipment_services.return_date_set(cast.methodist, shipment, today() + timedelta(days=30))
    assert error.value.message == "Перевозка завершена — срок возврата уже не меняется."
    shipment.refresh_from_db()
    assert shipment.return_date != today() + timedelta(days=30)


# ---------------------------------------------------------------- return control


@pytest.fixture
def on_loan(cast, shipment, shipment_back):
    """Both shipments received ten days ago; A → B overdue, B → A due in two months."""
    for item in (shipment, shipment_back):
        advance(cast, item, Status.SHIPPED, day=today() - timedelta(days=20))
        advance(cast, item, Status.RECEIVED, day=today() - timedelta(days=10))
    shipment_services.return_date_set(cast.methodist, shipment, today() - timedelta(days=3))
    shipment_services.return_date_set(cast.methodist, shipment_back, today() + timedelta(days=60))
    mail.outbox.clear()
    shipment.refresh_from_db()
    shipment_back.refresh_from_db()
    return shipment, shipment_back


def test_returns_due_lists_the_overdue_and_the_soon_due(cast, on_loan):
    overdue, later = on_loan
    assert list(shipment_services.returns_due(cast.association, today())) == [overdue]
    shipment_services.return_date_set(cast.methodist, later, today() + timedelta(days=14))
    assert list(shipment_services.returns_due(cast.association, today())) == [overdue, later]
    overdue.refresh_from_db()
    later.refresh_from_db()
    assert overdue.is_overdue(today()) and not later.is_overdue(today())


def test_returns_remind_mails_both_schools_once_per_due_shipment(
    cast, on_loan, django_capture_on_commit_callbacks
):
    overdue, later = on_loan
    with django_capture_on_commit_callbacks(execute=True):
        sent = shipment_services.returns_remind(cast.methodist, cast.association, today())
    assert sent == 1
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert sorted(letter.to) == ["lib.a@test.ru", "lib.b@test.ru"]
    assert letter.subject == (
        f"Возврат учебников: перевозка № 2, срок {overdue.return_date:%d.%m.%Y}"
    )
    assert f"прошёл {overdue.return_date:%d.%m.%Y}" in letter.body
    assert "35 экз." in letter.body
    overdue.refresh_from_db()
    assert overdue.reminded_at is not None

    mail.outbox.clear()
    shipment_services.return_date_set(cast.methodist, later, today() + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        sent = shipment_services.returns_remind(cast.methodist, cast.association, today())
    assert sent == 2
    assert len(mail.outbox) == 2
    assert all(sorted(m.to) == ["lib.a@test.ru", "lib.b@test.ru"] for m in mail.outbox)
    soon = next(m for m in mail.outbox if "№ 1" in m.subject)
    assert f"нужно вернуть до {today() + timedelta(days=7):%d.%m.%Y}" in soon.body


def test_books_already_sent_back_are_not_reminded_about(cast, on_loan):
    overdue, _ = on_loan
    shipment_services.return_ship(
        cast.librarian_b, overdue, today(), {line.entry_id: 35 for line in overdue.lines.all()}
    )
    assert overdue in list(shipment_services.returns_due(cast.association, today()))
    assert shipment_services.returns_remind(cast.methodist, cast.association, today()) == 0
    assert mail.outbox == []


def test_return_refused_when_the_borrowed_copies_were_spoiled_meanwhile(cast, shipment):
    """The borrower's fund no longer holds the copies as good ones: taking them back would
    erase its own record of spoiled books, so the return is refused and nothing moves."""
    advance(cast, shipment, Shipment.Status.RETURN_SHIPPED)
    move = shipment.moves.get(direction=HoldingMove.Direction.OUT)
    row = Holding.objects.get(
        school=shipment.target, entry_id=move.entry_id, purchase_year=move.purchase_year
    )
    row.damaged = row.copies  # every copy of that year marked spoiled at the borrower
    row.save()
    before = sorted(Holding.objects.values_list("school_id", "purchase_year", "copies", "damaged"))
    line = shipment.lines.get()
    with pytest.raises(DomainError, match="фонд изменился"):
        shipment_services.return_receive(
            cast.librarian_a, shipment, timezone.localdate(), {line.entry_id: line.return_shipped}
        )
    after = sorted(Holding.objects.values_list("school_id", "purchase_year", "copies", "damaged"))
    assert after == before
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.RETURN_SHIPPED
