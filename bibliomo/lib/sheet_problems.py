"""What is wrong with an uploaded spreadsheet, said the same way everywhere.

Every import reads the whole file, collects every problem with its sheet, row and column, and
refuses the file as a whole; these two classes carry that answer to the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bibliomo.lib.ru import plural

MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True)
class SheetProblem:
    sheet: str  # "" for a CSV file or the file as a whole
    row: int | None  # as Excel numbers it (or the CSV line), from 1
    column: str | None  # the column's title as the file writes it
    message: str

    def __str__(self) -> str:
        """«Лист «Фонд», строка 12, столбец «Экземпляров»: «-3» — число … не может быть …»"""
        place = []
        if self.sheet:
            place.append(f"лист «{self.sheet}»")
        if self.row is not None:
            place.append(f"строка {self.row}")
        if self.column:
            place.append(f"столбец «{self.column}»")
        if not place:
            return _capitalised(self.message)
        return f"{_capitalised(', '.join(place))}: {self.message}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize() would lower «Excel», «МОУ», names


class SheetFileError(Exception):
    """The file cannot be taken as it is; `problems` lists everything that is wrong."""

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """What to show a person: the first problems and how many more there are."""
        shown = [str(problem) for problem in self.problems[:MAX_LISTED_PROBLEMS]]
        rest = len(self.problems) - MAX_LISTED_PROBLEMS
        if rest > 0:
            shown.append(f"…и ещё {plural(rest, 'ошибка', 'ошибки', 'ошибок')}.")
        return shown
