"""The directory as a spreadsheet: schools with buildings, and the association's people."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from bibliomo.core.jobs import Progress
from bibliomo.core.models import Job
from bibliomo.directory import selectors
from bibliomo.directory.models import Association, Building, Role
from bibliomo.lib import ru


def directory_export_xlsx(job: Job, progress: Progress) -> str:
    """The background job: the workbook attached to the job, a sentence about it."""
    association = Association.objects.get(pk=job.params["association_id"])
    content, schools, people = directory_workbook(association, progress)
    stamp = timezone.localdate()
    progress.attach(f"spravochnik-{stamp:%Y-%m-%d}.xlsx", content)
    progress.update(schools + people, message="Файл готов.")
    return (
        f"Выгружено: {ru.plural(schools, 'школа', 'школы', 'школ')}, "
        f"{ru.plural(people, 'человек', 'человека', 'человек')}."
    )


class _Quiet:
    """Progress for a caller who does not watch it (the paperwork gallery)."""

    def update(self, *args, **kwargs) -> None:
        return None


def directory_workbook(
    association: Association, progress: Progress | _Quiet | None = None
) -> tuple[bytes, int, int]:
    """(the .xlsx, schools, people). Every text is stored as text, never as a formula."""
    progress = progress or _Quiet()
    schools = list(selectors.schools_for_list(association))
    people = list(selectors.people_for_list(association))
    buildings = list(
        Building.objects.filter(school__association=association).select_related("school")
    )
    total = len(schools) + len(people)
    progress.update(0, total, "Собираю школы и людей…")

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True})
    cell = book.add_format({"valign": "top", "text_wrap": True})

    sheet = book.add_worksheet("Школы")
    headers = [
        "Краткое наименование",
        "Полное наименование",
        "Адрес",
        "Директор",
        "Телефон",
        "E-mail",
        "Зданий",
        "Педагоги-библиотекари",
    ]
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    for row, school in enumerate(schools, start=1):
        sheet.write_row(
            row,
            0,
            [
                school.short_name,
                school.full_name,
                school.address,
                school.director,
                school.phone,
                school.email,
                # Both are added by schools_for_list (an annotation, a prefetch to_attr).
                school.building_count,  # type: ignore[attr-defined]
                ", ".join(p.short_name for p in school.librarians),  # type: ignore[attr-defined]
            ],
            cell,
        )
        if row % 10 == 0:
            progress.update(row, message="Школы…")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 45)
    sheet.set_column(3, 7, 22)

    sheet = book.add_worksheet("Здания")
    sheet.write_row(0, 0, ["Школа", "Здание", "Адрес", "Широта", "Долгота", "Основное"], bold)
    sheet.freeze_panes(1, 0)
    for row, building in enumerate(buildings, start=1):
        sheet.write_row(
            row,
            0,
            [
                building.school.short_name,
                building.name,
                building.address,
                float(building.latitude) if building.latitude is not None else "",
                float(building.longitude) if building.longitude is not None else "",
                "да" if building.is_main else "",
            ],
            cell,
        )
    sheet.set_column(0, 2, 30)

    sheet = book.add_worksheet("Люди")
    sheet.write_row(
        0,
        0,
        ["Фамилия", "Имя", "Отчество", "Должность", "Школа", "Роли", "E-mail", "Телефон"],
        bold,
    )
    sheet.freeze_panes(1, 0)
    labels = dict(Role.choices)
    for row, person in enumerate(people, start=1):
        roles = [
            labels[g.role] for g in person.role_grants.all() if g.association_id == association.pk
        ]
        sheet.write_row(
            row,
            0,
            [
                person.last_name,
                person.first_name,
                person.patronymic,
                person.get_position_display(),
                person.school.short_name if person.school else "",
                ", ".join(roles),
                person.email,
                person.phone,
            ],
            cell,
        )
        if row % 10 == 0:
            progress.update(len(schools) + row, message="Люди…")
    sheet.set_column(0, 7, 20)
    book.close()
    return buffer.getvalue(), len(schools), len(people)
