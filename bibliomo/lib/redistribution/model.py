"""The solver's public data and everything done with it short of solving.

The dataclasses (School, Title, Transfer, Instance, Solution), InstanceError, the great-circle
distance, reading and validating the JSON contract (``parse_instance``, ``validate_instance``),
checking a plan (``check_solution``), its figures (``plan_figures``) and its JSON
(``solution_to_json``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

EARTH_RADIUS_KM = 6371.0


# --- public data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class School:
    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Title:
    id: str
    name: str


@dataclass(frozen=True)
class Transfer:
    source: str
    target: str
    title: str
    copies: int


@dataclass
class Instance:
    """Schools, titles, surplus and shortage copies keyed by (school id, title id).

    ``distances`` holds road kilometres by (from id, to id); a pair missing from it (in both
    directions) falls back to the great-circle distance.
    """

    schools: list[School]
    titles: list[Title]
    surplus: dict[tuple[str, str], int]
    shortage: dict[tuple[str, str], int]
    distances: dict[tuple[str, str], float] = field(default_factory=dict)

    @cached_property
    def school_by_id(self) -> dict[str, School]:
        return {school.id: school for school in self.schools}

    def distance(self, source: str, target: str) -> float:
        """Kilometres from one school to another: the table first, else great-circle."""
        km = self.distances.get((source, target))
        if km is None:
            km = self.distances.get((target, source))
        if km is not None:
            return float(km)
        a, b = self.school_by_id[source], self.school_by_id[target]
        return haversine_km(a.lat, a.lon, b.lat, b.lon)


@dataclass
class Solution:
    """A plan and its figures.

    ``covered``: copies moved; ``coverable``: the most any valid plan moves (with min_batch,
    exact unless ``stats["coverable_exact"]`` is false); ``shipments``: ordered pairs of schools
    with anything to carry; ``km``: their distances summed; ``lower_bound_shipments``: a proven
    lower bound on the shipments of any plan moving ``covered`` copies (never above
    ``shipments``). ``stats``: the seed, the greedy's shipments, work done, the bound's parts,
    whether the plan is proven optimal and whether the time cap cut the search.
    """

    transfers: list[Transfer]
    covered: int
    coverable: int
    shipments: int
    km: float
    lower_bound_shipments: int
    stats: dict[str, Any] = field(default_factory=dict)


class InstanceError(ValueError):
    """Invalid input. ``str(error)`` is a Russian message naming every offending entry."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres on a sphere of radius 6371.0 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --- reading the JSON contract --------------------------------------------------------------
#
# {"schools": [{"id": "S1", "name": "Гимназия № 1", "lat": 54.9, "lon": 37.4}, ...],
#  "titles": [{"id": "T1", "name": "Алгебра, 7 класс"}, ...],
#  "surplus": [{"school": "S1", "title": "T1", "copies": 5}, ...],
#  "shortage": [{"school": "S2", "title": "T1", "copies": 3}, ...],
#  "distances": [{"from": "S1", "to": "S2", "km": 3.2}, ...]}          (optional)

MAX_PROBLEMS = 30  # a broken file gets this many messages at most


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _entries(
    data: dict, key: str, problems: list[str], required: bool = True
) -> list[tuple[int, dict[str, Any]]]:
    """The list under ``key``, keeping only its objects (a non-object is reported)."""
    if key not in data:
        if required:
            problems.append(f"нет ключа «{key}» (список)")
        return []
    value = data[key]
    if not isinstance(value, list):
        problems.append(f"«{key}» должен быть списком, а не {type(value).__name__}")
        return []
    kept: list[tuple[int, dict[str, Any]]] = []
    for number, entry in enumerate(value):
        if isinstance(entry, dict):
            kept.append((number, entry))
        else:
            problems.append(f"{key}[{number}]: ожидается объект, а не «{_shown(entry)}»")
    return kept


def _identifier(entry: dict, key: str) -> str | None:
    value = entry.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _with_unique_ids(data: dict, key: str, whose: str, problems: list[str]):
    """(entry, id) of each entry of `key` that has an id no earlier entry took; `whose` names
    the thing in the genitive for the messages («школы», «учебника»)."""
    seen: dict[str, int] = {}
    for number, entry in _entries(data, key, problems):
        where = f"{key}[{number}]"
        entry_id = _identifier(entry, "id")
        if entry_id is None:
            problems.append(f"{where}: нет id {whose} (непустая строка)")
            continue
        if entry_id in seen:
            problems.append(
                f"{where}: повтор id {whose} «{entry_id}» (уже в {key}[{seen[entry_id]}])"
            )
            continue
        seen[entry_id] = number
        yield entry, entry_id


def _read_schools(data: dict, problems: list[str]) -> list[School]:
    schools: list[School] = []
    for entry, school_id in _with_unique_ids(data, "schools", "школы", problems):
        name = entry.get("name")
        name = name.strip() if isinstance(name, str) and name.strip() else school_id
        label = f"школа «{school_id}» ({name})"
        lat, lon = entry.get("lat"), entry.get("lon")
        if lat is None or lon is None:
            problems.append(f"{label}: нет координат (lat/lon)")
            continue
        if not _is_number(lat) or not _is_number(lon):
            problems.append(
                f"{label}: координаты должны быть числами, а не «{_shown(lat)}», «{_shown(lon)}»"
            )
            continue
        if not -90 <= lat <= 90:
            problems.append(f"{label}: широта {lat} вне диапазона −90…90")
            continue
        if not -180 <= lon <= 180:
            problems.append(f"{label}: долгота {lon} вне диапазона −180…180")
            continue
        schools.append(School(school_id, name, float(lat), float(lon)))
    return schools


def _read_titles(data: dict, problems: list[str]) -> list[Title]:
    titles: list[Title] = []
    for entry, title_id in _with_unique_ids(data, "titles", "учебника", problems):
        name = entry.get("name")
        titles.append(Title(title_id, name.strip() if isinstance(name, str) else title_id))
    return titles


def _read_counts(
    data: dict, key: str, schools: set[str], titles: set[str], problems: list[str]
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """Copies by (school, title) and the entry number each came from (zero entries dropped)."""
    counts: dict[tuple[str, str], int] = {}
    origin: dict[tuple[str, str], int] = {}
    for number, entry in _entries(data, key, problems):
        where = f"{key}[{number}]"
        # JSON values of any type: each is checked before it is used
        school: Any = entry.get("school")
        title: Any = entry.get("title")
        copies: Any = entry.get("copies")
        broken = False
        if not isinstance(school, str) or school not in schools:
            problems.append(f"{where}: неизвестная школа «{_shown(school)}»")
            broken = True
        if not isinstance(title, str) or title not in titles:
            problems.append(f"{where}: неизвестный учебник «{_shown(title)}»")
            broken = True
        if not _is_count(copies):
            problems.append(
                f"{where}: число экземпляров должно быть целым неотрицательным, "
                f"а не «{_shown(copies)}»"
            )
            broken = True
        if broken or copies == 0:
            continue
        if (school, title) in origin:
            problems.append(
                f"{where}: повтор пары школа «{school}» — учебник «{title}» "
                f"(уже в {key}[{origin[school, title]}])"
            )
            continue
        counts[school, title] = copies
        origin[school, title] = number
    return counts, origin


def _read_distances(
    data: dict, schools: set[str], problems: list[str]
) -> dict[tuple[str, str], float]:
    distances: dict[tuple[str, str], float] = {}
    origin: dict[tuple[str, str], int] = {}
    for number, entry in _entries(data, "distances", problems, required=False):
        where = f"distances[{number}]"
        # JSON values of any type: each is checked before it is used
        source: Any = entry.get("from")
        target: Any = entry.get("to")
        km: Any = entry.get("km")
        broken = False
        for value in (source, target):
            if not isinstance(value, str) or value not in schools:
                problems.append(f"{where}: неизвестная школа «{_shown(value)}»")
                broken = True
        if not _is_number(km):
            problems.append(f"{where}: расстояние должно быть числом, а не «{_shown(km)}»")
            broken = True
        elif km < 0:
            problems.append(f"{where}: отрицательное расстояние {km}")
            broken = True
        if broken:
            continue
        if source == target:
            problems.append(f"{where}: расстояние от школы «{source}» до неё самой")
            continue
        if (source, target) in origin:
            problems.append(
                f"{where}: повтор расстояния «{source}» → «{target}» "
                f"(уже в distances[{origin[source, target]}])"
            )
            continue
        origin[source, target] = number
        distances[source, target] = float(km)
    return distances


def parse_instance(data: Any) -> Instance:
    """Read and check the JSON contract (see the comment above); raise InstanceError.

    Every problem found is reported at once, each naming its entry. ``copies: 0`` entries are
    checked and then ignored.
    """
    if not isinstance(data, dict):
        raise InstanceError(
            "ожидается объект JSON с ключами «schools», «titles», «surplus», «shortage»"
        )
    problems: list[str] = []
    schools = _read_schools(data, problems)
    titles = _read_titles(data, problems)
    school_ids = {school.id for school in schools}
    title_ids = {title.id for title in titles}
    # An entry naming a school dropped for bad coordinates would be reported twice otherwise.
    known_schools = school_ids | {
        entry["id"].strip()
        for _, entry in _entries(data, "schools", [])
        if _identifier(entry, "id") is not None
    }
    surplus, surplus_at = _read_counts(data, "surplus", known_schools, title_ids, problems)
    shortage, shortage_at = _read_counts(data, "shortage", known_schools, title_ids, problems)
    for key in sorted(surplus.keys() & shortage.keys(), key=lambda pair: surplus_at[pair]):
        school, title = key
        problems.append(
            f"школа «{school}» и отдаёт, и просит учебник «{title}» "
            f"(surplus[{surplus_at[key]}], shortage[{shortage_at[key]}])"
        )
    distances = _read_distances(data, known_schools, problems)
    if problems:
        if len(problems) > MAX_PROBLEMS:
            hidden = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], f"…и ещё {hidden} ошибок"]
        raise InstanceError(problems)
    return Instance(schools, titles, surplus, shortage, distances)


def _count_problems(
    key: str, counts: dict[tuple[str, str], Any], schools: set[str], titles: set[str]
) -> list[str]:
    """What is wrong with the surplus or shortage table of an Instance built in code."""
    problems = []
    for (school, title), copies in counts.items():
        if school not in schools:
            problems.append(f"{key}: неизвестная школа «{school}»")
        if title not in titles:
            problems.append(f"{key}: неизвестный учебник «{title}»")
        if not _is_count(copies):
            problems.append(
                f"{key}[«{school}», «{title}»]: число экземпляров должно быть целым "
                f"неотрицательным, а не «{_shown(copies)}»"
            )
    return problems


def validate_instance(instance: Instance) -> None:
    """Check an Instance built in code (not through parse_instance); raise InstanceError."""
    problems: list[str] = []
    school_ids = [school.id for school in instance.schools]
    title_ids = [title.id for title in instance.titles]
    if len(set(school_ids)) != len(school_ids):
        problems.append("повторяются id школ")
    if len(set(title_ids)) != len(title_ids):
        problems.append("повторяются id учебников")
    for school in instance.schools:
        if not (_is_number(school.lat) and _is_number(school.lon)):
            problems.append(f"школа «{school.id}» ({school.name}): нет координат (lat/lon)")
        elif not (-90 <= school.lat <= 90 and -180 <= school.lon <= 180):
            problems.append(f"школа «{school.id}» ({school.name}): координаты вне диапазона")
    known_schools, known_titles = set(school_ids), set(title_ids)
    for key, counts in (("surplus", instance.surplus), ("shortage", instance.shortage)):
        problems += _count_problems(key, counts, known_schools, known_titles)
    for school_id, title in instance.surplus.keys() & instance.shortage.keys():
        if instance.surplus[school_id, title] and instance.shortage[school_id, title]:
            problems.append(f"школа «{school_id}» и отдаёт, и просит учебник «{title}»")
    for (source, target), km in instance.distances.items():
        if source not in known_schools or target not in known_schools:
            problems.append(f"distances: неизвестная школа «{source}» или «{target}»")
        if not _is_number(km) or km < 0:
            problems.append(f"distances: «{source}» → «{target}»: неверное расстояние «{km}»")
    if problems:
        raise InstanceError(sorted(problems))


# --- checking and printing a plan -----------------------------------------------------------


def _label(instance: Instance, school_id: str) -> str:
    school = instance.school_by_id.get(school_id)
    return f"«{school_id}» ({school.name})" if school else f"«{school_id}»"


def _line_problems(
    instance: Instance, titles: set[str], where: str, transfer: Transfer
) -> list[str]:
    """A plan line naming an unknown school or title, or a count that is no positive whole."""
    problems = [
        f"{where}: неизвестная школа «{school}»"
        for school in (transfer.source, transfer.target)
        if school not in instance.school_by_id
    ]
    if transfer.title not in titles:
        problems.append(f"{where}: неизвестный учебник «{transfer.title}»")
    copies = transfer.copies
    if not isinstance(copies, int) or isinstance(copies, bool) or copies <= 0:
        problems.append(f"{where}: число экземпляров должно быть целым положительным")
    return problems


def check_solution(
    instance: Instance,
    transfers: Iterable[Transfer],
    min_batch: int = 0,
    max_shipments: int | None = None,
) -> list[str]:
    """Russian descriptions of every broken constraint of a plan (empty when it is valid).

    Lines repeating the same (from, to, title) are reported and then summed for the other checks.
    """
    problems: list[str] = []
    titles = {title.id for title in instance.titles}
    lines: dict[tuple[str, str, str], int] = {}
    for number, transfer in enumerate(transfers):
        where = f"строка {number + 1}"
        source, target, title, copies = (
            transfer.source,
            transfer.target,
            transfer.title,
            transfer.copies,
        )
        unknown = _line_problems(instance, titles, where, transfer)
        if unknown:
            problems += unknown
            continue
        if source == target:
            problems.append(f"{where}: школа {_label(instance, source)} передаёт учебники себе")
            continue
        if (source, target, title) in lines:
            problems.append(
                f"{where}: повтор строки {_label(instance, source)} → "
                f"{_label(instance, target)}, учебник «{title}»"
            )
        lines[source, target, title] = lines.get((source, target, title), 0) + copies
    sent: dict[tuple[str, str], int] = defaultdict(int)
    received: dict[tuple[str, str], int] = defaultdict(int)
    for (source, target, title), copies in lines.items():
        sent[source, title] += copies
        received[target, title] += copies
        if min_batch and copies < min_batch:
            need = instance.shortage.get((target, title), 0)
            if copies != need:
                problems.append(
                    f"{_label(instance, source)} → {_label(instance, target)}, учебник "
                    f"«{title}»: {copies} экз. — меньше минимальной партии {min_batch} "
                    f"и не закрывает всю потребность получателя ({need} экз.)"
                )
    for (school, title), copies in sorted(sent.items()):
        spare = instance.surplus.get((school, title), 0)
        if copies > spare:
            problems.append(
                f"школа {_label(instance, school)} отдаёт {copies} экз. учебника «{title}», "
                f"а излишек — {spare} экз."
            )
    for (school, title), copies in sorted(received.items()):
        need = instance.shortage.get((school, title), 0)
        if copies > need:
            problems.append(
                f"школа {_label(instance, school)} получает {copies} экз. учебника «{title}», "
                f"а потребность — {need} экз."
            )
    if max_shipments is not None:
        shipments = len({(source, target) for source, target, _ in lines})
        if shipments > max_shipments:
            problems.append(f"перевозок {shipments}, а допускается не больше {max_shipments}")
    return problems


def plan_figures(instance: Instance, transfers: Iterable[Transfer]) -> tuple[int, int, float]:
    """(copies moved, shipments, kilometres) of a list of transfers."""
    covered = 0
    pairs: set[tuple[str, str]] = set()
    for transfer in transfers:
        covered += transfer.copies
        pairs.add((transfer.source, transfer.target))
    km = sum(instance.distance(source, target) for source, target in pairs)
    return covered, len(pairs), km


def solution_to_json(solution: Solution) -> dict:
    """The solution as the JSON contract: transfers sorted by (from, to, title), km to 0.1."""
    transfers = sorted(solution.transfers, key=lambda t: (t.source, t.target, t.title))
    result = {
        "transfers": [
            {"from": t.source, "to": t.target, "title": t.title, "copies": t.copies}
            for t in transfers
        ],
        "covered": solution.covered,
        "coverable": solution.coverable,
        "shipments": solution.shipments,
        "km": round(solution.km, 1),
        "lower_bound_shipments": solution.lower_bound_shipments,
    }
    if "seed" in solution.stats:
        result["seed"] = solution.stats["seed"]
    return result
