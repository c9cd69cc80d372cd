"""The exchange pool: what each school can give and needs, from a monitoring campaign.

Shortage of a textbook at a school = its pupils on lines using it − its usable copies, where
positive. Surplus = usable copies beyond the pupils plus the school's reserve (rounded up); a
textbook no line of the school uses any more is offered whole. Usable copies are those neither
damaged nor lost, of textbooks that may still be used on the campaign's date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, Sum

from bibliomo.directory.models import Building
from bibliomo.lib import redistribution
from bibliomo.textbooks.models import Holding, Submission, TextbookLine


@dataclass(frozen=True)
class Figures:
    pupils: int
    usable: int

    def shortage(self) -> int:
        return max(0, self.pupils - self.usable)

    def surplus(self, reserve_percent: int) -> int:
        if self.pupils == 0:
            return self.usable
        kept = math.ceil(self.pupils * (100 + reserve_percent) / 100)
        return max(0, self.usable - kept)

    def most_to_give(self) -> int:
        """A school never gives below its own need."""
        return max(0, self.usable - self.pupils)


def usable_filter(as_of: date) -> Q:
    return ~Q(entry__status="excluded") | Q(entry__limit_date__gte=as_of)


def figures(school_ids, year: int, as_of: date) -> dict[tuple[int, int], Figures]:
    """(school id, entry id) → pupils and usable copies."""
    usable: dict[tuple[int, int], int] = {}
    rows = (
        Holding.objects.filter(usable_filter(as_of), school_id__in=school_ids)
        .values("school_id", "entry_id")
        .annotate(n=Sum(F("copies") - F("damaged") - F("lost")))
    )
    for row in rows:
        usable[row["school_id"], row["entry_id"]] = row["n"] or 0
    pupils: dict[tuple[int, int], int] = {}
    lines = (
        TextbookLine.objects.filter(academic_year=year, school_id__in=school_ids)
        .values("school_id", "entry_id")
        .annotate(n=Sum("pupils"))
    )
    for line in lines:
        pupils[line["school_id"], line["entry_id"]] = line["n"] or 0
    return {
        key: Figures(pupils.get(key, 0), usable.get(key, 0))
        for key in usable.keys() | pupils.keys()
    }


def accepted_school_ids(campaign) -> list[int]:
    return list(
        Submission.objects.filter(
            campaign=campaign, status=Submission.Status.ACCEPTED, school__is_active=True
        ).values_list("school_id", flat=True)
    )


def coordinates(school_ids) -> dict[int, tuple[float, float]]:
    """The main building's coordinates (or any building's that has them)."""
    found: dict[int, tuple[float, float]] = {}
    buildings = Building.objects.filter(
        school_id__in=school_ids, latitude__isnull=False, longitude__isnull=False
    ).order_by("school_id", "-is_main", "pk")
    for building in buildings:
        lat, lon = building.latitude, building.longitude
        assert lat is not None and lon is not None  # filtered above
        found.setdefault(building.school_id, (float(lat), float(lon)))
    return found


# The solver knows schools and textbooks by string keys; these turn ids into keys and back.
def school_key(school_id: int) -> str:
    return f"S{school_id}"


def title_key(entry_id: int) -> str:
    return f"T{entry_id}"


def key_id(key: str) -> int:
    return int(key[1:])


def solver_instance(
    located: dict[int, tuple[float, float]],
    codes: dict[int, str],
    surplus: dict[tuple[int, int], int],
    shortage: dict[tuple[int, int], int],
    names: dict[int, str] | None = None,
) -> redistribution.Instance:
    """The solver's input: schools with coordinates, textbooks by code, and copies offered
    and asked for by (school id, entry id)."""

    def counts(copies: dict[tuple[int, int], int]) -> list[dict]:
        return [
            {"school": school_key(school_id), "title": title_key(entry_id), "copies": n}
            for (school_id, entry_id), n in sorted(copies.items())
        ]

    return redistribution.parse_instance(
        {
            "schools": [
                {
                    "id": school_key(pk),
                    "name": (names or {}).get(pk, str(pk)),
                    "lat": lat,
                    "lon": lon,
                }
                for pk, (lat, lon) in sorted(located.items())
            ],
            "titles": [{"id": title_key(pk), "name": code} for pk, code in sorted(codes.items())],
            "surplus": counts(surplus),
            "shortage": counts(shortage),
        }
    )
