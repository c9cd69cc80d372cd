"""A pair's programme and report as a Word paper (through `lib/paper.py`)."""

from __future__ import annotations

from bibliomo.lib import ru
from bibliomo.lib.paper import CENTER, Column, Paper, Signature
from bibliomo.mentoring.models import Pair


def pair_paper(pair: Pair) -> bytes:
    association = pair.association
    paper = Paper(title="Программа наставничества", author=association.name)
    paper.title(association.name, "Программа наставничества и отчёт пары")
    mentee_school = pair.mentee.school.short_name if pair.mentee.school else ""
    paper.labelled("Наставник", pair.mentor.full_name)
    mentee = pair.mentee.full_name + (f", {mentee_school}" if mentee_school else "")
    paper.labelled("Молодой специалист", mentee)
    paper.labelled("Период", f"{ru.format_date(pair.starts_on)} — {ru.format_date(pair.ends_on)}")
    if pair.seminar:
        paper.labelled(
            "Семинар", f"«{pair.seminar.title}», {ru.format_date(pair.seminar.starts_at)}"
        )
    paper.labelled("Цели", pair.goals, before=6)
    paper.paragraph("Шаги программы", bold=True, align=CENTER, before=12, after=6)
    paper.table(
        [
            Column("№", 0.6, CENTER),
            Column("Шаг", 6),
            Column("Срок", 1.6, CENTER),
            Column("Выполнен", 1.6, CENTER),
        ],
        [
            [str(s.position), s.title, ru.format_date(s.due_on), ru.format_date(s.done_on) or "—"]
            for s in pair.steps.all()
        ],
    )
    meetings = list(pair.meetings.order_by("held_on"))
    if meetings:
        paper.paragraph("Встречи", bold=True, align=CENTER, before=12, after=6)
        paper.table(
            [Column("Дата", 1.6, CENTER), Column("Тема", 3.5), Column("Договорились", 4.5)],
            [[ru.format_date(m.held_on), m.topic, m.agreed] for m in meetings],
        )
    paper.paragraph("Итоговый отчёт", bold=True, align=CENTER, before=12, after=6)
    paper.paragraph(pair.final_report or "Работа пары продолжается: отчёт ещё не написан.")
    for survey in pair.surveys.all():
        paper.labelled(
            f"Анкета ({survey.get_side_display()})",
            f"оценка {survey.rating} из 5. Что получилось: {survey.achieved}"
            + (f" Что сделать иначе: {survey.next_time}" if survey.next_time else ""),
            before=6,
        )
    paper.signatures(
        [
            Signature(
                "Наставник",
                ru.initials_first(
                    pair.mentor.last_name, pair.mentor.first_name, pair.mentor.patronymic
                ),
            ),
            Signature(
                "Молодой специалист",
                ru.initials_first(
                    pair.mentee.last_name, pair.mentee.first_name, pair.mentee.patronymic
                ),
            ),
        ]
    )
    return paper.to_bytes()
