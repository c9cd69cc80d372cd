"""The sections of the year's analysis and the registry of their builders.

A builder is a function `(association, academic_year) -> Section | None`: it reads the data of
one part of the association's work for that academic year and returns a section, or None when
there is nothing to say (no events, no campaign…). Builders are named by dotted path in
`BUILDERS`, in the order the document reads; an app that wants its section in the analysis
writes a builder (say `bibliomo/consultations/review.py`, function `section`) and adds one
line here: "bibliomo.consultations.review.section". Nothing else changes — the page, the Word
and PDF files, the command and the frozen copy of an approved analysis all read `Section`.

Every figure carries the address of the list it came from (`Cell.url`), so on the page each
number is a link; an approved analysis keeps its sections as they were (`to_dict`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from django.utils.module_loading import import_string

from bibliomo.directory.models import Association


@dataclass
class Cell:
    """A text or a figure; with `url` it links to the list it was counted from."""

    text: str
    url: str = ""

    @classmethod
    def of(cls, value: Any) -> Cell:
        if isinstance(value, Cell):
            return value
        if isinstance(value, dict):
            return cls(str(value.get("text", "")), str(value.get("url", "")))
        return cls(str(value))


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    title: str = ""
    # Indexes of the columns that hold numbers (right-aligned).
    numeric: list[int] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        return cls(
            columns=list(data["columns"]),
            rows=[[Cell.of(c) for c in row] for row in data["rows"]],
            title=data.get("title", ""),
            numeric=list(data.get("numeric", [])),
        )


@dataclass
class Section:
    """One section: a heading, sentences of figures, tables; «Выводы» are typed by people."""

    key: str  # stable: the conclusions are stored under it
    title: str
    lines: list[list[Cell]] = field(default_factory=list)  # each a sentence of cells
    tables: list[Table] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            key=data["key"],
            title=data["title"],
            lines=[[Cell.of(c) for c in line] for line in data.get("lines", [])],
            tables=[Table.from_dict(t) for t in data.get("tables", [])],
        )


Builder = Callable[[Association, int], Section | None]

# The analysis in reading order. Other apps plug in here, one line each (see the docstring).
BUILDERS: list[str] = [
    "bibliomo.reviews.facts.tasks_section",
    "bibliomo.reviews.facts.plan_section",
    "bibliomo.reviews.facts.events_section",
    "bibliomo.reviews.facts.growth_section",
    "bibliomo.reviews.facts.people_section",
    "bibliomo.growth.review.section",
    "bibliomo.mentoring.review.section",
    "bibliomo.groups.review.section",
    "bibliomo.consultations.review.section",
    "bibliomo.practices.review.section",
    "bibliomo.contests.review.section",
    "bibliomo.reviews.facts.documents_section",
    "bibliomo.reviews.facts.portal_section",
    "bibliomo.reviews.textbook_facts.provision_section",
    "bibliomo.reviews.textbook_facts.exchange_section",
    "bibliomo.reviews.textbook_facts.order_section",
]


@cache
def _builder(path: str) -> Builder:
    return import_string(path)


def builders() -> list[Builder]:
    return [_builder(path) for path in BUILDERS]


def assemble(association: Association, academic_year: int) -> list[Section]:
    """Every section with data for the year, in the registry's order."""
    sections = []
    for build in builders():
        section = build(association, academic_year)
        if section is not None:
            sections.append(section)
    return sections


def sentence(*parts: Any) -> list[Cell]:
    """A line of the section: strings and Cells in order (a Cell with url is a link)."""
    return [Cell.of(part) for part in parts]
