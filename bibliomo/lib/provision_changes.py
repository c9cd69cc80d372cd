"""What an upload of the monitoring workbook changes in a school's data, in Russian, and a
short fingerprint of the data that a template carries to tell whether it is still current."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from bibliomo.lib.provision_workbook import (
    WRITE_OFF_REASONS,
    EnrolmentRow,
    HoldingRow,
    LineRow,
    WriteOffRow,
)
from bibliomo.lib.ru import format_date

Parts = tuple[
    Sequence[EnrolmentRow], Sequence[LineRow], Sequence[HoldingRow], Sequence[WriteOffRow]
]


def data_version(parts: Parts) -> str:
    """A fingerprint of the school's data: equal data, equal version, whatever the row order.

    A content hash rather than a counter: saving the same figures again changes nothing, and
    no edit anywhere (web form, upload, another campaign's page) can forget to raise it.
    """
    digest = hashlib.sha256()
    for rows in parts:
        for text in sorted(repr(row) for row in rows):
            digest.update(text.encode())
            digest.update(b"\n")
        digest.update(b"--\n")
    return digest.hexdigest()[:16]


def _building(row: EnrolmentRow) -> str:
    return f" (корпус «{row.building}»)" if row.building else ""


def _compare(
    sheet: str,
    before: Sequence[Any],
    after: Sequence[Any],
    key: Callable[[Any], Hashable],
    name: Callable[[Any], str],
    figures: Callable[[Any], str],
) -> list[str]:
    old = {key(row): row for row in before}
    new = {key(row): row for row in after}
    lines = []
    for k, row in new.items():
        if k not in old:
            lines.append(f"{sheet}: добавлено — {name(row)}: {figures(row)}.")
        elif figures(old[k]) != figures(row):
            lines.append(f"{sheet}: {name(row)}: было {figures(old[k])}, станет {figures(row)}.")
    for k, row in old.items():
        if k not in new:
            lines.append(f"{sheet}: удалено — {name(row)}: {figures(row)}.")
    return lines


def changes(before: Parts, after: Parts) -> list[str]:
    """Every row the upload adds, changes or removes, sheet by sheet."""
    enrolment = _compare(
        "Контингент",
        before[0],
        after[0],
        lambda r: (r.grade, r.building),
        lambda r: f"{r.grade} класс{_building(r)}",
        lambda r: f"{r.pupils} обуч., {r.classes} кл.",
    )
    lines = _compare(
        "УМК",
        before[1],
        after[1],
        lambda r: (r.grade, r.code),
        lambda r: f"{r.grade} класс, учебник {r.code}",
        lambda r: f"{r.pupils} обуч.",
    )
    holdings = _compare(
        "Фонд",
        before[2],
        after[2],
        lambda r: (r.code, r.purchase_year),
        lambda r: f"учебник {r.code}, поступление {r.purchase_year} г.",
        lambda r: f"{r.copies} экз. (испорчено {r.damaged}, утеряно {r.lost})",
    )
    write_offs = _compare(
        "Списание",
        before[3],
        after[3],
        lambda r: (r.code, r.act_number, r.act_date),
        lambda r: f"акт № {r.act_number} от {format_date(r.act_date)}, учебник {r.code}",
        lambda r: f"{r.copies} экз., {WRITE_OFF_REASONS.get(r.reason, r.reason)}",
    )
    return enrolment + lines + holdings + write_offs
