"""Builders the tests share across folders: plain functions and constants, no fixtures.

Fixtures stay in each folder's conftest.py; what more than one test module needs to build
its data lives here, so that no test file imports another test file or a conftest.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import docx
from django.utils import timezone
from hypothesis import strategies as st
from PIL import Image
from playwright.sync_api import expect

from bibliomo.events import services as events
from bibliomo.events.models import Event
from bibliomo.exchange import order_services, services, shipment_services
from bibliomo.exchange.models import ExchangePlan, Order, Shipment
from bibliomo.lib.documents import html_to_pdf
from bibliomo.lib.fpu import FpuEntry
from bibliomo.lib.provision_workbook import EnrolmentRow, HoldingRow, LineRow
from bibliomo.lib.redistribution import Instance, School, Title
from bibliomo.textbooks import services as textbooks
from bibliomo.textbooks.models import Submission
from tests.conftest import PASSWORD

# ---------------------------------------------------------------- the federal list


RUSSIAN_5 = FpuEntry(
    "1.1.2.1.1.1.1",
    "Русский язык",
    "Русский язык. 5 класс",
    "Иванова А.А.",
    5,
    5,
    "Просвещение",
    "basic",
    "№ 858 от 21.09.2022",
)
MATHS_5 = FpuEntry(
    "1.1.2.4.1.1.1",
    "Математика",
    "Математика. 5 класс",
    "Петров Б.Б.",
    5,
    5,
    "Просвещение",
    "basic",
    "№ 858 от 21.09.2022",
)
MATHS_5_OTHER = FpuEntry(
    "1.1.2.4.1.2.1",
    "Математика",
    "Математика. 5 класс (другая линия)",
    "Сидоров В.В.",
    5,
    5,
    "Дрофа",
    "basic",
    "№ 858 от 21.09.2022",
)
PHYSICS_10_11 = FpuEntry(
    "1.1.3.5.1.1.1",
    "Физика",
    "Физика. 10–11 классы",
    "Орлов Г.Г.",
    10,
    11,
    "БИНОМ",
    "basic",
    "№ 858 от 21.09.2022",
)
CATALOGUE = [RUSSIAN_5, MATHS_5, MATHS_5_OTHER, PHYSICS_10_11]


# ---------------------------------------------------------------- events


def make_event(
    cast,
    *,
    days: float = 7,
    capacity=None,
    status="announced",
    kind="seminar",
    audience="members",
    **fields,
) -> Event:
    start = timezone.now() + timedelta(days=days)
    data = {
        "title": "Алгоритм заказа учебной литературы",
        "kind": kind,
        "description": "",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "format": "in_person",
        "building": cast.school_a.buildings.get(),
        "room": "библиотека",
        "address": "",
        "online_url": "",
        "audience": audience,
        "audience_school": None,
        "capacity": capacity,
        "registration_opens_at": None,
        "registration_closes_at": None,
        "hours": Decimal(2),
    }
    data.update(fields)
    event = events.event_create(cast.methodist, cast.association, **data)
    if status != "draft":
        events.event_announce(cast.methodist, event)
    return event


# ---------------------------------------------------------------- documents


def png_bytes() -> bytes:
    """A tiny white PNG: a screenshot or a scanned certificate."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return html_to_pdf(f"<html><body>{body}</body></html>")


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_text(content: bytes) -> str:
    """A Word paper's words: its paragraphs, then its tables cell by cell."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    # Papers hold «№» to its number with a no-break space; these tests read the words.
    return "\n".join(parts).replace("\u00a0", " ")


DOCUMENT_FIELDS = {
    "title": "Об утверждении федерального перечня учебников",
    "kind": "order",
    "category": "federal",
    "issuer": "Минпросвещения России",
    "number": "858",
    "date": None,
    "audience": "public",
    "summary": "Перечень учебников, допущенных к использованию.",
    "tags": ["учебники", "ФПУ"],
}


# ---------------------------------------------------------------- exchange: two schools' reports


RETURN_DATE = date(2025, 5, 31)

A_DATA = {
    "enrolment": [
        EnrolmentRow(4, 90, 3),
        EnrolmentRow(5, 100, 4),
        EnrolmentRow(9, 60, 2),
        EnrolmentRow(10, 50, 2),
        EnrolmentRow(11, 30, 1),
    ],
    "lines": [
        LineRow(5, RUSSIAN_5.code, 100),
        LineRow(5, MATHS_5.code, 100),
        LineRow(10, PHYSICS_10_11.code, 50),
        LineRow(11, PHYSICS_10_11.code, 30),
    ],
    "holdings": [
        HoldingRow(RUSSIAN_5.code, 2023, 100, damaged=3, lost=2),
        HoldingRow(RUSSIAN_5.code, 2020, 45),
        HoldingRow(MATHS_5.code, 2024, 40),
        HoldingRow(MATHS_5.code, 2019, 32, damaged=2),
        HoldingRow(PHYSICS_10_11.code, 2024, 64),
    ],
}
B_DATA = {
    "enrolment": [EnrolmentRow(4, 90, 3), EnrolmentRow(5, 80, 3)],
    "lines": [LineRow(5, RUSSIAN_5.code, 80), LineRow(5, MATHS_5.code, 80)],
    "holdings": [
        HoldingRow(RUSSIAN_5.code, 2022, 50, lost=5),
        HoldingRow(MATHS_5.code, 2023, 100),
        HoldingRow(MATHS_5.code, 2021, 20),
        HoldingRow(PHYSICS_10_11.code, 2024, 12),
    ],
}


def fill_and_accept(cast, campaign, school, librarian, data) -> Submission:
    submission = campaign.submissions.get(school=school)
    textbooks.submission_save(librarian, submission, **data)
    textbooks.submission_submit(librarian, submission)
    return textbooks.submission_decide(cast.methodist, submission, accept=True)


def make_plan(cast, campaign, **options) -> ExchangePlan:
    values = {
        "campaign": campaign,
        "name": "Обмен 2024/2025",
        "reserve_percent": 3,
        "return_date": RETURN_DATE,
        "time_limit": 1,
    }
    values.update(options)
    return services.plan_create(cast.methodist, cast.association, **values)


def make_order(cast, campaign, **options) -> Order:
    values = {
        "campaign": campaign,
        "retention": Decimal("1.00"),
        "service_years": 4,
        "deadline": date(2025, 3, 1),
    }
    values.update(options)
    order = order_services.order_create(cast.methodist, cast.association, **values)
    order_services.compute(order)
    order.refresh_from_db()
    return order


# ---------------------------------------------------------------- a shipment's life

ORDER_OF_STEPS = [
    Shipment.Status.PROPOSED,
    Shipment.Status.SENDER_AGREED,
    Shipment.Status.AGREED,
    Shipment.Status.SHIPPED,
    Shipment.Status.RECEIVED,
    Shipment.Status.RETURN_SHIPPED,
    Shipment.Status.RETURNED,
]


def librarian_of(cast, school):
    return cast.librarian_a if school == cast.school_a else cast.librarian_b


def all_planned(shipment: Shipment) -> dict[int, int]:
    return {line.entry_id: line.copies for line in shipment.lines.all()}


def advance(cast, shipment: Shipment, state: str, day: date | None = None) -> Shipment:
    """Walk a proposed shipment through its life, by the right school each time, up to `state`
    (every copy planned goes and comes back)."""
    from django.utils import timezone

    day = day or timezone.localdate()
    sender, receiver = librarian_of(cast, shipment.source), librarian_of(cast, shipment.target)
    if state == Shipment.Status.DECLINED:
        return shipment_services.shipment_decline(sender, shipment, "Не можем выделить транспорт")
    copies = all_planned(shipment)
    steps = {
        Shipment.Status.SENDER_AGREED: lambda: shipment_services.shipment_agree(
            sender, shipment, "source"
        ),
        Shipment.Status.AGREED: lambda: shipment_services.shipment_agree(
            receiver, shipment, "target"
        ),
        Shipment.Status.SHIPPED: lambda: shipment_services.shipment_ship(
            sender, shipment, day, copies
        ),
        Shipment.Status.RECEIVED: lambda: shipment_services.shipment_receive(
            receiver, shipment, day, copies
        ),
        Shipment.Status.RETURN_SHIPPED: lambda: shipment_services.return_ship(
            receiver, shipment, day, copies
        ),
        Shipment.Status.RETURNED: lambda: shipment_services.return_receive(
            sender, shipment, day, copies
        ),
    }
    shipment.refresh_from_db()
    while shipment.status != state:
        following = ORDER_OF_STEPS[ORDER_OF_STEPS.index(shipment.status) + 1]
        steps[following]()
        shipment.refresh_from_db()
    return shipment


# ---------------------------------------------------------------- browser journeys


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/app/account/login/")
    expect(page.get_by_role("heading", name="Вход в рабочее место")).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


# --- the exchange solver's property tests ---


@st.composite
def small_instances(draw, max_schools=6, max_titles=4, max_copies=12):
    """A municipality of a few schools and titles, each school giving, needing or neither."""
    n = draw(st.integers(2, max_schools))
    m = draw(st.integers(1, max_titles))
    schools = [
        School(
            f"S{k}",
            f"Школа {k}",
            draw(st.floats(54.7, 55.1, allow_nan=False)),
            draw(st.floats(37.1, 37.7, allow_nan=False)),
        )
        for k in range(1, n + 1)
    ]
    surplus, shortage = {}, {}
    for s in schools:
        for k in range(1, m + 1):
            role = draw(st.sampled_from(["give", "need", "none"]))
            if role != "none":
                target = surplus if role == "give" else shortage
                target[s.id, f"T{k}"] = draw(st.integers(1, max_copies))
    titles = [Title(f"T{k}", f"Учебник {k}") for k in range(1, m + 1)]
    return Instance(schools, titles, surplus, shortage)
