"""A home-page list: its first rows and how many there are in all (shared by every app's
«что сделать» selectors, so each list costs the same two queries whatever the data)."""

from __future__ import annotations

from dataclasses import dataclass, field

SHOWN = 5  # rows per list; the count says how many there are


@dataclass
class Cut:
    """The first rows of a list and how many there are in all."""

    rows: list = field(default_factory=list)
    total: int = 0

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def cut(queryset, shown: int = SHOWN) -> Cut:
    # Always two queries (rows, count), so the page's query count is the same for any data.
    return Cut(list(queryset[:shown]), queryset.count())
