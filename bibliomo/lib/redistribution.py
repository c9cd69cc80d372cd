"""Redistribution of spare textbooks between the schools of a municipality (обмен учебниками).

Schools report per title the copies they can give (surplus) and the copies they lack (shortage).
A plan is a list of transfer lines «from school, to school, title, copies». The priorities are
lexicographic:

1. move as many copies as possible (the coverable maximum);
2. use the fewest shipments — a shipment is one ordered pair of schools with anything to carry,
   one trip carries any number of titles;
3. drive the fewest kilometres, each shipment counting its pair's distance once (great-circle
   distance, or the road-distance table when one is given).

A school sends at most its surplus of a title, receives at most its shortage, never ships to
itself. Options: ``min_batch`` N forbids lines below N copies unless the line alone fills the
receiver's whole shortage of the title; ``max_shipments`` K allows at most K shipments (then the
plan moves as many copies as K shipments can carry).

How the solver works, in plain words:

* Titles never interact except through shipments, so the coverable maximum is a per-title figure:
  min(total surplus, total shortage) without ``min_batch``; with it, a tiny per-title CP-SAT
  model (one integer per line, domain {0} ∪ [N, cap] ∪ {whole shortage}) finds it exactly.
* Construction: the pair-first greedy (the pair of schools that can carry the most copies goes
  first and carries everything it can). With ``min_batch`` the greedy only makes lines the rule
  allows, and the titles it under-covers are re-planned by the per-title model, which prefers
  pairs already open.
* Moves on the flows (cheap, pure Python). Each title is a small flow network: senders with
  spare copies, receivers with needs, the open shipments as arcs. Copies are rerouted along
  augmenting paths — forward over a shipment, backward along an existing line (which shrinks,
  freeing its sender), so one reroute may shift several lines of the title.
  - close: remove a shipment and reroute its copies over the open shipments only;
  - swap: remove a shipment, reroute its copies by the cheapest paths (fewest new shipments,
    then shortest), then try to close the light shipments around the new ones — kept only if
    the plan got better;
  - kick (iterated local search): force one or two light shipments out whatever it costs,
    swap around the schools touched, keep only an overall gain.
* Large-neighbourhood search with CP-SAT, on the second core while the moves run: the lines of
  a few titles (those of light shipments and their neighbours) or all lines among a few related
  schools are freed and re-optimised — fewest shipments, then kilometres — with every other line
  fixed and each title's coverage kept. Results are merged at fixed points of the move sequence
  and kept only if still valid and better. A small instance (up to ``WHOLE_MODEL_LINES``
  possible lines) is first given whole to CP-SAT, which often proves its answer optimal.
* ``max_shipments``: after the normal search, the lightest shipments are dropped (their copies
  rerouted where possible) until K remain; then add-drop moves (open the pair that adds the most
  copies, drop the lightest) and the capped neighbourhood models raise coverage.
* A lower bound on shipments: a school that must send (or receive) copies needs at least as
  many partners as the smallest set of schools able to take (or give) them all — a small
  set-cover model per school, solved in the background; shipments ≥ the sum of the outgoing
  bounds and ≥ the sum of the incoming ones. When the whole instance was one CP-SAT model, its
  proven bound counts too.

Determinism: the work is counted, not timed — swap attempts, kicks and CP-SAT's
``max_deterministic_time`` per model are derived from ``time_limit``; every CP-SAT model has one
worker, and the background models are merged at fixed points. The result is identical for the
same instance, options, seed and ``time_limit`` unless the wall-clock cap (``time_limit``
itself, a safety net) cuts the search short; ``stats["time_capped"]`` says when that happened.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

from ortools.sat.python import cp_model

from bibliomo.lib.ru import plural

EARTH_RADIUS_KM = 6371.0
METRES = 1000  # kilometres are compared as whole metres inside the solver
SWAP_TRIES = 12  # shipments a swap tries to close around the new ones
KICK_SWAPS = 20  # swaps tried around the schools a kick touched
SYNC_SWAPS = 400  # a CP-SAT model is merged and the next started every this many swaps…
SYNC_KICKS = 20  # …or kicks
NEW_STEP = 10**9  # a path step over a closed shipment: costlier than any sum of metres
UNREACHED = 1 << 62

Progress = Callable[[float, str], None]


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


def _entries(data: dict, key: str, problems: list[str], required: bool = True) -> list[dict]:
    """The list under ``key``, keeping only its objects (a non-object is reported)."""
    if key not in data:
        if required:
            problems.append(f"нет ключа «{key}» (список)")
        return []
    value = data[key]
    if not isinstance(value, list):
        problems.append(f"«{key}» должен быть списком, а не {type(value).__name__}")
        return []
    kept = []
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


def _read_schools(data: dict, problems: list[str]) -> list[School]:
    schools: list[School] = []
    seen: dict[str, int] = {}
    for number, entry in _entries(data, "schools", problems):
        where = f"schools[{number}]"
        school_id = _identifier(entry, "id")
        if school_id is None:
            problems.append(f"{where}: нет id школы (непустая строка)")
            continue
        if school_id in seen:
            problems.append(
                f"{where}: повтор id школы «{school_id}» (уже в schools[{seen[school_id]}])"
            )
            continue
        seen[school_id] = number
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
    seen: dict[str, int] = {}
    for number, entry in _entries(data, "titles", problems):
        where = f"titles[{number}]"
        title_id = _identifier(entry, "id")
        if title_id is None:
            problems.append(f"{where}: нет id учебника (непустая строка)")
            continue
        if title_id in seen:
            problems.append(
                f"{where}: повтор id учебника «{title_id}» (уже в titles[{seen[title_id]}])"
            )
            continue
        seen[title_id] = number
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
        school, title, copies = entry.get("school"), entry.get("title"), entry.get("copies")
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
        source, target, km = entry.get("from"), entry.get("to"), entry.get("km")
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
        for (school, title), copies in counts.items():
            if school not in known_schools:
                problems.append(f"{key}: неизвестная школа «{school}»")
            if title not in known_titles:
                problems.append(f"{key}: неизвестный учебник «{title}»")
            if not _is_count(copies):
                problems.append(
                    f"{key}[«{school}», «{title}»]: число экземпляров должно быть целым "
                    f"неотрицательным, а не «{_shown(copies)}»"
                )
    for school, title in instance.surplus.keys() & instance.shortage.keys():
        if instance.surplus[school, title] and instance.shortage[school, title]:
            problems.append(f"школа «{school}» и отдаёт, и просит учебник «{title}»")
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
        bad = False
        for school in (source, target):
            if school not in instance.school_by_id:
                problems.append(f"{where}: неизвестная школа «{school}»")
                bad = True
        if title not in titles:
            problems.append(f"{where}: неизвестный учебник «{title}»")
            bad = True
        if not isinstance(copies, int) or isinstance(copies, bool) or copies <= 0:
            problems.append(f"{where}: число экземпляров должно быть целым положительным")
            bad = True
        if bad:
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


# --- the indexed problem and a mutable plan ---------------------------------------------------


class IndexedInstance:
    """The instance with schools and titles numbered, as the algorithms want it.

    ``sup[t]`` / ``dem[t]``: school → copies offered / asked for title t (titles nobody can
    exchange are left empty); ``sup_of[i]`` / ``dem_of[i]``: title → copies for school i;
    ``dist[i][j]`` kilometres, ``metres[i][j]`` the same as whole metres.
    """

    def __init__(self, instance: Instance, min_batch: int = 0):
        self.instance = instance
        self.min_batch = max(0, int(min_batch))
        self.school_ids = [school.id for school in instance.schools]
        self.title_ids = [title.id for title in instance.titles]
        school_at = {school_id: k for k, school_id in enumerate(self.school_ids)}
        title_at = {title_id: k for k, title_id in enumerate(self.title_ids)}
        self.n, self.m = len(self.school_ids), len(self.title_ids)
        sup: list[dict[int, int]] = [{} for _ in range(self.m)]
        dem: list[dict[int, int]] = [{} for _ in range(self.m)]
        for (school, title), copies in instance.surplus.items():
            if copies > 0:
                sup[title_at[title]][school_at[school]] = copies
        for (school, title), copies in instance.shortage.items():
            if copies > 0:
                dem[title_at[title]][school_at[school]] = copies
        for t in range(self.m):
            if not (sup[t] and dem[t]):
                sup[t], dem[t] = {}, {}
            sup[t] = dict(sorted(sup[t].items()))
            dem[t] = dict(sorted(dem[t].items()))
        self.sup, self.dem = sup, dem
        self.sup_of: list[dict[int, int]] = [{} for _ in range(self.n)]
        self.dem_of: list[dict[int, int]] = [{} for _ in range(self.n)]
        for t in range(self.m):
            for i, copies in sup[t].items():
                self.sup_of[i][t] = copies
            for j, copies in dem[t].items():
                self.dem_of[j][t] = copies
        self.active_titles = [t for t in range(self.m) if sup[t]]
        self.dist = [
            [0.0 if a == b else instance.distance(a, b) for b in self.school_ids]
            for a in self.school_ids
        ]
        self.metres = [[round(km * METRES) for km in row] for row in self.dist]

    def upper_cover(self, t: int) -> int:
        return min(sum(self.sup[t].values()), sum(self.dem[t].values()))

    def line_allowed(self, j: int, t: int, copies: int) -> bool:
        """The min_batch rule for one line into school j."""
        return copies == 0 or copies >= self.min_batch or copies == self.dem[t][j]

    def line_domain(self, j: int, t: int, cap: int) -> list[int]:
        """Allowed copies of a line into j carrying at most ``cap``: flat interval list."""
        if self.min_batch <= 1:
            return [0, cap]
        values = [0, 0]
        need = self.dem[t][j]
        if need < self.min_batch and need <= cap:
            values += [need, need]
        if cap >= self.min_batch:
            values += [self.min_batch, cap]
        return values

    def pair_capacity(self, i: int, j: int) -> int:
        """Copies school i could hand to school j if nothing else moved."""
        dem_j = self.dem_of[j]
        return sum(min(c, dem_j[t]) for t, c in self.sup_of[i].items() if t in dem_j)

    def transfers(self, lines: dict[tuple[int, int, int], int]) -> list[Transfer]:
        return sorted(
            (
                Transfer(self.school_ids[i], self.school_ids[j], self.title_ids[t], c)
                for (i, j, t), c in lines.items()
                if c > 0
            ),
            key=lambda tr: (tr.source, tr.target, tr.title),
        )


class Plan:
    """A mutable plan: lines by shipment and by title, running totals, optional undo log."""

    def __init__(self, problem: IndexedInstance):
        self.problem = problem
        self.arcs: dict[tuple[int, int], dict[int, int]] = {}
        self.by_title: list[dict[tuple[int, int], int]] = [{} for _ in range(problem.m)]
        self.sent: dict[tuple[int, int], int] = defaultdict(int)
        self.recv: dict[tuple[int, int], int] = defaultdict(int)
        self.targets: list[set[int]] = [set() for _ in range(problem.n)]  # open shipments
        self.senders: list[dict[int, set[int]]] = [{} for _ in range(problem.m)]  # t: j -> {i}
        self.covered = 0
        self.metres = 0
        self.log: list[tuple[int, int, int, int]] | None = None
        self.depth = 0

    @classmethod
    def from_lines(cls, problem: IndexedInstance, lines: dict[tuple[int, int, int], int]) -> Plan:
        plan = cls(problem)
        for (i, j, t), copies in sorted(lines.items()):
            if copies:
                plan.add(i, j, t, copies)
        return plan

    def copy(self) -> Plan:
        twin = Plan(self.problem)
        twin.arcs = {arc: dict(lines) for arc, lines in self.arcs.items()}
        twin.by_title = [dict(lines) for lines in self.by_title]
        twin.sent = defaultdict(int, self.sent)
        twin.recv = defaultdict(int, self.recv)
        twin.targets = [set(row) for row in self.targets]
        twin.senders = [{j: set(row) for j, row in by_sink.items()} for by_sink in self.senders]
        twin.covered, twin.metres = self.covered, self.metres
        return twin

    @property
    def shipments(self) -> int:
        return len(self.arcs)

    def key(self) -> tuple[int, int, int]:
        """Smaller is better: more copies, then fewer shipments, then fewer metres."""
        return (-self.covered, len(self.arcs), self.metres)

    def km(self) -> float:
        return sum(self.problem.dist[i][j] for i, j in self.arcs)

    def lines(self) -> dict[tuple[int, int, int], int]:
        return {(i, j, t): c for (i, j), row in self.arcs.items() for t, c in row.items()}

    def add(self, i: int, j: int, t: int, delta: int) -> None:
        if not delta:
            return
        row = self.arcs.get((i, j))
        if row is None:
            row = self.arcs[i, j] = {}
            self.targets[i].add(j)
            self.metres += self.problem.metres[i][j]
        old = row.get(t, 0)
        copies = old + delta
        if copies:
            row[t] = copies
            self.by_title[t][i, j] = copies
            if not old:
                self.senders[t].setdefault(j, set()).add(i)
        else:
            del row[t]
            del self.by_title[t][i, j]
            self.senders[t][j].discard(i)
            if not row:
                del self.arcs[i, j]
                self.targets[i].discard(j)
                self.metres -= self.problem.metres[i][j]
        self.sent[i, t] += delta
        self.recv[j, t] += delta
        self.covered += delta
        if self.log is not None:
            self.log.append((i, j, t, delta))

    def set_line(self, i: int, j: int, t: int, copies: int) -> None:
        self.add(i, j, t, copies - self.by_title[t].get((i, j), 0))

    def begin(self) -> int:
        """Open a (nestable) transaction; returns the savepoint to roll back to."""
        if self.log is None:
            self.log = []
        self.depth += 1
        return len(self.log)

    def commit(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.log = None

    def rollback(self, savepoint: int) -> None:
        log = self.log or []
        undo = log[savepoint:]
        del log[savepoint:]
        saved, self.log = self.log, None
        for i, j, t, delta in reversed(undo):
            self.add(i, j, t, -delta)
        self.log = saved
        self.commit()

    def changes(self, savepoint: int) -> list[tuple[int, int, int, int]]:
        return (self.log or [])[savepoint:]

    def batch_ok(self, changes: Iterable[tuple[int, int, int, int]]) -> bool:
        """Whether every line touched by ``changes`` obeys the min_batch rule."""
        if self.problem.min_batch <= 1:
            return True
        return all(
            self.problem.line_allowed(j, t, self.by_title[t].get((i, j), 0))
            for i, j, t, _ in changes
        )


# --- per-title flow moves ---------------------------------------------------------------------


def augment(
    plan: Plan,
    t: int,
    want: int,
    banned: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
    allow_new: bool = False,
    free: set[tuple[int, int]] | None = None,
) -> int:
    """Push up to ``want`` more copies of title t; returns how many were pushed.

    Augmenting paths in the title's network: start at a school with surplus left, go forward
    along a shipment to a school that needs the title, or backward along an existing line (that
    line shrinks and its sender becomes free to send elsewhere), end at a school with shortage
    left. Only open shipments are used unless ``allow_new``; then paths open as few new
    shipments as possible (then the shortest), found by Dijkstra. ``banned`` shipments are
    never used forward; ``free`` shipments cost nothing even when not yet open.

    With a minimum batch the copies go all at once along one path whose every line stays
    allowed (see ``_batch_path``), or not at all.
    """
    if plan.problem.min_batch > 1:
        path = _batch_path(plan, t, want, banned, False, None)
        if path is None and (allow_new or free is not None):
            path = _batch_path(plan, t, want, banned, allow_new, free)
        return 0 if path is None else _push(plan, t, path, want)
    pushed = 0
    while pushed < want:
        path = _cheapest_path(plan, t, banned, False, None)  # free of charge, if any
        if path is None and (allow_new or free is not None):
            path = _cheapest_path(plan, t, banned, allow_new, free)
        if path is None:
            break
        pushed += _push(plan, t, path, want - pushed)
    return pushed


def _cheapest_path(
    plan: Plan,
    t: int,
    banned: Iterable[tuple[int, int]],
    allow_new: bool,
    free: set[tuple[int, int]] | None = None,
) -> list[int] | None:
    """Nodes of a cheapest augmenting path: senders as i, receivers as n + j.

    Without new shipments every usable step costs nothing: a breadth-first search. Otherwise
    Dijkstra, a step over a closed shipment costing one shipment (``NEW_STEP``) plus its metres.
    """
    problem = plan.problem
    sources, sinks = problem.sup[t], problem.dem[t]
    senders, targets = plan.senders[t], plan.targets
    n, sent, recv = problem.n, plan.sent, plan.recv
    barred: dict[int, set[int]] = defaultdict(set)
    for i, j in banned:
        barred[i].add(j)
    parent: dict[int, int] = {}
    starts = [i for i, spare in sources.items() if spare > sent[i, t]]
    for i in starts:
        parent[i] = -1
    if not allow_new and free is None:
        queue = deque(starts)
        while queue:
            node = queue.popleft()
            if node < n:
                skip = barred.get(node, ())
                for j in targets[node]:
                    if j in sinks and n + j not in parent and j not in skip:
                        parent[n + j] = node
                        if sinks[j] > recv[j, t]:
                            return _trace(parent, n + j)
                        queue.append(n + j)
            else:
                for i in senders.get(node - n, ()):
                    if i not in parent:
                        parent[i] = node
                        queue.append(i)
        return None
    metres = problem.metres
    cost = dict.fromkeys(starts, 0)
    heap = [(0, i) for i in starts]
    done: set[int] = set()
    while heap:
        value, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        if node >= n:
            j = node - n
            if sinks[j] > recv[j, t]:
                return _trace(parent, node)
            for i in senders.get(j, ()):
                if i not in done and value < cost.get(i, UNREACHED):
                    cost[i] = value
                    parent[i] = node
                    heapq.heappush(heap, (value, i))
            continue
        skip = barred.get(node, ())
        mine = targets[node]
        for j in sinks:
            target = n + j
            if target in done or j in skip:
                continue
            if j in mine or (free is not None and (node, j) in free):
                step = value
            elif allow_new:
                step = value + NEW_STEP + metres[node][j]
            else:
                continue
            if step < cost.get(target, UNREACHED):
                cost[target] = step
                parent[target] = node
                heapq.heappush(heap, (step, target))
    return None


def _batch_path(
    plan: Plan,
    t: int,
    amount: int,
    banned: Iterable[tuple[int, int]],
    allow_new: bool,
    free: set[tuple[int, int]] | None,
) -> list[int] | None:
    """A cheapest path able to carry exactly ``amount`` copies under the min_batch rule.

    Every line the path grows must end at N copies or more, or at its receiver's whole
    shortage; every line it shrinks must end at zero or at N or more; the first sender must
    have ``amount`` spare, the last receiver ``amount`` missing. Dijkstra as in
    ``_cheapest_path``.
    """
    problem = plan.problem
    batch = problem.min_batch
    sources, sinks, lines = problem.sup[t], problem.dem[t], plan.by_title[t]
    senders, targets = plan.senders[t], plan.targets
    n, metres = problem.n, problem.metres
    barred = set(banned)
    parent: dict[int, int] = {}
    cost: dict[int, int] = {}
    heap: list[tuple[int, int]] = []
    for i, spare in sources.items():
        if spare - plan.sent[i, t] >= amount:
            parent[i], cost[i] = -1, 0
            heap.append((0, i))
    done: set[int] = set()
    while heap:
        value, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        if node >= n:
            j = node - n
            if sinks[j] - plan.recv[j, t] >= amount:
                return _trace(parent, node)
            for i in senders.get(j, ()):
                left = lines[i, j] - amount
                if i in done or not (left == 0 or left >= batch):
                    continue
                if value < cost.get(i, UNREACHED):
                    cost[i], parent[i] = value, node
                    heapq.heappush(heap, (value, i))
            continue
        for j, need in sinks.items():
            target = n + j
            if target in done or (node, j) in barred:
                continue
            grown = lines.get((node, j), 0) + amount
            if grown < batch and grown != need:
                continue
            if j in targets[node] or (free is not None and (node, j) in free):
                step = value
            elif allow_new:
                step = value + NEW_STEP + metres[node][j]
            else:
                continue
            if step < cost.get(target, UNREACHED):
                cost[target], parent[target] = step, node
                heapq.heappush(heap, (step, target))
    return None


def _trace(parent: dict[int, int], node: int) -> list[int]:
    path = [node]
    while parent[node] != -1:
        node = parent[node]
        path.append(node)
    return path[::-1]


def _push(plan: Plan, t: int, path: list[int], limit: int) -> int:
    """Push as much as the path allows (at most ``limit``) along it."""
    problem = plan.problem
    n = problem.n
    first, last = path[0], path[-1] - n
    amount = min(
        limit,
        problem.sup[t][first] - plan.sent[first, t],
        problem.dem[t][last] - plan.recv[last, t],
    )
    steps = []
    for a, b in pairwise(path):
        if a < n:  # sender a forward to receiver b
            steps.append((a, b - n, 1))
        else:  # receiver a backward to sender b: the line b -> a shrinks
            steps.append((b, a - n, -1))
            amount = min(amount, plan.by_title[t][b, a - n])
    for i, j, sign in steps:
        plan.add(i, j, t, sign * amount)
    return amount


def _remove_arc(plan: Plan, arc: tuple[int, int]) -> dict[int, int]:
    row = dict(plan.arcs.get(arc, {}))
    for t, copies in sorted(row.items()):
        plan.add(arc[0], arc[1], t, -copies)
    return row


def try_close(plan: Plan, arc: tuple[int, int]) -> bool:
    """Close one shipment by rerouting all its titles through shipments already open."""
    if arc not in plan.arcs:
        return True
    savepoint = plan.begin()
    banned = {arc}
    removed = _remove_arc(plan, arc)
    for t in sorted(removed, key=lambda t: (-removed[t], t)):  # the hardest title first
        copies = removed[t]
        if augment(plan, t, copies, banned) < copies:
            plan.rollback(savepoint)
            return False
    if not plan.batch_ok(plan.changes(savepoint)):
        plan.rollback(savepoint)
        return False
    plan.commit()
    return True


def _by_load(plan: Plan, arcs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lightest first, then longest (a long light shipment is the best one to lose)."""
    metres = plan.problem.metres
    return sorted(arcs, key=lambda a: (sum(plan.arcs[a].values()), -metres[a[0]][a[1]], a))


def close_pass(plan: Plan, should_stop: Callable[[], bool] | None = None) -> int:
    """Try to close every shipment once, lightest first; returns how many closed."""
    closed = 0
    for number, arc in enumerate(_by_load(plan, plan.arcs)):
        if number % 64 == 0 and should_stop is not None and should_stop():
            break
        if arc in plan.arcs and try_close(plan, arc):
            closed += 1
    return closed


def try_swap(plan: Plan, arc: tuple[int, int], tries: int = SWAP_TRIES) -> bool:
    """Move a shipment's load, opening new shipments where needed, then close others.

    The shipment's titles are rerouted by the cheapest augmenting paths (fewest new shipments,
    then shortest); the new shipments give their two schools new partners, so the lightest
    shipments around those schools are tried for closing. Kept only if the plan got better
    (fewer shipments, or as many and fewer kilometres).
    """
    if arc not in plan.arcs:
        return False
    before = plan.key()
    savepoint = plan.begin()
    banned = {arc}
    old = set(plan.arcs)
    for t, copies in sorted(_remove_arc(plan, arc).items()):
        if augment(plan, t, copies, banned, allow_new=True) < copies:
            plan.rollback(savepoint)
            return False
    if not plan.batch_ok(plan.changes(savepoint)):
        plan.rollback(savepoint)
        return False
    new = set(plan.arcs) - old
    if new:
        ends = {school for a in new for school in a}
        around = {a for a in plan.arcs if a not in new and (a[0] in ends or a[1] in ends)}
        for other in _by_load(plan, around)[:tries]:
            if other in plan.arcs:
                try_close(plan, other)
    if plan.key() < before:
        plan.commit()
        return True
    plan.rollback(savepoint)
    return False


def drop_to(plan: Plan, limit: int) -> None:
    """Drop the lightest shipments until at most ``limit`` remain, rerouting what can be.

    Each dropped shipment's copies are pushed through the remaining shipments where possible
    (with min_batch, only when every line so touched still obeys the rule).
    """
    while len(plan.arcs) > limit:
        arc = _by_load(plan, plan.arcs)[0]
        row = _remove_arc(plan, arc)
        for t, copies in sorted(row.items()):
            savepoint = plan.begin()
            augment(plan, t, copies, {arc})
            if plan.batch_ok(plan.changes(savepoint)):
                plan.commit()
            else:
                plan.rollback(savepoint)


# --- exact per-title coverage (min_batch) -------------------------------------------------------


def _solver(
    seed: int, dtime: float, seconds: float, workers: int = 1, presolve: bool = True
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.cp_model_presolve = presolve
    if presolve:  # the models here are small: light presolve is quicker overall
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = dtime
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    return solver


def title_model(
    problem: IndexedInstance, t: int, open_arcs: set[tuple[int, int]] | None, hint: dict
) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar], int]:
    """Title t alone under the min_batch rule: most copies first, then as many of them as
    possible on shipments already in ``open_arcs`` (``None``: copies only). Returns (model,
    lines, coverage weight).

    One integer per line with domain {0} ∪ {whole shortage, if below N} ∪ [N, cap]. The
    preference for open shipments is linear (no booleans), which keeps the model as quick to
    solve as the copies-only one; the moves that follow close the shipments it opens.
    """
    sources, sinks = problem.sup[t], problem.dem[t]
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i, spare in sources.items():
        for j, need in sinks.items():
            domain = problem.line_domain(j, t, min(spare, need))
            if len(domain) > 2 or domain[1] > 0:
                x[i, j] = model.NewIntVarFromDomain(cp_model.Domain.FromFlatIntervals(domain), "")
                model.AddHint(x[i, j], hint.get((i, j), 0))
    for i, spare in sources.items():
        model.Add(sum(v for (a, _), v in x.items() if a == i) <= spare)
    for j, need in sinks.items():
        model.Add(sum(v for (_, b), v in x.items() if b == j) <= need)
    covered = sum(x.values())
    if open_arcs is None:
        model.Maximize(covered)
        return model, x, 1
    weight = problem.upper_cover(t) + 1  # one more copy outweighs any preference
    model.Maximize(weight * covered + sum(v for arc, v in x.items() if arc in open_arcs))
    return model, x, weight


def title_plan(
    problem: IndexedInstance,
    t: int,
    open_arcs: set[tuple[int, int]],
    hint: dict[tuple[int, int], int],
    seed: int,
    seconds: float,
) -> tuple[dict[tuple[int, int], int], int, bool]:
    """Plan title t alone: (lines by pair, coverage, whether the coverage is proven maximal).

    The title_model preferring open shipments first; when its answer does not prove the
    coverage maximal, the copies-only model (easier to prove) settles it.
    """
    model, x, weight = title_model(problem, t, open_arcs, hint)
    lines, covered, exact = _solve_title(model, x, weight, seed, TITLE_DTIME, seconds)
    if exact:
        return lines, covered, exact
    model, x, weight = title_model(problem, t, None, lines)
    more, most, exact = _solve_title(model, x, weight, seed, 4 * TITLE_DTIME, seconds)
    return (more, most, exact) if most > covered else (lines, covered, exact)


def _solve_title(
    model: cp_model.CpModel,
    x: dict[tuple[int, int], cp_model.IntVar],
    weight: int,
    seed: int,
    dtime: float,
    seconds: float,
) -> tuple[dict[tuple[int, int], int], int, bool]:
    """The coverage is proven when the solver's bound leaves no room for one more copy."""
    solver = _solver(seed, dtime, seconds)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, 0, False
    lines = {arc: solver.Value(v) for arc, v in x.items()}
    covered = sum(lines.values())
    most = math.floor(solver.BestObjectiveBound() / weight + 1e-9)  # no plan covers more
    exact = status == cp_model.OPTIMAL or covered >= most
    return {arc: c for arc, c in lines.items() if c > 0}, covered, exact


# --- the large-neighbourhood search -------------------------------------------------------------


@dataclass
class Neighbourhood:
    """Which lines a CP-SAT model frees: those between ``schools`` (None: all schools) and of
    ``titles`` (None: all titles). Everything else in the plan stays as it is."""

    schools: frozenset[int] | None
    titles: frozenset[int] | None

    def frees(self, i: int, j: int, t: int) -> bool:
        return (self.schools is None or (i in self.schools and j in self.schools)) and (
            self.titles is None or t in self.titles
        )


@dataclass
class Subproblem:
    model: cp_model.CpModel
    x: dict[tuple[int, int, int], cp_model.IntVar]
    arc_cost_ceiling: int  # the most one shipment adds to the objective


@dataclass
class Outcome:
    values: dict[tuple[int, int, int], int] | None  # the freed lines' new copies
    optimal: bool
    bound: float  # CP-SAT's proven bound on the objective


def _candidate_titles(problem: IndexedInstance, hood: Neighbourhood) -> list[int]:
    if hood.titles is not None:
        return sorted(hood.titles)
    if hood.schools is None:
        return problem.active_titles
    return sorted({t for i in hood.schools for t in problem.sup_of[i]})


def build_subproblem(
    plan: Plan, hood: Neighbourhood, max_shipments: int | None
) -> Subproblem | None:
    """A CP-SAT model of the lines ``hood`` frees, the rest of the plan fixed.

    Per school and title the freed lines may use what the fixed lines leave of the surplus or
    shortage; per title the freed lines carry at least what they carry now (coverage never
    drops). A shipment that still carries a fixed line costs nothing more; any other costs one
    shipment plus its metres. Without a cap the objective is shipments then metres; with
    ``max_shipments`` the shipments are capped and coverage comes first. The current lines
    are the hint.
    """
    problem = plan.problem
    freed_out: dict[tuple[int, int], int] = defaultdict(int)
    freed_in: dict[tuple[int, int], int] = defaultdict(int)
    carried: dict[int, int] = defaultdict(int)
    held: set[tuple[int, int]] = set()
    current: dict[tuple[int, int, int], int] = {}
    for (i, j), row in plan.arcs.items():
        for t, c in row.items():
            if hood.frees(i, j, t):
                current[i, j, t] = c
                freed_out[i, t] += c
                freed_in[j, t] += c
                carried[t] += c
            else:
                held.add((i, j))
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    by_arc: dict[tuple[int, int], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    per_title: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    members = hood.schools
    for t in _candidate_titles(problem, hood):
        rooms_in = {}
        for j, need in problem.dem[t].items():
            if members is None or j in members:
                room = need - plan.recv[j, t] + freed_in[j, t]
                if room > 0:
                    rooms_in[j] = room
        if not rooms_in:
            continue
        in_terms: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for i, spare in problem.sup[t].items():
            if members is not None and i not in members:
                continue
            room_out = spare - plan.sent[i, t] + freed_out[i, t]
            if room_out <= 0:
                continue
            out_terms = []
            for j, room in rooms_in.items():
                cap = min(room_out, room)
                domain = problem.line_domain(j, t, cap)
                if len(domain) == 2 and domain[1] == 0:
                    continue
                var = model.NewIntVarFromDomain(cp_model.Domain.FromFlatIntervals(domain), "")
                x[i, j, t] = var
                out_terms.append(var)
                in_terms[j].append(var)
                per_title[t].append(var)
                model.AddHint(var, current.get((i, j, t), 0))
                if (i, j) not in held:
                    by_arc[i, j].append((var, cap))
            if len(out_terms) > 1 or (out_terms and room_out < spare):
                model.Add(sum(out_terms) <= room_out)
        for j, terms in in_terms.items():
            model.Add(sum(terms) <= rooms_in[j])
    if not x:
        return None
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    for arc, terms in sorted(by_arc.items()):
        var = model.NewBoolVar("")
        y[arc] = var
        for v, cap in terms:
            model.Add(v <= cap * var)
        model.AddHint(var, arc in plan.arcs)
    metres = {arc: problem.metres[arc[0]][arc[1]] for arc in y}
    ship_weight = 1 + sum(metres.values())
    ceiling = ship_weight + max(metres.values(), default=0)
    cost = sum((ship_weight + metres[arc]) * var for arc, var in y.items())
    if max_shipments is None:
        for t, terms in per_title.items():
            if carried[t]:
                model.Add(sum(terms) >= carried[t])
        model.Minimize(cost)
    else:
        fixed = sum(1 for arc in plan.arcs if arc in held or arc not in y)
        model.Add(sum(y.values()) <= max(0, max_shipments - fixed))
        covered = sum(x.values())
        model.Add(covered >= sum(carried.values()))
        model.Minimize(cost - ship_weight * (len(y) + 2) * covered)
    return Subproblem(model, x, ceiling)


def solve_subproblem(sub: Subproblem, seed: int, dtime: float, seconds: float) -> Outcome:
    """Solve with one worker (deterministic within ``dtime``)."""
    solver = _solver(seed, dtime, seconds, presolve=False)
    status = solver.Solve(sub.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(None, False, 0.0)
    values = {key: solver.Value(var) for key, var in sub.x.items()}
    return Outcome(values, status == cp_model.OPTIMAL, solver.BestObjectiveBound())


class Search:
    """The improvement phase on one plan.

    The main thread runs the cheap flow moves (close, swap, kicks); meanwhile a CP-SAT model of
    one neighbourhood is solved on the second core. The models are started and their results
    merged at fixed points of the move sequence (every ``SYNC_SWAPS`` swap attempts or
    ``SYNC_KICKS`` kicks), so the run stays deterministic. A result is built on the plan as it
    was when the model started; it is kept only if, applied to the plan as it is now, it
    breaks no constraint and makes the plan better.

    ``cover`` (title → copies a maximal plan moves) is the coverage to reach; with
    ``max_shipments`` the plan may stay below it and moves that raise coverage count first.
    """

    def __init__(
        self,
        plan: Plan,
        seed: int,
        deadline: float,
        max_shipments: int | None = None,
        cover: dict[int, int] | None = None,
        pool: ThreadPoolExecutor | None = None,
        bound: LowerBound | None = None,
    ):
        self.plan = plan
        self.problem = plan.problem
        self.rng = random.Random(seed)
        self.seed = seed
        self.deadline = deadline
        self.max_shipments = max_shipments
        self.cover = cover or {}
        self.school_size = 8
        self.title_size = 6
        self.models = 0
        self.model_gains = 0
        self.moves = 0
        self.kicks = 0
        self.improvements = 0
        self.time_capped = False
        self.proven_optimal = False
        self.neighbours = [
            sorted(range(self.problem.n), key=lambda b, a=a: (self.problem.dist[a][b], b))[1:]
            for a in range(self.problem.n)
        ]
        self._pool = pool  # where the CP-SAT models run (none: no models beside the moves)
        self._bound = bound
        self._pending: tuple[Future, str] | None = None
        self.done = False  # the plan meets the lower bound: nothing left to gain
        self.waited = 0.0  # seconds the moves waited for a model (for tuning)
        self.model_bound = 0  # a lower bound on shipments proven by the whole model
        self.tick: Callable[[], None] = lambda: None  # called at every fixed point (progress)

    def out_of_time(self) -> bool:
        if time.monotonic() >= self.deadline:
            self.time_capped = True
        return self.time_capped or self.done

    def __enter__(self) -> Search:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._finish_model()

    # local moves -------------------------------------------------------------------------------

    def descend(self, budget: int, tries: int = SWAP_TRIES) -> None:
        """Swap passes over the shipments, lightest first, until a pass changes nothing.

        ``budget`` caps the swap attempts (the deterministic work measure).
        """
        plan = self.plan
        while self.moves < budget:
            changed = 0
            for arc in _by_load(plan, plan.arcs):
                if self.moves >= budget or self.out_of_time():
                    return
                self.moves += 1
                if self.moves % SYNC_SWAPS == 0:
                    self._sync()
                if arc in plan.arcs and try_swap(plan, arc, tries):
                    changed += 1
                    self.improvements += 1
            if not changed:
                return

    def kick(self) -> bool:
        """One iterated-local-search step: force one or two light shipments out (their copies
        go wherever the cheapest paths take them, new shipments included), swap around the
        schools concerned, and keep the result only if the plan got better."""
        plan = self.plan
        before = plan.key()
        savepoint = plan.begin()
        arcs = _by_load(plan, plan.arcs)
        kicked = []
        for _ in range(self.rng.randint(1, 2)):
            arc = arcs[int(len(arcs) * self.rng.random() ** 2)]
            if arc not in plan.arcs:
                continue
            for t, copies in sorted(_remove_arc(plan, arc).items()):
                pushed = augment(plan, t, copies, {arc}, allow_new=True)
                if pushed < copies:
                    augment(plan, t, copies - pushed, allow_new=True)
            kicked.append(arc)
        schools = {school for arc in kicked for school in arc}
        around = [a for a in plan.arcs if a[0] in schools or a[1] in schools]
        for arc in _by_load(plan, around)[:KICK_SWAPS]:
            if arc in plan.arcs:
                try_swap(plan, arc, SWAP_TRIES)
        if self._valid(plan.changes(savepoint)) and plan.key() < before:
            plan.commit()
            self.improvements += 1
            return True
        plan.rollback(savepoint)
        return False

    def iterate(self, kicks: int) -> None:
        """``kicks`` kick steps (the CP-SAT models keep running beside them)."""
        for number in range(kicks):
            if self.out_of_time() or not self.plan.arcs:
                return
            self.kicks += 1
            if number % SYNC_KICKS == 0:
                self._sync()
            self.kick()

    def fill(self) -> None:
        """Raise coverage through the open shipments as far as they allow (capped mode)."""
        for t in self.problem.active_titles:
            missing = self.cover.get(t, 0) - sum(self.plan.by_title[t].values())
            if missing > 0:
                savepoint = self.plan.begin()
                augment(self.plan, t, missing)
                if self.plan.batch_ok(self.plan.changes(savepoint)):
                    self.plan.commit()
                else:
                    self.plan.rollback(savepoint)

    def add_drop(self, budget: int, candidates: int = 6) -> None:
        """Capped mode: open the shipment that adds the most copies, drop the lightest one.

        A candidate pair is ranked by the copies it could add directly; it is opened (the
        missing copies pushed through it and the open shipments), then the plan is cut back
        to the cap. Kept only if the plan got better.
        """
        plan, problem, cap = self.plan, self.problem, self.max_shipments
        if cap is None:
            return
        for _ in range(budget):
            if self.out_of_time():
                return
            missing = {
                t: self.cover.get(t, 0) - sum(plan.by_title[t].values())
                for t in problem.active_titles
            }
            missing = {t: v for t, v in missing.items() if v > 0}
            if not missing:
                return
            gain: dict[tuple[int, int], int] = defaultdict(int)
            for t in missing:
                for i, spare in problem.sup[t].items():
                    left = spare - plan.sent[i, t]
                    if left <= 0:
                        continue
                    for j, need in problem.dem[t].items():
                        room = need - plan.recv[j, t]
                        if room > 0 and (i, j) not in plan.arcs:
                            gain[i, j] += min(left, room, missing[t])
            ranked = sorted(gain, key=lambda a: (-gain[a], problem.metres[a[0]][a[1]], a))
            if not self._add_one(ranked[:candidates], missing, cap):
                return

    def _add_one(self, ranked: list[tuple[int, int]], missing: dict[int, int], cap: int) -> bool:
        plan = self.plan
        for arc in ranked:
            self.moves += 1
            before = plan.key()
            savepoint = plan.begin()
            for t in sorted(missing):
                augment(plan, t, missing[t], free={arc})
            if len(plan.arcs) > cap:
                drop_to(plan, cap)
            if plan.batch_ok(plan.changes(savepoint)) and plan.key() < before:
                plan.commit()
                self.improvements += 1
                return True
            plan.rollback(savepoint)
        return False

    def _valid(self, changes: Iterable[tuple[int, int, int, int]]) -> bool:
        """Whether the lines touched by ``changes`` keep every constraint (and the cap)."""
        plan, problem = self.plan, self.problem
        if self.max_shipments is not None and len(plan.arcs) > self.max_shipments:
            return False
        for i, j, t, _ in changes:
            copies = plan.by_title[t].get((i, j), 0)
            if copies < 0 or not problem.line_allowed(j, t, copies):
                return False
            if plan.sent[i, t] > problem.sup[t].get(i, 0):
                return False
            if plan.recv[j, t] > problem.dem[t].get(j, 0):
                return False
        return True

    # neighbourhoods ----------------------------------------------------------------------------

    def _light_arc(self, avoid: frozenset[int] = frozenset()) -> tuple[int, int] | None:
        plan = self.plan
        arcs = _by_load(plan, plan.arcs)
        if avoid:
            arcs = [a for a in arcs if a[0] not in avoid and a[1] not in avoid]
        if not arcs:
            return None
        return arcs[int(len(arcs) * self.rng.random() ** 2)]

    def titles_around_arcs(self) -> Neighbourhood | None:
        """The titles of a light shipment and of light shipments sharing a school with it."""
        plan = self.plan
        start = self._light_arc()
        if start is None:
            return None
        chosen: set[int] = set()
        frontier = [start]
        seen = {start}
        while frontier and len(chosen) < self.title_size:
            arc = frontier.pop(0)
            chosen.update(plan.arcs.get(arc, {}))
            a, b = arc
            related = [
                other
                for other in plan.arcs
                if other not in seen and (other[0] in (a, b) or other[1] in (a, b))
            ]
            related.sort(key=lambda o: (sum(plan.arcs[o].values()) * (0.5 + self.rng.random()), o))
            for other in related[:3]:
                seen.add(other)
                frontier.append(other)
        return Neighbourhood(None, frozenset(chosen)) if chosen else None

    def schools_around_arc(self) -> Neighbourhood | None:
        """A light shipment's ends plus the schools that could take over its titles."""
        plan, problem = self.plan, self.problem
        pick = self._light_arc()
        if pick is None:
            return None
        a, b = pick
        score: dict[int, float] = defaultdict(float)
        for t in plan.arcs[pick]:
            for j in problem.dem[t]:
                if j != b:
                    score[j] += 1 + 2 * ((a, j) in plan.arcs)
            for i in problem.sup[t]:
                if i != a:
                    score[i] += 1 + 2 * ((i, b) in plan.arcs)
        ranked = sorted(score, key=lambda s: (-score[s] * (0.5 + self.rng.random()), s))
        chosen = [a, b]
        for school in [*ranked, *self.neighbours[a]]:
            if len(chosen) >= self.school_size:
                break
            if school not in chosen:
                chosen.append(school)
        return Neighbourhood(frozenset(chosen), None)

    # CP-SAT ------------------------------------------------------------------------------------

    def whole(self, dtime: float) -> None:
        """Solve the whole instance as one model, the plan as its hint (small instances).

        Without a cap the model keeps every title's coverage at the maximum, so its proven
        bound, divided by what one shipment can cost, bounds the shipments of any maximal plan
        (``model_bound``); an optimal answer proves the plan optimal.
        """
        if self.out_of_time():
            return
        sub = build_subproblem(self.plan, Neighbourhood(None, None), self.max_shipments)
        if sub is None:
            self.proven_optimal = True
            return
        seconds = self.deadline - time.monotonic()
        outcome = solve_subproblem(sub, self.seed, dtime, seconds)
        self.models += 1
        if outcome.values is not None:
            self._merge(outcome.values)
        if self.max_shipments is None and outcome.values is not None:
            self.model_bound = max(0, math.ceil(outcome.bound / sub.arc_cost_ceiling - 1e-9))
        self.proven_optimal = outcome.optimal and not self.out_of_time()

    def _merge(self, values: dict[tuple[int, int, int], int]) -> bool:
        plan = self.plan
        before = plan.key()
        savepoint = plan.begin()
        for (i, j, t), copies in sorted(values.items()):
            plan.set_line(i, j, t, copies)
        if self._valid(plan.changes(savepoint)) and plan.key() < before:
            plan.commit()
            self.improvements += 1
            self.model_gains += 1
            return True
        plan.rollback(savepoint)
        return False

    def _sync(self) -> None:
        """A fixed point: merge the running model's result, start the next model."""
        self._finish_model()
        self.tick()
        bound = self._bound
        if bound is not None and bound.ready() and self.max_shipments is None:
            self.done = len(self.plan.arcs) <= bound.value()
        if self._pool is None or self.out_of_time():
            return
        kind = "titles" if self.rng.random() < 0.6 else "schools"
        hood = self.titles_around_arcs() if kind == "titles" else self.schools_around_arc()
        sub = build_subproblem(self.plan, hood, self.max_shipments) if hood else None
        if sub is None:
            return
        seconds = self.deadline - time.monotonic()
        seed = self.seed * 7919 + self.models
        self._pending = (self._pool.submit(solve_subproblem, sub, seed, MODEL_DTIME, seconds), kind)
        self.models += 1

    def _finish_model(self) -> None:
        if self._pending is None:
            return
        future, kind = self._pending
        self._pending = None
        waited = time.monotonic()
        outcome = future.result()
        self.waited += time.monotonic() - waited
        improved = outcome.values is not None and self._merge(outcome.values)
        grow, shrink = outcome.optimal and not improved, not outcome.optimal
        if kind == "titles":
            if grow:
                self.title_size = min(self.title_size + 2, 40)
            elif shrink:
                self.title_size = max(3, self.title_size - 2)
        elif grow:
            self.school_size = min(self.school_size + 1, 16, self.problem.n)
        elif shrink:
            self.school_size = max(4, self.school_size - 1)


# --- lower bound -------------------------------------------------------------------------------


def _cheap_cover_bound(needs: dict[int, int], partners: dict[int, dict[int, int]]) -> int:
    """Partners needed, by the largest capacities per title and in total."""
    bound = 1
    for t, need in needs.items():
        bound = max(bound, _fewest_to_reach(need, [row.get(t, 0) for row in partners.values()]))
    totals = [
        sum(min(row.get(t, 0), need) for t, need in needs.items()) for row in partners.values()
    ]
    return max(bound, _fewest_to_reach(sum(needs.values()), totals))


def _fewest_to_reach(amount: int, capacities: list[int]) -> int:
    """How many of the largest capacities it takes to reach ``amount`` (all, if never)."""
    total = 0
    for k, cap in enumerate(sorted(capacities, reverse=True), start=1):
        total += cap
        if total >= amount:
            return k
    return len(capacities)


def _cover_model(needs: dict[int, int], partners: dict[int, dict[int, int]]) -> cp_model.CpModel:
    """The smallest set of partners whose capacities meet every need (set multicover)."""
    model = cp_model.CpModel()
    use = {s: model.NewBoolVar("") for s in sorted(partners)}
    for t, need in sorted(needs.items()):
        terms = [
            (min(row.get(t, 0), need), use[s])
            for s, row in sorted(partners.items())
            if row.get(t, 0) > 0
        ]
        model.Add(sum(c * v for c, v in terms) >= need)
    model.Minimize(sum(use.values()))
    return model


def _model_bound(model: cp_model.CpModel, seed: int, seconds: float) -> int:
    """CP-SAT's proven lower bound on a cover model's objective (0 when it has none)."""
    solver = _solver(seed, 0.2, seconds, presolve=False)
    status = solver.Solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return math.ceil(solver.BestObjectiveBound() - 1e-6)
    return 0


def _capacity_bound(problem: IndexedInstance, covered: int) -> int:
    """Fewest shipments that could carry ``covered`` copies, by the largest pair capacities."""
    if covered <= 0:
        return 0
    caps = [
        problem.pair_capacity(i, j) for i in range(problem.n) for j in range(problem.n) if i != j
    ]
    return _fewest_to_reach(covered, [c for c in caps if c > 0])


def _forced(problem: IndexedInstance, cover: dict[int, int]) -> tuple[dict, dict]:
    """Copies each school must send / receive of each title in every maximal plan."""
    must_send: dict[int, dict[int, int]] = defaultdict(dict)
    must_take: dict[int, dict[int, int]] = defaultdict(dict)
    for t, amount in cover.items():
        if amount <= 0:
            continue
        supply, demand = sum(problem.sup[t].values()), sum(problem.dem[t].values())
        for i, spare in problem.sup[t].items():
            if amount - (supply - spare) > 0:
                must_send[i][t] = amount - (supply - spare)
        for j, need in problem.dem[t].items():
            if amount - (demand - need) > 0:
                must_take[j][t] = amount - (demand - need)
    return must_send, must_take


class LowerBound:
    """A proven lower bound on the shipments of any plan moving ``covered`` copies.

    With ``cover`` (title → copies every maximal plan moves, known exactly): a school must send
    at least ``cover − (the others' surplus)`` copies of a title; the schools it ships to must be
    able to take them all, so it needs at least as many outgoing shipments as the smallest such
    set of receivers (a set-multicover model per school; CP-SAT's proven bound on it); likewise
    incoming. Shipments ≥ Σ outgoing bounds and ≥ Σ incoming bounds. Always: the largest pair
    capacities must add up to the copies moved.

    The models are solved on ``pool`` (in the background while the search runs);
    ``value()`` waits for them.
    """

    def __init__(
        self,
        problem: IndexedInstance,
        cover: dict[int, int] | None,
        covered: int,
        seed: int,
        deadline: float,
        pool: ThreadPoolExecutor,
    ):
        self.parts = {"capacity": _capacity_bound(problem, covered)}
        self._jobs: list[tuple[str, int, Future | None]] = []
        if cover is None:
            return
        self.parts.update(senders=0, receivers=0)
        must_send, must_take = _forced(problem, cover)
        sup, dem = problem.sup, problem.dem
        for side, forced, theirs in (("senders", must_send, dem), ("receivers", must_take, sup)):
            for school, needs in sorted(forced.items()):
                mine = sup if side == "senders" else dem
                partners = {}
                for other in range(problem.n):
                    row = {
                        t: min(theirs[t][other], mine[t][school])
                        for t in needs
                        if other in theirs[t]
                    }
                    if other != school and row:
                        partners[other] = row
                cheap = _cheap_cover_bound(needs, partners)
                future = None
                seconds = deadline - time.monotonic()
                # every partner needed: nothing to prove; out of time: the cheap bound stands
                if cheap < len(partners) and seconds > 0:
                    model = _cover_model(needs, partners)
                    future = pool.submit(_model_bound, model, seed, seconds)
                self._jobs.append((side, cheap, future))

    def ready(self) -> bool:
        return all(future is None or future.done() for _, _, future in self._jobs)

    def value(self) -> int:
        for side, cheap, future in self._jobs:
            self.parts[side] += max(cheap, future.result() if future is not None else 0)
        self._jobs = []
        return max(self.parts.values())


def lower_bound(
    problem: IndexedInstance,
    cover: dict[int, int] | None,
    covered: int,
    seed: int = 0,
    deadline: float | None = None,
) -> tuple[int, dict[str, int]]:
    """The LowerBound computed right away: (bound, its parts by argument)."""
    deadline = time.monotonic() + 30 if deadline is None else deadline
    with ThreadPoolExecutor(max_workers=2) as pool:
        bound = LowerBound(problem, cover, covered, seed, deadline, pool)
        return bound.value(), bound.parts


# --- construction and the public entry points ---------------------------------------------------


def _construct(
    problem: IndexedInstance, seed: int, deadline: float
) -> tuple[Plan, dict[int, int], bool]:
    """The starting plan, the coverage per title, and whether those coverages are exact.

    The pair-first greedy; with min_batch, every title it covers below min(surplus, shortage)
    is re-planned by the exact per-title model (which prefers pairs already open).
    """
    from bibliomo.lib.redistribution_greedy import pair_first_lines  # it imports this module

    plan = Plan.from_lines(problem, pair_first_lines(problem))
    cover = {t: sum(plan.by_title[t].values()) for t in problem.active_titles}
    exact = True
    if problem.min_batch > 1:
        short = [t for t in problem.active_titles if cover[t] < problem.upper_cover(t)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = []
            for t in short:
                others = {arc for arc, row in plan.arcs.items() if set(row) != {t}}
                hint = dict(plan.by_title[t])
                seconds = max(0.05, deadline - time.monotonic())
                jobs.append((t, pool.submit(title_plan, problem, t, others, hint, seed, seconds)))
            for t, job in jobs:
                lines, best, proven = job.result()
                exact &= proven
                if best >= cover[t]:
                    for (i, j), c in list(plan.by_title[t].items()):
                        plan.add(i, j, t, -c)
                    for (i, j), c in sorted(lines.items()):
                        plan.add(i, j, t, c)
                    cover[t] = best
    return plan, cover, exact


class _Reporter:
    """Calls the progress callback with a fraction that never goes back."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        self.last = min(1.0, max(self.last, fraction))
        if self.progress is not None:
            self.progress(self.last, message)


WHOLE_MODEL_LINES = 1500  # up to this many possible lines the whole instance is one model
WHOLE_MODEL_SHARE = 0.1  # …given this share of time_limit as deterministic time
SWAPS_PER_SECOND = 300  # swap attempts allowed per second of time_limit (work, not time)
KICKS_PER_SECOND = 8  # kick steps per second of time_limit
MODEL_DTIME = 0.15  # CP-SAT deterministic time per neighbourhood model
TITLE_DTIME = 0.1  # …per title model (min_batch coverage)


def _shipments(count: int) -> str:
    return plural(count, "перевозка", "перевозки", "перевозок")


def _improving(plan: Plan) -> str:
    return f"Улучшаю план: {_shipments(plan.shipments)}"


def _line_count(problem: IndexedInstance) -> int:
    return sum(len(problem.sup[t]) * len(problem.dem[t]) for t in problem.active_titles)


def improve(
    plan: Plan,
    *,
    seed: int,
    deadline: float,
    time_limit: float,
    report: _Reporter,
    cover: dict[int, int],
    max_shipments: int | None = None,
    progress: tuple[float, float] = (0.1, 0.95),
    pool: ThreadPoolExecutor | None = None,
    bound: LowerBound | None = None,
) -> Search:
    """The improvement phase on ``plan`` (in place); returns the search for its figures.

    A small instance is first given whole to CP-SAT (done if it proves the plan optimal).
    Then the close pass, swap passes until they stop paying, then kicks — with CP-SAT
    neighbourhood models solved alongside.
    With ``max_shipments`` the plan is first cut to the cap and refilled, and add-drop moves
    raise coverage between the passes.
    """
    start, end = progress
    swaps = int(SWAPS_PER_SECOND * time_limit)
    kicks = int(KICKS_PER_SECOND * time_limit)
    with Search(plan, seed, deadline, max_shipments, cover, pool, bound) as search:

        def tick() -> None:  # swaps fill 10–50% of the span, kicks 50–90%
            swapped = 1.0 if search.kicks else min(1.0, search.moves / max(1, swaps))
            done = 0.1 + 0.4 * swapped + 0.4 * min(1.0, search.kicks / max(1, kicks))
            report(start + done * (end - start), _improving(plan))

        search.tick = tick
        if max_shipments is not None:
            drop_to(plan, max_shipments)
            search.fill()
        if _line_count(plan.problem) <= WHOLE_MODEL_LINES:
            search.whole(max(0.5, time_limit * WHOLE_MODEL_SHARE))
            if search.proven_optimal:
                return search
        if max_shipments is None:
            close_pass(plan, search.out_of_time)
        else:
            search.add_drop(int(time_limit * 4))
        tick()
        search.descend(swaps)
        search.add_drop(int(time_limit * 4))
        tick()
        for _ in range(4):
            search.iterate(kicks // 4)
            search.add_drop(int(time_limit))
            tick()
    return search


def solve(
    instance: Instance,
    *,
    time_limit: float = 10.0,
    min_batch: int = 0,
    max_shipments: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> Solution:
    """The best plan found: most copies, then fewest shipments, then fewest kilometres.

    ``time_limit`` (seconds) sets the work budget and is also the wall-clock safety cap: the
    result is the same for the same instance, options, seed and time_limit unless the cap cuts
    the search short (``stats["time_capped"]``). ``progress(fraction, message)`` is called now
    and then with a Russian message.
    """
    validate_instance(instance)
    if max_shipments is not None and max_shipments < 0:
        raise ValueError("max_shipments не может быть отрицательным")
    started = time.monotonic()
    deadline = started + max(0.1, time_limit)
    report = _Reporter(progress)
    report(0.0, "Готовлю данные")
    problem = IndexedInstance(instance, min_batch)
    report(0.02, "Строю начальный план: сначала пары школ, которые могут перевезти больше")
    plan, cover, cover_exact = _construct(problem, seed, deadline)
    coverable = sum(cover.values())
    greedy_shipments = plan.shipments
    report(0.08, f"Начальный план: {_shipments(plan.shipments)}; улучшаю")
    with ThreadPoolExecutor(max_workers=1) as background:
        known = cover if cover_exact else None
        bound = LowerBound(problem, known, coverable, seed, deadline, background)
        capped = max_shipments is not None
        first = search = improve(
            plan,
            seed=seed,
            deadline=started + 0.6 * time_limit if capped else deadline,
            time_limit=time_limit * 0.6 if capped else time_limit,
            report=report,
            cover=cover,
            progress=(0.1, 0.6 if capped else 0.98),
            pool=background,
            bound=bound,
        )
        if capped and plan.shipments > max_shipments:
            report(0.6, f"Оставляю не больше {_shipments(max_shipments)}")
            search = improve(
                plan,
                seed=seed + 1,
                deadline=deadline,
                time_limit=time_limit * 0.4,
                report=report,
                cover=cover,
                max_shipments=max_shipments,
                progress=(0.6, 0.98),
                pool=background,
            )
        lb, lb_parts = bound.value(), bound.parts
    if plan.covered < coverable:  # capped below the maximum: a bound for these copies
        lb, lb_parts = lower_bound(problem, None, plan.covered, seed, deadline)
    elif first.model_bound > lb:
        lb = lb_parts["whole_model"] = first.model_bound
    lb = min(lb, plan.shipments)  # never above a plan in hand (a bound is a bound)
    report(
        1.0,
        f"Готово: {plural(plan.covered, 'экземпляр', 'экземпляра', 'экземпляров')}, "
        f"{_shipments(plan.shipments)}",
    )
    stats = {
        "seed": seed,
        "greedy_shipments": greedy_shipments,
        "swap_attempts": search.moves,
        "kicks": search.kicks,
        "models": search.models,
        "model_gains": search.model_gains,
        "model_wait_seconds": round(search.waited, 2),
        "improvements": search.improvements,
        "proven_optimal": search.proven_optimal
        or (plan.covered == coverable and plan.shipments == lb),
        "coverable_exact": cover_exact,
        "lower_bound_parts": lb_parts,
        "time_capped": first.time_capped or search.time_capped or time.monotonic() > deadline,
        "seconds": round(time.monotonic() - started, 3),
    }
    return Solution(
        transfers=problem.transfers(plan.lines()),
        covered=plan.covered,
        coverable=coverable,
        shipments=plan.shipments,
        km=plan.km(),
        lower_bound_shipments=lb,
        stats=stats,
    )


def _plan_of(problem: IndexedInstance, transfers: Iterable[Transfer]) -> Plan:
    school_at = {school_id: k for k, school_id in enumerate(problem.school_ids)}
    title_at = {title_id: k for k, title_id in enumerate(problem.title_ids)}
    return Plan.from_lines(
        problem,
        {
            (school_at[tr.source], school_at[tr.target], title_at[tr.title]): tr.copies
            for tr in transfers
        },
    )


def tradeoff(
    instance: Instance,
    budgets: list[int],
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    min_batch: int = 0,
    start: Solution | None = None,
) -> list[tuple[int, int]]:
    """(K, copies moved with at most K shipments) for each budget K, in the order given.

    A feasible estimate, not a proven optimum (exact only where K is at least the shipments
    of the full solution: then it is the coverable maximum). The full solution is ``start``
    when given (a solve() result for the same instance and min_batch, without a cap — pass
    it so the table agrees with the plan shown), else half the time goes to computing one.
    Then, from the largest budget down, the lightest shipments are dropped one by one with
    their copies rerouted through the remaining ones, and a short capped search (as in
    solve() with ``max_shipments``) improves each budget's plan. Every figure is moved by a
    valid plan with at most K shipments, and the figures never decrease as K grows (a plan for
    a smaller K also serves a larger one).
    """
    validate_instance(instance)
    started = time.monotonic()
    full = start
    if full is None or full.covered < full.coverable:
        full = solve(instance, time_limit=time_limit * 0.5, min_batch=min_batch, seed=seed)
    problem = IndexedInstance(instance, min_batch)
    plan = _plan_of(problem, full.transfers)
    cover = {t: sum(plan.by_title[t].values()) for t in problem.active_titles}
    wanted = sorted({k for k in budgets if 0 <= k < full.shipments}, reverse=True)
    figures: dict[int, int] = {}
    deadline = started + time_limit
    share = 0.5 * time_limit / max(1, len(wanted))  # the work each budget gets
    for k in wanted:
        drop_to(plan, k)
        trial = plan.copy()
        improve(
            trial,
            seed=seed,
            deadline=min(deadline, time.monotonic() + 2 * share),
            time_limit=share,
            report=_Reporter(None),
            cover=cover,
            max_shipments=k,
        )
        figures[k] = max(trial.covered, plan.covered)
    result = []
    for k in budgets:
        if k >= full.shipments:
            value = full.covered
        else:
            value = max((v for budget, v in figures.items() if budget <= k), default=0)
        result.append((k, value))
    return result


# --- a reference for benchmarks: the whole problem as one CP-SAT model ---------------------------


def solve_naive(instance: Instance, time_limit: float = 60.0, workers: int = 2) -> Solution:
    """The straightforward model — every line a variable, every pair a boolean — given to
    CP-SAT whole, with no construction and no decomposition (min_batch 0). For benchmarks:
    it shows why the solver does not work this way.
    """
    started = time.monotonic()
    problem = IndexedInstance(instance)
    coverable = sum(problem.upper_cover(t) for t in problem.active_titles)
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    by_arc: dict[tuple[int, int], list] = defaultdict(list)
    for t in problem.active_titles:
        for i, spare in problem.sup[t].items():
            for j, need in problem.dem[t].items():
                x[i, j, t] = var = model.NewIntVar(0, min(spare, need), "")
                by_arc[i, j].append((var, min(spare, need)))
        for i, spare in problem.sup[t].items():
            model.Add(sum(x[i, j, t] for j in problem.dem[t]) <= spare)
        for j, need in problem.dem[t].items():
            model.Add(sum(x[i, j, t] for i in problem.sup[t]) <= need)
        everything = [x[i, j, t] for i in problem.sup[t] for j in problem.dem[t]]
        model.Add(sum(everything) == problem.upper_cover(t))
    y = {}
    for arc, terms in by_arc.items():
        y[arc] = model.NewBoolVar("")
        for var, cap in terms:
            model.Add(var <= cap * y[arc])
    weight = 1 + sum(problem.metres[i][j] for i, j in y)
    model.Minimize(sum((weight + problem.metres[i][j]) * v for (i, j), v in y.items()))
    solver = _solver(0, 1e9, time_limit, workers)
    status = solver.Solve(model)
    plan = Plan(problem)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for (i, j, t), var in x.items():
            plan.add(i, j, t, solver.Value(var))
    return Solution(
        transfers=problem.transfers(plan.lines()),
        covered=plan.covered,
        coverable=coverable,
        shipments=plan.shipments,
        km=plan.km(),
        lower_bound_shipments=0,
        stats={
            "status": solver.StatusName(status),
            "seconds": round(time.monotonic() - started, 3),
        },
    )
