"""Marks of the provision summary drawn by the hundred (table cells, map dots): written here in
one pass instead of a template loop, which would cost more than the figures' queries."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from bibliomo.lib import ru

register = template.Library()


@register.simple_tag
def heat_cells(row: dict) -> SafeString:
    """The cells of one school's row of the school × subject table: the percent on the tint of
    its band, the shortage in the title; «—» where the school has no line of the subject."""
    name = escape(row["name"])
    cells = []
    for cell in row["cells"]:
        total = cell["total"]
        if total is None:
            cells.append('<td class="muted">—</td>')
            continue
        cells.append(
            f'<td style="background:{cell["tint"]}" title="{name}, {escape(cell["subject"])}: '
            f'нехватка {_whole(total.shortage)} экз.">{round(total.percent)}%</td>'
        )
    return mark_safe("".join(cells))  # every text is escaped above


def _whole(value: int) -> str:
    """ru.format_number for a whole number, without its float round trip."""
    return f"{value:,}".replace(",", "\u00a0")


@register.simple_tag
def map_dots(points: list[dict]) -> SafeString:
    """The schools of the provision map as SVG dots linking to their provision, coloured by it,
    with the school, percent and shortage in the dot's title."""
    dots = []
    for p in points:
        if p["percent"] is None:
            said = "нет данных"
        else:
            said = (
                f"{ru.format_number(p['percent'], 1)}%, нехватка {_whole(p['shortage'] or 0)} экз."
            )
        dots.append(
            f'<a href="{escape(p["url"])}"><circle cx="{p["x"]}" cy="{p["y"]}" r="7" '
            f'fill="{p["colour"]}"><title>{escape(p["school"])}: {said}</title></circle></a>'
        )
    return mark_safe("".join(dots))  # every text is escaped above
