"""Mentoring's section of the year's analysis (see `bibliomo/reviews/sections.py`)."""

from __future__ import annotations

from django.urls import reverse

from bibliomo.directory.models import Association
from bibliomo.lib import ru
from bibliomo.mentoring.selectors import year_figures
from bibliomo.reviews.sections import Cell, Section, Table, sentence


def section(association: Association, academic_year: int) -> Section | None:
    figures = year_figures(association, academic_year)
    if not figures["pairs"]:
        return None
    url = reverse("mentoring:index")
    result = Section("mentoring", "Наставничество")
    result.lines.append(
        sentence(
            f"В {ru.format_academic_year(academic_year)} учебном году — ",
            Cell(ru.plural(figures["pairs"], "пара", "пары", "пар"), url),
            " «наставник — молодой специалист»; начали работу — ",
            Cell(ru.format_number(figures["pairs_started"]), url),
            ", завершили — ",
            Cell(ru.format_number(figures["pairs_finished"]), url),
            ".",
        )
    )
    result.lines.append(
        sentence(
            "За год проведено встреч: ",
            Cell(ru.format_number(figures["meetings"]), url),
            "; выполнено: ",
            Cell(ru.plural(figures["steps_done"], "шаг", "шага", "шагов"), url),
            " программы; молодые специалисты задали ",
            Cell(ru.plural(figures["questions"], "вопрос", "вопроса", "вопросов"), url),
            ".",
        )
    )
    if figures["steps_overdue"]:
        result.lines.append(
            sentence(
                "Не выполнено в срок: ",
                Cell(ru.plural(figures["steps_overdue"], "шаг", "шага", "шагов"), url),
                ".",
            )
        )
    if figures["average_rating"] is not None:
        result.lines.append(
            sentence(
                "Средняя оценка по анкетам завершивших — "
                f"{ru.format_number(figures['average_rating'], 1)} из 5."
            )
        )
    rows = [
        [
            Cell(row["mentor"]),
            Cell(row["mentee"]),
            Cell(row["school"] or "—"),
            Cell(row["status"]),
            Cell(f"{row['steps_done']} из {row['steps_total']}", url),
        ]
        for row in figures["pair_list"]
    ]
    result.tables.append(
        Table(
            ["Наставник", "Молодой специалист", "Школа", "Состояние", "Шагов программы"],
            rows,
            numeric=[4],
        )
    )
    return result
