"""The bank of practices' section of the year's analysis (see `bibliomo/reviews/sections.py`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from bibliomo.directory.models import Association
from bibliomo.lib import ru
from bibliomo.practices.selectors import year_figures
from bibliomo.reviews.sections import Cell, Section, Table, sentence


def _schools(n: int) -> str:
    """«из 1 школы», «из 3 школ», «из 21 школы»."""
    return ru.plural(n, "школы", "школ", "школ")


def section(association: Association, academic_year: int) -> Section | None:
    figures = year_figures(association, academic_year)
    if not (figures["practices_added"] or figures["implementations"]):
        return None
    url = reverse("practices:index")
    result = Section("practices", "Банк практик (ярмарка идей)")
    result.lines.append(
        sentence(
            f"За {ru.format_academic_year(academic_year)} учебный год в банк добавлено: ",
            Cell(ru.plural(figures["practices_added"], "практика", "практики", "практик"), url),
            " из ",
            Cell(_schools(figures["schools_sharing"]), url),
            "; представлено на ярмарке идей — ",
            Cell(ru.format_number(figures["presented_at_fairs"]), url),
            ", опубликовано на портале — ",
            Cell(ru.format_number(figures["published"]), url),
            ".",
        )
    )
    result.lines.append(
        sentence(
            "«Внедрили у нас»: ",
            Cell(ru.plural(figures["implementations"], "отметка", "отметки", "отметок"), url),
            " из ",
            Cell(_schools(figures["schools_implementing"]), url),
            ".",
        )
    )
    if figures["by_tag"]:
        tags: list[str | Cell] = []
        for tag, count in figures["by_tag"].items():
            tags += [", "] if tags else []
            tags.append(Cell(f"{tag} ({count})", f"{url}?{urlencode({'tag': tag})}"))
        result.lines.append(sentence("Темы практик года: ", *tags, "."))
    if figures["top"]:
        result.tables.append(
            Table(
                ["Практика", "Школа", "Внедрили"],
                [
                    [
                        Cell(row["title"], url),
                        Cell(row["school"] or "—"),
                        Cell(str(row["taken_up"])),
                    ]
                    for row in figures["top"]
                ],
                title="Чаще всего внедряли",
                numeric=[2],
            )
        )
    return result
