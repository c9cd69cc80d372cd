"""The consultation desk's section of the year's analysis (see `bibliomo/reviews/sections.py`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from bibliomo.consultations.selectors import year_figures
from bibliomo.directory.models import Association
from bibliomo.lib import ru
from bibliomo.reviews.sections import Cell, Section, Table, sentence


def _questions(n: int) -> str:
    return ru.plural(n, "вопрос", "вопроса", "вопросов")


def section(association: Association, academic_year: int) -> Section | None:
    figures = year_figures(association, academic_year)
    if not figures["asked"]:
        return None
    url = f"{reverse('consultations:figures')}?year={academic_year}"
    index = reverse("consultations:index")
    result = Section("consultations", "Консультации")
    result.lines.append(
        sentence(
            f"За {figures['label']} учебный год педагоги-библиотекари задали ",
            Cell(_questions(figures["asked"]), url),
            ": с ответом — ",
            Cell(ru.format_number(figures["answered"]), url),
            ", решено — ",
            Cell(ru.format_number(figures["solved"]), f"{index}?status=solved"),
            ", без ответа — ",
            Cell(ru.format_number(figures["unanswered"]), url),
            ".",
        )
    )
    if figures["published"]:
        result.lines.append(
            sentence(
                "В базу ответов обезличенно опубликовано: ",
                Cell(
                    ru.plural(figures["published"], "ответ", "ответа", "ответов"),
                    reverse("consultations:faq_index"),
                ),
                ".",
            )
        )
    hours, days = figures["median_hours_to_first_answer"], figures["median_days_to_solution"]
    if hours is not None:
        text = f"Медиана времени до первого ответа — {ru.format_number(hours, 1)} ч"
        if days is not None:
            text += f", до решения — {ru.format_number(days, 1)} сут"
        result.lines.append(sentence(text + "."))
    if figures["frequent_topics"]:
        result.lines.append(
            sentence(
                "Чаще всего спрашивали о темах: "
                + ", ".join(figures["frequent_topics"])
                + " — темы для семинаров будущего года."
            )
        )
    rows = [
        [
            Cell(row["label"]),
            Cell(
                ru.format_number(row["count"]),
                f"{index}?{urlencode({'topic': row['topic']})}",
            ),
        ]
        for row in figures["by_topic"]
    ]
    result.tables.append(Table(["Тема", "Вопросов"], rows, title="Вопросы по темам", numeric=[1]))
    return result
