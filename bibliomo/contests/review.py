"""Contests' section of the year's analysis (see `bibliomo/reviews/sections.py`)."""

from __future__ import annotations

from django.urls import reverse

from bibliomo.contests.selectors import year_figures
from bibliomo.directory.models import Association
from bibliomo.lib import ru
from bibliomo.reviews.sections import Cell, Section, Table, sentence


def section(association: Association, academic_year: int) -> Section | None:
    figures = year_figures(association, academic_year)
    contests, external = figures["contests"], figures["external"]
    if not (contests or external):
        return None
    url, external_url = reverse("contests:index"), reverse("contests:external")
    result = Section("contests", "Конкурсы и внешние мероприятия")
    if contests:
        result.lines.append(
            sentence(
                f"В {ru.format_academic_year(academic_year)} учебном году объединение провело ",
                Cell(ru.plural(len(contests), "конкурс", "конкурса", "конкурсов"), url),
                ": ",
                Cell(ru.plural(figures["entries"], "работа", "работы", "работ"), url),
                " из ",
                Cell(ru.plural(figures["schools"], "школы", "школ", "школ"), url),
                ".",
            )
        )
        result.tables.append(
            Table(
                [
                    "Конкурс",
                    "Участники",
                    "Работ",
                    "Школ",
                    "Победителей",
                    "Призёров",
                    "Жюри",
                    "Итоги опубликованы",
                ],
                [
                    [
                        Cell(row["title"], url),
                        Cell(row["audience"]),
                        Cell(ru.format_number(row["entries"]), url),
                        Cell(ru.format_number(row["schools"]), url),
                        Cell(ru.format_number(row["winners"]), url),
                        Cell(ru.format_number(row["prize_winners"]), url),
                        Cell(ru.format_number(row["jurors"]), url),
                        Cell("да" if row["results_published"] else "нет"),
                    ]
                    for row in contests
                ],
                title="Конкурсы объединения",
                numeric=[2, 3, 4, 5, 6],
            )
        )
    if external:
        people = sum(row["participants"] or 0 for row in external)
        result.lines.append(
            sentence(
                "Участие во внешних конкурсах и мероприятиях: ",
                Cell(
                    ru.plural(len(external), "мероприятие", "мероприятия", "мероприятий"),
                    external_url,
                ),
                ", ",
                Cell(ru.plural(people, "участник", "участника", "участников"), external_url),
                ".",
            )
        )
        result.tables.append(
            Table(
                ["Мероприятие", "Уровень", "Дата", "Участников", "Итоги"],
                [
                    [
                        Cell(row["title"], external_url),
                        Cell(row["level"]),
                        Cell(ru.format_date(row["held_on"])),
                        Cell(ru.format_number(row["participants"] or 0), external_url),
                        Cell(row["results"] or "—"),
                    ]
                    for row in external
                ],
                title="Внешние мероприятия",
                numeric=[3],
            )
        )
    return result
