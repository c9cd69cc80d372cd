"""What is wrong with an uploaded spreadsheet, said the same way everywhere.

Every import reads the whole file, collects every problem with its sheet, row and column, and
refuses the file as a whole; these two classes carry that answer to the page.

One wrong column would otherwise give a line per row («…и ещё 299107 ошибок»), so the same
problem in one column is said once, with the rows it affects as ranges and the values of the
first ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bibliomo.lib import ru

MAX_LISTED_PROBLEMS = 50  # messages, after grouping
MAX_ROW_RANGES = 12  # «строки 5–40, 42, 50–61, …» — more ranges end with «и ещё …»
EXAMPLES = 3  # values of the first rows shown in a grouped message


@dataclass(frozen=True)
class SheetProblem:
    sheet: str  # "" for a CSV file or the file as a whole
    row: int | None  # as Excel numbers it (or the CSV line), from 1
    column: str | None  # the column's title as the file writes it
    message: str  # what is wrong, without the cell's value
    value: str = ""  # the cell as the person sees it, shortened; "" when it does not matter

    @property
    def text(self) -> str:
        """«„-3“ — число экземпляров не может быть отрицательным.» — value and message."""
        return f"«{self.value}» — {self.message}" if self.value else self.message

    def __str__(self) -> str:
        """«Лист «Фонд», строка 12, столбец «Экземпляров»: «-3» — число … не может быть …»"""
        return _placed(
            self.sheet, _row_words([self.row]) if self.row else "", self.column, self.text
        )


def _placed(sheet: str, rows: str, column: str | None, text: str) -> str:
    place = []
    if sheet:
        place.append(f"лист «{sheet}»")
    if rows:
        place.append(rows)
    if column:
        place.append(f"столбец «{column}»")
    if not place:
        return ru.capfirst(text)
    return f"{ru.capfirst(', '.join(place))}: {text}"


def row_ranges(rows: Sequence[int]) -> list[str]:
    """[5, 6, 7, 9, 12, 13] → ["5–7", "9", "12, 13"]: runs of three and more as ranges."""
    numbers = sorted(set(rows))
    parts: list[str] = []
    start: int | None = None
    previous = 0
    for number in [*numbers, None]:
        if start is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            if previous - start >= 2:
                parts.append(f"{start}–{previous}")
            else:
                parts.extend(str(n) for n in range(start, previous + 1))
        start = number  # None after the last number: the loop ends
        if number is not None:
            previous = number
    return parts


def _row_words(rows: Sequence[int | None]) -> str:
    numbers = [row for row in rows if row is not None]
    if len(numbers) == 1:
        return f"строка {numbers[0]}"
    parts = row_ranges(numbers)
    text = ", ".join(parts[:MAX_ROW_RANGES])
    if len(parts) > MAX_ROW_RANGES:
        text += " и другие"
    return f"строки {text} (всего {ru.plural(len(set(numbers)), 'строка', 'строки', 'строк')})"


def grouped(problems: Sequence[SheetProblem]) -> list[str]:
    """Messages, one per problem — or one per same problem in one column, with its rows."""
    groups: dict[tuple[str, str | None, str], list[SheetProblem]] = {}
    order: list[tuple[str, str | None, str] | int] = []
    for index, problem in enumerate(problems):
        if problem.row is None:
            order.append(index)
            continue
        key = (problem.sheet, problem.column, problem.message)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(problem)
    messages = []
    for item in order:
        if isinstance(item, int):
            messages.append(str(problems[item]))
            continue
        members = groups[item]
        if len(members) == 1:
            messages.append(str(members[0]))
            continue
        sheet, column, message = item
        text = message
        examples = [m for m in members if m.value][:EXAMPLES]
        if examples:
            listed = "; ".join(f"строка {m.row} — «{m.value}»" for m in examples)
            more = ", …" if len(members) > len(examples) else ""
            text = f"{message.rstrip('.')} ({listed}{more})."
        messages.append(_placed(sheet, _row_words([m.row for m in members]), column, text))
    return messages


class SheetFileError(Exception):
    """The file cannot be taken as it is; `problems` lists everything that is wrong."""

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """What to show a person: the first problems, grouped, and how many more there are."""
        return limited(grouped(self.problems))


def limited(messages: list[str]) -> list[str]:
    shown = messages[:MAX_LISTED_PROBLEMS]
    rest = len(messages) - MAX_LISTED_PROBLEMS
    if rest > 0:
        shown.append(f"…и ещё {ru.plural(rest, 'ошибка', 'ошибки', 'ошибок')}.")
    return shown
