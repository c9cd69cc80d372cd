"""Professional growth's section of the year's analysis (see `bibliomo/reviews/sections.py`)."""

from __future__ import annotations

from django.urls import reverse

from bibliomo.directory.models import Association
from bibliomo.growth.selectors import year_figures
from bibliomo.lib import ru
from bibliomo.reviews.sections import Cell, Section, Table, sentence


def _hours(value: float) -> str:
    return ru.format_number(value, 1).removesuffix(",0")


def section(association: Association, academic_year: int) -> Section | None:
    figures = year_figures(association, academic_year)
    if not (figures["with_development"] or figures["routes"] or figures["courses_confirmed"]):
        return None
    url = f"{reverse('growth:index')}?year={academic_year}"
    hours = figures["hours"]
    result = Section("professional_growth", "Профессиональный рост педагогов-библиотекарей")
    result.lines.append(
        sentence(
            f"В {figures['label']} учебном году повышали квалификацию ",
            Cell(ru.format_number(figures["with_development"]), url),
            " из ",
            Cell(
                ru.plural(
                    figures["librarians"],
                    "педагога-библиотекаря",
                    "педагогов-библиотекарей",
                    "педагогов-библиотекарей",
                ),
                url,
            ),
            ", всего ",
            Cell(f"{_hours(hours['total'])} ак. ч", url),
            f": мероприятия объединения — {_hours(hours['events'])}, курсы — "
            f"{_hours(hours['courses'])}, другое обучение — {_hours(hours['other'])}.",
        )
    )
    if figures["courses_confirmed"]:
        result.lines.append(
            sentence(
                "Курсы повышения квалификации: ",
                Cell(ru.plural(figures["courses_confirmed"], "курс", "курса", "курсов"), url),
                ".",
            )
        )
    if figures["without_development"]:
        result.lines.append(
            sentence(
                "Без повышения квалификации в этом году: ",
                Cell(ru.format_number(figures["without_development"]), url),
                ".",
            )
        )
    if figures["routes"]:
        result.lines.append(
            sentence(
                "Индивидуальные образовательные маршруты: ",
                Cell(ru.plural(figures["routes"], "маршрут", "маршрута", "маршрутов"), url),
                f", выполнено {figures['route_steps_done']} из "
                + ru.plural(figures["route_steps"], "шага", "шагов", "шагов")
                + ".",
            )
        )
    rows = [
        [
            Cell(row["school"]),
            Cell(ru.format_number(row["librarians"]), url),
            Cell(_hours(row["hours"]), url),
        ]
        for row in figures["by_school"]
    ]
    if rows:
        result.tables.append(
            Table(["Школа", "Педагогов-библиотекарей", "Часов"], rows, numeric=[1, 2])
        )
    return result
