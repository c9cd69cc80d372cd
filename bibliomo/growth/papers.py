"""Papers of professional growth: the portfolio for attestation (Word via `Paper`, PDF from
HTML) and the methodist's workbook of hours."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import timezone

from bibliomo.directory.models import Person
from bibliomo.events.models import Registration
from bibliomo.growth import selectors
from bibliomo.growth.models import GrowthCard, Learning
from bibliomo.growth.selectors import Overview
from bibliomo.lib import paper, ru
from bibliomo.lib.documents import html_to_pdf


def _hours(value: Decimal) -> str:
    return ru.format_number(value, 1 if value % 1 else 0)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]  # «заседание ММО» keeps its capitals


@dataclass
class Portfolio:
    person: Person
    association: str
    card: GrowthCard
    courses: list[Learning]
    other: list[Learning]
    events: list[Registration]
    today: date

    @property
    def signature_name(self) -> str:
        person = self.person
        return ru.initials_first(person.last_name, person.first_name, person.patronymic)

    @property
    def category_text(self) -> str:
        text = self.card.get_category_display()
        if self.card.category_assigned_on:
            text += f", присвоена {ru.format_date(self.card.category_assigned_on)}"
        if self.card.category_valid_until:
            text += f", действует до {ru.format_date(self.card.category_valid_until)}"
        if self.card.category_order:
            text += f" ({self.card.category_order})"
        return text

    @property
    def total_hours(self) -> Decimal:
        counted = [item.hours for item in self.courses + self.other if item.counts]
        return sum(counted, Decimal(0)) + sum((r.event.hours for r in self.events), Decimal(0))

    def course_rows(self) -> list[list[str]]:
        return [
            [
                item.title,
                item.organiser,
                item.dates_text,
                _hours(item.hours),
                item.certificate_number or "—",
            ]
            for item in self.courses
            if item.counts
        ]

    def other_rows(self) -> list[list[str]]:
        return [
            [
                f"{_capital(item.get_kind_display())}: {item.title}",
                item.organiser,
                item.dates_text,
                _hours(item.hours),
            ]
            for item in self.other
        ]

    def event_rows(self) -> list[list[str]]:
        return [
            [
                r.event.title,
                r.event.dates_text,
                _hours(r.event.hours),
                # certificate_numbers is set by selectors.attended.
                ", ".join(f"№ {n}" for n in r.certificate_numbers) or "—",  # type: ignore[attr-defined]
            ]
            for r in self.events
        ]


def portfolio(person: Person) -> Portfolio:
    learning = list(Learning.objects.filter(person=person).order_by("starts_on", "pk"))
    association = person.school.association.name if person.school is not None else ""
    return Portfolio(
        person=person,
        association=association,
        card=selectors.card_of(person),
        courses=[item for item in learning if item.is_course],
        other=[item for item in learning if not item.is_course],
        events=list(reversed(selectors.attended(person))),
        today=timezone.localdate(),
    )


def portfolio_docx(data: Portfolio) -> bytes:
    person = data.person
    document = paper.Paper(title=f"Портфолио: {person.full_name}", author=data.association)
    document.title(
        "Портфолио профессионального развития",
        "педагога-библиотекаря",
        person.full_name,
    )
    document.labelled("Должность", person.get_position_display())
    if person.school is not None:
        document.labelled("Место работы", person.school.full_name)
    document.labelled("Квалификационная категория", data.category_text)
    document.labelled("Всего учтено часов", _hours(data.total_hours))
    sections = [
        (
            "1. Курсы повышения квалификации",
            [
                paper.Column("Программа", 5),
                paper.Column("Организатор", 3),
                paper.Column("Сроки", 2.2),
                paper.Column("Часов", 1, paper.CENTER),
                paper.Column("Удостоверение", 2),
            ],
            data.course_rows(),
        ),
        (
            "2. Вебинары, конференции, мастер-классы",
            [
                paper.Column("Тема", 6),
                paper.Column("Организатор", 3),
                paper.Column("Даты", 2.2),
                paper.Column("Часов", 1, paper.CENTER),
            ],
            data.other_rows(),
        ),
        (
            "3. Мероприятия методического объединения",
            [
                paper.Column("Мероприятие", 7),
                paper.Column("Дата", 2.2),
                paper.Column("Часов", 1, paper.CENTER),
                paper.Column("Сертификат", 2.5),
            ],
            data.event_rows(),
        ),
    ]
    for heading, columns, rows in sections:
        document.paragraph(heading, bold=True, before=12, after=6, keep_with_next=True)
        if rows:
            document.table(columns, rows, size=11)
        else:
            document.paragraph("Нет.")
    document.paragraph(f"Сведения на {ru.format_date(data.today)}.", before=12)
    document.signatures([paper.Signature("Педагог-библиотекарь", data.signature_name)])
    return document.to_bytes()


def portfolio_pdf(data: Portfolio) -> bytes:
    return html_to_pdf(render_to_string("growth/portfolio_print.html", {"p": data}))


def overview_xlsx(result: Overview) -> bytes:
    """Hours per librarian and per school, this year and last. Every text stays text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True})
    number = book.add_format({"num_format": "0.0"})
    sheet = book.add_worksheet("Педагоги")
    headers = [
        "Педагог-библиотекарь",
        "Школа",
        f"Мероприятия ММО {result.label}, ч",
        f"Курсы {result.label}, ч",
        f"Другое обучение {result.label}, ч",
        f"Всего {result.label}, ч",
        f"Всего {result.previous_label}, ч",
    ]
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    for index, row in enumerate(result.people, start=1):
        person = row.person
        sheet.write_string(index, 0, person.full_name)
        sheet.write_string(index, 1, person.school.short_name if person.school is not None else "")
        for column, value in enumerate(
            [
                row.this_year.events,
                row.this_year.courses,
                row.this_year.other,
                row.this_year.total,
                row.last_year.total,
            ],
            start=2,
        ):
            sheet.write_number(index, column, float(value), number)
    sheet.set_column(0, 1, 32)
    sheet.set_column(2, 6, 16)
    sheet = book.add_worksheet("Школы")
    sheet.write_row(
        0,
        0,
        ["Школа", "Педагогов", f"Часов {result.label}", f"Часов {result.previous_label}"],
        bold,
    )
    for index, school in enumerate(result.schools, start=1):
        sheet.write_string(index, 0, school.school)
        sheet.write_number(index, 1, school.people)
        sheet.write_number(index, 2, float(school.this_year), number)
        sheet.write_number(index, 3, float(school.last_year), number)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 3, 16)
    book.close()
    return buffer.getvalue()
