"""The participants of an event as an Excel workbook: members and guests on one sheet."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from bibliomo.events.models import Event, Guest, Registration
from bibliomo.lib import ru

HEADERS = ("№", "ФИО", "Кто", "Школа / организация", "E-mail", "Запись", "Посещение", "С")


def participants_xlsx(event: Event) -> bytes:
    buffer = io.BytesIO()
    # Text stays text: a name that starts with "=" is never a formula.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Участники")
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, f"{event.title} — {event.when}", bold)
    for column, header in enumerate(HEADERS):
        sheet.write_string(2, column, header, bold)
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("person__school")
        .order_by("status", "person__last_name", "person__first_name")
    )
    rows = [
        (
            r.person.full_name,
            "член ММО",
            r.person.school.short_name if r.person.school else "",
            r.person.email,
            r.get_status_display(),
            r.get_attendance_display(),
            r.queued_at,
        )
        for r in registrations
    ] + [
        (
            g.full_name,
            "гость",
            g.organisation,
            g.email,
            g.get_status_display(),
            "",
            g.queued_at,
        )
        for g in Guest.objects.filter(event=event).order_by("status", "full_name")
    ]
    for number, row in enumerate(rows, 1):
        sheet.write_number(2 + number, 0, number)
        for column, value in enumerate(row[:-1], 1):
            sheet.write_string(2 + number, column, value, wrap)
        sheet.write_string(2 + number, 7, ru.format_datetime(timezone.localtime(row[-1])))
    for column, width in enumerate((5, 36, 10, 34, 30, 18, 22, 17)):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()
