"""The instruction sheet: what to fill in, sheet by sheet, column by column."""

from __future__ import annotations

from bibliomo.lib.provision_workbook.layout import (
    CATALOGUE_SHEET,
    DATA_SHEETS,
    ENROLMENT_SHEET,
    CatalogueRef,
    SchoolWorkbook,
    _Column,
)
from bibliomo.lib.ru import format_academic_year


def _instruction_lines(book: SchoolWorkbook) -> list[tuple[str, ...]]:
    """Lines of the «Инструкция» sheet: (format, text), or ("item", column title, note)."""
    year = format_academic_year(book.academic_year)
    lines: list[tuple[str, ...]] = [
        ("title", "Мониторинг обеспеченности обучающихся учебниками"),
        ("field", f"Школа: {book.school_name}"),
        ("field", f"Кампания: {book.campaign_name}"),
        ("field", f"Учебный год: {year}"),
    ]
    if book.buildings:
        lines.append(("field", "Корпуса: " + ", ".join(book.buildings)))
    lines += [
        ("blank", ""),
        ("heading", "Что заполнить"),
        (
            "paragraph",
            "Заполните четыре листа: «Контингент», «УМК», «Фонд» и «Списание». На них уже "
            "перенесены данные школы, которые есть в Bibliomo: проверьте их, исправьте устаревшее "
            "и допишите недостающее. Когда вы выбираете ячейку, рядом появляется подсказка.",
        ),
    ]
    for spec in DATA_SHEETS:
        lines += [("blank", ""), ("subheading", f"Лист «{spec.name}» — {spec.about}")]
        lines += [("item", column.title, _column_note(column, book)) for column in spec.columns]
        notes = _enrolment_notes(book) if spec is ENROLMENT_SHEET else spec.notes
        lines += [("paragraph", note) for note in notes]
    lines += [
        ("blank", ""),
        ("heading", "Как вводить данные"),
        (
            "paragraph",
            "•  Не переименовывайте и не удаляйте листы и не меняйте строку заголовков: по ним "
            "Bibliomo находит данные. Заголовки и формулы защищены от случайных изменений, ячейки "
            "для данных открыты.",
        ),
        (
            "paragraph",
            "•  В числовые столбцы вводите только целые числа, без слов и единиц: «25», а не "
            "«25 чел.». Класс — только номер параллели: «5», а не «5А».",
        ),
        (
            "paragraph",
            "•  Пустые строки между данными не мешают. Чтобы убрать строку, очистите её ячейки "
            "клавишей Delete.",
        ),
        (
            "paragraph",
            "•  Данные из другой таблицы вставляйте через «Специальная вставка → Значения», "
            "чтобы не сбить оформление и подсказки.",
        ),
        (
            "paragraph",
            f"•  Федеральный перечень учебников с названиями — на скрытом листе "
            f"«{CATALOGUE_SHEET}»: щёлкните правой кнопкой по ярлыку любого листа и выберите "
            "«Показать». Изменять его не нужно.",
        ),
        ("blank", ""),
        ("heading", "Как загрузить"),
        ("paragraph", "1. Сохраните файл как «Книга Excel (*.xlsx)»."),
        (
            "paragraph",
            f"2. Откройте в Bibliomo страницу кампании «{book.campaign_name}» и загрузите файл.",
        ),
        (
            "paragraph",
            "3. Bibliomo проверит файл целиком. Если найдутся ошибки, вы увидите их все сразу — "
            "с листом, строкой и столбцом, — а данные не сохранятся, пока ошибки не исправлены. "
            "Исправьте файл и загрузите его снова.",
        ),
        (
            "paragraph",
            f"Этот файл сделан для школы «{book.school_name}» и кампании «{book.campaign_name}»; "
            "для другой школы или другой кампании он не подойдёт.",
        ),
    ]
    return lines


def _column_note(column: _Column, book: SchoolWorkbook) -> str:
    """The column's hint, to follow its title and a colon."""
    if column.kind == "building" and not book.buildings:
        return "не заполняется: у школы один корпус."
    hint = column.hint
    if column.kind == "building":
        hint = hint.removesuffix(".") + "; выберите его из списка."
    return hint[:1].lower() + hint[1:]


def _enrolment_notes(book: SchoolWorkbook) -> tuple[str, ...]:
    if book.buildings:
        return (
            "Параллель указывается одной строкой в каждом корпусе, где она учится: все 5-е "
            "классы корпуса — вместе.",
        )
    return ("Параллель указывается одной строкой: все 5-е классы — вместе.",)


def _grades_text(entry: CatalogueRef) -> str:
    if entry.grade_from == entry.grade_to:
        return str(entry.grade_from)
    return f"{entry.grade_from}–{entry.grade_to}"


def _code_order(code: str) -> tuple[tuple[int, int | str], ...]:
    """1.1.2 before 1.1.10: the dropdown is sorted as the federal list is."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))
