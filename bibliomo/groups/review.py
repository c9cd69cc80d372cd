"""Working groups' section of the year's analysis (see `bibliomo/reviews/sections.py`)."""

from __future__ import annotations

from django.urls import reverse

from bibliomo.directory.models import Association
from bibliomo.groups.selectors import year_figures
from bibliomo.lib import ru
from bibliomo.reviews.sections import Cell, Section, Table, sentence


def section(association: Association, academic_year: int) -> Section | None:
    figures = year_figures(association, academic_year)
    groups = figures["groups"]
    if not groups:
        return None
    url = reverse("groups:index")
    result = Section("groups", "Творческие группы")
    result.lines.append(
        sentence(
            "В объединении — ",
            Cell(
                ru.plural(
                    len(groups), "творческая группа", "творческие группы", "творческих групп"
                ),
                url,
            ),
            f"; за {ru.format_academic_year(academic_year)} учебный год — ",
            Cell(ru.plural(figures["meetings_held"], "заседание", "заседания", "заседаний"), url),
            ", итог работы — ",
            Cell(ru.plural(figures["products"], "продукт", "продукта", "продуктов"), url),
            " (документы и публикации).",
        )
    )
    rows = []
    for group in groups:
        products = "; ".join(f"{p['title']} ({p['kind']})" for p in group["products"])
        rows.append(
            [
                Cell(group["name"], url),
                Cell(group["head"]),
                Cell(ru.format_number(group["members"]), url),
                Cell(ru.format_number(group["schools"]), url),
                Cell(ru.format_number(group["meetings_held"]), url),
                Cell(ru.format_number(group["tasks_done"]), url),
                Cell(ru.format_number(group["tasks_open"]), url),
                Cell(products or "—"),
            ]
        )
    result.tables.append(
        Table(
            [
                "Группа",
                "Руководитель",
                "Участников",
                "Школ",
                "Заседаний",
                "Задач выполнено",
                "Задач не выполнено",
                "Продукты",
            ],
            rows,
            numeric=[2, 3, 4, 5, 6],
        )
    )
    return result
