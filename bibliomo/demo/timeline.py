"""The demo's clock: which years the demo holds and when each of its steps happened.

The user's own 2024/2025 plan keeps the seed's fixed dates; every later year is computed from
an injectable «today», so the demo built on any day is consistent with that day: nothing is
stamped after today, nothing due in the current year is already overdue.

The services stamp `timezone.now()` on what they record; a step the demo carries out «in the
past» is dated afterwards with `Stamps` (its audit entries) and the builders' own updates of
the few timestamps a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from bibliomo.lib import ru

MOSCOW = ZoneInfo("Europe/Moscow")
SEED_YEAR = 2024  # the academic year of the user's plan (2024/2025)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Moscow moment of a day, never later than now (a step of «today» happened already)."""
    return min(datetime(day.year, day.month, day.day, hour, minute, tzinfo=MOSCOW), timezone.now())


def shift_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29 February that does not exist)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Timeline:
    today: date

    @classmethod
    def of(cls, today: date | None = None) -> Timeline:
        timeline = cls(today or timezone.localdate())
        if timeline.current <= SEED_YEAR:
            raise ValueError("Демо строится после 2024/2025 учебного года (с 01.09.2025).")
        return timeline

    @property
    def current(self) -> int:
        """The academic year of today (2026 for 02.12.2026 → 2026/2027)."""
        return ru.academic_year_start(self.today)

    @property
    def years(self) -> list[int]:
        """2024, the years in between, and the current year."""
        return list(range(SEED_YEAR, self.current + 1))

    @property
    def between(self) -> list[int]:
        return list(range(SEED_YEAR + 1, self.current))

    def start(self, year: int | None = None) -> date:
        return date(self.current if year is None else year, 9, 1)

    def clamp(self, day: date) -> date:
        """A day of the current year's story that cannot have happened after today."""
        return min(day, self.today)

    def day(self, offset_from_start: int, year: int | None = None) -> date:
        """The start of the year plus some days, but not after today."""
        return self.clamp(self.start(year) + timedelta(days=offset_from_start))

    @property
    def return_date(self) -> date:
        """The current year's exchange return date: 31 May, or later if that is near."""
        may = date(self.current + 1, 5, 31)
        return max(may, self.today + timedelta(days=30))

    @property
    def campaign_deadline(self) -> date:
        return date(self.current, 9, 30)

    @property
    def order_deadline(self) -> date:
        """Schools check the order for next year by 1 March, or in three weeks if that is past."""
        return max(date(self.current + 1, 3, 1), self.today + timedelta(days=21))


class Stamps:
    """Dates the audit entries (and stock movements) a demo step recorded as of that step."""

    def __init__(self):
        self.audit = self._last_audit()
        self.moves = self._last_move()

    @staticmethod
    def _last_audit() -> int:
        from bibliomo.core.models import AuditEntry

        return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    @staticmethod
    def _last_move() -> int:
        from bibliomo.exchange.models import HoldingMove

        return HoldingMove.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def done(self, moment: datetime | date) -> None:
        """Everything recorded since the previous call happened at `moment`."""
        from bibliomo.core.models import AuditEntry
        from bibliomo.exchange.models import HoldingMove

        if not isinstance(moment, datetime):
            moment = at(moment)
        AuditEntry.objects.filter(pk__gt=self.audit).update(at=moment)
        HoldingMove.objects.filter(pk__gt=self.moves).update(moved_at=moment)
        self.audit, self.moves = self._last_audit(), self._last_move()
