"""The contest's Word papers through `lib/paper.py`: the counting commission's protocol with
the scores table and signatures, and the analytical note."""

from __future__ import annotations

from django.utils import timezone

from bibliomo.contests import selectors
from bibliomo.contests.models import Contest
from bibliomo.lib import ru
from bibliomo.lib.names import signature_name
from bibliomo.lib.paper import CENTER, JUSTIFY, Column, Paper, Signature


def _number(value) -> str:
    return "—" if value is None else ru.format_number(value, 2)


def protocol_docx(contest: Contest) -> bytes:
    rows = selectors.results(contest)
    jurors = [
        (juror, juror.person)
        for juror in contest.jurors.filter(person__isnull=False).select_related("person")
        if juror.person is not None  # always: filtered above; narrows the type
    ]
    paper = Paper(
        title=f"Протокол счётной комиссии: {contest.title}",
        author=contest.association.name,
        size=11,
        landscape=True,
    )
    paper.title(
        "ПРОТОКОЛ",
        "заседания счётной комиссии",
        f"по итогам конкурса «{contest.title}»",
    )
    paper.paragraph(
        f"{ru.format_date(timezone.localdate())}. Итог работы — "
        f"{contest.get_aggregation_display()} взвешенных сумм баллов "
        "(баллы по критерию × вес критерия).",
        align=JUSTIFY,
        after=6,
    )
    paper.paragraph(
        "Критерии: "
        + "; ".join(
            f"{c.title} (до {c.max_points} б., вес {ru.format_number(c.weight, 2)})"
            for c in contest.criteria.all()
        )
        + ".",
        align=JUSTIFY,
        after=6,
    )
    columns = [
        Column("№", 0.5, CENTER),
        Column("Номинация", 1.6),
        Column("Работа, автор, школа", 3),
        *[Column(person.short_name, 1, CENTER) for _, person in jurors],
        Column("Итог", 0.9, CENTER),
        Column("Разброс", 0.9, CENTER),
        Column("Место", 0.8, CENTER),
    ]
    table_rows = []
    for row in rows:
        entry = row.entry
        table_rows.append(
            [
                str(entry.number),
                entry.category.name,
                f"«{entry.title}», {entry.authors}, {entry.school.short_name}",
                *[_number(row.totals.get(j.pk)) for j, _ in jurors],
                _number(row.result) + (" (равный)" if row.tied else ""),
                _number(row.spread),
                str(entry.place or ""),
            ]
        )
    paper.table(columns, table_rows, size=9)
    signatures = [
        Signature(
            "Председатель жюри" if j.is_chair else "Член жюри", signature_name(person.full_name)
        )
        for j, person in jurors
    ]
    paper.signatures(signatures)
    return paper.to_bytes()


def note_docx(contest: Contest) -> bytes:
    figures = selectors.note(contest)
    paper = Paper(title=f"Аналитическая справка: {contest.title}", author=contest.association.name)
    paper.title("АНАЛИТИЧЕСКАЯ СПРАВКА", f"по итогам конкурса «{contest.title}»")
    previous = figures["previous"]
    paper.paragraph(
        f"Подано работ: {figures['entries_now']} из {figures['schools_now']} "
        f"{ru.plural_form(figures['schools_now'], 'школы', 'школ', 'школ')}"
        + (
            f" (в прошлом году — {figures['entries_before']} из {figures['schools_before']})."
            if previous
            else "."
        ),
        align=JUSTIFY,
        after=6,
    )
    paper.paragraph("Участие по школам", bold=True, keep_with_next=True)
    paper.table(
        [Column("Школа", 4), Column("В этом году", 1, CENTER), Column("В прошлом", 1, CENTER)],
        [[r["name"], str(r["now"]), str(r["before"])] for r in figures["by_school"]],
    )
    paper.paragraph("Участие по номинациям", bold=True, before=8, keep_with_next=True)
    paper.table(
        [Column("Номинация", 4), Column("В этом году", 1, CENTER), Column("В прошлом", 1, CENTER)],
        [[r["name"], str(r["now"]), str(r["before"])] for r in figures["by_category"]],
    )
    paper.paragraph("Баллы по критериям", bold=True, before=8, keep_with_next=True)
    paper.table(
        [
            Column("Критерий", 4),
            Column("Средний балл", 1, CENTER),
            Column("% от максимума", 1, CENTER),
        ],
        [
            [d["criterion"], f"{_number(d['mean'])} из {d['max_points']}", f"{d['share']} %"]
            for d in figures["distribution"]
        ],
    )
    if figures["strongest"]:
        paper.paragraph(
            f"Сильнее всего работы по критерию «{figures['strongest']}», слабее всего — "
            f"по критерию «{figures['weakest']}».",
            align=JUSTIFY,
            before=8,
        )
    if contest.conclusions:
        paper.paragraph("Выводы и предложения", bold=True, before=8, keep_with_next=True)
        for line in contest.conclusions.splitlines():
            if line.strip():
                paper.paragraph(line.strip(), align=JUSTIFY)
    return paper.to_bytes()
